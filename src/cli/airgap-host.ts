/**
 * Run the airgap check against the live machine (root `/`, with the process's own facts and
 * `os.networkInterfaces()`), or against a tree given with --root (the tree is the whole machine:
 * nothing from the live host is mixed in).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkAirgap, type AirgapResult } from '../core/airgap/check.js';
import { ENV_KEYS, type HostFacts, type OsInterfaceAddress } from '../core/airgap/fs.js';
import { UsageError } from '../core/errors.js';
import { createRootFs } from './io/root-fs.js';

function liveInterfaces(): OsInterfaceAddress[] {
  const out: OsInterfaceAddress[] = [];
  for (const [name, addrs] of Object.entries(os.networkInterfaces())) {
    for (const a of addrs ?? []) out.push({ name, address: a.address, family: String(a.family), internal: a.internal });
  }
  return out;
}

function liveFacts(): HostFacts {
  const env: Record<string, string> = {};
  for (const k of ENV_KEYS) {
    const v = process.env[k];
    if (v !== undefined) env[k] = v;
  }
  return {
    platform: process.platform,
    live: true,
    uid: typeof process.geteuid === 'function' ? process.geteuid() : null,
    ppid: process.ppid,
    env,
    interfaces: liveInterfaces(),
  };
}

const TREE_FACTS: HostFacts = { platform: 'linux', live: false, uid: null, ppid: null, env: null, interfaces: null };

export interface AirgapRun extends AirgapResult {
  /** The root read: `/` on the live system, the absolute --root otherwise. */
  root: string;
}

/**
 * Check the live machine (no root) or a tree.
 * @throws {UsageError} when `root` does not exist or is not a directory.
 */
export function runAirgapCheck(root?: string): AirgapRun {
  if (root === undefined) return { root: '/', ...checkAirgap(createRootFs('/'), liveFacts()) };
  if (root.length === 0) throw new UsageError('--root must not be empty', 'give the root of a machine tree, e.g. --root / or a fixture directory');
  const abs = path.resolve(root);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new UsageError(`--root ${root}: no such directory`, 'give the root of a machine tree, e.g. --root / or a fixture directory');
  }
  if (!st.isDirectory()) throw new UsageError(`--root ${root}: not a directory`);
  return { root: abs, ...checkAirgap(createRootFs(abs), TREE_FACTS) };
}
