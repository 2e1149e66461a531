/**
 * The CLI contract shared by every command: help, usage errors, argv secret refusal,
 * the launcher, `version`, and no AF_INET/AF_INET6 socket under strace.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, BIN, BUNDLE, mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';

const MNEMONIC_12 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('help', () => {
  it('coldstake alone prints the commands grouped by job, exit 0', () => {
    const r = runCli([]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Before trusting the tool itself:');
    expect(r.stdout).toContain('e.g. coldstake version --json');
    expect(r.stderr).toBe('');
  });

  it('--help prints the same grouped help', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(runCli([]).stdout);
  });
});

describe('usage errors', () => {
  it.each([
    [['bogus']],
    [['version', '--bogus']],
    [['version', 'extra', 'args']],
    [['mnemonic']],
    [['keys']],
    [['help', 'bogus']],
  ])('%j: one error line plus a hint, exit 2, no stack trace', (args) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    const lines = r.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('coldstake: error: '))).toHaveLength(1);
    expect(r.stdout).toBe('');
  });
});

describe('usage error wording', () => {
  it('speaks our grammar, not the parser\'s', () => {
    expect(runCli(['airgap', '--jsn']).stderr).toContain("coldstake: error: unknown option '--jsn' (did you mean --json?)");
    expect(runCli(['airgap', 'extra']).stderr).toContain("coldstake: error: too many arguments for 'airgap': it takes 0, got 1\n");
    expect(runCli(['help', 'bogus']).stderr).toContain("coldstake: error: unknown command 'bogus'");
  });

  it('does not repeat a long or unusual unknown command, which may be a secret typed in the wrong place', () => {
    const r = runCli(['hunter2 hunter2 correct horse']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command (not repeated');
    expect(r.stderr).not.toContain('hunter2');
  });

  it('a missing --password-file or --mnemonic-file is not named back: the secret itself may have been typed there', () => {
    const dir = mkTmp();
    try {
      const out = path.join(dir, 'out');
      const a = runCli(['mnemonic', 'check', '--mnemonic-file', 'Tr0ub4dor&3-secret']);
      expect(a.code).toBe(2);
      expect(a.stderr).toContain('coldstake: error: --mnemonic-file: no such file');
      expect(a.stderr).not.toContain('Tr0ub4dor');
      const b = runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
        '--out', out, '--mnemonic-file', '-', '--password-file', 'hunter2hunter2', '--allow-online'], { input: `${MNEMONIC_12}\n` });
      expect(b.code).toBe(2);
      expect(b.stderr).toContain('coldstake: error: --password-file: no such file');
      expect(b.stderr).not.toContain('hunter2');
      expect(fs.existsSync(out)).toBe(false);
    } finally {
      rmTmp(dir);
    }
  });
});

describe('secrets on the command line', () => {
  it('refuses a mnemonic as one argument, exit 3, without echoing it', () => {
    const r = runCli(['version', MNEMONIC_12]);
    expect(r.code).toBe(3);
    assertCleanStderr(r.stderr);
    expect(r.stderr).not.toContain('abandon');
    expect(r.stdout).toBe('');
  });

  it('refuses a mnemonic typed as separate arguments', () => {
    const r = runCli(['version', ...MNEMONIC_12.split(' ')]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('abandon');
  });

  it('refuses a numbered, comma-separated mnemonic in Japanese too', () => {
    const ja = 'あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あいこくしん　あおぞら';
    expect(runCli(['version', ja]).code).toBe(3);
    expect(runCli(['version', MNEMONIC_12.split(' ').map((w, i) => `${i + 1}.${w}`).join(', ')]).code).toBe(3);
  });

  it.each([['--password=hunter2hunter2'], ['--mnemonic'], ['--secret-key=00'], ['--passphrase=x']])('refuses %s, exit 3', (arg) => {
    const r = runCli(['version', arg]);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('refuses a mnemonic split over quoted and unquoted arguments, numbered as on a sheet, or joined with dashes', () => {
    const w = MNEMONIC_12.split(' ');
    for (const args of [
      ['mnemonic', 'check', w.slice(0, 6).join(' '), ...w.slice(6)],
      ['mnemonic', 'check', ...w.flatMap((x, i) => [String(i + 1), x])],
      ['mnemonic', 'check', w.map((x) => x.slice(0, 4)).join(' ')],
      [w.join('-')],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(3);
      expect(r.stderr).not.toContain('abandon');
      expect(r.stderr).not.toContain('aban ');
    }
  });

  it('does not refuse ordinary arguments made of a few list words', () => {
    expect(runCli(['version', '--json']).code).toBe(0);
  });
});

describe('version', () => {
  it('reports the SHA-256 of the running bundle, the permission model and the guard in main and worker threads', () => {
    const r = runCli(['version', '--json']);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    const expected = createHash('sha256').update(fs.readFileSync(BUNDLE)).digest('hex');
    expect(v.sha256).toBe(expected);
    expect(v.file).toBe(fs.realpathSync(BUNDLE));
    expect(v.node).toBe(process.versions.node);
    expect(v.permission).toMatchObject({ enabled: true, childProcess: false, addons: false, worker: true });
    expect(v.guard.main.installed).toBe(true);
    expect(v.guard.main.tampered).toEqual([]);
    expect(v.guard.main.apis).toBeGreaterThanOrEqual(25);
    expect(v.guard.worker).toEqual(v.guard.main);
    expect(r.stderr).toBe('');
  });

  it('human output names the version and hash', () => {
    const r = runCli(['version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^coldstake \d+\.\d+\.\d+\n/);
    expect(r.stdout).toMatch(/sha256 +[0-9a-f]{64}/);
    expect(r.stdout).toContain('permission on (child processes denied');
  });

  it('run directly (node dist/coldstake.mjs), the bundle runs itself under the permission model', () => {
    const r = runCli(['version', '--json'], { direct: true });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).permission).toMatchObject({ enabled: true, childProcess: false, addons: false });
  });
});

describe('launcher', () => {
  it('refuses a Node older than 20.19 with a clear message', () => {
    const dir = mkTmp();
    try {
      const preload = path.join(dir, 'old-node.cjs');
      fs.writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: '20.18.9' });\n");
      const r = spawnSync(process.execPath, ['-r', preload, BIN, 'version'], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('coldstake: error: node 20.18.9 is too old: coldstake needs node >= 20.19.0');
      assertCleanStderr(r.stderr);
    } finally {
      rmTmp(dir);
    }
  });

  it('the program stops when the launcher is killed with SIGKILL', async () => {
    const dir = mkTmp();
    // Running (not exited, not a zombie waiting to be reaped by whoever adopted it).
    const alive = (pid: number) => {
      try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const childOf = async (parent: number): Promise<number> => {
      // Polled, not a fixed pause: on a loaded machine the launcher may take seconds to start it.
      for (;;) {
        // Only the program (dist/coldstake.mjs): the launcher's shell part briefly runs helpers of its own (node --version, env | sed).
        const kids = spawnSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number)
          .filter((pid) => {
            try {
              return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('coldstake.mjs');
            } catch {
              return false;
            }
          });
        if (kids.length > 0) {
          expect(kids).toHaveLength(1);
          return kids[0] as number;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    /** SIGKILL `launcher`, then the wall time (ms) until `program` is gone (null: still running after `limit`). */
    const killAndTime = async (launcher: number, program: number, limit: number): Promise<number | null> => {
      process.kill(launcher, 'SIGKILL');
      const t0 = Date.now();
      while (alive(program) && Date.now() - t0 < limit) await new Promise((r) => setTimeout(r, 50));
      if (!alive(program)) return Date.now() - t0;
      process.kill(program, 'SIGKILL');
      return null;
    };
    try {
      /** Start `keys new` (64 pbkdf2 keystores) and return the launcher and the program once it is at work. */
      const start = async (out: string): Promise<{ launcher: number; program: number }> => {
        const launcher = spawnCli(['keys', 'new', '--network', 'hoodi', '--count', '64', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
          '--kdf', 'pbkdf2', '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online']);
        launcher.stdin.end('test test test test test test test test test test test waste\nlauncher-test-password\n');
        launcher.stdout.resume();
        launcher.stderr.resume();
        const program = await childOf(launcher.pid as number);
        while (!fs.existsSync(out) && alive(program)) await new Promise((r) => setTimeout(r, 50));
        return { launcher: launcher.pid as number, program };
      };
      // Reference, measured in the same run on the same load: how long the same program, at the
      // same work, takes to stop on a SIGTERM sent to it directly (its main thread must get to the
      // handler, remove temp files and exit, as it must after noticing its launcher is gone).
      const a = await start(path.join(dir, 'ref'));
      const refMs = await (async () => {
        process.kill(a.program, 'SIGTERM');
        const t0 = Date.now();
        while (alive(a.program) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
        return Date.now() - t0;
      })();
      try { process.kill(a.launcher, 'SIGKILL'); } catch { /* gone */ }
      expect(alive(a.program), 'the reference run stopped on SIGTERM').toBe(false);

      const { launcher, program } = await start(path.join(dir, 'out'));
      // Within 2 s on an idle machine (a quarter-second poll); on a loaded one, no slower than
      // twice the reference plus one poll. A program that does not watch its launcher never stops.
      const bound = Math.max(2000, 2 * refMs + 250);
      const ms = await killAndTime(launcher, program, bound + 10_000);
      expect(ms, 'the program stopped after its launcher was killed').not.toBeNull();
      expect(ms as number, `reference (SIGTERM) ${refMs} ms`).toBeLessThan(bound);
    } finally {
      rmTmp(dir);
    }
  }, 300_000);

  it('runs the program with child processes, addons and WASI denied and workers allowed', () => {
    // The real launcher in front of a probe program: what the flags it passes actually allow.
    const probe = `
      import cp from 'node:child_process';
      import { Worker } from 'node:worker_threads';
      const out = {};
      const code = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code ?? String(e); } };
      out.child = code(() => cp.execFileSync('true'));
      out.addon = code(() => process.dlopen({ exports: {} }, '/nonexistent/addon.node'));
      out.wasi = await import('node:wasi').then((m) => code(() => new m.WASI({ version: 'preview1' })));
      out.worker = await new Promise((resolve) => {
        const w = new Worker('process.exit(0)', { eval: true });
        w.on('error', (e) => resolve(e.code ?? 'error'));
        w.on('exit', () => resolve('allowed'));
      });
      console.log(JSON.stringify(out));
    `;
    const dir = mkTmp();
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.copyFileSync(BIN, path.join(dir, 'bin', 'coldstake'));
      fs.writeFileSync(path.join(dir, 'dist', 'coldstake.mjs'), probe);
      const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'coldstake')], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      // An addon is refused before the file is looked at (not ERR_DLOPEN_FAILED); the code's name varies by Node version.
      expect(JSON.parse(r.stdout)).toEqual({ child: 'ERR_ACCESS_DENIED', addon: expect.stringMatching(/^ERR_(DLOPEN_DISABLED|ACCESS_DENIED)$/), wasi: 'ERR_ACCESS_DENIED', worker: 'allowed' });
    } finally {
      rmTmp(dir);
    }
  });

  it('is CommonJS: copied without any package.json, an old Node still gets the refusal, a current one runs', () => {
    // Node before 20.10 cannot load an extensionless ES module at all, and BUILD_FROM_SOURCE.md tells
    // operators to copy only bin/ and dist/: the launcher must parse as CommonJS to say "too old".
    const dir = mkTmp();
    try {
      fs.mkdirSync(path.join(dir, 'bin'));
      fs.mkdirSync(path.join(dir, 'dist'));
      fs.copyFileSync(BIN, path.join(dir, 'bin', 'coldstake'));
      fs.copyFileSync(BUNDLE, path.join(dir, 'dist', 'coldstake.mjs'));
      const preload = path.join(dir, 'old-node.cjs');
      fs.writeFileSync(preload, "Object.defineProperty(process.versions, 'node', { value: '20.9.0' });\n");
      // --no-experimental-detect-module: as in Node before 20.19, a file is CommonJS unless it says otherwise.
      const old = spawnSync(process.execPath, ['--no-experimental-detect-module', '-r', preload, path.join(dir, 'bin', 'coldstake'), 'version'], { encoding: 'utf8' });
      expect(old.stderr).toContain('coldstake: error: node 20.9.0 is too old: coldstake needs node >= 20.19.0');
      expect(old.status).toBe(2);
      assertCleanStderr(old.stderr);
      const now = spawnSync(process.execPath, [path.join(dir, 'bin', 'coldstake'), 'version', '--json'], { encoding: 'utf8' });
      expect(now.status).toBe(0);
      expect(JSON.parse(now.stdout).permission.enabled).toBe(true);
    } finally {
      rmTmp(dir);
    }
  });
});

