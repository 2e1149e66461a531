/**
 * The one way coldstake writes a file: exclusively (never overwrite), with an explicit mode,
 * through a temp file in the same directory that is fsynced and then linked into place, so a
 * crash or `kill -9` leaves either the complete file or nothing under the final name.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SafetyRefusal, UsageError } from '../../core/errors.js';

/** Temp files being written right now; removed on SIGINT/SIGTERM by `removePendingTempFiles`. */
const pending = new Set<string>();

export interface WriteOptions {
  /** File mode; 0o600 for anything secret (the default). */
  mode?: number;
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some filesystems (and Windows) cannot fsync a directory; the file itself is synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** fsync, except where the permission model denies it (Node 20); the file was opened O_SYNC then. */
function fsyncUnlessDenied(fd: number): void {
  try {
    fs.fsyncSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code !== 'ERR_ACCESS_DENIED') throw err;
  }
}

function describe(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOSPC': return 'no space left on device';
    case 'EDQUOT': return 'disk quota exceeded';
    case 'EROFS': return 'read-only file system';
    case 'EACCES':
    case 'EPERM': return 'permission denied';
    case 'ENOENT': return 'directory does not exist';
    case 'ENOTDIR': return 'not a directory';
    default: return code ? code.toLowerCase() : 'write failed';
  }
}

/** The user this process writes as (files it creates belong to it). */
function euid(): number {
  return typeof process.geteuid === 'function' ? process.geteuid() : -1;
}

function octal(mode: number): string {
  return `0${(mode & 0o7777).toString(8).padStart(3, '0')}`;
}

/** The prefixes of an absolute path, from the root down to the path itself. */
function prefixes(abs: string): string[] {
  const out: string[] = [];
  let p = abs;
  for (;;) {
    out.unshift(p);
    const up = path.dirname(p);
    if (up === p) return out;
    p = up;
  }
}

/**
 * Why another user could change what is in `dir`, or null. `private` true: `dir` itself must be
 * the user's own and writable by nobody else (an output directory); false: `dir` may be shared if
 * it is sticky, as /tmp is (the directory a file is written into).
 *
 * As a careful tool checks a path (OpenSSH's safe_path, sudo): every directory on the way, the
 * real one behind each symlink included, must belong to this user or root and be writable by no
 * one else unless sticky (else another user could rename a directory and put their own in its
 * place); every symlink on the way must belong to this user or root (else its owner could point it
 * elsewhere). Returns the first problem with the path it concerns.
 */
function whyUnsafe(dir: string, privateDir: boolean): { at: string; why: string; fix: string } | null {
  const me = euid();
  if (me < 0) return null; // no user ids (Windows): nothing to compare
  const abs = path.resolve(dir);
  const ownerOk = (uid: number) => uid === me || uid === 0;
  const check = (p: string, st: fs.Stats, last: boolean): { at: string; why: string; fix: string } | null => {
    if (last && privateDir) {
      if (st.uid !== me) return { at: p, why: `it is owned by another user (uid ${st.uid})`, fix: 'choose a new directory (coldstake creates it, mode 0700) or one you own' };
      if ((st.mode & 0o022) !== 0) return { at: p, why: `it is writable by other users (mode ${octal(st.mode)})`, fix: `make it yours alone (chmod 700 on it) or choose a new directory` };
      return null;
    }
    if (!ownerOk(st.uid)) return { at: p, why: `it is owned by another user (uid ${st.uid}), who could replace what is inside`, fix: 'choose a place under directories that only you or root own' };
    if ((st.mode & 0o022) !== 0 && (st.mode & 0o1000) === 0) {
      return { at: p, why: `it is writable by other users (mode ${octal(st.mode)}) and not sticky, so they could replace what is inside`, fix: 'choose a place under directories that only you or root can write to' };
    }
    return null;
  };
  // The path as given: symlinks on the way.
  const given = prefixes(abs);
  for (const p of given) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      return null; // missing: reported by the caller
    }
    if (st.isSymbolicLink() && !ownerOk(st.uid)) {
      return { at: p, why: `it is a symlink owned by another user (uid ${st.uid}), who could point it elsewhere`, fix: 'give the real directory, not a link someone else owns' };
    }
  }
  // The real directories behind it.
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch {
    return null;
  }
  const chain = prefixes(real);
  for (let i = 0; i < chain.length; i++) {
    let st: fs.Stats;
    try {
      st = fs.statSync(chain[i]!);
    } catch {
      return null;
    }
    const problem = check(chain[i]!, st, i === chain.length - 1);
    if (problem) return problem;
  }
  return null;
}

