/**
 * `coldstake mnemonic new [--words N] [--language L] [--dice] [--confirm all] [--out FILE]`:
 * a new mnemonic from the OS CSPRNG (or d6 rolls), shown on the terminal (or written to a 0600
 * file), accepted only after the user retypes a random selection of its words.
 *
 * Without a terminal (scripts, tests) the mnemonic can only go to --out FILE, and the retyped
 * words are read from standard input, one per line, for the positions named on stderr.
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Command } from 'commander';
import { SafetyRefusal, UsageError } from '../../core/errors.js';
import {
  confirmationPositions,
  DICE_MIN_ROLLS,
  diceBias,
  diceToEntropy,
  entropyToWords,
  generateMnemonic,
  isWordCount,
  parseDiceRolls,
  tokenize,
  wordlist,
  type Language,
  type WordCount,
} from '../../core/mnemonic/mnemonic.js';
import { finding } from '../../core/findings.js';
import { addAllowOnlineOption, addJsonOption, action, parseIntOption } from '../common.js';
import { airgapGate } from '../gate.js';
import { languageOption } from '../io/mnemonic-input.js';
import { writeFileExclusive } from '../io/safe-write.js';
import { printable } from '../output/style.js';
import { askTerminal, assertSecretOutputToTerminal, CLEAR_SCREEN, hasTerminal, writeTerminal } from '../io/secrets.js';
import { columns, numbered } from '../output/columns.js';
import { printError, printHint, printWarning } from '../output/diagnostics.js';
import { printJson } from '../output/report.js';
import { runZondMnemonicNew } from '../zond/mnemonic.js';

/** Retype attempts per position before the mnemonic is rejected. */
const MAX_ATTEMPTS = 5;
/** More rolls than anyone types by hand: the input is not dice. */
const MAX_ROLLS = 10_000;
/** Typed at a retype prompt, shows the words again (not a word of any BIP39 list). */
const SHOW_AGAIN = '?';

interface NewOptions {
  words: string;
  language?: string;
  dice: boolean;
  confirm?: string;
  out?: string;
  allowOnline: boolean;
  json: boolean;
  scheme: string;
}

/** Where confirmation answers come from: the terminal, or standard input line by line. */
interface Answers {
  interactive: boolean;
  /** The next answer, or null at end of input. */
  ask(prompt: string): Promise<string | null>;
  /** A message to the person answering. */
  say(text: string): void;
  close(): void;
}

function terminalAnswers(): Answers {
  return {
    interactive: true,
    ask: (prompt) => askTerminal(prompt, { echo: true }),
    say: (text) => writeTerminal(text),
    close: () => {},
  };
}

function stdinAnswers(): Answers {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    interactive: false,
    async ask() {
      const next = await lines.next();
      return next.done ? null : String(next.value);
    },
    say: () => {},
    close: () => rl.close(),
  };
}

async function readDiceRolls(words: WordCount): Promise<string> {
  const needed = DICE_MIN_ROLLS[words];
  writeTerminal(
    `roll one fair six-sided die (a casino die is best) at least ${needed} times and type each result, 1 to 6;\n` +
      `spaces are ignored. Type what the die shows, never numbers you choose. An empty line finishes.\n`,
  );
  let rolls = '';
  for (;;) {
    const line = await askTerminal(`rolls ${rolls.length}/${needed}: `, { echo: true, flagHint: '--dice (a terminal)', multiline: true });
    if (line.trim() === '') {
      if (rolls.length >= needed) break;
      writeTerminal(`${needed - rolls.length} more roll${needed - rolls.length === 1 ? '' : 's'} needed\n`);
      continue;
    }
    const parsed = parseDiceRolls(line);
    if ('problem' in parsed) {
      writeTerminal(`coldstake: error: character ${parsed.problem.kind === 'bad-character' ? parsed.problem.position : 0} of that line is not a die face (1-6): the line was not counted, type it again\n`);
      continue;
    }
    rolls += parsed.rolls;
    if (rolls.length > MAX_ROLLS) throw new UsageError(`more than ${MAX_ROLLS} rolls: that is not typed from a die`);
  }
  const bias = diceBias(rolls);
  if (bias.suspicious) {
    writeTerminal(
      `coldstake: warning: these rolls do not look like a fair die (chi-square ${bias.chiSquare.toFixed(1)} over 6 faces, expected below 20.5): ` +
        'some faces come up far too often\n',
    );
    const answer = await askTerminal("type 'use' to use them anyway, or press enter to start the rolls again: ", { echo: true });
    if (answer.trim().toLowerCase() !== 'use') return readDiceRolls(words);
  }
  writeTerminal(`${rolls.length} rolls; entropy = SHA-256 of the roll string (Coldcard, SeedSigner and seedtool compute the same)\n`);
  return rolls;
}

