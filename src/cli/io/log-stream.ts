/**
 * Streaming text in and out for `redact`: inputs read in chunks of whole lines as "binary" strings
 * (one char per byte, so invalid UTF-8 survives byte for byte), output streamed to standard output
 * or to a new file that appears under its name only when complete.
 */
import fs from 'node:fs';
import { once } from 'node:events';
import { InputError } from '../../core/errors.js';
import { inputErrnoReason } from './read-input.js';
import { openExclusive, type ExclusiveWriter } from './safe-write.js';

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
    throw new InputError(inputErrnoReason(code, 'cannot read'), { file });
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

/** Output: standard output, or a new file written through `openExclusive` (linked into place on commit). */
export class StreamOut {
  private readonly file: ExclusiveWriter | undefined;
  constructor(out?: string) {
    // Not secret and possibly large: no O_SYNC; the file appears only when complete.
    this.file = out === undefined ? undefined : openExclusive(out, { sync: false });
  }

  async write(text: string): Promise<void> {
    if (text.length === 0) return;
    const buf = Buffer.from(text, 'latin1');
    if (this.file) this.file.write(buf);
    else if (!process.stdout.write(buf)) await once(process.stdout, 'drain');
  }

  commit(): void {
    this.file?.commit();
  }

  abort(): void {
    this.file?.abort();
  }
}
