/**
 * No inspector, ever (issue 14 point 1): SIGUSR1 to the launcher or to the program during a long
 * `keys new` opens no debugger socket; NODE_OPTIONS=--inspect through the launcher opens none;
 * the guard refuses `node:inspector`; the bundle run directly runs itself under the permission model
 * (and waits blocked in spawnSync); so does `node bin/coldstake`, whose launcher is unprotected.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, BIN, BUNDLE, mkTmp, rmTmp, ROOT, runCli } from '../helpers/cli.js';

const hasSs = spawnSync('ss', ['-V'], { encoding: 'utf8' }).status === 0;
const hasPgrep = spawnSync('pgrep', ['-V'], { encoding: 'utf8' }).status === 0;
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const INPUT = 'test test test test test test test test test test test waste\ninspector-test-password\n';

let tmp: string;
beforeAll(() => {
  tmp = mkTmp();
});
afterAll(() => rmTmp(tmp));

/** Listening TCP sockets owned by any of `pids` (from `ss -ltnp`). */
function listeningSockets(pids: readonly number[]): string[] {
  const out = spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => pids.some((p) => l.includes(`pid=${p},`)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The program started by the launcher `pid` (not the helpers its shell part runs briefly). */
function childrenOf(pid: number): number[] {
  return spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number)
    .filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('coldstake.mjs');
      } catch {
        return false;
      }
    });
}

