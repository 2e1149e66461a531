/**
 * Reading input files safely: every file is size-bounded before it is read, and every
 * failure becomes one `InputError` naming the file (exit 2).
 */
import fs from 'node:fs';
import { InputError } from '../../core/errors.js';
import { assertDebuggerClosed } from '../../guard/debugger.js';
import { formatPath, JsonStreamError, JsonStreamParser } from '../../core/json-stream.js';

/** Why an input file could not be opened or looked at, from its errno code (never the path). */
export function inputErrnoReason(code: string | undefined, fallback: string): string {
  return code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' ? 'permission denied'
    : code === 'EISDIR' ? 'is a directory'
    : code === 'ENAMETOOLONG' ? 'file name too long'
    : code === 'ENOTDIR' ? 'a component of the path is not a directory'
    : code === 'ELOOP' ? 'too many levels of symbolic links'
    : fallback;
}

export const KIB = 1024;
export const MIB = 1024 * 1024;

/**
 * Read a regular file of at most `maxBytes`.
 * @throws {InputError} when missing, unreadable, not a regular file, or too large.
 */
export function readBoundedFile(file: string, maxBytes: number): Buffer {
  // A named FIFO (mkfifo) blocks open() until a writer comes, and a blocked main thread cannot even
  // run the Ctrl-C handler: refuse it before opening. Pipes the shell hands over (`-`, `<(…)` as
  // /dev/fd/N) have their writer already and are read, bounded, below.
  if (!/^\/(dev\/(stdin|fd\/\d+)|proc\/self\/fd\/\d+)$/.test(file)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(file);
    } catch {
      /* reported by open below */
    }
    if (st?.isFIFO() || st?.isSocket()) throw new InputError(`is a ${st.isFIFO() ? 'fifo' : 'socket'}, not a regular file`, { file });
  }
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A socket on fd 0 (what Node's spawn gives a child for a piped stdin) cannot be reopened
    // through /dev/stdin (ENXIO): read the descriptor itself.
    if (file === '/dev/stdin' && code === 'ENXIO') return readBoundedFd(0, file, maxBytes, false);
    throw new InputError(inputErrnoReason(code, 'cannot open'), { file });
  }
  return readBoundedFd(fd, file, maxBytes, true);
}

/**
 * Read the file named by a secret's option (`--mnemonic-file`, `--password-file`, `--plate-file`).
 * No error repeats the value: a user who typed the secret itself in place of a path must not see it
 * printed again, into a terminal log or a screen recording. Every failure (missing, name too long,
 * a component not a directory, a symlink loop, a directory, a fifo, too large, unreadable) names
 * the option only.
 * @throws {InputError} as `readBoundedFile`, named by its option.
 */
export function readSecretFileBytes(file: string, flag: string, maxBytes: number): Buffer {
  assertDebuggerClosed(`secret in ${flag}`);
  try {
    return readBoundedFile(file, maxBytes);
  } catch (err) {
    const prefix = `${file}: `;
    const why = err instanceof InputError && err.message.startsWith(prefix) ? err.message.slice(prefix.length) : 'cannot read';
    throw new InputError(`${flag}: ${why} (the value is not repeated here, in case it is the secret itself)`, {
      hint: `check the path you gave ${flag}; if you typed the secret there, clear that line from your shell history`,
    });
  }
}

/** Read at most `maxBytes` from an open descriptor; closes it when `close`. */
function readBoundedFd(fd: number, file: string, maxBytes: number, close: boolean): Buffer {
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new InputError('is a directory', { file });
    if (st.isFile() && st.size > maxBytes) {
      throw new InputError(`file is ${st.size} bytes, more than the ${maxBytes}-byte limit`, { file });
    }
    // Read to EOF, never past maxBytes + 1: st_size is only a hint (a /proc file says 0, a file
    // may grow while read), and pipes and devices have none.
    const parts: Buffer[] = [];
    let len = 0;
    let chunk = Buffer.alloc(Math.min(maxBytes + 1, Math.max(st.isFile() ? st.size + 1 : 0, 64 * KIB)));
    for (;;) {
      const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, maxBytes + 1 - len), null);
      if (n === 0) break;
      parts.push(chunk.subarray(0, n));
      len += n;
      if (len > maxBytes) throw new InputError(`input is more than the ${maxBytes}-byte limit`, { file });
      if (n === chunk.length) chunk = Buffer.alloc(Math.min(maxBytes + 1 - len, Math.max(64 * KIB, chunk.length)));
      else chunk = chunk.subarray(n);
      if (chunk.length === 0) chunk = Buffer.alloc(1);
    }
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, len);
    return buf;
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError('cannot read', { file });
  } finally {
    if (close) fs.closeSync(fd);
  }
}

/**
 * Decode UTF-8 strictly.
 * @throws {InputError} on invalid UTF-8.
 */
export function decodeUtf8(buf: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(buf);
  } catch {
    const at = firstInvalidUtf8(buf);
    throw new InputError(`not valid UTF-8 text (line ${at.line}, byte ${at.offset} of the file)`, { file });
  }
}

/** Where UTF-8 decoding first fails: 1-based line, 0-based byte offset (positions only, never content). */
function firstInvalidUtf8(buf: Uint8Array): { line: number; offset: number } {
  let line = 1;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (b === 0x0a) line++;
    const n = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (n === 0 || i + n > buf.length) return { line, offset: i };
    // Continuation bytes, with the limits that exclude overlong forms, surrogates and > U+10FFFF.
    const lo = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (n > 1 && (buf[i + 1]! < lo || buf[i + 1]! > hi)) return { line, offset: i };
    for (let k = 2; k < n; k++) if (buf[i + k]! < 0x80 || buf[i + k]! > 0xbf) return { line, offset: i };
    i += n;
  }
  return { line, offset: i };
}

/**
 * Read and parse a JSON file with a size bound. Never echoes file content in errors
 * (a JSON error from V8 quotes the input, which may be a secret).
 * @throws {InputError}
 */
export function readJsonFile(file: string, maxBytes: number): unknown {
  const text = decodeUtf8(readBoundedFile(file, maxBytes), file);
  return parseJsonText(text, file);
}

/**
 * Parse JSON text strictly (RFC 8259; a key twice in one object is refused: readers disagree on
 * which value counts, and Lighthouse's serde refuses it); errors say where (line and column), never what.
 */
export function parseJsonText(text: string, file: string): unknown {
  const parser = new JsonStreamParser({ limits: { maxBytes: Number.MAX_SAFE_INTEGER, maxDepth: 64, maxStringBytes: 1024 * 1024, maxNumberChars: 1024, maxRetainedBytes: Number.MAX_SAFE_INTEGER } });
  try {
    parser.write(Buffer.from(text, 'utf8'));
    return parser.end();
  } catch (err) {
    if (!(err instanceof JsonStreamError)) throw err;
    if (/duplicate key/.test(err.message)) {
      throw new InputError(`a key appears twice in one object (line ${err.line}, column ${err.column}): readers disagree on which value counts`, { file, field: formatPath(err.path) });
    }
    throw new InputError(`not valid JSON at line ${err.line} column ${err.column}`, { file });
  }
}
