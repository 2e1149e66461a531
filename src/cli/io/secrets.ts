/**
 * Secret input: the terminal (/dev/tty, passwords without echo) or a file given with
 * --mnemonic-file / --password-file (`-` = standard input). Never argv, never the environment.
 *
 * JavaScript strings cannot be wiped; coldstake keeps secrets in as few strings as possible,
 * zeroes the byte buffers it owns, and never logs them (README "What JavaScript cannot guarantee").
 */
import { printable } from '../output/style.js';
import fs from 'node:fs';
import tty from 'node:tty';
import { Interrupted, SafetyRefusal, UsageError } from '../../core/errors.js';
import { assertDebuggerClosed } from '../../guard/debugger.js';
import { decodeUtf8, KIB, readBoundedFile, readSecretFileBytes } from './read-input.js';

/** Largest secret file or stdin accepted: a mnemonic plus passwords fit many times over. */
export const MAX_SECRET_INPUT = 64 * KIB;

let stdinLines: string[] | undefined;

function readStdinText(): string {
  const buf = readBoundedFile('/dev/stdin', MAX_SECRET_INPUT);
  try {
    return decodeUtf8(buf, 'standard input');
  } finally {
    buf.fill(0);
  }
}

/** Standard input, read once (bounded) and handed out a line per secret, in order. */
function nextStdinLine(what: string): string {
  if (stdinLines === undefined) {
    stdinLines = readStdinText().split(/\r?\n/);
    if (stdinLines.length > 0 && stdinLines[stdinLines.length - 1] === '') stdinLines.pop();
  }
  const line = stdinLines.shift();
  if (line === undefined) throw new UsageError(`standard input ended before the ${what} was read`);
  return line;
}

/**
 * All of standard input as one secret (a plate, one entry per line): nothing is left for a later
 * secret, which then finds standard input ended.
 * @throws {UsageError} when standard input was already read for another secret, or holds nothing.
 */
function wholeStdin(what: string): string {
  if (stdinLines !== undefined) throw new UsageError(`the ${what} needs all of standard input, and another secret already read from it`);
  const text = readStdinText();
  stdinLines = [];
  if (text.trim() === '') throw new UsageError(`standard input ended before the ${what} was read`);
  return text;
}

/**
 * Call once every secret of a command has been read: standard input must hold nothing more. A
 * mnemonic spread over several lines would otherwise be cut to its first line without a word —
 * a backup sheet for another seed.
 * @throws {UsageError} when lines of standard input were left unread.
 */
export function assertStdinConsumed(): void {
  if (stdinLines === undefined) return;
  const left = stdinLines.filter((l) => l.trim() !== '').length;
  stdinLines.length = 0;
  if (left > 0) {
    throw new UsageError(
      `standard input has ${left} more line${left === 1 ? '' : 's'} than the secrets asked for: nothing was done`,
      'with - each secret is one line, in the order the command asks (a whole mnemonic on one line)',
    );
  }
}

/** For tests: forget what was read from stdin. */
export function resetStdinForTests(): void {
  stdinLines = undefined;
}

function readSecretFile(file: string, what: string, flag: string, wholeInput: boolean): string {
  if (file === '-') return wholeInput ? wholeStdin(what) : nextStdinLine(what);
  const buf = readSecretFileBytes(file, flag, MAX_SECRET_INPUT);
  try {
    // Named by its option, never by its value (which may be the secret typed in place of a path).
    const text = decodeUtf8(buf, flag);
    // One trailing newline is the file's, not the secret's (as ethstaker-deposit-cli reads password files).
    return text.replace(/\r?\n$/, '');
  } finally {
    buf.fill(0);
  }
}

/** How long a line end waits for more pasted input before it ends a multi-line answer. */
const PASTE_SETTLE_MS = 150;

interface Tty {
  fd: number;
  input: tty.ReadStream;
}

function openTty(what: string, flagHint: string): Tty {
  let fd: number;
  try {
    fd = fs.openSync('/dev/tty', 'r+');
  } catch {
    throw new UsageError(`no terminal to read the ${what} from`, `use ${flagHint} FILE (or - for standard input)`);
  }
  if (!tty.isatty(fd)) {
    fs.closeSync(fd);
    throw new UsageError(`no terminal to read the ${what} from`, `use ${flagHint} FILE (or - for standard input)`);
  }
  return { fd, input: new tty.ReadStream(fd) };
}

function closeTty(t: Tty): void {
  try { t.input.setRawMode(false); } catch { /* closed */ }
  t.input.pause();
  t.input.destroy();
}

/** Write a prompt or message to the terminal (not stdout: stdout may be a pipe or --json). */
function ttyWrite(t: Tty, s: string): void {
  fs.writeSync(t.fd, s);
}

/**
 * For an answer typed over several lines (a plate, one entry per line): called at each line end
 * with everything typed so far, line ends kept as '\n'. `true` ends the answer; `false` reads
 * another line; a string is shown on the terminal, then another line is read.
 */
