/**
 * The progress bar (src/cli/output/progress.ts) through the real binary: on a terminal the long
 * commands draw `label [####....] k/N eta …` on stderr and clear it at the end; never when stderr is
 * not a terminal. util-linux `script` gives the CLI a pseudo-terminal; its output comes back on stdout.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/output/progress.js';
import { BIN, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const MNEMONIC = 'test test test test test test test test test test test waste';
const PASSWORD = 'progress-test-password';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

let dir: string;
beforeAll(() => {
  dir = mkTmp();
  fs.writeFileSync(path.join(dir, 'mnemonic.txt'), `${MNEMONIC}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'password.txt'), `${PASSWORD}\n`, { mode: 0o600 });
});
afterAll(() => rmTmp(dir));

function onTerminal(args: string[]): { code: number | null; screen: string } {
  const quoted = args.map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qec', `${BIN} ${quoted}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status, screen: r.stdout };
}

const keysArgs = (out: string) => ['keys', 'new', '--network', 'hoodi', '--count', '6', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
  '--out', out, '--mnemonic-file', path.join(dir, 'mnemonic.txt'), '--password-file', path.join(dir, 'password.txt'), '--allow-online'];

describe('progress bar', () => {
  it.skipIf(!hasScript)('keys new and keystore verify draw it on a terminal, with counts and an eta, then clear it', () => {
    const out = path.join(dir, 'keys-tty');
    const keys = onTerminal(keysArgs(out));
    expect(keys.code).toBe(0);
    expect(keys.screen).toMatch(/\rkeystores \(\d workers?\) \[\.{24}\] 0\/6 eta -- /);
    expect(keys.screen).toMatch(/\rkeystores \(\d workers?\) \[#{24}\] 6\/6 eta 0s /);
    expect(keys.screen).toContain('\r\u001b[K');
    expect(keys.screen).not.toContain('test waste');

    const verify = onTerminal(['keystore', 'verify', out, '--password-file', path.join(dir, 'password.txt')]);
    expect(verify.code).toBe(0);
    expect(verify.screen).toMatch(/\[#{24}\] 6\/6 eta 0s /);
  });

  it('is absent when stderr is not a terminal', () => {
    const out = path.join(dir, 'keys-pipe');
    const r = runCli(keysArgs(out));
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('[');
    expect(r.stderr).not.toContain('eta');
  });

  it('eta: from the pace so far, -- before the first item; the bar fills in proportion', () => {
    const writes: string[] = [];
    const stream = { isTTY: true, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream;
    const realNow = Date.now;
    let now = 1_000_000;
    Date.now = () => now;
    try {
      const p = progressBar('work', 4, stream);
      expect(writes.at(-1)).toBe('\rwork [........................] 0/4 eta -- ');
      now += 2000;
      p.tick();
      expect(writes.at(-1)).toBe('\rwork [######..................] 1/4 eta 6s ');
      now += 90_000;
      p.tick();
      expect(writes.at(-1)).toBe('\rwork [############............] 2/4 eta 1m32s ');
      p.tick(2);
      expect(writes.at(-1)).toBe('\rwork [########################] 4/4 eta 0s ');
      p.done();
      expect(writes.at(-1)).toBe('\r\u001b[K');
    } finally {
      Date.now = realNow;
    }
  });
});