/**
 * Refuse (exit 3) an output directory another user could change: see `whyUnsafe`.
 * @throws {SafetyRefusal}
 */
function refuseUnsafeDir(dir: string, label: string, privateDir: boolean): void {
  const problem = whyUnsafe(dir, privateDir);
  if (!problem) return;
  const where = path.resolve(problem.at) === path.resolve(dir) ? '' : ` (on the way: ${problem.at})`;
  throw new SafetyRefusal(
    `refusing to write into ${label}${dir}${where}: ${problem.why}; another user could then swap the files written there (a deposit file paying them)`,
    problem.fix,
  );
}

/**
 * Write `data` to `file`, refusing if it exists.
 * @throws {SafetyRefusal} (exit 3) when `file` already exists.
 * @throws {UsageError} (exit 2) when the directory is missing, read-only, full or not writable;
 *   nothing is left behind in that case.
 */
export function writeFileExclusive(file: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  const w = openExclusive(file, opts);
  w.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  w.commit();
}

/** A file being written by `openExclusive`: nothing is under its name until `commit`. */
export interface ExclusiveWriter {
  write(buf: Uint8Array): void;
  /** Sync, then link the complete file into place (never over an existing one). */
  commit(): void;
  /** Remove the temp file; nothing is left behind. */
  abort(): void;
}

/**
 * Open `file` for writing the way `writeFileExclusive` writes it (refusing if it exists, through
 * a hidden temp file removed on Ctrl-C, linked into place only when complete), for output written
 * in pieces. `sync: false` leaves out O_SYNC for large output that is not secret (a redacted log).
 * @throws {SafetyRefusal} (exit 3) when `file` exists or its directory is unsafe.
 * @throws {UsageError} (exit 2) when the directory is missing, read-only, full or not writable;
 *   nothing is left behind in that case.
 */
export function openExclusive(file: string, opts: WriteOptions & { sync?: boolean } = {}): ExclusiveWriter {
  const mode = opts.mode ?? 0o600;
  const dir = path.dirname(file);
  refuseUnsafeDir(dir, '', false);
  if (fs.existsSync(file)) {
    throw new SafetyRefusal(`${file} already exists: refusing to overwrite it`, 'choose a new file name or move the old file away');
  }
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  const cleanup = (): void => {
    if (fd !== undefined) {
      try { fs.closeSync(fd); } catch { /* already failing */ }
      fd = undefined;
    }
    try { fs.unlinkSync(tmp); } catch { /* not created */ }
    pending.delete(tmp);
  };
  const fail = (err: unknown): never => {
    cleanup();
    if (err instanceof SafetyRefusal) throw err;
    throw new UsageError(`cannot write ${file}: ${describe(err)}`);
  };
  pending.add(tmp);
  try {
    // O_SYNC: every write reaches the disk before it returns, because Node 20's permission model
    // (the launcher's --experimental-permission) denies fsync and fchmod on a descriptor.
    const sync = opts.sync === false ? 0 : (fs.constants.O_SYNC ?? 0);
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | sync, mode);
    fs.chmodSync(tmp, mode); // the umask must not widen or narrow what we asked for (by path: see above)
  } catch (err) {
    fail(err);
  }
  return {
    write(buf) {
      try {
        let off = 0;
        while (off < buf.length) off += fs.writeSync(fd!, buf, off, buf.length - off);
      } catch (err) {
        fail(err);
      }
    },
    commit() {
      try {
        fsyncUnlessDenied(fd!);
        fs.closeSync(fd!);
        fd = undefined;
        linkIntoPlace(tmp, file);
        fsyncDir(dir);
      } catch (err) {
        fail(err);
      } finally {
        pending.delete(tmp);
      }
    },
    abort: cleanup,
  };
}

/** link() refuses an existing target atomically; rename() would overwrite. */
function linkIntoPlace(tmp: string, file: string): void {
  try {
    fs.linkSync(tmp, file);
    fs.unlinkSync(tmp);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      fs.unlinkSync(tmp);
      throw new SafetyRefusal(`${file} already exists: refusing to overwrite it`);
    }
    // Filesystems without hard links (FAT on USB sticks): check, then rename.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') {
      if (fs.existsSync(file)) {
        fs.unlinkSync(tmp);
        throw new SafetyRefusal(`${file} already exists: refusing to overwrite it`);
      }
      fs.renameSync(tmp, file);
      return;
    }
    throw err;
  }
}

