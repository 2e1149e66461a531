/**
 * `coldstake deposit verify` through the real binary: vectors, exit codes, malformed files,
 * --withdrawal-address, --keystores matching, and a file large enough for the worker pool.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../src/core/eth/bls.js';
import { addressWithdrawalCredentials, blsWithdrawalCredentials, buildDepositEntry, depositDataRoot, depositMessageRoot, depositSigningRoot, serializeDepositData, type DepositEntry } from '../../src/core/eth/deposit.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { mnemonicToSeed } from '../../src/core/mnemonic/mnemonic.js';
import { knownNetwork } from '../../src/core/eth/networks.js';
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
    // Issue 18: one finding leads, naming the network the file is for; no per-entry signature echo.
    expect(errorIds(bad.json)).toEqual(['deposit-wrong-network']);
    expect(bad.json.findings[0]!.evidence.network).toBe('hoodi');
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

/** Every vector file in fixtures/deposit/, with its network (from the directory name). */
function vectorFiles(): Array<{ name: string; file: string; network: string }> {
  const out = [];
  for (const group of ['lighthouse_sdc', 'lighthouse_edc']) {
    for (const dir of fs.readdirSync(path.join(DIR, group)).sort()) {
      for (const f of fs.readdirSync(path.join(DIR, group, dir))) out.push({ name: `${group}/${dir}`, file: path.join(DIR, group, dir, f), network: dir.split('_')[0]! });
    }
  }
  return out;
}

describe('every deposit vector passes through the binary', () => {
  it.each(vectorFiles().map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const bls = /prefix_0x00|eth1_false/.test(v.name);
    const { code, json } = verify([v.file, '--network', v.network, ...(bls ? [] : ['--withdrawal-address', ETH1])]);
    expect(code).toBe(0);
    expect(json.ok).toBe(true);
    expect(json.count).toBe(JSON.parse(fs.readFileSync(v.file, 'utf8')).length);
    expect(json.entries.every((e) => e.ok)).toBe(true);
    // 0x00 files earn one warning per entry, and nothing else is said about any file.
    expect(json.findings.map((f) => f.id)).toEqual(bls ? json.entries.map(() => 'deposit-bls-credentials') : []);
  });
});

