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

const CHUNK_BYTES = 4 * 1024 * 1024;
/** A line longer than this is cut into pieces (a value across the cut may be missed). */
const MAX_CARRY_BYTES = 16 * 1024 * 1024;

export interface LogChunk {
  /** Whole lines (the last one may lack its newline at the end of input), latin1-decoded. */
  text: string;
  bytes: number;
  /** The chunk holds a NUL byte. */
  nul: boolean;
}

/** Read a file (or `-`, standard input) in chunks that end at a line break. */
export async function* readLogChunks(file: string): AsyncGenerator<LogChunk> {
  let stream: AsyncIterable<Buffer>;
  if (file === '-') stream = process.stdin as AsyncIterable<Buffer>;
  else {
    const rs = fs.createReadStream(file, { highWaterMark: CHUNK_BYTES });
    stream = rs as AsyncIterable<Buffer>;
  }
  let carry: Buffer | undefined;
  try {
    for await (const piece of stream) {
      const buf = carry ? Buffer.concat([carry, piece]) : piece;
      const cut = buf.lastIndexOf(10);
      if (cut < 0 && buf.length < MAX_CARRY_BYTES) {
        carry = buf;
        continue;
      }
      const end = cut < 0 ? buf.length : cut + 1;
      const whole = buf.subarray(0, end);
      carry = end < buf.length ? Buffer.from(buf.subarray(end)) : undefined;
      yield { text: whole.toString('latin1'), bytes: whole.length, nul: whole.indexOf(0) >= 0 };
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException)?.code;
    throw new InputError(code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'cannot read', { file: file === '-' ? 'standard input' : file });
  }
  if (carry && carry.length > 0) yield { text: carry.toString('latin1'), bytes: carry.length, nul: carry.indexOf(0) >= 0 };
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
