/**
 * `coldstake keys new` through the real binary. One test runs the default scrypt (n=2^18) for two
 * keystores end to end; every bad-input test fails before any KDF runs.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { decrypt } from '@chainsafe/bls-keystore';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretToPublicKey } from '../../src/core/eth/bls.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { mnemonicToSeed } from '../../src/core/mnemonic/mnemonic.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';

const MNEMONIC = 'test test test test test test test test test test test waste';
const PASSWORD = 'keystore-password-42';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const STDIN = `${MNEMONIC}\n${PASSWORD}\n`;

let tmp: string;
beforeEach(() => { tmp = mkTmp('coldstake-keys-cli-'); });
afterEach(() => rmTmp(tmp));

function keysNew(extra: string[], opts: { input?: string; out?: string; allowOnline?: boolean } = {}) {
  const out = opts.out ?? path.join(tmp, 'out');
  const args = ['keys', 'new', '--network', 'hoodi', '--count', '2', '--withdrawal-address', ADDRESS, '--out', out,
    '--mnemonic-file', '-', '--password-file', '-', ...(opts.allowOnline === false ? [] : ['--allow-online']), ...extra];
  return { out, r: runCli(args, { input: opts.input ?? STDIN, timeoutMs: 120_000 }) };
}

function expectOneError(r: { code: number | null; stderr: string }, code: number, re: RegExp): void {
  expect(r.code).toBe(code);
  assertCleanStderr(r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(re);
  expect(r.stderr).not.toContain('waste');
  expect(r.stderr).not.toContain(PASSWORD);
}

describe('keys new end to end (scrypt n=2^18, 2 keystores)', () => {
  it('writes ethstaker-compatible files, re-verifies, reports --json without secrets', async () => {
    const { out, r } = keysNew(['--json']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      ok: true,
      command: 'keys new',
      airgap: { allowed_online: true },
      network: 'hoodi',
      fork_version: '10000910',
      withdrawal_address: ADDRESS,
      withdrawal_credentials_type: '0x01',
      amount_gwei: 32000000000,
      kdf: { function: 'scrypt', params: { n: 262144, r: 8, p: 1, dklen: 32 } },
      kdf_salt: 'per-batch',
      kdf_runs: 2,
    });
    // Every keystore was opened from disk by the re-derived batch key.
    expect(report.findings.find((f: { id: string }) => f.id === 'keys-outputs-verified').evidence.keystores_full_kdf).toBe(2);
    const ids = report.findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('keys-outputs-verified');
    // --allow-online is on the record; a checksummed address and 32 ETH earn no other warning.
    expect(ids.filter((id: string) => id !== 'keys-outputs-verified')).toEqual(['keys-generated-online']);
    expect(r.stdout).not.toContain('waste');
    expect(r.stdout).not.toContain(PASSWORD);

    const files = fs.readdirSync(out).sort();
    expect(files).toHaveLength(3);
    const t = /^deposit_data-(\d+)\.json$/.exec(files[0]!)![1];
    expect(files.slice(1)).toEqual([`keystore-m_12381_3600_0_0_0-${t}.json`, `keystore-m_12381_3600_1_0_0-${t}.json`]);

    // Byte-identical to ethstaker-deposit-cli 1.3.0 except deposit_cli_version.
    const vdir = path.join(FIXTURES, 'keys', 'lighthouse_edc', 'hoodi_first_0_count_2_prefix_0x01_eth1_true');
    const expected = fs.readFileSync(path.join(vdir, fs.readdirSync(vdir)[0]!), 'utf8');
    const ours = fs.readFileSync(path.join(out, files[0]!), 'utf8');
    const version = JSON.parse(ours)[0].deposit_cli_version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(ours).toBe(expected.split('"deposit_cli_version": "1.3.0"').join(`"deposit_cli_version": "${version}"`));
    expect(report.deposit_file).toBe(path.join(out, files[0]!));
    expect(report.deposit_file_sha256).toBe(createHashHex(ours));
    expect(report.validators.map((v: { pubkey: string }) => v.pubkey)).toEqual(JSON.parse(ours).map((e: { pubkey: string }) => e.pubkey));

    for (const f of files.slice(1)) expect(fs.statSync(path.join(out, f)).mode & 0o777).toBe(0o600);
    const ks = JSON.parse(fs.readFileSync(path.join(out, files[2]!), 'utf8'));
    expect(ks.crypto.kdf.params.n).toBe(262144);
    expect(bytesToHex(secretToPublicKey(await decrypt(ks, PASSWORD)))).toBe(JSON.parse(ours)[1].pubkey);
  }, 120_000);

  it('--kdf pbkdf2 (c=2^18), --passphrase from stdin, 0x02 with 2048 ETH on mainnet', async () => {
    const out = path.join(tmp, 'pbkdf2');
    const r = runCli(['keys', 'new', '--network', 'mainnet', '--count', '1', '--start-index', '7', '--withdrawal-address', ADDRESS,
      '--compounding', '--amount', '2048', '--kdf', 'pbkdf2', '--passphrase', '--out', out, '--mnemonic-file', '-', '--password-file', '-',
      '--allow-online', '--json'], { input: `${MNEMONIC}\nTREZOR\n${PASSWORD}\n`, timeoutMs: 120_000 });
    expect(r.code).toBe(0);
    assertCleanStderr(r.stderr);
    expect(r.stderr).not.toContain('TREZOR');
    const report = JSON.parse(r.stdout);
    expect(r.stdout).not.toContain('TREZOR');
    expect(report).toMatchObject({ network: 'mainnet', fork_version: '00000000', withdrawal_credentials_type: '0x02', amount_gwei: 2048000000000, kdf: { function: 'pbkdf2', params: { c: 262144, dklen: 32, prf: 'hmac-sha256' } } });
    // The passphrase is part of the seed: the key is m/12381/3600/7/0/0 of (mnemonic, TREZOR).
    const k = deriveValidatorKeys(mnemonicToSeed(MNEMONIC, 'TREZOR'), 7);
    const expectedPubkey = bytesToHex(secretToPublicKey(k.signingSk));
    expect(report.validators).toEqual([expect.objectContaining({ index: 7, path: 'm/12381/3600/7/0/0', pubkey: expectedPubkey, withdrawal_credentials: `020000000000000000000000${ADDRESS.slice(2).toLowerCase()}` })]);
    const [entry] = JSON.parse(fs.readFileSync(report.deposit_file, 'utf8'));
    expect(entry.amount).toBe(2048000000000);
    const ks = JSON.parse(fs.readFileSync(report.validators[0].keystore_file, 'utf8'));
    expect(ks.crypto.kdf.function).toBe('pbkdf2');
    expect(bytesToHex(await decrypt(ks, PASSWORD))).toBe(bytesToHex(k.signingSk));
  }, 120_000);

  // Hang guard for the two Ctrl-C runs (scrypt keystores): long enough for a loaded 2-core machine.
  const LOADED_TIMEOUT = 600_000;

  it('Ctrl-C during the batch KDF stops at once (exit 130) and leaves no file and no directory', async () => {
    const t0 = performance.now();
    runCli(['--help']);
    const startupMs = performance.now() - t0;
    const out = path.join(tmp, 'interrupted-kdf');
    const child = spawnCli(['keys', 'new', '--network', 'hoodi', '--count', '3', '--withdrawal-address', ADDRESS, '--out', out,
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online']);
    child.stdin.end(STDIN);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const done = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
    // The output directory is created once every input is confirmed, right before the batch KDF.
    const start = Date.now();
    while (Date.now() - start < 60_000 && !fs.existsSync(out)) await new Promise((r) => setTimeout(r, 10));
    expect(fs.existsSync(out)).toBe(true);
    const sent = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    const { code, at } = await done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/coldstake: error: interrupted/);
    expect(fs.existsSync(out)).toBe(false);
    expect(at - sent).toBeLessThan(Math.max(1000, 2 * startupMs));
  }, 120_000);

  it('keys new output verifies clean with keystore verify (one KDF key shared: info, exit 0); --kdf-salt per-keystore gives one salt each', () => {
    const batch = runCli(['keys', 'new', '--network', 'hoodi', '--count', '3', '--withdrawal-address', ADDRESS, '--out', path.join(tmp, 'b'),
      '--kdf', 'pbkdf2', '--mnemonic-file', '-', '--password-file', '-', '--allow-online', '--json'], { input: STDIN, timeoutMs: 120_000 });
    expect(batch.code).toBe(0);
    expect(JSON.parse(batch.stdout)).toMatchObject({ kdf_salt: 'per-batch', kdf_runs: 2 });
    const pwFile = path.join(tmp, 'pw');
    fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    const v = runCli(['keystore', 'verify', path.join(tmp, 'b'), '--password-file', pwFile, '--json'], { timeoutMs: 120_000 });
    expect(v.code).toBe(0);
    const vj = JSON.parse(v.stdout);
    expect(vj.findings.map((f: { id: string }) => f.id)).toEqual(['keystore-kdf-shared']);
    expect(vj.keystores.map((k: { decrypted: string }) => k.decrypted)).toEqual(['ok', 'ok', 'ok']);

    const each = runCli(['keys', 'new', '--network', 'hoodi', '--count', '2', '--withdrawal-address', ADDRESS, '--out', path.join(tmp, 'e'),
      '--kdf', 'pbkdf2', '--kdf-salt', 'per-keystore', '--mnemonic-file', '-', '--password-file', '-', '--allow-online', '--json'], { input: STDIN, timeoutMs: 120_000 });
    expect(each.code).toBe(0);
    const ej = JSON.parse(each.stdout);
    expect(ej).toMatchObject({ kdf_salt: 'per-keystore', kdf_runs: 3 });
    const salts = ej.validators.map((x: { keystore_file: string }) => JSON.parse(fs.readFileSync(x.keystore_file, 'utf8')).crypto.kdf.params.salt);
    expect(new Set(salts).size).toBe(2);

    const bad = runCli(['keys', 'new', '--network', 'hoodi', '--count', '2', '--withdrawal-address', ADDRESS, '--out', path.join(tmp, 'x'),
      '--kdf-salt', 'shared', '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { input: STDIN });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^coldstake: error: --kdf-salt must be per-batch or per-keystore/m);
  }, 240_000);

  it('Ctrl-C while keystores are being built removes everything it wrote', async () => {
    const out = path.join(tmp, 'interrupted');
    const child = spawnCli(['keys', 'new', '--network', 'hoodi', '--count', '6', '--withdrawal-address', ADDRESS, '--out', out,
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online']);
    child.stdin.end(STDIN);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait until the first keystore is on disk, then interrupt the whole process group.
    // No wall-clock deadline of its own (a loaded machine may take minutes to reach the first
    // keystore): it waits for that keystore or the end of the run; the test timeout is the hang guard.
    let exited = false;
    void done.then(() => { exited = true; });
    while (!exited && !(fs.existsSync(out) && fs.readdirSync(out).some((f) => f.startsWith('keystore-')))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.readdirSync(out).some((f) => f.startsWith('keystore-'))).toBe(true);
    process.kill(-child.pid!, 'SIGINT');
    const code = await done;
    expect(code).toBe(130);
    expect(stderr).toMatch(/coldstake: error: interrupted/);
    expect(fs.existsSync(out)).toBe(false);
  }, LOADED_TIMEOUT);

  it('SIGINT to the launcher alone (timeout -s INT, a supervisor) stops the program the same way', async () => {
    const out = path.join(tmp, 'interrupted-launcher');
    const child = spawnCli(['keys', 'new', '--network', 'hoodi', '--count', '6', '--withdrawal-address', ADDRESS, '--out', out,
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online']);
    child.stdin.end(STDIN);
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += String(d); });
    const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // No wall-clock deadline of its own (a loaded machine may take minutes to reach the first
    // keystore): it waits for that keystore or the end of the run; the test timeout is the hang guard.
    let exited = false;
    void done.then(() => { exited = true; });
    while (!exited && !(fs.existsSync(out) && fs.readdirSync(out).some((f) => f.startsWith('keystore-')))) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(fs.readdirSync(out).some((f) => f.startsWith('keystore-'))).toBe(true);
    process.kill(child.pid!, 'SIGINT');
    expect(await done).toBe(130);
    expect(stderr).toMatch(/coldstake: error: interrupted/);
    expect(fs.existsSync(out)).toBe(false);
  }, LOADED_TIMEOUT);
});

function createHashHex(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

describe('keys new refuses bad input before writing anything', () => {
  it.each([
    [['--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09A'], /--withdrawal-address: address must have 40 hex digits after 0x, got 39/],
    [['--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Add'], /got 41/],
    [['--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09AD'], /checksum \(EIP-55\) does not match/],
    [['--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ag'], /not a hex digit/],
    [['--withdrawal-address', '0f51bb10119727a7e5eA3538074fb341F56B09Ad'], /must start with 0x/],
    [['--count', '0'], /--count must be between 1 and 10000/],
    [['--count', '-1'], /--count must be a whole number/],
    [['--count', '10001'], /--count must be between 1 and 10000/],
    [['--count', '1e9'], /--count must be a whole number/],
    [['--start-index', '4294967296'], /--start-index must be between 0 and 4294967295/],
    [['--start-index', '4294967295'], /goes past the last index/],
    [['--network', 'goerli'], /--network: unknown network 'goerli'/],
    [['--network', 'mainnet', '--fork-version', '0x10000910'], /not mainnet's genesis fork version/],
    [['--amount', '33'], /0x01 deposits must be exactly 32 ETH, got 33 ETH/],
    [['--amount', '0.5', '--compounding'], /--amount: amount must be between 1 and 2048 ETH/],
    [['--amount', '2049', '--compounding'], /between 1 and 2048/],
    [['--amount', '32ETH'], /--amount: amount must be a number of ETH/],
    [['--kdf', 'argon2'], /--kdf must be scrypt or pbkdf2/],
  ])('%j: exit 2, one error, nothing created', (extra, re) => {
    const { out, r } = keysNew(extra as string[]);
    expectOneError(r, 2, re);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('no --withdrawal-address and no terminal: exit 2 before any secret is read', () => {
    const out = path.join(tmp, 'out');
    const r = runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { input: STDIN });
    expectOneError(r, 2, /--withdrawal-address is required when there is no terminal/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a non-empty output directory: exit 3, untouched', () => {
    const out = path.join(tmp, 'full');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'keep.txt'), 'x');
    const { r } = keysNew([], { out });
    expectOneError(r, 3, /is not empty \(1 other entry\)/);
    expect(fs.readdirSync(out)).toEqual(['keep.txt']);
  });

  it('an output path that is a file: exit 2', () => {
    const out = path.join(tmp, 'file');
    fs.writeFileSync(out, 'x');
    const { r } = keysNew([], { out });
    expectOneError(r, 2, /is not a directory/);
  });

  it('an output directory that cannot be created: exit 2', () => {
    const { r } = keysNew([], { out: '/proc/coldstake-test/out' });
    expectOneError(r, 2, /cannot create --out \/proc\/coldstake-test\/out: its parent directory does not exist/);
  });

  it.each([
    ['twelve control characters (EIP-2335 strips them: an empty password)', '\u0001'.repeat(12)],
    ['eleven characters padded with DEL and C1 controls', `abcdefghijk${'\u007f\u0085'.repeat(4)}`],
  ])('a password of %s: exit 2, nothing created', (_name, password) => {
    const { out, r } = keysNew([], { input: `${MNEMONIC}\n${password}\n` });
    expectOneError(r, 2, /at least 12 characters, not counting control characters/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a short password: exit 2, nothing created', () => {
    const { out, r } = keysNew([], { input: `${MNEMONIC}\nshort-pw\n` });
    expectOneError(r, 2, /at least 12 characters/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an invalid mnemonic: exit 2, never echoes words', () => {
    const { out, r } = keysNew([], { input: `test test test test test test test test test test test test\n${PASSWORD}\n` });
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    expect(r.stderr).not.toMatch(/\btest test\b/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('missing stdin lines: exit 2', () => {
    const { out, r } = keysNew([], { input: `${MNEMONIC}\n` });
    expectOneError(r, 2, /standard input ended before the keystore password/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an online machine without --allow-online: exit 3 from the airgap gate', () => {
    const { out, r } = keysNew([], { allowOnline: false });
    expect(r.code).toBe(3);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/refusing to run 'keys new': this machine is not airgapped/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('an all-lower-case address passes the flag check (it only earns a warning)', () => {
    // The run stops at the short password, which is read after the address flag was accepted.
    const { r } = keysNew(['--withdrawal-address', ADDRESS.toLowerCase()], { input: `${MNEMONIC}\nshort-pw\n` });
    expectOneError(r, 2, /at least 12 characters/);
  });

  it('a read-only or full file system: exit 2, nothing left behind', (ctx) => {
    const ro = path.join(tmp, 'ro');
    const small = path.join(tmp, 'small');
    fs.mkdirSync(ro);
    fs.mkdirSync(small);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', ro], { stdio: 'ignore' });
    } catch {
      ctx.skip(); // needs root and a kernel that allows tmpfs mounts here
      return;
    }
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4k', 'tmpfs', small], { stdio: 'ignore' });
      const a = keysNew([], { out: path.join(ro, 'out') });
      expectOneError(a.r, 2, /cannot create --out .*: read-only file system/);
      // Refused before any secret is asked for: with nothing on stdin, the error is still about --out.
      const early = keysNew([], { out: path.join(ro, 'out'), input: '' });
      expectOneError(early.r, 2, /cannot create --out .*: read-only file system/);
      const noParent = keysNew([], { out: path.join(small, 'missing', 'out'), input: '' });
      expectOneError(noParent.r, 2, /cannot create --out .*: its parent directory does not exist/);
      // 4 KiB holds one keystore: the second write fails (pbkdf2 at its default c=2^18 keeps this quick).
      const b = keysNew(['--kdf', 'pbkdf2'], { out: path.join(small, 'out') });
      expectOneError(b.r, 2, /cannot write .*keystore-m_12381_3600_\d_0_0-\d+\.json: no space left on device/);
      expect(fs.readdirSync(small)).toEqual([]);
    } finally {
      try { execFileSync('umount', [ro], { stdio: 'ignore' }); } catch { /* not mounted */ }
      try { execFileSync('umount', [small], { stdio: 'ignore' }); } catch { /* not mounted */ }
    }
  }, 60_000);
});

