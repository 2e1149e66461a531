/**
 * Reading a mnemonic (and optionally its BIP39 passphrase) as a secret, for every command that
 * derives keys from one.
 *
 * Sources, in order of preference:
 * - the terminal: the mnemonic is typed with echo on (the user must see what they type), then
 *   cleared from the screen and the scrollback as soon as Enter is pressed (as `mnemonic new` clears
 *   the words it showed); an invalid one is diagnosed as `mnemonic check` does (positions, how many
 *   close words, the close words themselves) and only the wrong words are retyped, each cleared
 *   again once read; the passphrase is typed twice without echo;
 * - `--mnemonic-file FILE`: the whole file is the mnemonic (words may be split over lines). With
 *   `--passphrase` the mnemonic must be on the first line and the passphrase is the second line,
 *   taken exactly (only the line ending is removed);
 * - `--mnemonic-file -`: the next line of standard input is the mnemonic and, with `--passphrase`,
 *   the line after it the passphrase (further lines go to later secrets such as --password-file -).
 */
import { InputError, UsageError } from '../../core/errors.js';
import {
  describeProblem,
  diagnoseMnemonic,
  mnemonicToSeed as coreMnemonicToSeed,
  parseLanguage,
  summariseProblems,
  tokenize,
  type Language,
  type MnemonicDiagnosis,
} from '../../core/mnemonic/mnemonic.js';
import { printWarning } from '../output/diagnostics.js';
import { decodeUtf8, readSecretFileBytes } from './read-input.js';
import { MAX_SECRET_INPUT, readSecret, withTerminal } from './secrets.js';

export interface MnemonicSecret {
  /** The canonical mnemonic: list words, NFKD, separated by single spaces. */
  mnemonic: string;
  language: Language;
  /** The BIP39 passphrase as typed ('' when none was asked for). */
  passphrase: string;
}

export interface MnemonicSecretOptions {
  /** `--mnemonic-file` value (`-` = standard input); the terminal when absent. */
  file?: string | undefined;
  /** `--language` value; detected when absent. */
  language?: string | undefined;
  /** `--passphrase`: also read the BIP39 passphrase. */
  passphrase?: boolean | undefined;
  /** What the mnemonic is for, shown in the prompt: "mnemonic", "withdrawal mnemonic". */
  what?: string | undefined;
}

/** The BIP39 seed (64 bytes) for a mnemonic and passphrase, both NFKD-normalised. */
export const mnemonicToSeed = coreMnemonicToSeed;

/**
 * The `--language` option as a Language.
 * @throws {UsageError} on an unknown language.
 */
export function languageOption(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  const l = parseLanguage(value);
  if (!l) {
    throw new UsageError(
      `unknown --language '${value.slice(0, 24)}'`,
      'use english, japanese, korean, spanish, chinese_simplified, chinese_traditional, french, italian, czech or portuguese',
    );
  }
  return l;
}

/** One line for an invalid mnemonic: every error, by position, never a word. */
export function summariseDiagnosis(d: MnemonicDiagnosis): string {
  return summariseProblems(d);
}

/** The option, never its value: that may be the mnemonic typed in place of a path. */
function sourceName(file: string): string {
  return file === '-' ? 'standard input' : '--mnemonic-file';
}

/** Read a file given with --mnemonic-file (not stdin): the whole text, or its first two lines. */
function readMnemonicFile(file: string, withPassphrase: boolean): { mnemonic: string; passphrase: string } {
  const buf = readSecretFileBytes(file, '--mnemonic-file', MAX_SECRET_INPUT);
  let text: string;
  try {
    text = decodeUtf8(buf, '--mnemonic-file');
  } finally {
    buf.fill(0);
  }
  if (!withPassphrase) return { mnemonic: text, passphrase: '' };
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length < 2) {
    throw new InputError('the passphrase is missing: with --passphrase the file holds the mnemonic on line 1 and the passphrase on line 2', {
      file: '--mnemonic-file',
      field: 'line 2',
    });
  }
  if (lines.slice(2).some((l) => l.trim() !== '')) {
    throw new InputError('more than two lines: with --passphrase the file holds the mnemonic on line 1 and the passphrase on line 2', {
      file: '--mnemonic-file',
      field: 'line 3',
    });
  }
  return { mnemonic: lines[0] as string, passphrase: lines[1] as string };
}

function checkPassphrase(p: string, where: string): void {
  if (p.length === 0) {
    throw new InputError('the passphrase is empty: leave out --passphrase for a mnemonic without one', { file: where, field: 'passphrase' });
  }
  if (p.length > 1024) throw new InputError('the passphrase is longer than 1024 characters', { file: where, field: 'passphrase' });
}