/**
 * Make sure `dir` is a new or empty directory we can write into, creating it (one level, 0700).
 * `label` prefixes the path in messages (e.g. "--out ").
 * @throws {SafetyRefusal} when it exists and is not empty, or another user could change it (it or
 *   a directory on the way is theirs, or writable by them, or it is reached through their symlink).
 * @throws {UsageError} when it is not a directory or cannot be created.
 */
export function prepareOutputDir(dir: string, label = ''): void {
  if (assertOutputDirUsable(dir, label)) return;
  // One level only: a typo should not grow a directory tree (and Node's recursive mkdir can
  // spin forever under /proc).
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot create ${label}${dir}: ${code === 'ENOENT' ? 'its parent directory does not exist' : code === 'EEXIST' ? 'it appeared meanwhile' : describe(err)}`);
  }
}

/**
 * What `prepareOutputDir` would find, without creating anything: for a command to refuse before it
 * asks for any secret. Returns whether `dir` exists (then it is an empty, writable directory).
 * @throws {SafetyRefusal} when `dir` has entries; {UsageError} when it is not a directory, or it (or,
 *   when it does not exist, its parent) cannot be written.
 */
export function assertOutputDirUsable(dir: string, label = ''): boolean {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot use ${label}${dir}: ${describe(err)}`);
    const parent = path.dirname(path.resolve(dir));
    let parentStat: fs.Stats;
    try {
      parentStat = fs.statSync(parent);
    } catch {
      throw new UsageError(`cannot create ${label}${dir}: its parent directory does not exist`);
    }
    if (!parentStat.isDirectory()) throw new UsageError(`cannot create ${label}${dir}: its parent is not a directory`);
    refuseUnsafeDir(parent, `the parent of ${label}`, false);
    try {
      fs.accessSync(parent, fs.constants.W_OK);
    } catch (e) {
      throw new UsageError(`cannot create ${label}${dir}: ${describe(e)}`);
    }
    return false;
  }
  if (!st.isDirectory()) throw new UsageError(`${label}${dir} is not a directory`);
  refuseUnsafeDir(dir, label, true);
  refuseNonEmptyDir(dir, label);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw new UsageError(`cannot write to ${label}${dir}: ${describe(err)}`);
  }
  return true;
}

/**
 * Refuse (exit 3) when `dir` has entries, saying what is there and whether it looks like an
 * interrupted run. `label` prefixes the path in the message (e.g. "--out ").
 * @throws {SafetyRefusal}
 */
export function refuseNonEmptyDir(dir: string, label = ''): void {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return;
  const found = describeExisting(entries);
  const interrupted = found.temp > 0 || (found.keystores > 0 && found.deposit === 0);
  throw new SafetyRefusal(
    `${label}${dir} is not empty (${found.text}): refusing to write next to existing files`,
    interrupted
      ? 'an earlier run looks interrupted: its complete files are intact, but keystores without their deposit data are not a finished set; move them away and choose a new or empty directory'
      : 'choose a new or empty directory',
  );
}

/** Temp files this writer creates: `.NAME.RANDOM.tmp`. */
export const TEMP_FILE_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** What an output directory already holds, in words ("2 keystores, 1 deposit data file, 1 unfinished temporary file"). */
function describeExisting(entries: readonly string[]): { text: string; keystores: number; deposit: number; temp: number } {
  let keystores = 0;
  let deposit = 0;
  let temp = 0;
  let other = 0;
  for (const e of entries) {
    if (TEMP_FILE_RE.test(e)) temp++;
    else if (/^keystore-.*\.json$/.test(e)) keystores++;
    else if (/^deposit_data-.*\.json$/.test(e)) deposit++;
    else other++;
  }
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const parts = [
    keystores > 0 ? n(keystores, 'keystore', 'keystores') : '',
    deposit > 0 ? n(deposit, 'deposit data file', 'deposit data files') : keystores > 0 ? 'no deposit data file' : '',
    temp > 0 ? n(temp, 'unfinished temporary file from an interrupted write', 'unfinished temporary files from an interrupted write') : '',
    other > 0 ? n(other, 'other entry', 'other entries') : '',
  ].filter(Boolean);
  return { text: parts.join(', '), keystores, deposit, temp };
}

/** Remove temp files of writes in progress (signal handlers call this). */
export function removePendingTempFiles(): void {
  for (const tmp of pending) {
    try { fs.unlinkSync(tmp); } catch { /* gone already */ }
  }
  pending.clear();
}