describe('keys new warnings (pbkdf2, one keystore)', () => {
  type Finding = { id: string; severity: string; subject: string; evidence: Record<string, unknown> };

  it('--json: 0x02 below 32 ETH, an all-lower-case address and --allow-online are each a warning finding', () => {
    const { out, r } = keysNew(['--count', '1', '--kdf', 'pbkdf2', '--compounding', '--amount', '16', '--withdrawal-address', ADDRESS.toLowerCase(), '--json']);
    expect(r.code).toBe(0);
    assertCleanStderr(r.stderr);
    const report = JSON.parse(r.stdout) as { ok: boolean; findings: Finding[]; withdrawal_address: string };
    expect(report.ok).toBe(true);
    const byId = new Map(report.findings.map((f) => [f.id, f]));
    expect([...byId.keys()].sort()).toEqual(['keys-amount-below-activation', 'keys-generated-online', 'keys-outputs-verified', 'keys-withdrawal-address-unchecksummed']);
    expect(byId.get('keys-amount-below-activation')).toMatchObject({ severity: 'warning', subject: 'deposit', evidence: { amount_gwei: 16_000_000_000 } });
    expect(byId.get('keys-generated-online')).toMatchObject({ severity: 'warning', subject: 'machine' });
    expect(byId.get('keys-withdrawal-address-unchecksummed')).toMatchObject({ severity: 'warning', subject: ADDRESS, evidence: { checksummed: ADDRESS } });
    // The files carry the address the user meant, and the warning is also said on stderr.
    expect(report.withdrawal_address).toBe(ADDRESS);
    expect(r.stderr).toContain(`coldstake: warning: the withdrawal address has no EIP-55 checksum (all one case): check it character by character; checksummed it is ${ADDRESS}`);
    const deposit = JSON.parse(fs.readFileSync(path.join(out, fs.readdirSync(out).find((f) => f.startsWith('deposit_data-'))!), 'utf8'));
    expect(deposit[0].amount).toBe(16_000_000_000);
  }, 120_000);

  it('human output: an all-upper-case address earns the unchecksummed warning line, with its id', () => {
    const upper = `0x${ADDRESS.slice(2).toUpperCase()}`;
    const { r } = keysNew(['--count', '1', '--kdf', 'pbkdf2', '--withdrawal-address', upper]);
    expect(r.code).toBe(0);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/^coldstake: warning: the withdrawal address has no EIP-55 checksum/m);
    expect(r.stdout).toMatch(new RegExp(`^! warning ${ADDRESS}: the withdrawal address was given without an EIP-55 checksum .*\\[keys-withdrawal-address-unchecksummed\\]$`, 'm'));
    expect(r.stdout).toMatch(/^! warning machine: keys were generated on a machine that is not airgapped \(--allow-online\) \[keys-generated-online\]$/m);
    expect(r.stdout).not.toContain('keys-amount-below-activation');
    expect(r.stdout).toMatch(/✓ ok \(0 errors, 2 warnings, 1 note\)/);
  }, 120_000);
});
