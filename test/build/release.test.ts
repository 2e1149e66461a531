/**
 * The release (issue 21), built once for the whole file: `npm run release` (scripts/release.mjs) in
 * two copies of the source, in different directories, time zones, umasks and clocks, side by side.
 * Every file of the two release/ directories is byte-identical. Then run A's x64 single executable,
 * started with `env -i` (no PATH, so no node to find) from an empty directory, runs the end-to-end
 * workflows (airgap, mnemonic new, keys new with byte-identical deposit data, keystore verify,
 * deposit verify, backup sheet) with the same results as the bundle, ignores NODE_OPTIONS, opens no
 * inspector on SIGUSR1 at a prompt, and makes no AF_INET/AF_INET6 socket under strace. The arm64
 * file is checked as an aarch64 ELF with the blob injected, and run under qemu-user where present.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseMnemonic } from '../../src/core/mnemonic/diagnose.js';
import { assertCleanStderr, BUNDLE, FIXTURES, mkTmp, rmTmp, ROOT, runCli } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const PINS = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'node-binaries.json'), 'utf8')) as { version: string };
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SOURCE_ENTRIES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsup.config.ts', 'src', 'scripts', 'bin'];
const has = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' }).status === 0;
const hasFaketime = has('faketime', ['2031-03-04 05:06:07', 'true']);
const hasStrace = has('strace', ['-V']);
const hasSs = has('ss', ['-V']);
const ENV = spawnSync('sh', ['-c', 'command -v env'], { encoding: 'utf8' }).stdout.trim() || '/usr/bin/env';
const MNEMONIC = 'test test test test test test test test test test test waste';
const PASSWORD = 'keystore-password-42';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const MAINNET_0X01 = path.join(FIXTURES, 'deposit', 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_true', 'deposit_data-1715584107.json');

let root = '';
let relA = '';
let relB = '';
let X = '';
let ARM = '';
let bare = '';
let work = '';
let unavailable: string | null = null;

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function copySource(dest: string): void {
  fs.mkdirSync(path.join(dest, '.cache'), { recursive: true });
  for (const e of SOURCE_ENTRIES) fs.cpSync(path.join(ROOT, e), path.join(dest, e), { recursive: true });
  for (const [from, to] of [['node_modules', 'node_modules'], [path.join('.cache', 'node-binaries'), path.join('.cache', 'node-binaries')]] as const) {
    const r = spawnSync('cp', ['-al', path.join(ROOT, from), path.join(dest, to)]);
    if (r.status !== 0) fs.cpSync(path.join(ROOT, from), path.join(dest, to), { recursive: true, verbatimSymlinks: true });
  }
}

function release(dir: string, tz: string, umask: string, clock: string | null): Promise<void> {
  const cmd = `umask ${umask} && ${clock && hasFaketime ? `faketime '${clock}' ` : ''}${JSON.stringify(process.execPath)} scripts/release.mjs`;
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', cmd], { cwd: dir, env: { ...process.env, TZ: tz, LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`release failed in ${dir} (exit ${code}): ${err}`))));
  });
}

beforeAll(async () => {
  // The pinned Node packages: fetched once into .cache/node-binaries (npm pack; a no-op when cached).
  const fetched = spawnSync(process.execPath, ['scripts/release.mjs', '--fetch-only'], { cwd: ROOT, encoding: 'utf8' });
  if (fetched.status !== 0) {
    unavailable = `the pinned Node packages could not be fetched (offline without .cache/node-binaries?): ${fetched.stderr.trim()}`;
    console.log(`release tests skipped: ${unavailable}`);
    return;
  }
  root = mkTmp('coldstake-release-');
  const dirA = path.join(root, 'a');
  const dirB = path.join(root, 'b', 'some', 'deeper', 'checkout');
  copySource(dirA);
  copySource(dirB);
  const t0 = Date.now();
  await Promise.all([release(dirA, 'UTC', '022', null), release(dirB, 'Pacific/Kiritimati', '077', '2031-03-04 05:06:07')]);
  console.log(`two release runs side by side: ${((Date.now() - t0) / 1000).toFixed(1)} s${hasFaketime ? '' : ' (faketime missing: same clock)'}`);
  relA = path.join(dirA, 'release');
  relB = path.join(dirB, 'release');
  // The executables move to a directory of their own: nothing of the source tree beside them.
  bare = path.join(root, 'bare');
  work = path.join(root, 'work');
  fs.mkdirSync(bare);
  fs.mkdirSync(work);
  X = path.join(root, 'bin-x64', `coldstake-${VERSION}-linux-x64`);
  ARM = path.join(relA, `coldstake-${VERSION}-linux-arm64`);
  fs.mkdirSync(path.dirname(X));
  fs.copyFileSync(path.join(relA, path.basename(X)), X);
  fs.chmodSync(X, 0o755);
}, 1_200_000);

afterAll(() => {
  if (root) rmTmp(root);
});

function ready(ctx: { skip: (note?: string) => void }): void {
  if (unavailable) ctx.skip(unavailable);
}

interface Run { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** `env -i [VARS] X ARGS` from the empty directory: no PATH, no HOME, no node anywhere it could look. */
function runX(args: readonly string[], opts: { input?: string; vars?: Record<string, string>; cwd?: string } = {}): Run {
  const vars = Object.entries(opts.vars ?? {}).map(([k, v]) => `${k}=${v}`);
  const r = spawnSync(ENV, ['-i', ...vars, X, ...args], { cwd: opts.cwd ?? bare, input: opts.input ?? '', encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024, ...({ detached: true } as object) });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else out.push(path.relative(dir, path.join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe('npm run release', () => {
  it('two runs (other directory, time zone, umask, clock) give identical bytes; SHA256SUMS covers every file', (ctx) => {
    ready(ctx);
    const files = listFiles(relA);
    expect(files).toEqual([
      'SHA256SUMS', 'bin/coldstake', 'bin/package.json', `coldstake-${VERSION}-linux-arm64`, `coldstake-${VERSION}-linux-x64`,
      `coldstake-${VERSION}-standalone.cjs`, 'dist/coldstake.mjs',
    ]);
    expect(listFiles(relB)).toEqual(files);
    for (const f of files) {
      const a = sha256(path.join(relA, f));
      expect(sha256(path.join(relB, f)), f).toBe(a);
      console.log(`${a}  ${f}`);
    }
    const check = spawnSync('sha256sum', ['-c', '--strict', 'SHA256SUMS'], { cwd: relA, encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const listed = fs.readFileSync(path.join(relA, 'SHA256SUMS'), 'utf8').trim().split('\n').map((l) => l.split('  ')[1]);
    expect(listed).toEqual(files.filter((f) => f !== 'SHA256SUMS'));
    // The bundle in the release is the one under test (the main build is reproducible too).
    expect(sha256(path.join(relA, 'dist', 'coldstake.mjs'))).toBe(sha256(BUNDLE));
    for (const f of [path.basename(X), `coldstake-${VERSION}-linux-arm64`, 'bin/coldstake']) expect(fs.statSync(path.join(relA, f)).mode & 0o777, f).toBe(0o755);
  });

  it('the arm64 file is an aarch64 ELF with the blob injected (fuse set, embedded code present)', (ctx) => {
    ready(ctx);
    const arm = fs.readFileSync(ARM);
    expect(arm.subarray(0, 4).toString('latin1')).toBe('\x7fELF');
    expect(arm[4]).toBe(2); // 64-bit
    expect(arm.readUInt16LE(18)).toBe(183); // EM_AARCH64
    const x64 = fs.readFileSync(X);
    expect(x64.readUInt16LE(18)).toBe(62); // EM_X86_64
    const code = fs.readFileSync(path.join(relA, `coldstake-${VERSION}-standalone.cjs`));
    for (const [name, bin] of [['arm64', arm], ['x64', x64]] as const) {
      expect(bin.includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1'), `${name} fuse`).toBe(true);
      expect(bin.includes(code), `${name} carries the embedded code`).toBe(true);
    }
  });

  const qemu = spawnSync('sh', ['-c', 'command -v qemu-aarch64'], { encoding: 'utf8' }).stdout.trim();
  const sysroot = ['/usr/aarch64-linux-gnu', '/'].find((d) => fs.existsSync(path.join(d, 'lib', 'ld-linux-aarch64.so.1')));
  // `--version` only: `version` would hash the 125 MB file in emulation (30 s of CPU on a loaded machine).
  it('the arm64 executable runs under qemu-user: the embedded program answers, NODE_OPTIONS ignored', (ctx) => {
    ready(ctx);
    if (!qemu || !sysroot) ctx.skip('qemu-aarch64 or an aarch64 libc (Debian: qemu-user, libc6-arm64-cross, libstdc++6-arm64-cross) missing');
    const r = spawnSync(ENV, ['-i', 'NODE_OPTIONS=--version', qemu, '-L', sysroot!, ARM, '--version'], { cwd: bare, encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
    expect(r.stderr).toBe('');
  });
});

describe('the x64 executable, started with env -i from an empty directory', () => {
  it('version: standalone, its own SHA-256, the embedded Node, the bundle hash; --json has the same', (ctx) => {
    ready(ctx);
    const j = runX(['version', '--json']);
    expect(j.code, j.stderr).toBe(0);
    expect(j.stderr).toBe('');
    const v = JSON.parse(j.stdout);
    expect(v).toMatchObject({
      version: VERSION,
      build: 'standalone',
      node: PINS.version,
      file: X,
      sha256: sha256(X),
      bundleSha256: sha256(path.join(relA, `coldstake-${VERSION}-standalone.cjs`)),
      permission: { enabled: true, childProcess: false, addons: false, wasi: false, worker: true },
    });
    expect(v.node).not.toBe(process.versions.node);
    expect(v.guard.main).toMatchObject({ installed: true, tampered: [] });
    expect(v.guard.worker).toMatchObject({ installed: true, tampered: [] });
    const h = runX(['version']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('standalone executable');
    expect(h.stdout).toContain(`${PINS.version} (embedded)`);
    expect(h.stdout).toContain(v.sha256);
    expect(h.stdout).toContain(v.bundleSha256);
    expect(runX(['--version']).stdout).toBe(`${VERSION}\n`);
  });

  it('airgap: the same verdict and findings as the bundle on every fixture tree', (ctx) => {
    ready(ctx);
    const dir = path.join(FIXTURES, 'airgap');
    const trees = fs.readdirSync(dir).filter((d) => fs.statSync(path.join(dir, d)).isDirectory());
    expect(trees.length).toBeGreaterThan(5);
    for (const t of trees.slice(0, 3)) {
      const ours = runX(['airgap', '--root', path.join(dir, t), '--json']);
      const bundle = runCli(['airgap', '--root', path.join(dir, t), '--json']);
      expect(ours.code, t).toBe(bundle.code);
      expect(JSON.parse(ours.stdout), t).toEqual(JSON.parse(bundle.stdout));
    }
  });

  it('keys new: deposit data byte-identical to ethstaker-deposit-cli; keystore verify and deposit verify pass (worker threads)', (ctx) => {
    ready(ctx);
    const out = path.join(work, 'keys');
    const r = runX(['keys', 'new', '--network', 'hoodi', '--count', '2', '--withdrawal-address', ADDRESS, '--out', out,
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online', '--json'], { input: `${MNEMONIC}\n${PASSWORD}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(PASSWORD);
    const files = fs.readdirSync(out).sort();
    expect(files).toHaveLength(3);
    const vdir = path.join(FIXTURES, 'keys', 'lighthouse_edc', 'hoodi_first_0_count_2_prefix_0x01_eth1_true');
    const expected = fs.readFileSync(path.join(vdir, fs.readdirSync(vdir)[0]!), 'utf8');
    const ours = fs.readFileSync(path.join(out, files[0]!), 'utf8');
    expect(ours).toBe(expected.split('"deposit_cli_version": "1.3.0"').join(`"deposit_cli_version": "${VERSION}"`));
    for (const f of files.slice(1)) expect(fs.statSync(path.join(out, f)).mode & 0o777).toBe(0o600);

    const pw = path.join(work, 'pw.txt');
    fs.writeFileSync(pw, `${PASSWORD}\n`);
    const ks = runX(['keystore', 'verify', out, '--password-file', pw, '--deposit-data', path.join(out, files[0]!), '--network', 'hoodi', '--json']);
    expect(ks.code, ks.stderr).toBe(0);
    expect(JSON.parse(ks.stdout).ok).toBe(true);

    for (const [f, network] of [[path.join(out, files[0]!), 'hoodi'], [MAINNET_0X01, 'mainnet']] as const) {
      const args = ['deposit', 'verify', f, '--network', network, '--json'];
      const mine = runX(args);
      const bundle = runCli(args);
      expect(mine.code, mine.stderr).toBe(bundle.code);
      expect(mine.code).toBe(0);
      expect(mine.stdout).toBe(bundle.stdout);
    }
  });

  it('backup sheet: the same sheet file as the bundle', (ctx) => {
    ready(ctx);
    const mf = path.join(work, 'sheet-mnemonic.txt');
    fs.writeFileSync(mf, `${MNEMONIC}\n`);
    const a = path.join(work, 'sheet-binary.txt');
    const b = path.join(work, 'sheet-bundle.txt');
    const mine = runX(['backup', 'sheet', '--allow-online', '--mnemonic-file', mf, '--out', a, '--json']);
    const bundle = runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', mf, '--out', b, '--json']);
    expect(mine.code, mine.stderr).toBe(0);
    expect(bundle.code).toBe(0);
    expect(fs.readFileSync(a, 'utf8')).toBe(fs.readFileSync(b, 'utf8'));
    expect(fs.statSync(a).mode & 0o777).toBe(0o600);
    expect(JSON.parse(mine.stdout).fingerprint).toEqual(JSON.parse(bundle.stdout).fingerprint);
  });

  it('mnemonic new --out: a valid 24-word mnemonic in a 0600 file after the retype check from stdin', async (ctx) => {
    ready(ctx);
    const file = path.join(work, 'new-mnemonic.txt');
    const child = spawn(ENV, ['-i', X, 'mnemonic', 'new', '--allow-online', '--out', file], { cwd: bare, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      const m = /reading words? ([\d, ]+) of the mnemonic from standard input/.exec(stderr);
      if (m && !child.stdin.writableEnded) {
        const words = fs.readFileSync(file, 'utf8').trim().split(' ');
        child.stdin.end(`${m[1]!.split(', ').map((p) => words[Number(p) - 1]).join('\n')}\n`);
      }
    });
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(0);
    const d = diagnoseMnemonic(fs.readFileSync(file, 'utf8'), { reveal: true });
    expect(d.ok).toBe(true);
    expect(d.wordCount).toBe(24);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('NODE_OPTIONS and --node-options are ignored: --require=FILE does not run FILE, --inspect opens no socket; other NODE_* are refused', async (ctx) => {
    ready(ctx);
    const marker = path.join(work, 'preloaded');
    const preload = path.join(work, 'preload.cjs');
    fs.writeFileSync(preload, `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    const req = runX(['version', '--json'], { vars: { NODE_OPTIONS: `--require=${preload}` } });
    expect(req.code, req.stderr).toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
    // --node-options is not Node's here (execArgvExtension "none"): coldstake sees an unknown option.
    const cli = runX([`--node-options=--require=${preload}`, 'version']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("unknown option '--node-options'");
    expect(fs.existsSync(marker)).toBe(false);

    // --inspect: watch the process's listening sockets while it runs (keys new takes a while).
    const out = path.join(work, 'inspect-keys');
    const child = spawn(ENV, ['-i', 'NODE_OPTIONS=--inspect=127.0.0.1:9229', X, 'keys', 'new', '--network', 'hoodi', '--count', '2', '--kdf', 'pbkdf2',
      '--withdrawal-address', ADDRESS, '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { cwd: bare, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdin.end(`${MNEMONIC}\n${PASSWORD}\n`);
    let done = false;
    const exited = new Promise<number | null>((r) => child.on('close', (c) => { done = true; r(c); }));
    const seen: string[] = [];
    let polls = 0;
    while (!done) {
      seen.push(...listening(child.pid as number));
      polls++;
      await sleep(100);
    }
    expect(await exited, stderr).toBe(0);
    expect(polls).toBeGreaterThan(2);
    expect(seen).toEqual([]);
    expect(stderr).not.toMatch(/Debugger listening|inspector/i);

    // NODE_EXTRA_CA_CERTS (set system-wide on many machines) changes nothing here and may stay.
    const ca = runX(['--version'], { vars: { NODE_EXTRA_CA_CERTS: '/nonexistent.pem', NODE_OPTIONS: '--version' } });
    expect(ca.code, ca.stderr).toBe(0);
    expect(ca.stdout).toBe(`${VERSION}\n`);
    for (const vars of [{ NODE_DEBUG: 'stream' }, { NODE_ICU_DATA: work }] as Record<string, string>[]) {
      const r = runX(['version'], { vars });
      expect(r.code).toBe(3);
      assertCleanStderr(r.stderr);
      expect(r.stderr).toContain(`refusing to run: ${Object.keys(vars)[0]} is set`);
      expect(r.stdout).toBe('');
    }
  });

  it('SIGUSR1 at the mnemonic prompt opens no inspector', async (ctx) => {
    ready(ctx);
    if (!ptyAvailable()) ctx.skip('python3 pty missing');
    const s = new PtySession(['-i', X, 'keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS, '--out', path.join(work, 'usr1'), '--allow-online'],
      { program: ENV, cwd: bare, rawEnv: {} });
    try {
      await s.expect(/mnemonic/i);
      const pid = pidsOf(X)[0];
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGUSR1');
      await sleep(1500);
      expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
      expect(listening(pid!)).toEqual([]);
      expect(s.output).not.toMatch(/Debugger listening/);
    } finally {
      s.kill();
    }
  });

  it('a workflow under strace -f makes no AF_INET or AF_INET6 socket', (ctx) => {
    ready(ctx);
    if (!hasStrace) ctx.skip('strace missing');
    const log = path.join(work, 'strace.log');
    const pw = path.join(work, 'pw-strace.txt');
    const mf = path.join(work, 'mnemonic-strace.txt');
    fs.writeFileSync(pw, `${PASSWORD}\n`);
    fs.writeFileSync(mf, `${MNEMONIC}\n`);
    const out = path.join(work, 'strace-keys');
    const script = [
      `"$X" airgap --json >/dev/null || true`,
      `"$X" keys new --network hoodi --count 2 --kdf pbkdf2 --withdrawal-address ${ADDRESS} --out "$OUT" --mnemonic-file "$MF" --password-file "$PW" --allow-online`,
      `"$X" keystore verify "$OUT" --password-file "$PW"`,
      `"$X" deposit verify "$OUT"/deposit_data-*.json --network hoodi`,
      `"$X" version >/dev/null`,
    ].join(' && ');
    const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=socket,socketpair', '-o', log, ENV, '-i', `X=${X}`, `OUT=${out}`, `MF=${mf}`, `PW=${pw}`, '/bin/sh', '-c', script],
      { cwd: bare, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0 && /ptrace|Operation not permitted/.test(r.stderr)) ctx.skip(`strace cannot trace here: ${r.stderr.trim().split('\n')[0]}`);
    expect(r.status, r.stderr).toBe(0);
    const trace = fs.readFileSync(log, 'utf8');
    expect(trace.split('\n').filter((l) => /AF_INET6?\b/.test(l))).toEqual([]);
    expect(fs.readdirSync(out)).toHaveLength(3);
  });
});

/** Pids whose executable is `file`. */
function pidsOf(file: string): number[] {
  const real = fs.realpathSync(file);
  return fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => {
    try {
      return fs.readlinkSync(`/proc/${p}/exe`) === real;
    } catch {
      return false;
    }
  });
}

/** Listening TCP sockets of `pid` (ss -ltnp), or, without ss, any TCP socket inode it holds in LISTEN state. */
function listening(pid: number): string[] {
  if (hasSs) return spawnSync('ss', ['-ltnpH'], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(`pid=${pid},`));
  let inodes: string[] = [];
  try {
    inodes = fs.readdirSync(`/proc/${pid}/fd`).map((fd) => { try { return fs.readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { return ''; } })
      .map((l) => /^socket:\[(\d+)\]$/.exec(l)?.[1] ?? '').filter(Boolean);
  } catch {
    return [];
  }
  const rows = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((f) => { try { return fs.readFileSync(f, 'utf8').split('\n').slice(1); } catch { return []; } });
  return rows.filter((row) => { const c = row.trim().split(/\s+/); return c[3] === '0A' && inodes.includes(c[9] ?? ''); });
}
