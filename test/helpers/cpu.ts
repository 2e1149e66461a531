/**
 * Time bounds that hold on a loaded machine: CPU time (user + system), not wall-clock time. On a
 * 2-core machine running several suites at once, a process may wait seconds for a core; the CPU
 * it burns does not grow with that wait, so a bound on it fails only when the work itself grew.
 * A hang (a blocked read) burns no CPU: those are caught by the hang guards (timeouts) instead,
 * which are generous because they only have to end a test that would otherwise never end.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT, type CliResult } from './cli.js';

/** /usr/bin/time (GNU time) measures a child's CPU time and peak RSS. */
export const HAS_GNU_TIME = fs.existsSync('/usr/bin/time');

/** CPU time (ms, user + system, all threads of this process) that `fn` took. */
export function cpuMs<T>(fn: () => T): { value: T; ms: number } {
  const before = process.cpuUsage();
  const value = fn();
  const d = process.cpuUsage(before);
  return { value, ms: (d.user + d.system) / 1000 };
}

/**
 * Parse what `/usr/bin/time -f '%U %S %M' -o FILE` wrote: CPU ms (user + system of the child and
 * every descendant it waited for) and peak RSS (KiB). Null when the child was killed before.
 */
export function parseGnuTime(text: string): { cpuMs: number; rssKiB: number } | null {
  // "Command exited with non-zero status N" comes first when the command failed.
  const last = text.trim().split('\n').pop() ?? '';
  const m = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last.trim());
  if (!m) return null;
  return { cpuMs: (Number(m[1]) + Number(m[2])) * 1000, rssKiB: Number(m[3]) };
}

/**
 * Run `coldstake ARGS` like runCli, under /usr/bin/time: the result and the CPU time the launcher
 * and the program used (null without /usr/bin/time).
 */
export function runCliCpu(args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): CliResult & { cpuMs: number | null } {
  const file = path.join(os.tmpdir(), `coldstake-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['COLDSTAKE_DEBUG'];
  const [cmd, argv] = HAS_GNU_TIME ? ['/usr/bin/time', ['-f', '%U %S %M', '-o', file, BIN, ...args]] : [BIN, [...args]];
  const r = spawnSync(cmd, argv, {
    cwd: ROOT,
    env,
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
    ...({ detached: true } as object),
  });
  let cpu: number | null = null;
  try {
    cpu = parseGnuTime(fs.readFileSync(file, 'utf8'))?.cpuMs ?? null;
  } catch {
    /* no /usr/bin/time, or killed before it wrote */
  } finally {
    fs.rmSync(file, { force: true });
  }
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', cpuMs: cpu };
}
