/**
 * Facts about the running process read from procfs: uid, parent pid, environment, and the
 * chain of ancestors. Used when a tree is probed with --root (the tree is the whole machine);
 * on the live system the CLI injects them from `process`.
 */
import { clip, joinPath, type ReadOnlyFs } from './fs.js';

export interface ProcStatus {
  name: string | undefined;
  ppid: number | undefined;
  uid: number | undefined;
}

/** Parse `/proc/<pid>/status` (Name, PPid, and the effective uid: the second Uid field). */
export function parseStatus(text: string): ProcStatus {
  const name = /^Name:\t?(.*)$/m.exec(text)?.[1];
  const ppid = /^PPid:\s+(\d{1,10})$/m.exec(text)?.[1];
  const uid = /^Uid:\s+\d+\s+(\d{1,10})\b/m.exec(text)?.[1];
  return { name: name === undefined ? undefined : clip(name.trim(), 64), ppid: ppid === undefined ? undefined : Number(ppid), uid: uid === undefined ? undefined : Number(uid) };
}

export function readStatus(fs: ReadOnlyFs, pid: number | 'self'): ProcStatus | undefined {
  const r = fs.readText(joinPath('/proc', String(pid), 'status'), 64 * 1024);
  return r.ok ? parseStatus(r.text) : undefined;
}

/** Selected variables from `/proc/<pid>/environ` (NUL-separated `K=V`). */
export function readEnviron(fs: ReadOnlyFs, pid: number | 'self', keys: readonly string[]): Record<string, string> | undefined {
  const r = fs.readText(joinPath('/proc', String(pid), 'environ'), 256 * 1024);
  if (!r.ok) return undefined;
  const env: Record<string, string> = {};
  for (const entry of r.text.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const k = entry.slice(0, eq);
    if (keys.includes(k)) env[k] = entry.slice(eq + 1);
  }
  return env;
}

export interface Ancestor {
  pid: number;
  name: string;
}

/** Walk parent links from `startPid` upwards (at most `max` steps, stops at pid 1 or a loop). */
export function ancestors(fs: ReadOnlyFs, startPid: number, max = 64): Ancestor[] {
  const out: Ancestor[] = [];
  const seen = new Set<number>();
  let pid = startPid;
  while (pid > 0 && !seen.has(pid) && out.length < max) {
    seen.add(pid);
    const st = readStatus(fs, pid);
    if (!st) break;
    const comm = fs.readText(joinPath('/proc', String(pid), 'comm'), 4096);
    const name = comm.ok ? clip(comm.text.trim(), 64) : (st.name ?? '');
    out.push({ pid, name });
    if (st.ppid === undefined || pid === 1) break;
    pid = st.ppid;
  }
  return out;
}
