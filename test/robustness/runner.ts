/**
 * Runs hostile cases through the real CLI (launcher, permission model) with a concurrency of
 * the machine's cores, a 5 s CPU-time limit and peak RSS measured by /usr/bin/time, and checks the
 * contract: exit 0/1/2, stderr only in the `coldstake: …` grammar, exactly one error line on
 * exit 2, no stack trace, no internal error.
 *
 * Exit 3 (refused for safety) fails a case for every target: each case is set up so that no
 * refusal is the right answer (a fresh --out path, --allow-online on gated commands, --json
 * where the human output would need a terminal), so a 3 means a hostile file was mistaken for
 * a safety problem.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from '../helpers/cli.js';
import { parseGnuTime } from '../helpers/cpu.js';

/**
 * CPU time (user + system, launcher and program) a case may use. CPU, not wall time: on a loaded
 * 2-core machine a case can wait seconds for a core without doing more work (a 5 s wall bound
 * failed there at 5.1 s). Without /usr/bin/time the bound is not measured (only the hang guard).
 */
export const CASE_TIME_LIMIT_MS = 5_000;
/**
 * Wall-clock hang guard: a case still running after this is killed and fails. A case within its
 * CPU budget reaches it only if it waits on something (a blocked read) or the machine is more than
 * ten times oversubscribed.
 */
export const CASE_HANG_MS = 60_000;
/** Peak RSS bound for any hostile case (the documented bound: README "Robustness"). */
export const CASE_RSS_LIMIT_KIB = 1_536 * 1024;

const HAS_TIME = fs.existsSync('/usr/bin/time');

export interface HostileRun {
  label: string;
  kind: string;
  args: string[];
  input?: string;
  /** Checks of what the case left on disk, run after it exits; each string is a problem. */
  after?: (code: number | null) => string[];
}

export interface Outcome extends HostileRun {
  code: number | null;
  signal: string | null;
  /** Wall-clock time (reported, not bounded: it grows with the machine's load). */
  ms: number;
  /** CPU time, user + system (null without /usr/bin/time, or when killed). */
  cpuMs: number | null;
  rssKiB: number | null;
  stdout: string;
  stderr: string;
  problems: string[];
}

function check(o: Omit<Outcome, 'problems'>): string[] {
  const p: string[] = [];
  if (o.code === null) p.push(`killed by ${o.signal} (still running after ${CASE_HANG_MS} ms: a hang?)`);
  else if (![0, 1, 2].includes(o.code)) p.push(`exit ${o.code}`);
  if (o.cpuMs !== null && o.cpuMs > CASE_TIME_LIMIT_MS) p.push(`used ${o.cpuMs.toFixed(0)} ms of CPU`);
  if (o.rssKiB !== null && o.rssKiB > CASE_RSS_LIMIT_KIB) p.push(`peak RSS ${o.rssKiB} KiB`);
  const lines = o.stderr.split('\n').filter((l) => l.length > 0);
  for (const l of lines) {
    if (!/^coldstake: (error|warning|hint): \S/.test(l)) p.push(`stderr line outside the grammar: ${JSON.stringify(l.slice(0, 160))}`);
  }
  if (/^\s+at .+:\d+:\d+\)?$/m.test(o.stderr)) p.push('stack trace on stderr');
  if (o.stderr.includes('internal error')) p.push('internal error');
  if (o.code === 2 && lines.filter((l) => l.startsWith('coldstake: error: ')).length !== 1) {
    p.push(`exit 2 with ${lines.filter((l) => l.startsWith('coldstake: error: ')).length} error lines`);
  }
  return p;
}

function runOne(run: HostileRun, scratch: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const timeFile = path.join(scratch, `time-${Math.random().toString(36).slice(2)}`);
    const cmd = HAS_TIME ? '/usr/bin/time' : BIN;
    const args = HAS_TIME ? ['-f', '%U %S %M', '-o', timeFile, BIN, ...run.args] : run.args;
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', COLDSTAKE_DEBUG: '' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { if (stdout.length < 1_000_000) stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { if (stderr.length < 1_000_000) stderr += d; });
    child.stdin.on('error', () => {});
    child.stdin.end(run.input ?? '');
    const timer = setTimeout(() => {
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ }
    }, CASE_HANG_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let rssKiB: number | null = null;
      let cpuMs: number | null = null;
      const realCode = code;
      try {
        // /usr/bin/time reports "Command exited with non-zero status N" and exits with N too.
        const t = parseGnuTime(fs.readFileSync(timeFile, 'utf8'));
        if (t) ({ rssKiB, cpuMs } = t);
        fs.rmSync(timeFile, { force: true });
      } catch { /* killed before time wrote it */ }
      const o = { ...run, code: realCode, signal, ms, cpuMs, rssKiB, stdout, stderr };
      resolve({ ...o, problems: [...check(o), ...(run.after?.(realCode) ?? [])] });
    });
  });
}

/** Run every case, `os.availableParallelism()` at a time. */
export async function runHostile(runs: HostileRun[], scratch: string): Promise<Outcome[]> {
  const out: Outcome[] = new Array(runs.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, os.availableParallelism()) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= runs.length) return;
      out[i] = await runOne(runs[i] as HostileRun, scratch);
    }
  });
  await Promise.all(workers);
  return out;
}

export interface Summary {
  cases: number;
  failures: number;
  byCode: Record<string, number>;
  byKind: Record<string, number>;
  slowest: { label: string; kind: string; ms: number };
  /** The case that used the most CPU (ms), when /usr/bin/time measured it. */
  mostCpu: { label: string; kind: string; cpuMs: number } | null;
  peakRssKiB: number | null;
}

export function summarise(outcomes: Outcome[]): Summary {
  const byCode: Record<string, number> = {};
  const byKind: Record<string, number> = {};
  let slowest = { label: '', kind: '', ms: 0 };
  let peak: number | null = null;
  let mostCpu: Summary['mostCpu'] = null;
  for (const o of outcomes) {
    if (o.cpuMs !== null && (mostCpu === null || o.cpuMs > mostCpu.cpuMs)) mostCpu = { label: o.label, kind: o.kind, cpuMs: Math.round(o.cpuMs) };
    byCode[String(o.code)] = (byCode[String(o.code)] ?? 0) + 1;
    byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
    if (o.ms > slowest.ms) slowest = { label: o.label, kind: o.kind, ms: Math.round(o.ms) };
    if (o.rssKiB !== null) peak = Math.max(peak ?? 0, o.rssKiB);
  }
  return { cases: outcomes.length, failures: outcomes.filter((o) => o.problems.length > 0).length, byCode, byKind, slowest, mostCpu, peakRssKiB: peak };
}
