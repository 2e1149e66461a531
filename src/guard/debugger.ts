/**
 * No inspector, ever, in a process that holds a secret. On Node 20 nothing inside a process can
 * stop SIGUSR1 from opening the inspector on 127.0.0.1:9229 (a listener does not); Node's
 * permission model keeps it closed, and so does `--disable-sigusr1` where Node has it. bin/coldstake
 * runs every process under the permission model, and the bundle run directly (`node
 * dist/coldstake.mjs`) or through `node bin/coldstake` runs the program again under it, waiting in a
 * blocking spawnSync. This check is the last line: it refuses to read or make a secret in a process
 * that still has no such protection (the bundle imported or started some other way).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SafetyRefusal } from '../core/errors.js';

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
