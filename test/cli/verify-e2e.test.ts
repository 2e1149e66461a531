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
    expect(j.findings).toEqual([]);
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
    expect(k.findings.map((f: { id: string }) => f.id).sort()).toEqual(['deposit-keystore-missing', 'keystore-not-in-deposit']);
    const d = JSON.parse(runCli(['deposit', 'verify', path.join(mixed, path.basename(deposit)), '--network', 'hoodi', '--keystores', mixed, '--json']).stdout);
    expect(d.findings.map((f: { id: string }) => f.id).sort()).toEqual(['deposit-keystore-missing', 'keystore-not-in-deposit']);
    const o = JSON.parse(runCli(['ownership', 'check', '--network', 'hoodi', '--keystores', mixed, '--max-index', '3', '--mnemonic-file', mnemonic, '--allow-online', '--json'], { timeoutMs: 120_000 }).stdout);
    expect(o.findings.map((f: { id: string }) => f.id)).toEqual(['ownership-pubkey-not-found']);
  });
});
