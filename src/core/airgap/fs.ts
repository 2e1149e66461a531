/**
 * The read-only view of a machine that every airgap probe reads: files under a root
 * (`/` or a fixture tree), plus a few facts about the running program; probes never
 * touch the host directly, so a fixture tree reproduces a machine completely.
 */

/** Result of reading one file; `code` is an errno-like string (`ENOENT`, `EINVAL`, `EACCES`, `ENOTREG`, …). */
export type ReadResult = { ok: true; text: string; truncated: boolean } | { ok: false; code: string };
export type ListResult = { ok: true; entries: string[] } | { ok: false; code: string };
export type LinkResult = { ok: true; target: string } | { ok: false; code: string };

/**
 * A read-only filesystem rooted somewhere. Paths are absolute inside the root (`/sys/class/net`).
 * Implementations resolve symlinks inside the root and never escape it. None of them throws.
 */
export interface ReadOnlyFs {
  /** Text of a regular file, at most `maxBytes` bytes (default chosen by the implementation). */
  readText(path: string, maxBytes?: number): ReadResult;
  /** Names in a directory, sorted; `.` and `..` excluded. */
  list(dir: string): ListResult;
  /** The raw target of a symlink, as the kernel has it. */
  readlink(path: string): LinkResult;
  /** True when the path resolves to something (file, directory) inside the root. */
  exists(path: string): boolean;
}

/** A network interface as `os.networkInterfaces()` reports it. */
export interface OsInterfaceAddress {
  name: string;
  address: string;
  family: string;
  internal: boolean;
}

/** Facts about the running process that are not files. Absent fields are read from the tree. */
export interface HostFacts {
  /** The platform of the running system (`linux`, `darwin`, `win32`), or `linux` when a tree is read with --root. */
  platform: string;
  /** True when probing the running system (no --root): the live cross-checks apply. */
  live: boolean;
  /** Effective uid; `null` to read `/proc/self/status` from the tree. */
  uid: number | null;
  /** Parent pid; `null` to read `/proc/self/status` from the tree. */
  ppid: number | null;
  /** The few environment variables the probes look at; `null` to read `/proc/self/environ` from the tree. */
  env: Record<string, string> | null;
  /** `os.networkInterfaces()` flattened; `null` when not live. */
  interfaces: OsInterfaceAddress[] | null;
}

/** The environment variables the probes consult (a remote session leaves these). */
export const ENV_KEYS = ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY'] as const;

/** Join absolute path parts without the path module (core is pure). */
export function joinPath(...parts: string[]): string {
  const joined = parts.join('/').replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** A file's text trimmed, or undefined when unreadable. */
export function readTrimmed(fs: ReadOnlyFs, path: string): string | undefined {
  const r = fs.readText(path, 64 * 1024);
  return r.ok ? r.text.trim() : undefined;
}

/** Shorten a value for evidence so a garbage file cannot bloat the report. */
export function clip(s: string, max = 200): string {
  const printable = s.replace(/[^\x20-\x7e\t]/g, '?');
  return printable.length > max ? `${printable.slice(0, max)}…` : printable;
}
