/**
 * Run the real, built CLI (bin/coldstake → dist/coldstake.mjs under the permission model)
 * as a child process. `npm test` builds first.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = path.join(ROOT, 'bin', 'coldstake');
export const BUNDLE = path.join(ROOT, 'dist', 'coldstake.mjs');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const FIXTURES = path.join(ROOT, 'fixtures');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string | Buffer;
  cwd?: string;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Run the bundle directly with `node` instead of through the launcher. */
  direct?: boolean;
}

function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['COLDSTAKE_DEBUG'];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

/** Run `coldstake ARGS` to completion. Standard input is `input` (or empty), never a terminal. */
export function runCli(args: readonly string[], opts: CliOptions = {}): CliResult {
  const cmd = opts.direct ? process.execPath : BIN;
  const argv = opts.direct ? [BUNDLE, ...args] : [...args];
  const r: SpawnSyncReturns<string> = spawnSync(cmd, argv, {
    cwd: opts.cwd ?? ROOT,
    env: baseEnv(opts.env),
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    // A new session has no controlling terminal, so the CLI cannot open /dev/tty: tests exercise
    // the file/stdin paths. (Node honours `detached` in spawnSync; its types omit it.)
    ...({ detached: true } as object),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Async variant, for tests that must interrupt the process. */
export function spawnCli(args: readonly string[], opts: CliOptions = {}) {
  return spawn(BIN, [...args], { cwd: opts.cwd ?? ROOT, env: baseEnv(opts.env), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A fresh temp directory, removed by the caller with `rmTmp`. */
export function mkTmp(prefix = 'coldstake-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function rmTmp(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Every diagnostic line on stderr follows `coldstake: error|warning|hint: …` and no stack trace appears. */
export function assertCleanStderr(stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l.length > 0);
  for (const l of lines) {
    if (!/^coldstake: (error|warning|hint): [^A-Z]/.test(l) && !/^coldstake: (error|warning|hint): [A-Z0-9]{2}/.test(l)) {
      throw new Error(`stderr line not in the coldstake grammar: ${JSON.stringify(l)}`);
    }
    if (/\.$/.test(l)) throw new Error(`stderr line ends with a period: ${JSON.stringify(l)}`);
  }
  if (/\n\s+at .+:\d+:\d+\)?/.test(stderr)) throw new Error('stack trace on stderr');
}

/**
 * Assert `text` does not show the mnemonic `words`: no two consecutive words of it side by side,
 * and no word of it numbered ("7. word", "7) word", "7 word"). Single common words ("system",
 * "metal", "true") may legitimately occur in messages, so they are not matched alone.
 */
export function expectNoMnemonic(text: string, words: readonly string[], label = 'output'): void {
  const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (let i = 0; i + 1 < words.length; i++) {
    const pair = new RegExp(`(^|[^\\p{L}])${esc(words[i] as string)}[^\\p{L}]+${esc(words[i + 1] as string)}([^\\p{L}]|$)`, 'u');
    if (pair.test(text)) throw new Error(`${label} shows words ${i + 1} and ${i + 2} of the mnemonic side by side`);
  }
  for (const [i, w] of words.entries()) {
    if (new RegExp(`\\b\\d{1,2}[.):]?\\s+${esc(w)}([^\\p{L}]|$)`, 'u').test(text)) throw new Error(`${label} shows word ${i + 1} of the mnemonic numbered`);
  }
}
