/**
 * Secret input: the terminal (/dev/tty, passwords without echo) or a file given with
 * --mnemonic-file / --password-file (`-` = standard input). Never argv, never the environment.
 *
 * JavaScript strings cannot be wiped; coldstake keeps secrets in as few strings as possible,
 * zeroes the byte buffers it owns, and never logs them (README "What JavaScript cannot guarantee").
 */
import fs from 'node:fs';
import tty from 'node:tty';
import { SafetyRefusal, UsageError } from '../../core/errors.js';
import { decodeUtf8, KIB, readBoundedFile, readSecretFileBytes } from './read-input.js';

/** Largest secret file or stdin accepted: a mnemonic plus passwords fit many times over. */
export const MAX_SECRET_INPUT = 64 * KIB;

let stdinLines: string[] | undefined;

/** Standard input, read once (bounded) and handed out a line per secret, in order. */
function nextStdinLine(what: string): string {
  if (stdinLines === undefined) {
    const buf = readBoundedFile('/dev/stdin', MAX_SECRET_INPUT);
    const text = decodeUtf8(buf, 'standard input');
    buf.fill(0);
    stdinLines = text.split(/\r?\n/);
    if (stdinLines.length > 0 && stdinLines[stdinLines.length - 1] === '') stdinLines.pop();
  }
  const line = stdinLines.shift();
  if (line === undefined) throw new UsageError(`standard input ended before the ${what} was read`);
  return line;
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

function readSecretFile(file: string, what: string, flag: string): string {
  if (file === '-') return nextStdinLine(what);
  const buf = readSecretFileBytes(file, flag, MAX_SECRET_INPUT);
  try {
    const text = decodeUtf8(buf, file);
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
 * Read one line from the terminal in raw mode. With `echo` false nothing typed is shown.
 * Ctrl-C aborts (exit 3 via SafetyRefusal), Ctrl-D on an empty line ends input.
 */
function readTtyLine(t: Tty, prompt: string, echo: boolean, multiline = false, maxLen = 4096): Promise<string> {
  return new Promise((resolve, reject) => {
    const chars: string[] = [];
    // Multi-line answers (a mnemonic, a plate, dice rolls pasted over several lines): a line end
    // finishes the answer only when nothing more arrives within PASTE_SETTLE_MS; otherwise it is a
    // space. So a paste is read whole and none of it is left for the shell after coldstake exits.
    let settle: NodeJS.Timeout | undefined;
    // Raw mode (no kernel echo) before the prompt appears: whoever answers the prompt the moment it
    // shows must not see a password echoed by the terminal.
    t.input.setRawMode(true);
    t.input.setEncoding('utf8');
    ttyWrite(t, prompt);
    const finish = (err: Error | null): void => {
      clearTimeout(settle);
      t.input.off('data', onData);
      t.input.setRawMode(false);
      t.input.pause();
      ttyWrite(t, '\n');
      const line = chars.join('');
      chars.fill('');
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (data: string): void => {
      for (const ch of data) {
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
        if (ch === '\u0003') return finish(new SafetyRefusal('interrupted'));
        if (ch === '\u0004') {
          if (chars.length === 0) return finish(new UsageError('input ended'));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') {
          if (chars.length > 0) {
            chars.pop();
            if (echo) ttyWrite(t, '\b \b');
          }
          continue;
        }
        if (ch === '\u0015') { // Ctrl-U: clear the line
          if (echo) ttyWrite(t, '\b \b'.repeat(chars.length));
          chars.length = 0;
          continue;
        }
        if (ch < ' ') continue; // other control characters and escape sequences' lead byte
        if (chars.length >= maxLen) continue;
        chars.push(ch);
        if (echo) ttyWrite(t, ch);
      }
    };
    t.input.on('data', onData);
    t.input.resume();
  });
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
  /** Accept an answer pasted over several lines (words joined by spaces): mnemonics, plates. */
  multiline?: boolean;
  /** Validate interactively; return an error message to ask again, or null to accept. */
  validate?: (value: string) => string | null;
}

/**
 * Read a secret from its file (or stdin) when given, else from the terminal.
 * @throws {UsageError} no terminal and no file, unreadable file, or invalid value from a file.
 */
export async function readSecret(req: SecretRequest): Promise<string> {
  if (req.file !== undefined) {
    const value = readSecretFile(req.file, req.what, req.flag);
    const problem = req.validate?.(value);
    if (problem) throw new UsageError(`${req.what} from ${req.file === '-' ? 'standard input' : req.file}: ${problem}`);
    return value;
  }
  const t = openTty(req.what, req.flag);
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const value = await readTtyLine(t, req.prompt, req.echo, req.multiline === true);
      const problem = req.validate?.(value);
      if (problem) {
        ttyWrite(t, `coldstake: error: ${problem}\n`);
        continue;
      }
      if (req.confirm) {
        const again = await readTtyLine(t, `repeat the ${req.what}: `, req.echo, req.multiline === true);
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

/** Print text on the terminal itself (prompts, instructions), never on stdout. */
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