/** The warning every passphrase read prints (stderr). */
export function warnPassphrase(): void {
  printWarning('the BIP39 passphrase is part of the secret: anyone restoring these keys needs it, and losing it loses the funds');
}

export interface MnemonicText {
  /** The text as typed or read (not yet validated). */
  text: string;
  /** The BIP39 passphrase ('' unless `passphrase` was asked for). */
  passphrase: string;
  /** Where it came from, for messages: a file name, "standard input" or "terminal". */
  source: string;
}

/**
 * What is wrong with a mnemonic typed on the terminal: shown there (never in a file or a log), then
 * the words at `retype` are asked for one by one, or (when `retype` is empty) the whole mnemonic.
 */
export interface TerminalVerdict {
  /** Error lines: positions and problems, never words. */
  errors: string[];
  /** Lines with words (the close matches), by position; shown before that word is retyped. */
  detail: Record<number, string>;
  /** Lines with words not tied to a retyped position (checksum fixes). */
  general: string[];
  /** Positions (1-based) to retype one word at a time; empty: the whole mnemonic again. */
  retype: number[];
}

/** Rounds of diagnosis on the terminal before giving up (each may retype several words). */
const MAX_ROUNDS = 5;

/**
 * The mnemonic from the terminal: echoed while typed, cleared from the screen and scrollback once
 * read; with `diagnose`, an invalid one is explained and just its wrong words are asked again.
 */
async function readTerminalMnemonic(what: string, diagnose?: (text: string) => TerminalVerdict | null): Promise<string> {
  return withTerminal(what, '--mnemonic-file', async (term) => {
    const prompt = `${what} (words separated by spaces): `;
    const readWhole = (): Promise<string> => term.read(prompt, { echo: true, multiline: true, secret: true });
    let text = await readWhole();
    for (let round = 1; ; round++) {
      const count = tokenize(text).length;
      term.write(`${what}: ${count} word${count === 1 ? '' : 's'} read (cleared from the screen)\n`);
      const verdict = diagnose?.(text) ?? null;
      if (verdict === null) return text;
      for (const e of verdict.errors) term.write(`coldstake: error: ${e}\n`);
      if (round >= MAX_ROUNDS) throw new UsageError(`no valid ${what} after ${MAX_ROUNDS} attempts`);
      if (verdict.retype.length === 0) {
        for (const line of verdict.general) term.write(`${line}\n`);
        text = await readWhole();
        continue;
      }
      const tokens = tokenize(text);
      text = '';
      let whole = false;
      for (const [i, p] of verdict.retype.entries()) {
        // Each retype clears the screen: say again what is wrong with this word.
        if (i > 0) for (const e of verdict.errors) term.write(`coldstake: error: ${e}\n`);
        const near = verdict.detail[p];
        if (near) term.write(`${near}\n`);
        let word: string[] = [];
        for (let tries = 0; word.length !== 1; tries++) {
          if (tries >= MAX_ROUNDS) throw new UsageError(`no single word typed for word ${p} after ${MAX_ROUNDS} attempts`);
          word = tokenize(await term.read(`retype word ${p} from your backup (enter alone: the whole ${what} again): `, { echo: true, secret: true }));
          if (word.length === 0) break;
          if (word.length !== 1) term.write(`coldstake: error: type one word, the word ${p} of your backup\n`);
        }
        if (word.length === 0) {
          whole = true;
          break;
        }
        tokens[p - 1] = word[0] as string;
      }
      if (whole) {
        tokens.fill('');
        text = await readWhole();
        continue;
      }
      text = tokens.join(' ');
      tokens.fill('');
    }
  });
}

/**
 * Read a mnemonic as typed (and, with `passphrase`, its BIP39 passphrase), without judging it:
 * `diagnose` only lets the terminal explain a bad one and ask again. For commands that diagnose
 * the text themselves.
 * @throws {UsageError|InputError} (exit 2) no terminal and no file, unreadable input, bad passphrase line.
 */
export async function readMnemonicText(opts: {
  file?: string | undefined;
  what?: string | undefined;
  passphrase?: boolean | undefined;
  diagnose?: (text: string) => TerminalVerdict | null;
}): Promise<MnemonicText> {
  const what = opts.what ?? 'mnemonic';
  const source = opts.file === undefined ? 'terminal' : sourceName(opts.file);
  let text: string;
  let passphrase = '';
  if (opts.file !== undefined && opts.file !== '-') {
    ({ mnemonic: text, passphrase } = readMnemonicFile(opts.file, opts.passphrase === true));
  } else if (opts.file === '-') {
    text = await readSecret({ what, flag: '--mnemonic-file', file: '-', prompt: '', echo: true });
  } else {
    text = await readTerminalMnemonic(what, opts.diagnose);
  }
  if (opts.passphrase) {
    if (opts.file !== undefined && opts.file !== '-') {
      warnPassphrase();
      checkPassphrase(passphrase, source);
    } else {
      passphrase = await readPassphrase(opts.file);
    }
  }
  return { text, passphrase, source };
}