function display(words: readonly string[], language: Language, source: string): string {
  return (
    `\nyour new ${words.length}-word mnemonic (${language.replace(/_/g, ' ')}, ${source}).\n` +
    `write it down in this order, on paper or metal, and keep it offline:\n\n` +
    columns(numbered(words).map((s) => `  ${s}`), 80, 4) +
    '\n'
  );
}

/**
 * Ask for the words at `positions`: null when each was retyped correctly, else why not (printed
 * by the caller once the retyped words are cleared from the screen).
 */
async function confirmWords(words: readonly string[], language: Language, positions: readonly number[], answers: Answers, reshow: (() => Promise<void>) | null): Promise<string | null> {
  const wl = wordlist(language);
  for (const p of positions) {
    let attempts = 0;
    for (;;) {
      const answer = await answers.ask(`word ${p}: `);
      if (answer === null) {
        return `input ended before word ${p} was retyped`;
      }
      if (answer.trim() === SHOW_AGAIN && reshow) {
        await reshow();
        continue;
      }
      const tokens = answer.length <= 256 ? tokenize(answer) : [];
      const hit = tokens.length === 1 ? wl.resolve(tokens[0] as string) : null;
      if (hit && wl.words[hit.index] === words[p - 1]) break;
      attempts++;
      if (attempts >= MAX_ATTEMPTS) {
        return `word ${p} did not match after ${MAX_ATTEMPTS} attempts`;
      }
      const again = reshow ? ` (or '${SHOW_AGAIN}' to see all the words again)` : '';
      if (answers.interactive) answers.say(`coldstake: error: word ${p} does not match: check your copy and type it again${again}\n`);
      else printWarning(`word ${p} does not match: reading it again`);
    }
  }
  return null;
}

async function runNew(opts: NewOptions): Promise<number> {
  if (opts.scheme === 'qrl') return runZondMnemonicNew({ ...opts, ...(opts.language === 'english' ? { language: undefined } : {}) });
  if (opts.scheme !== 'bip39') throw new UsageError(`--scheme must be bip39 or qrl, got '${opts.scheme.slice(0, 20)}'`);
  const n = parseIntOption('--words', opts.words, 12, 24);
  if (!isWordCount(n)) throw new UsageError(`--words must be 12, 15, 18, 21 or 24, got ${n}`);
  const language = languageOption(opts.language) ?? 'english';
  if (opts.confirm !== undefined && opts.confirm !== 'all') {
    throw new UsageError(`--confirm takes 'all', got '${opts.confirm.slice(0, 20)}'`, 'without --confirm a random selection of at least 4 words is retyped');
  }
  const out = opts.out;
  if (opts.json && out === undefined) {
    throw new UsageError('--json needs --out FILE', 'the mnemonic itself is shown only on a terminal; with --out FILE --json prints what was done, never the words');
  }
  if (out !== undefined) {
    if (fs.existsSync(out)) throw new SafetyRefusal(`${out} already exists: refusing to overwrite it`, 'choose a new file name');
    let dirOk = false;
    try {
      dirOk = fs.statSync(path.dirname(path.resolve(out))).isDirectory();
    } catch {
      dirOk = false;
    }
    if (!dirOk) throw new UsageError(`${out}: the directory does not exist`);
  }

  const gate = await airgapGate('mnemonic new', { allowOnline: opts.allowOnline, json: opts.json });
  if (out === undefined) assertSecretOutputToTerminal('mnemonic', 'run it in a terminal, or use --out FILE to write it to a 0600 file');
  const terminal = hasTerminal();
  if (opts.dice && !terminal) throw new UsageError('no terminal to read the dice rolls from', '--dice reads the rolls from the terminal');

  // Dice rolls and retyped words are the mnemonic too: whatever happens (done, a failed retype,
  // Ctrl-C, an error) they are cleared from the screen and the scrollback before the verdict.
  const screen = new TypedOnScreen();
  try {
    return await generateAndConfirm(opts, n, language, out, terminal, gate, screen);
  } finally {
    screen.clear();
  }
}

/** Whether secrets were typed (echoed) on the terminal and are still there to clear. */
class TypedOnScreen {
  private pending = false;
  typed(): void {
    this.pending = true;
  }
  /** Clear the screen and the scrollback if something was typed since the last clear. */
  clear(): void {
    if (!this.pending) return;
    this.pending = false;
    try {
      writeTerminal(CLEAR_SCREEN);
    } catch {
      /* the terminal is gone: nothing left on it to clear */
    }
  }
}

