/**
 * End to end: `keys new` output passes `keystore verify`, `deposit verify` and `ownership check`;
 * swapping one keystore for another key's is caught by each of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC, makeKeystore, SECRETS } from '../helpers/keystores.js';

const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
let tmp: string;
let out: string;
let deposit: string;
let pw: string;
let mnemonic: string;

beforeAll(() => {
  tmp = mkTmp();
  pw = path.join(tmp, 'pw');
  mnemonic = path.join(tmp, 'm');
  fs.writeFileSync(pw, 'a long enough password\n', { mode: 0o600 });
  fs.writeFileSync(mnemonic, `${LIGHTHOUSE_MNEMONIC}\n`, { mode: 0o600 });
  out = path.join(tmp, 'out');
  const r = runCli(['keys', 'new', '--network', 'hoodi', '--count', '3', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2', '--out', out, '--mnemonic-file', mnemonic, '--password-file', pw, '--allow-online', '--json'], { timeoutMs: 120_000 });
  expect(r.code).toBe(0);
  deposit = path.join(out, fs.readdirSync(out).find((f) => f.startsWith('deposit_data-'))!);
}, 180_000);
afterAll(() => rmTmp(tmp));

describe('keys new → verify', () => {
  it('keystore verify --deposit-data --network passes', () => {
    const r = runCli(['keystore', 'verify', out, '--password-file', pw, '--deposit-data', deposit, '--network', 'hoodi', '--json']);
    assertCleanStderr(r.stderr);
    const j = JSON.parse(r.stdout);
    // keys new writes one batch with one KDF key (one salt, an IV each): the one note is that.
    expect(j.findings.map((f: { id: string; severity: string }) => `${f.id}:${f.severity}`)).toEqual(['keystore-kdf-shared:info']);
    expect(j.keystores.map((k: { decrypted: string }) => k.decrypted)).toEqual(['ok', 'ok', 'ok']);
    expect(r.code).toBe(0);
  });
  it('deposit verify --keystores --withdrawal-address passes', () => {
    const r = runCli(['deposit', 'verify', deposit, '--network', 'hoodi', '--keystores', out, '--withdrawal-address', ADDRESS, '--json']);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(0);
  });
  it('ownership check finds indices 0, 1, 2 for keystores and entries', () => {
    const r = runCli(['ownership', 'check', '--network', 'hoodi', '--deposit-data', deposit, '--keystores', out, '--max-index', '3', '--mnemonic-file', mnemonic, '--allow-online', '--json'], { timeoutMs: 120_000 });
    const j = JSON.parse(r.stdout);
    expect(j.findings).toEqual([]);
    expect(j.results.map((x: { index: number }) => x.index)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(j.airgap).toEqual({ airgapped: false, allowed_online: true });
    expect(r.code).toBe(0);
  });
  it('a foreign keystore slipped into the set is caught by all three', async () => {
    const mixed = path.join(tmp, 'mixed');
    fs.cpSync(out, mixed, { recursive: true });
    const victim = fs.readdirSync(mixed).find((f) => f.startsWith('keystore-m_12381_3600_2_'))!;
    const foreign = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/2/0/0', password: 'a long enough password' });
    fs.writeFileSync(path.join(mixed, victim), JSON.stringify(foreign), { mode: 0o600 });
    const k = JSON.parse(runCli(['keystore', 'verify', mixed, '--password-file', pw, '--deposit-data', deposit, '--json']).stdout);
    expect(k.findings.map((f: { id: string }) => f.id).sort()).toEqual(['deposit-keystore-missing', 'keystore-deposit-network-inferred', 'keystore-kdf-shared', 'keystore-not-in-deposit']);
    const d = JSON.parse(runCli(['deposit', 'verify', path.join(mixed, path.basename(deposit)), '--network', 'hoodi', '--keystores', mixed, '--json']).stdout);
    expect(d.findings.map((f: { id: string }) => f.id).sort()).toEqual(['deposit-keystore-missing', 'keystore-not-in-deposit']);
    const o = JSON.parse(runCli(['ownership', 'check', '--network', 'hoodi', '--keystores', mixed, '--max-index', '3', '--mnemonic-file', mnemonic, '--allow-online', '--json'], { timeoutMs: 120_000 }).stdout);
    expect(o.findings.map((f: { id: string }) => f.id)).toEqual(['ownership-pubkey-not-found']);
  });

  it('keystore verify --deposit-data without --network still verifies the deposit file in full (its fork_version names the network)', () => {
    const entries = JSON.parse(fs.readFileSync(deposit, 'utf8')) as Array<Record<string, unknown>>;
    // A forged file: the right pubkeys, but entry 0 pays 1 ETH to an attacker, with entry 1's signature.
    const forged = entries.map((e) => ({ ...e }));
    forged[0]!['withdrawal_credentials'] = `010000000000000000000000${'ab'.repeat(20)}`;
    forged[0]!['amount'] = 1000000000;
    forged[0]!['signature'] = entries[1]!['signature'];
    const file = path.join(tmp, 'forged.json');
    fs.writeFileSync(file, JSON.stringify(forged));
    const r = runCli(['keystore', 'verify', out, '--password-file', pw, '--deposit-data', file, '--json']);
    const j = JSON.parse(r.stdout);
    expect(r.code).toBe(1);
    const ids = new Set(j.findings.map((f: { id: string }) => f.id));
    expect(ids.has('keystore-deposit-network-inferred')).toBe(true);
    expect(ids.has('deposit-invalid-signature') || ids.has('deposit-message-root-mismatch')).toBe(true);
    // A duplicated entry is caught too.
    const dup = path.join(tmp, 'dup.json');
    fs.writeFileSync(dup, JSON.stringify([...entries, entries[0]]));
    const d = JSON.parse(runCli(['keystore', 'verify', out, '--password-file', pw, '--deposit-data', dup, '--json']).stdout);
    expect(d.ok).toBe(false);
    expect(d.findings.some((f: { id: string }) => /duplicate/.test(f.id))).toBe(true);
    // A fork version no known network has: the user must say which network.
    const devnet = path.join(tmp, 'devnet.json');
    fs.writeFileSync(devnet, JSON.stringify(entries.map((e) => ({ ...e, fork_version: '12345678' }))));
    const u = runCli(['keystore', 'verify', out, '--password-file', pw, '--deposit-data', devnet]);
    expect(u.code).toBe(2);
    expect(u.stderr).toMatch(/coldstake: error: .*fork version 0x12345678 is not a known network's: give --network/);
  });

  it('deposit verify --keystores refuses two keystores holding one key (one to one), and one file named twice is one keystore', () => {
    const dupDir = path.join(tmp, 'dupks');
    fs.cpSync(out, dupDir, { recursive: true });
    const first = fs.readdirSync(dupDir).find((f) => f.startsWith('keystore-'))!;
    fs.copyFileSync(path.join(dupDir, first), path.join(dupDir, 'keystore-copy.json'));
    const d = runCli(['deposit', 'verify', path.join(dupDir, path.basename(deposit)), '--network', 'hoodi', '--keystores', dupDir, '--json']);
    expect(d.code).toBe(1);
    expect(JSON.parse(d.stdout).findings.map((f: { id: string }) => f.id)).toEqual(['keystore-duplicate-pubkey']);
    const twice = runCli(['keystore', 'verify', out, path.join(out, first), `${out}/./${first}`, '--password-file', pw, '--json']);
    expect(JSON.parse(twice.stdout).keystores).toHaveLength(3);
    expect(twice.code).toBe(0);
  });

  it('the zero address is refused by keys new and is an error in deposit verify', () => {
    const zero = `0x${'0'.repeat(40)}`;
    const r = runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', zero, '--kdf', 'pbkdf2', '--out', path.join(tmp, 'zero'),
      '--mnemonic-file', mnemonic, '--password-file', pw, '--allow-online']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/coldstake: error: --withdrawal-address: the zero address/);
    expect(fs.existsSync(path.join(tmp, 'zero'))).toBe(false);
    const entries = JSON.parse(fs.readFileSync(deposit, 'utf8')) as Array<Record<string, unknown>>;
    const burned = path.join(tmp, 'burned.json');
    fs.writeFileSync(burned, JSON.stringify(entries.map((e) => ({ ...e, withdrawal_credentials: `01${'0'.repeat(62)}` }))));
    const d = JSON.parse(runCli(['deposit', 'verify', burned, '--network', 'hoodi', '--json']).stdout);
    expect(d.findings.filter((f: { id: string }) => f.id === 'deposit-withdrawal-zero-address')).toHaveLength(3);
  });

  it('deposit_cli_version is semver >= 1.0.0, as older deposit checkers require', () => {
    const entries = JSON.parse(fs.readFileSync(deposit, 'utf8')) as Array<{ deposit_cli_version: string }>;
    const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(entries[0]!.deposit_cli_version);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(1);
  });
});
