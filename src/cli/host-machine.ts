/**
 * Run `host check` against the live machine (root `/`, with statfs for free space) or a tree
 * given with --root (the tree is the whole machine: nothing from the live host is mixed in).
 * Reads files only: no program is run, no socket opened.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DiskSpace } from '../core/host/disks.js';
import { checkHost, type HostResult } from '../core/host/check.js';
import { UsageError } from '../core/errors.js';
import { createRootFs } from './io/root-fs.js';

/** statfs of the nearest existing directory at or above `p` (live machine only). */
function liveSpace(p: string): DiskSpace | undefined {
  for (let dir = p; ; dir = path.dirname(dir)) {
    try {
      const s = fs.statfsSync(dir);
      return { totalBytes: s.blocks * s.bsize, availableBytes: s.bavail * s.bsize };
    } catch {
      if (dir === '/' || dir === path.dirname(dir)) return undefined;
    }
  }
}

export interface HostRun extends HostResult {
  root: string;
  live: boolean;
}

/**
 * Check the live machine (no root) or a tree.
 * @throws {UsageError} when `root` is empty, missing or not a directory.
 */
export function runHostCheck(root?: string): HostRun {
  if (root === undefined) return { root: '/', live: true, ...checkHost(createRootFs('/'), { space: liveSpace }) };
  const hint = 'give the root of a machine tree, e.g. --root / or a fixture directory';
  if (root.length === 0) throw new UsageError('--root must not be empty', hint);
  const abs = path.resolve(root);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new UsageError(`--root ${root}: no such directory`, hint);
  }
  if (!st.isDirectory()) throw new UsageError(`--root ${root}: not a directory`, hint);
  return { root: abs, live: false, ...checkHost(createRootFs(abs)) };
}
