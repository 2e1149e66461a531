/**
 * The bundle run directly (`node dist/coldstake.mjs …`) has no permission model, so on Node 20 a
 * SIGUSR1 would open an inspector in it. Instead of running there, it runs itself again under the
 * permission model (as bin/coldstake does) and waits in spawnSync: while the child, the process
 * that reads secrets, is alive, this parent's main thread is blocked in native code, so code sent
 * to an inspector opened in it cannot run until the child, and every secret with it, is gone.
 */
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';

/** True when this process runs without the protection bin/coldstake gives every process. */
export function unprotected(): boolean {
  return (process as unknown as { permission?: unknown }).permission === undefined && !process.execArgv.includes('--disable-sigusr1');
}

/** Run `script` with `args` under the permission model; its exit code (128 + n for a signal). */
export function relaunchProtected(script: string, args: readonly string[]): number {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  // --permission from 22.13 (and 23.5+), --experimental-permission before: as bin/coldstake.
  const stable = major > 23 || (major === 23 && minor >= 5) || (major === 22 && minor >= 13);
  const flags = [
    stable ? '--permission' : '--experimental-permission',
    '--allow-fs-read=*',
    '--allow-fs-write=*',
    '--allow-worker',
    '--disable-warning=ExperimentalWarning',
    '--disable-warning=SecurityWarning',
  ];
  // No NODE_* variable reaches the program (NODE_OPTIONS could preload code), as in bin/coldstake.
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^NODE_/i.test(k)) env[k] = v;
  env['COLDSTAKE_LAUNCHER_PID'] = String(process.pid);
  const r = spawnSync(process.execPath, [...flags, script, ...args], { stdio: 'inherit', env });
  if (r.error) return 70;
  if (r.signal) return 128 + (constants.signals[r.signal] ?? 0);
  return r.status ?? 70;
}