describe('mutation suite through the binary: each mutation fails with exactly its findings', () => {
  type Raw = Record<string, string | number>;
  const MAINNET_0X02_DIR = path.join(DIR, 'lighthouse_edc', 'mainnet_first_0_count_2_prefix_0x02_eth1_true');
  const MAINNET_0X02 = path.join(MAINNET_0X02_DIR, fs.readdirSync(MAINNET_0X02_DIR)[0]!);
  const HOODI_FORK = '10000910';
  const load = (file: string): Raw[] => JSON.parse(fs.readFileSync(file, 'utf8')) as Raw[];
  const bytes = (e: Raw, k: string) => Uint8Array.from(Buffer.from(e[k] as string, 'hex'));
  const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
  /** Flip the lowest bit of the last hex digit (a one-bit change). */
  const flip = (h: string) => h.slice(0, -1) + (parseInt(h.slice(-1), 16) ^ 1).toString(16);
  /** Both roots recomputed for the entry as it now is (so only the signature can tell). */
  const recompute = (e: Raw) => {
    e['deposit_message_root'] = hexOf(depositMessageRoot(bytes(e, 'pubkey'), bytes(e, 'withdrawal_credentials'), e['amount'] as number));
    e['deposit_data_root'] = hexOf(depositDataRoot(bytes(e, 'pubkey'), bytes(e, 'withdrawal_credentials'), e['amount'] as number, bytes(e, 'signature')));
  };
  const credentials = (prefix: string, address: string) => `${prefix}${'00'.repeat(11)}${address}`;
  const OTHER = 'ab'.repeat(20);

  it.each<[string, string, (e: Raw) => void, string[], string[]?]>([
    ['pubkey flipped', MAINNET_0X01, (e) => { e['pubkey'] = flip(e['pubkey'] as string); }, ['deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch']],
    ['withdrawal_credentials flipped', MAINNET_0X01, (e) => { e['withdrawal_credentials'] = flip(e['withdrawal_credentials'] as string); },
      ['deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch', 'deposit-withdrawal-address-mismatch']],
    ['signature flipped', MAINNET_0X01, (e) => { e['signature'] = flip(e['signature'] as string); }, ['deposit-data-root-mismatch', 'deposit-invalid-signature']],
    ['deposit_message_root flipped', MAINNET_0X01, (e) => { e['deposit_message_root'] = flip(e['deposit_message_root'] as string); }, ['deposit-message-root-mismatch']],
    ['deposit_data_root flipped', MAINNET_0X01, (e) => { e['deposit_data_root'] = flip(e['deposit_data_root'] as string); }, ['deposit-data-root-mismatch']],
    ['fork_version flipped', MAINNET_0X01, (e) => { e['fork_version'] = flip(e['fork_version'] as string); }, ['deposit-invalid-signature', 'deposit-network-name-mismatch', 'deposit-wrong-network']],
    ['withdrawal address swapped, roots recomputed', MAINNET_0X01, (e) => { e['withdrawal_credentials'] = credentials('01', OTHER); recompute(e); },
      ['deposit-invalid-signature', 'deposit-withdrawal-address-mismatch']],
    ['0x02 withdrawal address swapped, roots recomputed', MAINNET_0X02, (e) => { e['withdrawal_credentials'] = credentials('02', OTHER); recompute(e); },
      ['deposit-invalid-signature', 'deposit-withdrawal-address-mismatch']],
    ['fork_version of another network (hoodi)', MAINNET_0X01, (e) => { e['fork_version'] = HOODI_FORK; }, ['deposit-invalid-signature', 'deposit-network-name-mismatch', 'deposit-wrong-network']],
    ['a hoodi-labelled entry signed for mainnet in a mainnet file', MAINNET_0X01, (e) => { e['fork_version'] = HOODI_FORK; e['network_name'] = 'hoodi'; }, ['deposit-invalid-signature', 'deposit-wrong-network']],
    ['network_name mismatched', MAINNET_0X01, (e) => { e['network_name'] = 'hoodi'; }, ['deposit-network-name-mismatch']],
    ['amount changed (33 ETH), roots left', MAINNET_0X01, (e) => { e['amount'] = 33e9; },
      ['deposit-amount-not-32', 'deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch']],
    ['amount 31 ETH, roots recomputed (below 32: a warning)', MAINNET_0X01, (e) => { e['amount'] = 31e9; recompute(e); }, ['deposit-invalid-signature'], ['deposit-amount-below-32']],
    ['0x02 amount 64 ETH, roots recomputed', MAINNET_0X02, (e) => { e['amount'] = 64e9; recompute(e); }, ['deposit-invalid-signature']],
    ['0x02 amount 2049 ETH, roots recomputed', MAINNET_0X02, (e) => { e['amount'] = 2049e9; recompute(e); }, ['deposit-amount-out-of-range', 'deposit-invalid-signature']],
    ['0x00 credentials, roots recomputed', MAINNET_0X01, (e) => { e['withdrawal_credentials'] = hexOf(blsWithdrawalCredentials(bytes(e, 'pubkey'))); recompute(e); },
      ['deposit-invalid-signature', 'deposit-withdrawal-address-mismatch'], ['deposit-bls-credentials']],
    ['zero-address credentials, roots recomputed', MAINNET_0X01, (e) => { e['withdrawal_credentials'] = credentials('01', '00'.repeat(20)); recompute(e); },
      ['deposit-invalid-signature', 'deposit-withdrawal-address-mismatch', 'deposit-withdrawal-zero-address']],
    ['unknown credentials prefix 0x03, roots recomputed', MAINNET_0X01, (e) => { e['withdrawal_credentials'] = credentials('03', ETH1.slice(2)); recompute(e); },
      ['deposit-credentials-invalid', 'deposit-invalid-signature', 'deposit-withdrawal-address-mismatch']],
  ])('%s: exit 1', (name, source, mutate, want, warnings = []) => {
    const entries = load(source);
    mutate(entries[1]!);
    const f = write(`deposit_data-mut-${name.replace(/\W+/g, '_')}.json`, JSON.stringify(entries));
    const { code, json } = verify([f, '--network', 'mainnet', '--withdrawal-address', ETH1]);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(errorIds(json)).toEqual(want);
    // Every error is about the mutated entry, and the untouched one still passes.
    expect(new Set(json.findings.filter((x) => x.severity === 'error').map((x) => x.subject))).toEqual(new Set([`${f}[1]`]));
    expect(json.findings.filter((x) => x.severity !== 'error').map((x) => x.id)).toEqual(warnings);
    expect(json.entries.map((x) => x.ok)).toEqual([true, false]);
    expect([...json.entries[1]!.errors].sort()).toEqual(want);
  });

  it('an entry duplicated: exit 1, deposit-duplicate-pubkey naming both indices', () => {
    const entries = load(MAINNET_0X01);
    entries.push({ ...entries[0]! });
    const f = write('deposit_data-mut-duplicated.json', JSON.stringify(entries));
    const { code, json } = verify([f, '--network', 'mainnet', '--withdrawal-address', ETH1]);
    expect(code).toBe(1);
    expect(json.count).toBe(3);
    expect(errorIds(json)).toEqual(['deposit-duplicate-pubkey']);
    expect(json.findings).toHaveLength(1);
    expect(json.findings[0]!.evidence.indices).toEqual([0, 2]);
    expect(json.entries.map((x) => x.ok)).toEqual([false, true, false]);
  });

  it('a real 0x00 file checked against a --withdrawal-address: exit 1, a warning per entry and the mismatch', () => {
    const { code, json } = verify([HOODI_0X00, '--network', 'hoodi', '--withdrawal-address', ETH1]);
    expect(code).toBe(1);
    expect(errorIds(json)).toEqual(['deposit-withdrawal-address-mismatch']);
    expect(json.findings.map((x) => x.id).sort()).toEqual(['deposit-bls-credentials', 'deposit-withdrawal-address-mismatch']);
  });

  it.each<[string, (e: Raw) => void, string]>([
    ['fork_version of 6 hex digits', (e) => { e['fork_version'] = '000000'; }, '[1].fork_version'],
    ['non-hex deposit_data_root', (e) => { e['deposit_data_root'] = `${(e['deposit_data_root'] as string).slice(0, -1)}g`; }, '[1].deposit_data_root'],
    ['0x-prefixed withdrawal_credentials', (e) => { e['withdrawal_credentials'] = `0x${e['withdrawal_credentials'] as string}`; }, '[1].withdrawal_credentials'],
    ['fork_version missing', (e) => { delete e['fork_version']; }, '[1].fork_version'],
    ['fractional amount', (e) => { e['amount'] = 32e9 + 0.5; }, '[1].amount'],
  ])('malformed, %s: exit 2, deposit-schema naming the field', (name, mutate, field) => {
    const entries = load(MAINNET_0X01);
    mutate(entries[1]!);
    const f = write(`deposit_data-bad-${name.replace(/\W+/g, '_')}.json`, JSON.stringify(entries));
    const { code, json, stderr } = verify([f, '--network', 'mainnet', '--withdrawal-address', ETH1]);
    expect(code).toBe(2);
    expect(errorIds(json)).toEqual(['deposit-schema']);
    expect(json.findings[0]!.evidence.field).toBe(field);
    expect(stderr).toContain(`coldstake: error: ${f}: `);
    expect(stderr).toContain(field);
  });
});