describe('colour', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  const onTerminal = (env: NodeJS.ProcessEnv) => {
    const e: NodeJS.ProcessEnv = { ...process.env, ...env };
    if (env['NO_COLOR'] === undefined) delete e['NO_COLOR'];
    // util-linux script gives the CLI a pseudo-terminal; the session's output comes back on stdout.
    return spawnSync('script', ['-qec', `${BIN} airgap`, '/dev/null'], { encoding: 'utf8', env: e, timeout: 30_000 }).stdout;
  };
  // The human report's verdict and severities are coloured; the `coldstake: error:` grammar lines never are.
  it.skipIf(!hasScript)('a report on a terminal is coloured; NO_COLOR (even empty) turns it off', () => {
    expect(onTerminal({})).toMatch(/\x1b\[31m\x1b\[1mairgapped: (NO|yes)|\x1b\[3[12]m/);
    for (const value of ['1', '']) {
      const plain = onTerminal({ NO_COLOR: value });
      expect(plain).toMatch(/airgapped: (NO|yes)/);
      expect(plain).not.toContain('\x1b[');
    }
  });
  it('never coloured when stdout is not a terminal', () => {
    const r = runCli(['airgap'], { env: { NO_COLOR: undefined } });
    expect(r.stdout).toMatch(/airgapped: (NO|yes)/);
    expect(r.stdout + r.stderr).not.toContain('\x1b[');
  });
});

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const straceWorks = hasStrace && spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;

describe('no network sockets', () => {
  it.skipIf(!straceWorks)('a CLI run (main thread and a worker) under strace -f makes no AF_INET/AF_INET6 socket', () => {
    const dir = mkTmp();
    try {
      const log = path.join(dir, 'strace.log');
      const r = spawnSync('strace', ['-f', '-s', '4096', '-e', 'trace=socket,connect,execve', '-o', log, BIN, 'version', '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status).toBe(0);
      const trace = fs.readFileSync(log, 'utf8');
      // The trace really followed the launcher's child, the node process running the bundle.
      expect(trace).toMatch(/execve\("[^"]*node", \[[^\]]*--experimental-permission|execve\("[^"]*node", \[[^\]]*--permission/);
      expect(trace).toContain('coldstake.mjs');
      expect(trace).not.toMatch(/AF_INET6?\b/);
    } finally {
      rmTmp(dir);
    }
  });
});
