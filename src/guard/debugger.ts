/**
 * No inspector, ever, in a process that holds a secret. On Node 20 nothing inside a process can
 * stop SIGUSR1 from opening the inspector on 127.0.0.1:9229 (a listener does not); Node's
 * permission model keeps it closed, and so does `--disable-sigusr1` where Node has it. bin/coldstake
 * runs every process under the permission model. This check refuses to read or make a secret when
 * that protection is missing: the bundle run directly (`node dist/coldstake.mjs`), or started by a
 * launcher that itself runs without the permission model (`node bin/coldstake`), whose own
 * inspector could be opened and then read this process's memory.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SafetyRefusal } from '../core/errors.js';

/** Set by bin/coldstake when it runs without the permission model (started as `node bin/coldstake`). */
export const UNPROTECTED_LAUNCHER_ENV = 'COLDSTAKE_LAUNCHER_UNPROTECTED';

function samePath(a: string, b: string): boolean {
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/**
 * Why a debugger could be attached to this process or to its launcher, or null when it cannot.
 * Only the program itself is judged (this file bundled into the script node runs); code that
 * imports these modules (tests) is not.
 */
export function debuggerExposure(): string | null {
  const script = process.argv[1];
  if (script === undefined || !samePath(script, fileURLToPath(import.meta.url))) return null;
  if (process.env[UNPROTECTED_LAUNCHER_ENV] === '1') {
    return 'the launcher runs without the permission model (started as node bin/coldstake), so its debugger could be opened';
  }
  const permission = (process as unknown as { permission?: unknown }).permission;
  if (permission === undefined && !process.execArgv.includes('--disable-sigusr1')) {
    return 'this process runs without the permission model (started without bin/coldstake), so SIGUSR1 would open a debugger in it';
  }
  return null;
}

/**
 * Refuse (exit 3) before a secret is read or made when a debugger could reach it.
 * @throws {SafetyRefusal}
 */
export function assertDebuggerClosed(what: string): void {
  const why = debuggerExposure();
  if (why === null) return;
  throw new SafetyRefusal(
    `refusing to handle the ${what}: ${why}`,
    'run bin/coldstake itself (./bin/coldstake, or coldstake on the PATH): it keeps the debugger closed',
  );
}
