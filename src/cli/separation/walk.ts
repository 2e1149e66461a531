/**
 * Walking a directory tree for `separation check`, safely on a hostile or odd tree.
 *
 * - lstat only: symbolic links are never followed, in or out of the tree. A link into the tree
 *   points at something the walk reaches anyway; a link out of it is reported (not followed), so
 *   the walk cannot leave the tree and cannot loop through links.
 * - Directories are remembered by (device, inode): a bind mount of a directory inside itself is
 *   entered once.
 * - Only regular files are read; devices, sockets and FIFOs are counted and skipped. Files are
 *   opened with O_NOFOLLOW|O_NONBLOCK and re-checked with fstat, so a file swapped for a FIFO or a
 *   link between the walk and the read is skipped, never blocked on.
 * - Unreadable directories and files become notes, never errors.
 */
import nodeFs from 'node:fs';
import path from 'node:path';

/** The fs calls the walker makes (injectable for tests, e.g. to simulate EACCES as root). */
export interface WalkFs {
  lstatSync(p: string): nodeFs.Stats;
  readdirSync(p: string): string[];
  realpathSync(p: string): string;
  openSync(p: string, flags: number): number;
  fstatSync(fd: number): nodeFs.Stats;
  readSync(fd: number, buf: Uint8Array, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
}

export const NODE_FS: WalkFs = {
  lstatSync: (p) => nodeFs.lstatSync(p),
  readdirSync: (p) => nodeFs.readdirSync(p),
  realpathSync: (p) => nodeFs.realpathSync(p),
  openSync: (p, flags) => nodeFs.openSync(p, flags),
  fstatSync: (fd) => nodeFs.fstatSync(fd),
  readSync: (fd, buf, offset, length, position) => nodeFs.readSync(fd, buf, offset, length, position),
  closeSync: (fd) => nodeFs.closeSync(fd),
};

export interface FileEntry {
  /** Absolute path used to open the file. */
  abs: string;
  /** Path shown to the user: the DIR argument joined with the path inside it. */
  display: string;
  size: number;
  mode: number;
}

export type WalkEvent =
  | { kind: 'unreadable'; display: string; reason: string }
  | { kind: 'special'; display: string }
  | { kind: 'symlink'; display: string; outside: boolean };

export interface WalkResult {
  files: FileEntry[];
  dirs: number;
  events: WalkEvent[];
}

export function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'vanished during the scan';
  if (code === 'ELOOP') return 'became a symbolic link during the scan';
  if (code === 'EIO') return 'i/o error';
  return code ? `cannot read (${code.toLowerCase()})` : 'cannot read';
}