export type LineEndRule = (text: string) => boolean | string;

/**
 * Read one line from the terminal in raw mode. With `echo` false nothing typed is shown.
 * Ctrl-C aborts (exit 130 via Interrupted), Ctrl-D on an empty line ends input.
 * `multiline` true: a pasted answer is read whole (see below). A LineEndRule: the answer goes on
 * over as many lines as the rule asks for, each line end kept.
 */
function readTtyLine(t: Tty, prompt: string, echo: boolean, multiline: boolean | LineEndRule = false, maxLen = 4096): Promise<string> {
  return new Promise((resolve, reject) => {
    const chars: string[] = [];
    const rule = typeof multiline === 'function' ? multiline : undefined;
    // A terminal sends \r for Enter, a paste may send \r\n: one line end.
    let afterCr = false;
    // Multi-line answers (a mnemonic, a plate, dice rolls pasted over several lines): a line end
    // finishes the answer only when nothing more arrives within PASTE_SETTLE_MS; otherwise it is a
    // space. So a paste is read whole and none of it is left for the shell after coldstake exits.
    let settle: NodeJS.Timeout | undefined;
    // Raw mode (no kernel echo) before the prompt appears: whoever answers the prompt the moment it
    // shows must not see a password echoed by the terminal.
    t.input.setRawMode(true);
    t.input.setEncoding('utf8');
    // The prompt may name a file (a keystore's): every prompt is escaped here, for every caller.
    ttyWrite(t, printable(prompt));
    const finish = (err: Error | null): void => {
      clearTimeout(settle);
      t.input.off('data', onData);
      t.input.setRawMode(false);
      t.input.pause();
      if (chars[chars.length - 1] !== '\n') ttyWrite(t, '\n');
      const line = chars.join('');
      chars.fill('');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (data: string): void => {
      for (const ch of data) {
        if (rule && (ch === '\r' || ch === '\n')) {
          const second = ch === '\n' && afterCr;
          afterCr = ch === '\r';
          if (second) continue;
          chars.push('\n');
          ttyWrite(t, '\n');
          const verdict = rule(chars.join(''));
          if (verdict === true) return finish(null);
          if (typeof verdict === 'string') ttyWrite(t, `${printable(verdict)}\n`);
          continue;
        }
        afterCr = false;
        if (ch === '\r' || ch === '\n') {
          if (!multiline) return finish(null);
          if (settle === undefined && chars.length > 0 && chars[chars.length - 1] !== ' ') {
            chars.push(' ');
            if (echo) ttyWrite(t, ' ');
          }
          clearTimeout(settle);
          settle = setTimeout(() => finish(null), PASTE_SETTLE_MS);
          continue;
        }
        if (settle !== undefined) {
          // More input right after a line end: the paste goes on.
          clearTimeout(settle);
          settle = undefined;
        }
        if (ch === '\u0003') return finish(new Interrupted());
        if (ch === '\u0004') {
          if (chars.length === 0) return finish(new UsageError('input ended'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') {
          // A finished line stays as it is: the terminal cannot take the cursor back up to it.
          if (chars.length > 0 && chars[chars.length - 1] !== '\n') {
            chars.pop();
            if (echo) ttyWrite(t, '\b \b');
          }
          continue;
        }
        if (ch === '\u0015') { // Ctrl-U: clear the line (the current one, in a multi-line answer)
          const start = chars.lastIndexOf('\n') + 1;
          if (echo) ttyWrite(t, '\b \b'.repeat(chars.length - start));
          chars.length = start;
          continue;
        }
        if (ch < ' ') continue; // other control characters and escape sequences' lead byte
        if (chars.length >= maxLen) continue;
        chars.push(ch);
        // Echo what was typed, but never a character the terminal would act on (a pasted C1 CSI, a bidi override): one '?' column in its place.
        if (echo) ttyWrite(t, printable(ch) === ch ? ch : '?');
      }
    };
    t.input.on('data', onData);
    t.input.resume();
  });
}

/** Clears the screen and the terminal's scrollback and puts the cursor home: what was shown is gone. */
export const CLEAR_SCREEN = '\x1b[2J\x1b[3J\x1b[H';

/** readTtyLine, then (with `clear`) the screen and scrollback cleared, whether the read ended with Enter or Ctrl-C. */
async function readTtyLineCleared(t: Tty, prompt: string, echo: boolean, multiline: boolean | LineEndRule, clear: boolean): Promise<string> {
  try {
    return await readTtyLine(t, prompt, echo, multiline);
  } finally {
    if (clear) ttyWrite(t, CLEAR_SCREEN);
  }
}

/** The terminal, open for a dialogue of several prompts (see withTerminal). */
export interface TerminalSession {
  /**
   * Read an answer. `secret`: it is shown as typed, then cleared from the screen and the
   * scrollback once read (also on Ctrl-C, exit 130).
   */
  read(prompt: string, opts: { echo: boolean; multiline?: boolean; secret?: boolean }): Promise<string>;
  /** Show text on the terminal (never stdout). */
  write(text: string): void;
}

/**
 * Hold the terminal open for a dialogue (a mnemonic typed, diagnosed, a word retyped).
 * @throws {UsageError} (exit 2) when there is no terminal; `flag` names the file option to use instead.
 */
export async function withTerminal<T>(what: string, flag: string, fn: (term: TerminalSession) => Promise<T>): Promise<T> {
  assertDebuggerClosed(what);
  const t = openTty(what, flag);
  try {
    return await fn({
      read: (prompt, opts) => readTtyLineCleared(t, prompt, opts.echo, opts.multiline === true, opts.secret === true),
      // Diagnoses can quote what was typed: every line escaped, the line breaks kept.
      write: (text) => ttyWrite(t, text.split('\n').map(printable).join('\n')),
    });
  } finally {
    closeTty(t);
  }
}

export interface SecretRequest {
  /** What is asked for, in lower case: "mnemonic", "keystore password". */
  what: string;
  /** The file flag that supplies it non-interactively: "--mnemonic-file". */
  flag: string;
  /** The value of that flag, if given. */
  file?: string | undefined;
  /** Prompt shown on the terminal. */
  prompt: string;
  /** Show what is typed (mnemonics) or not (passwords). */
  echo: boolean;
  /** Ask twice on the terminal and require both to match. */
  confirm?: boolean;
  /** Accept an answer pasted over several lines (words joined by spaces): mnemonics. */
  multiline?: boolean;
  /**
   * On the terminal, an answer typed over several lines, line ends kept, for as long as this rule
   * says (a plate typed one entry per line). Takes the place of `multiline`.
   */
  lineEnd?: LineEndRule;
  /** With `-`: the whole of standard input is this secret, not just its next line. */
  wholeStdin?: boolean;
  /** Validate interactively; return an error message to ask again, or null to accept. */
  validate?: (value: string) => string | null;
}

/**
 * Read a secret from its file (or stdin) when given, else from the terminal.
 * @throws {UsageError} no terminal and no file, unreadable file, or invalid value from a file.
 */
export async function readSecret(req: SecretRequest): Promise<string> {
  assertDebuggerClosed(req.what);
  if (req.file !== undefined) {
    const value = readSecretFile(req.file, req.what, req.flag, req.wholeStdin === true);
    const problem = req.validate?.(value);
    if (problem) throw new UsageError(`${req.what} from ${req.file === '-' ? 'standard input' : req.flag}: ${problem}`);
    return value;
  }
  const t = openTty(req.what, req.flag);
  // A secret shown as it was typed (a mnemonic, a plate) is cleared from the screen and the
  // scrollback as soon as it is read, and on Ctrl-C.
  const read = (prompt: string): Promise<string> => readTtyLineCleared(t, prompt, req.echo, req.lineEnd ?? req.multiline === true, req.echo);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const value = await read(req.prompt);
      const problem = req.validate?.(value);
      if (problem) {
        ttyWrite(t, `coldstake: error: ${printable(problem)}\n`);
        continue;
      }
      if (req.confirm) {
        const again = await read(`repeat the ${req.what}: `);
        if (again !== value) {
          ttyWrite(t, `coldstake: error: the two entries differ, try again\n`);
          continue;
        }
      }
      return value;
    }
    throw new UsageError(`no valid ${req.what} after 5 attempts`);
  } finally {
    closeTty(t);
  }
}

/**
 * Ask a non-secret question on the terminal (e.g. "retype word 7"). Fails when there is no terminal.
 * @throws {UsageError}
 */
export async function askTerminal(prompt: string, opts: { echo?: boolean; flagHint?: string; multiline?: boolean } = {}): Promise<string> {
  const t = openTty('answer', opts.flagHint ?? 'a file option');
  try {
    return await readTtyLine(t, prompt, opts.echo ?? true, opts.multiline === true);
  } finally {
    closeTty(t);
  }
}

/**
 * Print text on the terminal itself (prompts, instructions), never on stdout. Written as it is
 * (callers send a clear-screen sequence through it): anything from an input in `text` must have
 * gone through `printable` (test/cli/print-sites.test.ts holds every call to this review).
 */
export function writeTerminal(text: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync('/dev/tty', 'w');
    fs.writeSync(fd, text);
  } catch {
    throw new UsageError('no terminal to write to');
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** True when a controlling terminal can be opened. */
export function hasTerminal(): boolean {
  try {
    const fd = fs.openSync('/dev/tty', 'r');
    const ok = tty.isatty(fd);
    fs.closeSync(fd);
    return ok;
  } catch {
    return false;
  }
}

/**
 * Refuse to print a secret to something that is not a terminal (PRODUCT.md safety rules).
 * @throws {SafetyRefusal} (exit 3)
 */
export function assertSecretOutputToTerminal(what: string, alternative = 'run it in a terminal'): void {
  if (!process.stdout.isTTY) {
    throw new SafetyRefusal(`refusing to print the ${what} to a non-terminal`, alternative);
  }
}
