/**
 * Facts about the running program: its version, the file that is running, and the
 * permission model's state.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import pkg from '../../package.json' with { type: 'json' };
import { embeddedCodeSha256, isStandalone } from './standalone.js';

export const VERSION: string = pkg.version;

/** The file that is running: dist/coldstake.mjs when bundled, the executable itself when standalone. */
export function runningFile(): string {
  return fileURLToPath(import.meta.url);
}

/** SHA-256 (hex) of the running file; equal to `sha256sum dist/coldstake.mjs` (or of the executable). */
export function runningFileSha256(): string {
  return createHash('sha256').update(fs.readFileSync(runningFile())).digest('hex');
}

/** Which build is running: the bundle under a Node the user installed, or the single executable. */
export function buildKind(): 'bundle' | 'standalone' {
  return isStandalone() ? 'standalone' : 'bundle';
}

/**
 * SHA-256 (hex) of the program's code: the embedded code in the executable (equal to
 * `sha256sum coldstake-VERSION-standalone.cjs` from the release), else the running bundle.
 */
export function bundleSha256(): string {
  return isStandalone() ? embeddedCodeSha256() : runningFileSha256();
}

export interface PermissionState {
  enabled: boolean;
  childProcess: boolean;
  worker: boolean;
  addons: boolean;
  wasi: boolean;
  net: boolean | null;
}

/** What Node's permission model allows this process (`enabled: false` when it is off). */
export function permissionState(): PermissionState {
  const perm = (process as unknown as { permission?: { has(scope: string): boolean } }).permission;
  if (!perm) return { enabled: false, childProcess: true, worker: true, addons: true, wasi: true, net: null };
  const has = (scope: string): boolean => {
    try {
      return perm.has(scope);
    } catch {
      return false;
    }
  };
  // Node < 25 has no 'net' scope: has('net') says false but the network is not restricted.
  const major = Number(process.versions.node.split('.')[0]);
  return {
    enabled: true,
    childProcess: has('child'),
    worker: has('worker'),
    addons: has('addon'),
    wasi: has('wasi'),
    net: major >= 25 ? has('net') : null,
  };
}
