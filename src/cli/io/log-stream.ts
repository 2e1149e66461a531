/**
 * Streaming text in and out for `redact`: inputs read in chunks of whole lines as "binary" strings
 * (one char per byte, so invalid UTF-8 survives byte for byte), output streamed to standard output
 * or to a new file that appears under its name only when complete.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { InputError, SafetyRefusal, UsageError } from '../../core/errors.js';

const CHUNK_BYTES = 1024 * 1024;
/** A line longer than this is cut into pieces (a value across the cut may be missed). */
const MAX_CARRY_BYTES = CHUNK_BYTES;

export interface LogChunk {
  /** Whole lines (the last one may lack its newline at the end of input), latin1-decoded on first use. */
  readonly text: string;
  bytes: number;
  /** The chunk holds a NUL byte. */
  nul: boolean;
  /** The bytes (valid only until the next chunk is read). */
  raw: Buffer;
}

function chunkOf(raw: Buffer): LogChunk {
  let text: string | undefined;
  return {
    raw,
    bytes: raw.length,
    nul: raw.indexOf(0) >= 0,
    get text() {
      return (text ??= raw.toString('latin1'));
    },
  };
}

/** Read a file (or `-`, standard input) in chunks that end at a line break. */
export async function* readLogChunks(file: string): AsyncGenerator<LogChunk> {
  if (file !== '-') {
    yield* readFileChunks(file);
    return;
  }
  let carry: Buffer | undefined;
  try {
    for await (const piece of process.stdin as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, piece]) : piece;
      const cut = buf.lastIndexOf(10);
      if (cut < 0 && buf.length < MAX_CARRY_BYTES) {
        carry = buf;
        continue;
      }
      const end = cut < 0 ? buf.length : cut + 1;
      const whole = buf.subarray(0, end);
      carry = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
      yield chunkOf(whole);
    }
  } catch {
    throw new InputError('cannot read', { file: 'standard input' });
  }
  if (carry && carry.length > 0) yield chunkOf(carry);
}

/**
 * A regular file read into one reused buffer: the partial last line moves to the front, so no
 * chunk is copied (a line longer than the buffer is cut).
 */
function* readFileChunks(file: string): Generator<LogChunk> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'cannot read', { file });
  }
  const buf = Buffer.allocUnsafe(CHUNK_BYTES);
  let have = 0;
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, have, buf.length - have, null);
      } catch {
        throw new InputError('cannot read', { file });
      }
      if (n === 0) {
        if (have > 0) {
          const whole = buf.subarray(0, have);
          yield chunkOf(whole);
        }
        return;
      }
      have += n;
      const cut = buf.lastIndexOf(10, have - 1);
      const end = cut < 0 ? have : cut + 1;
      if (cut < 0 && have < buf.length) continue;
      const whole = buf.subarray(0, end);
      yield chunkOf(whole);
      buf.copy(buf, 0, end, have);
      have -= end;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Output: standard output, or a temp file linked to `out` (never overwriting) on commit. */
export class StreamOut {
  private readonly fd: number | undefined;
  private readonly temp: string | undefined;
  constructor(private readonly out?: string) {
    if (out === undefined) return;
    const dir = path.dirname(path.resolve(out));
    this.temp = path.join(dir, `.${path.basename(out)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      this.fd = fs.openSync(this.temp, 'wx', 0o600);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot create ${out}: ${code === 'ENOENT' ? 'directory does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : 'write failed'}`);
    }
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const buf = Buffer.from(text, 'latin1');
    if (this.fd === undefined) {
      if (!process.stdout.write(buf)) await once(process.stdout, 'drain');
      return;
    }
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off);
  }

  /** Sync the temp file and link it into place; refuses if `out` appeared meanwhile. */
  async commit(): Promise<void> {
    if (this.fd === undefined || this.temp === undefined || this.out === undefined) return;
    try {
      fs.fsyncSync(this.fd);
    } catch (err) {
      // Node 20's permission model denies fsync; the file is complete either way, and only a
      // complete file is linked into place.
      if ((err as NodeJS.ErrnoException)?.code !== 'ERR_ACCESS_DENIED') throw err;
    }
    fs.closeSync(this.fd);
    try {
      fs.linkSync(this.temp, this.out);
    } catch (err) {
      this.removeTemp();
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new SafetyRefusal(`${this.out} exists: coldstake never overwrites a file`);
      throw new UsageError(`cannot create ${this.out}`);
    }
    this.removeTemp();
  }

  abort(): void {
    if (this.fd !== undefined) {
      try {
        fs.closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    this.removeTemp();
  }

  private removeTemp(): void {
    if (this.temp) fs.rmSync(this.temp, { force: true });
  }
}
