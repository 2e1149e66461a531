/**
 * The Node adapter behind the airgap probes: a read-only view of the files under a root
 * directory (`/` on the live system, a fixture tree with --root). Every path is resolved one
 * component at a time inside the root: symlinks are followed by hand, an absolute target is
 * taken relative to the root and `..` stops at the root, so no path ever escapes it
 * (sysfs is full of links such as /sys/class/net/eth0 -> ../../devices/…).
 * Reads are size-bounded and only of regular files (a FIFO or a device in a tree is refused,
 * never opened for blocking reads). No method throws.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LinkResult, ListResult, ReadOnlyFs, ReadResult } from '../../core/airgap/fs.js';

const MAX_SYMLINK_HOPS = 40;
const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_DIR_ENTRIES = 10_000;
const CHUNK_BYTES = 16 * 1024;

type Resolved = { ok: true; real: string } | { ok: false; code: string };

function codeOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : 'EIO';
}

/** A read-only filesystem confined to `root` (an existing directory, already made absolute). */
export function createRootFs(root: string): ReadOnlyFs {
  const base = path.resolve(root);

  // lstat of the directories a path walks through, kept for the life of this view: a check that
  // reads 10,000 keystores walks the same few directories 10,000 times (host check). The last
  // component of a path is always looked up afresh.
  const dirStats = new Map<string, fs.Stats | string>();
  function lstatDir(real: string): fs.Stats | string {
    let st = dirStats.get(real);
    if (st === undefined) {
      try {
        st = fs.lstatSync(real);
      } catch (err) {
        st = codeOf(err);
      }
      if (dirStats.size < 100_000) dirStats.set(real, st);
    }
    return st;
  }

  function resolve(vpath: string, followLast: boolean): Resolved {
    const queue = vpath.split('/').filter((p) => p.length > 0 && p !== '.');
    const stack: string[] = [];
    let hops = 0;
    while (queue.length > 0) {
      const part = queue.shift()!;
      if (part === '..') {
        stack.pop();
        continue;
      }
      const isLast = queue.length === 0;
      const real = path.join(base, ...stack, part);
      if (isLast && !followLast) {
        stack.push(part);
        break;
      }
      let st: fs.Stats;
      if (isLast) {
        try {
          st = fs.lstatSync(real);
        } catch (err) {
          return { ok: false, code: codeOf(err) };
        }
      } else {
        const d = lstatDir(real);
        if (typeof d === 'string') return { ok: false, code: d };
        st = d;
      }
      if (st.isSymbolicLink()) {
        if (++hops > MAX_SYMLINK_HOPS) return { ok: false, code: 'ELOOP' };
        let target: string;
        try {
          target = fs.readlinkSync(real);
        } catch (err) {
          return { ok: false, code: codeOf(err) };
        }
        // An absolute target means "from the root of the machine": the root of the tree.
        if (target.startsWith('/')) stack.length = 0;
        queue.unshift(...target.split('/').filter((p) => p.length > 0 && p !== '.'));
        continue;
      }
      if (!isLast && !st.isDirectory()) return { ok: false, code: 'ENOTDIR' };
      stack.push(part);
    }
    return { ok: true, real: path.join(base, ...stack) };
  }

  return {
    readText(vpath: string, maxBytes = DEFAULT_MAX_BYTES): ReadResult {
      const r = resolve(vpath, true);
      if (!r.ok) return r;
      let fd: number;
      try {
        fd = fs.openSync(r.real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
      } catch (err) {
        return { ok: false, code: codeOf(err) };
      }
      try {
        const st = fs.fstatSync(fd);
        if (st.isDirectory()) return { ok: false, code: 'EISDIR' };
        if (!st.isFile()) return { ok: false, code: 'ENOTREG' };
        // procfs and sysfs report sizes of 0 or 4096 whatever the content: read in chunks up to the bound.
        const chunks: Buffer[] = [];
        let len = 0;
        while (len <= maxBytes) {
          const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - len));
          const n = fs.readSync(fd, chunk, 0, chunk.length, null);
          if (n === 0) break;
          chunks.push(chunk.subarray(0, n));
          len += n;
        }
        const all = Buffer.concat(chunks, len);
        const truncated = len > maxBytes;
        const text = new TextDecoder('utf-8', { fatal: false }).decode(all.subarray(0, Math.min(len, maxBytes)));
        return { ok: true, text, truncated };
      } catch (err) {
        // sysfs answers some reads with an error: carrier gives EINVAL when the link is down.
        return { ok: false, code: codeOf(err) };
      } finally {
        fs.closeSync(fd);
      }
    },

    list(vdir: string): ListResult {
      const r = resolve(vdir, true);
      if (!r.ok) return r;
      try {
        const dir = fs.opendirSync(r.real);
        const entries: string[] = [];
        try {
          for (let e = dir.readSync(); e !== null && entries.length < MAX_DIR_ENTRIES; e = dir.readSync()) entries.push(e.name);
        } finally {
          dir.closeSync();
        }
        return { ok: true, entries: entries.sort() };
      } catch (err) {
        return { ok: false, code: codeOf(err) };
      }
    },

    readlink(vpath: string): LinkResult {
      const r = resolve(vpath, false);
      if (!r.ok) return r;
      try {
        return { ok: true, target: fs.readlinkSync(r.real) };
      } catch (err) {
        return { ok: false, code: codeOf(err) };
      }
    },

    exists(vpath: string): boolean {
      const r = resolve(vpath, true);
      if (!r.ok) return false;
      try {
        fs.lstatSync(r.real);
        return true;
      } catch {
        return false;
      }
    },
  };
}
