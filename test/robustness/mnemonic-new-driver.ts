/**
 * Drive `mnemonic new --out FILE` without a terminal, as a script would: the mnemonic goes to the
 * 0600 file, stderr names the positions to retype ("reading words 3, 7, 9, 11 of the mnemonic from
 * standard input"), and the retyped words are written to standard input, one per line.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { BIN, ROOT } from '../helpers/cli.js';

export interface MnemonicNewRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The mnemonic as read from --out while the command waited for the retyped words ('' if never written). */
  mnemonic: string;
  positions: number[];
}

export interface DriveOptions {
  /** Retype the asked words correctly, or a wrong word at the first position until the command gives up. */
  retype: 'right' | 'wrong';
  /** Run the CLI through this command (e.g. strace and its flags); BIN is appended. */
  prefix?: string[];
  env?: Record<string, string>;
}

const POSITIONS_RE = /reading words? ([\d, ]+) of the mnemonic from standard input/;

/** Run `coldstake ARGS` (ARGS hold `--out out`) and answer its retype questions. */
export function driveMnemonicNew(args: readonly string[], out: string, opts: DriveOptions): Promise<MnemonicNewRun> {
  const [cmd, ...cmdArgs] = [...(opts.prefix ?? []), BIN, ...args] as [string, ...string[]];
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.env };
  delete env['COLDSTAKE_DEBUG'];
  // A new session has no controlling terminal: the command must use --out and standard input.
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let mnemonic = '';
    let positions: number[] = [];
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stdin.on('error', () => {});
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = POSITIONS_RE.exec(stderr);
      if (m === null || positions.length > 0) return;
      positions = (m[1] as string).split(',').map((p) => Number(p.trim()));
      mnemonic = fs.readFileSync(out, 'utf8').trim();
      const words = mnemonic.split(' ');
      if (opts.retype === 'right') {
        child.stdin.end(positions.map((p) => `${words[p - 1]}\n`).join(''));
      } else {
        const first = words[(positions[0] as number) - 1];
        const wrong = first === 'zoo' ? 'abandon' : 'zoo';
        child.stdin.end(`${wrong}\n`.repeat(10));
      }
    });
    const timer = setTimeout(() => {
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* gone */ }
    }, 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (positions.length === 0) child.stdin.end();
      resolve({ code, stdout, stderr, mnemonic, positions });
    });
  });
}