/** A diagnosis as the terminal shows it (mnemonic check's findings, the close words with them). */
export function terminalVerdict(d: MnemonicDiagnosis): TerminalVerdict | null {
  if (d.ok && d.revealed?.mnemonic) return null;
  const errors = d.problems.filter((p) => p.severity === 'error');
  const detail: Record<number, string> = {};
  for (const [p, words] of Object.entries(d.revealed?.suggestions ?? {})) {
    detail[Number(p)] = `  word ${p}: ${words.length ? `nearest ${words.join(', ')}` : 'no close match'}`;
  }
  const general = Object.entries(d.revealed?.fixWords ?? {}).map(([p, words]) => `  word ${p}: the checksum is valid with ${words.join(', ')}`);
  // Single words can be retyped when the count is right and every error is a word of its own.
  const wordErrors = errors.every((p) => p.id === 'mnemonic-unknown-word' || p.id === 'mnemonic-not-a-word' || p.id === 'mnemonic-mixed-languages');
  const retype = wordErrors
    ? [...new Set(errors.flatMap((p) => (p.id === 'mnemonic-unknown-word' || p.id === 'mnemonic-not-a-word' ? [p.position] : [])))].sort((a, b) => a - b)
    : [];
  return { errors: errors.length > 0 ? errors.map(describeProblem) : ['not a valid mnemonic'], detail, general, retype };
}

/**
 * Read and validate a mnemonic (and, with `passphrase: true`, its BIP39 passphrase).
 * @throws {InputError} (exit 2) when the mnemonic from a file or stdin is invalid: the message
 *   names positions and problems, never words.
 * @throws {UsageError} (exit 2) on an unknown --language, no terminal and no file, unreadable input.
 */
export async function readMnemonicSecret(opts: MnemonicSecretOptions): Promise<MnemonicSecret> {
  const what = opts.what ?? 'mnemonic';
  const language = languageOption(opts.language);
  const diagnose = (text: string): MnemonicDiagnosis => diagnoseMnemonic(text, { ...(language ? { language } : {}), reveal: true });
  // On the terminal the mnemonic is validated (and asked again) before the passphrase is asked for.
  const read = await readMnemonicText({
    file: opts.file,
    what,
    passphrase: opts.passphrase,
    diagnose: (v: string) => terminalVerdict(diagnose(v)),
  });
  const d = diagnose(read.text);
  read.text = '';
  if (!d.ok || !d.revealed?.mnemonic || !d.language) {
    throw new InputError(summariseDiagnosis(d) || 'not a valid mnemonic', {
      file: read.source,
      field: what,
      hint: "run 'coldstake mnemonic check' to locate the problem (add --show-words to see suggestions)",
    });
  }
  const expanded = d.problems.flatMap((p) => (p.id === 'mnemonic-word-expanded' ? [p.position] : []));
  if (expanded.length > 0) {
    printWarning(`word${expanded.length === 1 ? '' : 's'} ${expanded.join(', ')} ${expanded.length === 1 ? 'was' : 'were'} completed from an abbreviation or matched without accents`);
  }
  for (const p of d.problems) if (p.id === 'mnemonic-language-ambiguous') printWarning(describeProblem(p));
  return { mnemonic: d.revealed.mnemonic, language: d.language, passphrase: read.passphrase };
}

/** The passphrase from the terminal (twice, no echo) or the next line of standard input. */
async function readPassphrase(file: string | undefined): Promise<string> {
  warnPassphrase();
  const passphrase =
    file === undefined
      ? await readSecret({
          what: 'bip39 passphrase',
          flag: '--mnemonic-file',
          prompt: 'BIP39 passphrase (not shown): ',
          echo: false,
          confirm: true,
          validate: (v) => (v.length === 0 ? 'the passphrase is empty: press ctrl-c and leave out --passphrase for none' : null),
        })
      : await readSecret({ what: 'bip39 passphrase', flag: '--mnemonic-file', file: '-', prompt: '', echo: false });
  checkPassphrase(passphrase, file === undefined ? 'terminal' : 'standard input');
  return passphrase;
}