async function generateAndConfirm(
  opts: NewOptions,
  n: WordCount,
  language: Language,
  out: string | undefined,
  terminal: boolean,
  gate: { airgapped: boolean; allowedOnline: boolean },
  screen: TypedOnScreen,
): Promise<number> {
  let words: string[];
  let source: string;
  if (opts.dice) screen.typed();
  if (opts.dice) {
    const rolls = await readDiceRolls(n);
    const entropy = diceToEntropy(rolls, n);
    try {
      words = entropyToWords(entropy, language);
    } finally {
      entropy.fill(0);
    }
    source = `from ${rolls.length} dice rolls`;
  } else {
    words = generateMnemonic(n, language, (k) => new Uint8Array(randomBytes(k)));
    source = "from the operating system's random generator";
  }

  const answers = terminal ? terminalAnswers() : stdinAnswers();
  if (answers.interactive) screen.typed();
  const positions = confirmationPositions(n, opts.confirm === 'all' ? n : Math.max(4, Math.ceil(n / 4)), (max) => randomInt(max));
  let confirmed = false;
  let failure: string | null = null;
  let written = false;
  try {
    let reshow: (() => Promise<void>) | null = null;
    if (out !== undefined) {
      writeFileExclusive(out, `${words.join(' ')}\n`, { mode: 0o600 });
      written = true;
      printWarning(`the mnemonic is in ${out} unencrypted: copy it onto paper or metal, then delete the file from this disk`);
      if (answers.interactive) answers.say(`copy the mnemonic from ${printable(out)}, then retype the words asked for from your copy\n`);
      else printHint(`no terminal: reading word${positions.length === 1 ? '' : 's'} ${positions.join(', ')} of the mnemonic from standard input, one per line`);
    } else {
      const shown = display(words, language, source);
      process.stdout.write(shown);
      reshow = async () => {
        process.stdout.write(shown);
        await answers.ask('press enter when done: the screen will be cleared ');
        answers.say(CLEAR_SCREEN);
      };
      await answers.ask('when it is written down, press enter: the screen will be cleared and you retype some words ');
      answers.say(CLEAR_SCREEN);
    }
    answers.say(`retype ${positions.length === n ? 'every word' : `words ${positions.join(', ')}`} from your copy\n`);
    failure = await confirmWords(words, language, positions, answers, reshow);
    confirmed = failure === null;
  } finally {
    answers.close();
    screen.clear();
    if (failure) printError(failure);
    words.fill('');
    if (!confirmed && written && out !== undefined) {
      fs.rmSync(out, { force: true });
      printHint(`${out} was removed (a plain delete: the disk may still hold its bytes)`);
    }
  }
  if (opts.json) {
    // What was done, never the words.
    printJson({
      ok: confirmed,
      command: 'mnemonic new',
      findings: confirmed ? [] : [finding('mnemonic-not-confirmed', 'error', out ?? 'terminal', 'the mnemonic was not retyped correctly: do not use it', {})],
      words: n,
      language,
      entropy_source: opts.dice ? 'dice' : 'csprng',
      retyped_positions: positions,
      out: confirmed ? out : null,
      airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    });
  }
  if (!confirmed) {
    printError('the mnemonic was not confirmed: do not use it; run mnemonic new again');
    return 1;
  }
  if (!opts.json) {
    process.stdout.write(
      `ok: ${n}-word ${language.replace(/_/g, ' ')} mnemonic ${source}, ${positions.length === n ? 'every word' : `${positions.length} words`} retyped correctly` +
        (out !== undefined ? `; written to ${printable(out)} (mode 0600)` : '; nothing was saved on this machine') +
        '\n',
    );
  }
  return 0;
}

/** Add `mnemonic new` under the `mnemonic` command. */
export function registerMnemonicNew(mnemonic: Command): void {
  const cmd = mnemonic
    .command('new')
    .description('make a new mnemonic from the OS random generator or dice, show it, and have it retyped')
    .option('--words <n>', 'number of words: 12, 15, 18, 21 or 24', '24')
    .option('--language <lang>', 'wordlist language', 'english')
    .option('--dice', 'derive the entropy from d6 rolls typed on the terminal (SHA-256 of the rolls, Coldcard-compatible)', false)
    .option('--confirm <which>', "'all': retype every word instead of a random selection")
    .option('--out <file>', 'write the mnemonic to FILE (created 0600, never overwritten) instead of the terminal')
    .option('--scheme <scheme>', 'bip39, or qrl: a 32-word QRL (Zond) staking seed from the OS random generator (no dice, no checksum)', 'bip39');
  addJsonOption(addAllowOnlineOption(cmd)).action(action((opts: NewOptions) => runNew(opts)));
}
