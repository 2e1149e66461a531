/**
 * `coldstake deposit verify` through the real binary: vectors, exit codes, malformed files,
 * --withdrawal-address, --keystores matching, and a file large enough for the worker pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/bls.js';
import { addressWithdrawalCredentials, buildDepositEntry, depositSigningRoot, serializeDepositData, type DepositEntry } from '../../src/core/deposit.js';
import { deriveValidatorKeys } from '../../src/core/derivation.js';
import { mnemonicToSeed } from '../../src/core/mnemonic.js';
import { knownNetwork } from '../../src/core/networks.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC, makeKeystore, writeKeystore } from '../helpers/keystores.js';

const DIR = path.join(FIXTURES, 'deposit');
const ETH1 = '0x0f51bb10119727a7e5ea3538074fb341f56b09ad';
const MAINNET_0X01 = path.join(DIR, 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_true', 'deposit_data-1715584107.json');
const HOODI_0X00 = path.join(DIR, 'lighthouse_edc', 'hoodi_first_0_count_1_prefix_0x00_eth1_false', 'deposit_data-1785211404.json');
let tmp: string;

interface Json { ok: boolean; command: string; count: number; network: string; findings: Array<{ id: string; severity: string; subject: string; evidence: any }>; entries: Array<{ index: number; ok: boolean; errors: string[] }> }
function verify(args: string[]): { code: number | null; json: Json; stderr: string } {
  const r = runCli(['deposit', 'verify', ...args, '--json']);
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}
const errorIds = (j: Json) => [...new Set(j.findings.filter((f) => f.severity === 'error').map((f) => f.id))].sort();
function write(name: string, text: string): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, text);
  return f;
}

beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

describe('vectors through the binary', () => {
  it('0x01 mainnet file with its withdrawal address passes', () => {
    const { code, json } = verify([MAINNET_0X01, '--network', 'mainnet', '--withdrawal-address', ETH1]);
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.command).toBe('deposit verify');
    expect(json.count).toBe(2);
    expect(json.findings).toEqual([]);
  });
  it('0x00 hoodi file passes with a warning; another network fails', () => {
    const ok = verify([HOODI_0X00, '--network', 'hoodi']);
    expect(ok.code).toBe(0);
    expect(ok.json.findings.map((f) => f.id)).toEqual(['deposit-bls-credentials']);
    const bad = verify([HOODI_0X00, '--network', 'mainnet']);
    expect(bad.code).toBe(1);
    expect(errorIds(bad.json)).toEqual(['deposit-invalid-signature', 'deposit-wrong-network']);
  });
  it('a withdrawal address that is not the file\'s fails', () => {
    const { code, json } = verify([MAINNET_0X01, '--network', 'mainnet', '--withdrawal-address', '0x' + 'ab'.repeat(20)]);
    expect(code).toBe(1);
    expect(errorIds(json)).toEqual(['deposit-withdrawal-address-mismatch']);
  });
  it('human output: one line per entry, then the verdict', () => {
    const r = runCli(['deposit', 'verify', MAINNET_0X01, '--network', 'mainnet']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^✓ \[\d\] 0x/.test(l))).toHaveLength(2);
    expect(r.stdout).toMatch(/^✓ ok /m);
  });
});

describe('malformed deposit files: exit 2 naming file and field', () => {
  const text = fs.readFileSync(MAINNET_0X01, 'utf8');
  it.each([
    ['string amount', text.replace('"amount": 32000000000', '"amount": "32000000000"'), '[0].amount'],
    ['0x-prefixed pubkey', text.replace('"pubkey": "', '"pubkey": "0x'), '[0].pubkey'],
    ['short signature', text.replace(/"signature": "([0-9a-f]{190})[0-9a-f]{2}"/, '"signature": "$1"'), '[0].signature'],
    ['truncated', text.slice(0, 300), undefined],
    ['not JSON', 'hello', undefined],
  ])('%s', (name, body, field) => {
    const f = write(`deposit_data-${name.replace(/\W/g, '_')}.json`, body);
    const { code, json, stderr } = verify([f, '--network', 'mainnet']);
    expect(code).toBe(2);
    expect(errorIds(json)).toEqual(['deposit-schema']);
    expect(stderr).toContain(`coldstake: error: ${f}: `);
    if (field) expect(stderr).toContain(field);
  });
  it('usage errors: no network, bad checksum address, unknown network', () => {
    expect(runCli(['deposit', 'verify', MAINNET_0X01]).code).toBe(2);
    const r = runCli(['deposit', 'verify', MAINNET_0X01, '--network', 'mainnet', '--withdrawal-address', '0x0F51bb10119727a7e5ea3538074fb341f56b09ad']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/checksum/);
    expect(runCli(['deposit', 'verify', MAINNET_0X01, '--network', 'moonnet']).code).toBe(2);
  });
});

describe('--keystores: one-to-one by pubkey, no password', () => {
  it('matching set passes; a missing keystore and an extra one are both reported', async () => {
    const seed = mnemonicToSeed(LIGHTHOUSE_MNEMONIC);
    const k0 = deriveValidatorKeys(seed, 0);
    const k1 = deriveValidatorKeys(seed, 1);
    const k2 = deriveValidatorKeys(seed, 2);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const ks = async (k: typeof k0) => makeKeystore({ secret: hex(k.signingSk), path: k.signingPath, c: 2 ** 10 });
    const full = fs.mkdtempSync(path.join(tmp, 'ks-'));
    writeKeystore(full, 'keystore-0.json', await ks(k0));
    writeKeystore(full, 'keystore-1.json', await ks(k1));
    const ok = verify([MAINNET_0X01, '--network', 'mainnet', '--keystores', full]);
    expect(errorIds(ok.json)).toEqual([]);
    expect(ok.code).toBe(0);

    const partial = fs.mkdtempSync(path.join(tmp, 'ks-'));
    writeKeystore(partial, 'keystore-0.json', await ks(k0));
    writeKeystore(partial, 'keystore-2.json', await ks(k2));
    const bad = verify([MAINNET_0X01, '--network', 'mainnet', '--keystores', partial]);
    expect(bad.code).toBe(1);
    expect(bad.json.findings.filter((f) => f.severity === 'error').map((f) => [f.id, path.basename(f.subject)])).toEqual([
      ['deposit-keystore-missing', 'deposit_data-1715584107.json[1]'],
      ['keystore-not-in-deposit', 'keystore-2.json'],
    ]);
    expect(bad.json.entries.map((e) => e.ok)).toEqual([true, false]);
  });
});

describe('a larger file goes through the worker pool', () => {
  it('40 entries, one forged: the batch fails and the forged entry is located', () => {
    const seed = mnemonicToSeed(LIGHTHOUSE_MNEMONIC);
    const net = knownNetwork('hoodi');
    const address = Buffer.from(ETH1.slice(2), 'hex');
    const entries: DepositEntry[] = [];
    for (let i = 0; i < 40; i++) {
      const k = deriveValidatorKeys(seed, i);
      entries.push(buildDepositEntry({ signingSk: k.signingSk, withdrawalCredentials: addressWithdrawalCredentials(address, false), amount: 32e9, network: net, depositCliVersion: '1.0.0' }));
      k.signingSk.fill(0);
      k.withdrawalSk.fill(0);
    }
    // Entry 17 signed by entry 18's key over entry 17's message: a valid signature, by the wrong key.
    const forger = deriveValidatorKeys(seed, 18);
    const e = entries[17]!;
    const forged = sign(forger.signingSk, depositSigningRoot(e.pubkey, e.withdrawalCredentials, e.amount, net.depositDomain));
    entries[17] = { ...e, signature: forged };
    const f = write('deposit_data-40.json', serializeDepositData(entries));
    const { code, json } = verify([f, '--network', 'hoodi', '--withdrawal-address', ETH1]);
    expect(code).toBe(1);
    expect(json.count).toBe(40);
    expect(json.entries.filter((x) => !x.ok).map((x) => x.index)).toEqual([17]);
    expect(errorIds(json)).toEqual(['deposit-data-root-mismatch', 'deposit-invalid-signature']);
  });
});