/** A clean environment for a run, plus `extra`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  delete e['COLDSTAKE_DEBUG'];
  return e;
}

describe('no inspector', () => {
  it.skipIf(!hasSs || !hasPgrep)('SIGUSR1 to the launcher and to the program during keys new: no listening socket, no "Debugger listening"', async () => {
    const out = path.join(tmp, 'sigusr1');
    const launcher = spawn(BIN, ['keys', 'new', '--network', 'hoodi', '--count', '400', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
      '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { cwd: ROOT, env: env(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    launcher.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    launcher.stdout.resume();
    launcher.stdin.end(INPUT);
    const exited = new Promise<number | null>((r) => launcher.on('close', (code) => r(code)));
    try {
      const pid = launcher.pid as number;
      // Wait until the program runs and is deriving keys (the keystore work has begun).
      let program: number | undefined;
      const t0 = Date.now();
      while (Date.now() - t0 < 30_000) {
        program = childrenOf(pid)[0];
        if (program !== undefined && fs.existsSync(out)) break;
        await sleep(50);
      }
      expect(program).toBeDefined();
      process.kill(pid, 'SIGUSR1');
      process.kill(program as number, 'SIGUSR1');
      await sleep(1500);
      // Both still running (SIGUSR1 neither opened a debugger nor killed them)...
      expect(launcher.exitCode).toBeNull();
      // ... and neither listens anywhere.
      expect(listeningSockets([pid, program as number])).toEqual([]);
      expect(stderr).not.toMatch(/Debugger listening|inspector/i);
      // Done: stop it early (the result of keys new itself is tested elsewhere).
      process.kill(pid, 'SIGTERM');
      expect([130, 143]).toContain(await exited);
      expect(stderr).not.toMatch(/Debugger listening/);
    } finally {
      try { process.kill(-(launcher.pid as number), 'SIGKILL'); } catch { /* gone */ }
    }
  }, 60_000);

  it.skipIf(!hasSs)('NODE_OPTIONS=--inspect and other NODE_* variables do not reach node through the launcher', async () => {
    const preload = path.join(tmp, 'preload.cjs');
    const marker = path.join(tmp, 'preloaded');
    fs.writeFileSync(preload, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const child = spawn(BIN, ['version', '--json'], {
      cwd: ROOT,
      env: env({ NODE_OPTIONS: `--inspect=127.0.0.1:0 --require ${preload}`, NODE_DEBUG: 'stream,fs', NODE_PATH: tmp }),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    // Look for a socket while it runs, not only after.
    const seen: string[] = [];
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    let done = false;
    void exited.then(() => { done = true; });
    while (!done) {
      const pids = [child.pid as number, ...childrenOf(child.pid as number)];
      seen.push(...listeningSockets(pids));
      await sleep(30);
    }
    expect(await exited).toBe(0);
    expect(seen).toEqual([]);
    expect(stderr).toBe('');
    expect(fs.existsSync(marker)).toBe(false);
    expect(JSON.parse(stdout).permission.enabled).toBe(true);
  }, 60_000);

  it('the guard refuses node:inspector (open, sessions) in the bundle', () => {
    const script = `
      await import(${JSON.stringify(BUNDLE)});
      const inspector = (await import('node:inspector')).default;
      const { open } = await import('node:inspector');
      const promises = await import('node:inspector/promises');
      const code = (f) => { try { f(); return 'allowed'; } catch (e) { return e.code ?? String(e); } };
      // waitForDebugger first: after a successful open it would wait for ever.
      const waitForDebugger = code(() => inspector.waitForDebugger());
      console.log(JSON.stringify({
        waitForDebugger,
        open: code(() => inspector.open(0, '127.0.0.1')),
        namedOpen: code(() => open(0, '127.0.0.1')),
        session: code(() => new inspector.Session().connect()),
        promisesSession: code(() => new promises.Session().connect()),
        binding: code(() => process.binding('inspector')),
        url: inspector.url() ?? null,
      }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: env(), timeout: 30_000 });
    expect(r.stderr).toBe('');
    const denied = 'ERR_COLDSTAKE_NETWORK_DISABLED';
    expect(JSON.parse(r.stdout)).toEqual({ waitForDebugger: denied, open: denied, namedOpen: denied, session: denied, promisesSession: denied, binding: denied, url: null });
  });

  it('the bundle run directly, and node bin/coldstake, run the program under the permission model and wait for it', () => {
    const mnemonic = path.join(tmp, 'm.txt');
    fs.writeFileSync(mnemonic, 'test test test test test test test test test test test waste\n');
    // node dist/coldstake.mjs: the secret is handled in a child under the permission model.
    const direct = spawnSync(process.execPath, [BUNDLE, 'mnemonic', 'check', '--mnemonic-file', mnemonic], { encoding: 'utf8', env: env() });
    expect(direct.status).toBe(0);
    assertCleanStderr(direct.stderr);
    const viaNode = spawnSync(process.execPath, [BIN, 'keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS,
      '--kdf', 'pbkdf2', '--out', path.join(tmp, 'vianode'), '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { encoding: 'utf8', env: env(), input: INPUT });
    // node bin/coldstake: the launcher has no permission model, so it waits blocked in spawnSync.
    expect(viaNode.status).toBe(0);
    assertCleanStderr(viaNode.stderr);
    expect(fs.readdirSync(path.join(tmp, 'vianode')).filter((f) => f.startsWith('keystore-'))).toHaveLength(1);
    const viaNodeVersion = spawnSync(process.execPath, [BIN, 'version', '--json'], { encoding: 'utf8', env: env() });
    expect(viaNodeVersion.status).toBe(0);
    expect(JSON.parse(viaNodeVersion.stdout).permission.enabled).toBe(true);
    const stdinPassword = spawnSync(process.execPath, [BUNDLE, 'keystore', 'verify', mnemonic, '--password-file', '-'], { encoding: 'utf8', env: env(), input: 'pw\n' });
    expect(stdinPassword.stderr).not.toMatch(/internal/);
    const version = spawnSync(process.execPath, [BUNDLE, 'version', '--json'], { encoding: 'utf8', env: env() });
    expect(version.status).toBe(0);
    expect(JSON.parse(version.stdout).permission.enabled).toBe(true);
    // And through the launcher the same secret command runs.
    const ok = runCli(['mnemonic', 'check', '--mnemonic-file', mnemonic]);
    expect(ok.code).toBe(0);
  });
});