function inside(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * List every regular file under `rootAbs` (a real, resolved directory path), depth first in
 * name order. `display` is how the root is shown to the user.
 */
export function walkTree(rootAbs: string, display: string, fs: WalkFs = NODE_FS): WalkResult {
  const files: FileEntry[] = [];
  const events: WalkEvent[] = [];
  const seen = new Set<string>();
  let dirs = 0;
  const stack: Array<{ abs: string; display: string }> = [{ abs: rootAbs, display }];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let st: nodeFs.Stats;
    let names: string[];
    try {
      st = fs.lstatSync(dir.abs);
      const key = `${st.dev}:${st.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      names = fs.readdirSync(dir.abs).sort();
    } catch (err) {
      events.push({ kind: 'unreadable', display: dir.display, reason: errnoReason(err) });
      continue;
    }
    dirs++;
    const subdirs: Array<{ abs: string; display: string }> = [];
    for (const name of names) {
      const abs = path.join(dir.abs, name);
      const shown = path.join(dir.display, name);
      let est: nodeFs.Stats;
      try {
        est = fs.lstatSync(abs);
      } catch (err) {
        events.push({ kind: 'unreadable', display: shown, reason: errnoReason(err) });
        continue;
      }
      if (est.isDirectory()) subdirs.push({ abs, display: shown });
      else if (est.isFile()) files.push({ abs, display: shown, size: est.size, mode: est.mode });
      else if (est.isSymbolicLink()) {
        let outside = true;
        try {
          outside = !inside(rootAbs, fs.realpathSync(abs));
        } catch {
          outside = false; // dangling or looping link: nothing to scan either way
        }
        events.push({ kind: 'symlink', display: shown, outside });
      } else events.push({ kind: 'special', display: shown });
    }
    // Depth first, in name order.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i]!);
  }
  return { files, dirs, events };
}

const O_NOFOLLOW = nodeFs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = nodeFs.constants.O_NONBLOCK ?? 0;

export type ReadOutcome =
  | { kind: 'ok'; bytes: number }
  | { kind: 'binary'; bytes: number }
  | { kind: 'unreadable'; bytes: number; reason: string }
  | { kind: 'special'; bytes: number }
  | { kind: 'too_large'; bytes: number };

/** Bytes looked at to decide whether a file is text. */
export const SNIFF_BYTES = 8192;

/**
 * Binary when the first bytes contain a NUL, more than 10% are control characters, or more than
 * 10% of the decoded characters are replacement characters (invalid UTF-8). Latin-1 text with a few accents is still text.
 */
export function looksBinary(sample: Uint8Array): boolean {
  if (sample.includes(0)) return true;
  if (sample.length === 0) return false;
  // Control characters other than tab, line feed, form feed and carriage return (and ESC, for
  // coloured logs) are rare in text.
  let ctl = 0;
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) ctl++;
  }
  if (ctl > sample.length / 10) return true;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample, { stream: true });
  let bad = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0xfffd) bad++;
  return bad > text.length / 10;
}

const RTF_MAGIC = Buffer.from('{\\rtf');

/**
 * RTF is 7-bit text by its specification, but RichEdit-based writers may end the file with a NUL
 * after the closing brace: a file that starts with `{\rtf` is read as text whatever follows.
 */
function isRtf(b: Uint8Array): boolean {
  return b.length >= RTF_MAGIC.length && RTF_MAGIC.every((c, i) => b[i] === c);
}

function utf16Bom(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  return undefined;
}

/**
 * Read a regular file in chunks, deciding text/binary on the first chunk; text chunks are
 * decoded as a UTF-8 stream (a character split across chunks is kept whole) and passed to
 * `onText`. Reads at most `maxBytes` (+1 to notice growth).
 */
export function readTextFile(
  file: FileEntry,
  buf: Buffer,
  maxBytes: number,
  onText: (text: string) => void,
  fs: WalkFs = NODE_FS,
): ReadOutcome {
  let fd: number;
  try {
    fd = fs.openSync(file.abs, nodeFs.constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { kind: 'special', bytes: 0 };
    return { kind: 'unreadable', bytes: 0, reason: errnoReason(err) };
  }
  let bytes = 0;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { kind: 'special', bytes: 0 };
    if (st.size > maxBytes) return { kind: 'too_large', bytes: 0 };
    let decoder = new TextDecoder('utf-8', { fatal: false });
    let first = true;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      bytes += n;
      if (bytes > maxBytes) return { kind: 'too_large', bytes };
      const chunk = buf.subarray(0, n);
      if (first) {
        first = false;
        // Notes saved as UTF-16 (with a byte-order mark) are text too.
        const bom = utf16Bom(chunk);
        if (bom) decoder = new TextDecoder(bom, { fatal: false });
        else if (!isRtf(chunk) && looksBinary(chunk.subarray(0, SNIFF_BYTES))) return { kind: 'binary', bytes };
      }
      onText(decoder.decode(chunk, { stream: true }));
    }
    const tail = decoder.decode();
    if (tail) onText(tail);
    return { kind: 'ok', bytes };
  } catch (err) {
    return { kind: 'unreadable', bytes, reason: errnoReason(err) };
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // closing a read-only descriptor cannot lose data
    }
  }
}
