/**
 * Drive the real CLI on a pseudo-terminal (python3's pty module relays it), for prompts that read
 * /dev/tty in raw mode. `ptyAvailable()` is false where python3 or its pty module is missing:
 * tests then skip.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { BIN, ROOT } from './cli.js';

const RELAY = path.join(ROOT, 'test', 'helpers', 'pty-relay.py');

let available: boolean | undefined;
export function ptyAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('python3', ['-c', 'import pty, os; m, s = os.openpty()'], { encoding: 'utf8' });
    available = r.status === 0;
  }
  return available;
}

export class PtySession {
  private readonly child: ChildProcessWithoutNullStreams;
  /** Everything the terminal showed so far (ANSI codes included). */
  output = '';
  private pos = 0;
  private readonly exited: Promise<number | null>;

  /** `program` (default bin/coldstake) runs with `args`; `rawEnv` replaces the environment instead of extending it. */
  constructor(args: readonly string[], opts: { cwd?: string; env?: Record<string, string>; program?: string; rawEnv?: Record<string, string> } = {}) {
    this.child = spawn('python3', [RELAY, opts.program ?? BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: opts.rawEnv ?? { ...process.env, NO_COLOR: '1', COLDSTAKE_DEBUG: '', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (d: string) => {
      this.output += d;
    });
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (d: string) => {
      this.output += d;
    });
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Wait until `re` matches the output after the previous match; returns the match. */
  async expect(re: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rest = this.output.slice(this.pos);
      const m = rest.match(re);
      if (m && m.index !== undefined) {
        this.pos += m.index + m[0].length;
        return m;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; terminal showed: ${JSON.stringify(rest.slice(-600))}`);
      if (this.child.exitCode !== null && this.child.stdout.readableEnded) {
        throw new Error(`process exited (${this.child.exitCode}) before ${re}; terminal showed: ${JSON.stringify(rest.slice(-600))}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Type text (use "\r" for Enter: the prompts read the terminal in raw mode). */
  send(text: string): void {
    this.child.stdin.write(text);
  }

  async exit(timeoutMs = 30_000): Promise<number | null> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
