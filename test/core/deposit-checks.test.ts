/**
 * The deposit checks on the Lighthouse vectors, and a mutation suite built from them: every
 * mutation must fail with the right finding id (and only the expected ones).
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySignatures } from '../../src/core/eth/bls-batch.js';
import { depositDataRoot, depositMessageRoot, parseDepositData, type DepositEntry } from '../../src/core/eth/deposit.js';
import { depositFindings, matchKeystoresToDeposits, ownSigningRootOf, signingRootOf } from '../../src/core/eth/deposit-checks.js';
import { knownNetwork, resolveNetwork, type Network } from '../../src/core/eth/networks.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'deposit');
const ETH1 = '0f51bb10119727a7e5ea3538074fb341f56b09ad';
const scalars = (n: number) => Array.from({ length: n }, () => (randomBytes(8).readBigUInt64BE() | (1n << 63n)));

function vectorFiles(): Array<{ file: string; network: string; dir: string }> {
  const out = [];
  for (const group of ['lighthouse_sdc', 'lighthouse_edc']) {
    for (const dir of fs.readdirSync(path.join(DIR, group)).sort()) {
      for (const f of fs.readdirSync(path.join(DIR, group, dir))) out.push({ file: path.join(DIR, group, dir, f), network: dir.split('_')[0]!, dir });
    }
  }
  return out;
}

function check(entries: DepositEntry[], network: Network, withdrawalAddress?: string) {
  const items = entries.map((e) => ({ pubkey: e.pubkey, message: ownSigningRootOf(e) ?? new Uint8Array(32), signature: e.signature }));
  const ok = verifySignatures(items, scalars(items.length));
  return depositFindings('f.json', entries, ok, { network, ...(withdrawalAddress ? { withdrawalAddress: Buffer.from(withdrawalAddress, 'hex') } : {}) });
}
const errorIds = (r: ReturnType<typeof check>) => [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.id))].sort();

describe('every vector passes', () => {
  for (const v of vectorFiles()) {
    it(`${v.dir}`, () => {
      const entries = parseDepositData(fs.readFileSync(v.file, 'utf8'), v.file);
      const r = check(entries, knownNetwork(v.network), /eth1_true|0x0[12]/.test(v.dir) ? ETH1 : undefined);
      expect(errorIds(r)).toEqual([]);
      const bls = r.findings.filter((f) => f.id === 'deposit-bls-credentials').length;
      expect(bls).toBe(/eth1_true|0x0[12]/.test(v.dir) ? 0 : entries.length);
      expect(r.verdicts.every((x) => x.ok)).toBe(true);
    });
  }
});

describe('mutations fail with the right finding', () => {
  const v = vectorFiles().find((x) => x.dir === 'mainnet_first_0_count_2_eth1_true')!;
  const mainnet = knownNetwork('mainnet');
  const fresh = () => parseDepositData(fs.readFileSync(v.file, 'utf8'), v.file);
  const flip = (b: Uint8Array, at = b.length - 1) => { const c = Uint8Array.from(b); c[at] = c[at]! ^ 0x01; return c; };
  const recompute = (e: DepositEntry) => {
    e.depositMessageRoot = depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount);
    e.depositDataRoot = depositDataRoot(e.pubkey, e.withdrawalCredentials, e.amount, e.signature);
  };

  it.each<[string, (e: DepositEntry) => void, string[]]>([
    ['pubkey flipped', (e) => { e.pubkey = flip(e.pubkey); }, ['deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch']],
    ['withdrawal_credentials flipped', (e) => { e.withdrawalCredentials = flip(e.withdrawalCredentials); }, ['deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch']],
    ['signature flipped', (e) => { e.signature = flip(e.signature); }, ['deposit-data-root-mismatch', 'deposit-invalid-signature']],
    ['deposit_message_root flipped', (e) => { e.depositMessageRoot = flip(e.depositMessageRoot); }, ['deposit-message-root-mismatch']],
    ['deposit_data_root flipped', (e) => { e.depositDataRoot = flip(e.depositDataRoot); }, ['deposit-data-root-mismatch']],
    ['fork_version flipped', (e) => { e.forkVersion = flip(e.forkVersion); }, ['deposit-invalid-signature', 'deposit-network-name-mismatch', 'deposit-wrong-network']],
    ['withdrawal address swapped, roots recomputed', (e) => { e.withdrawalCredentials = Uint8Array.from([1, ...new Uint8Array(11), ...new Uint8Array(20).fill(0xab)]); recompute(e); }, ['deposit-invalid-signature']],
    ['fork_version of another network (hoodi)', (e) => { e.forkVersion = Uint8Array.from([0x10, 0, 0x09, 0x10]); }, ['deposit-invalid-signature', 'deposit-network-name-mismatch', 'deposit-wrong-network']],
    ['network_name mismatched', (e) => { e.networkName = 'hoodi'; }, ['deposit-network-name-mismatch']],
    ['amount 31 ETH, roots recomputed (below 32 is a warning)', (e) => { e.amount = 31e9; recompute(e); }, ['deposit-invalid-signature']],
    ['amount 33 ETH with 0x01, roots recomputed', (e) => { e.amount = 33e9; recompute(e); }, ['deposit-amount-not-32', 'deposit-invalid-signature']],
    ['amount 2049 ETH, roots recomputed', (e) => { e.amount = 2049e9; recompute(e); }, ['deposit-amount-out-of-range', 'deposit-invalid-signature']],
    ['amount 0.5 ETH', (e) => { e.amount = 0.5e9; }, ['deposit-amount-out-of-range', 'deposit-data-root-mismatch', 'deposit-invalid-signature', 'deposit-message-root-mismatch']],
    ['unknown credentials prefix 0x03', (e) => { e.withdrawalCredentials = Uint8Array.from([3, ...e.withdrawalCredentials.subarray(1)]); recompute(e); }, ['deposit-credentials-invalid', 'deposit-invalid-signature']],
    ['0x01 with non-zero padding', (e) => { const wc = Uint8Array.from(e.withdrawalCredentials); wc[5] = 1; e.withdrawalCredentials = wc; recompute(e); }, ['deposit-credentials-invalid', 'deposit-invalid-signature']],
  ])('%s', (_name, mutate, want) => {
    const entries = fresh();
    mutate(entries[1]!);
    const r = check(entries, mainnet);
    expect(errorIds(r)).toEqual(want);
    expect(r.verdicts.map((x) => x.ok)).toEqual([true, false]);
  });

  it('entries duplicated', () => {
    const entries = fresh();
    entries.push(fresh()[0]!);
    const r = check(entries, mainnet);
    expect(errorIds(r)).toEqual(['deposit-duplicate-pubkey']);
    expect(r.findings.find((f) => f.id === 'deposit-duplicate-pubkey')!.evidence['indices']).toEqual([0, 2]);
  });

  it('--withdrawal-address: another address is an error', () => {
    expect(errorIds(check(fresh(), mainnet, ETH1))).toEqual([]);
    expect(errorIds(check(fresh(), mainnet, 'ab'.repeat(20)))).toEqual(['deposit-withdrawal-address-mismatch']);
  });

  it('checked against another network: one lead finding naming the file\'s network, no per-entry echo (issue 18)', () => {
    const r = check(fresh(), knownNetwork('hoodi'));
    expect(errorIds(r)).toEqual(['deposit-wrong-network']);
    expect(r.findings.filter((f) => f.severity === 'error')).toHaveLength(1);
    expect(r.findings[0]!.id).toBe('deposit-wrong-network');
    expect(r.findings[0]!.evidence['network']).toBe('mainnet');
    expect(r.findings[0]!.fix).toMatch(/--network mainnet/);
    expect(r.verdicts.every((v) => !v.ok)).toBe(true);
  });

  it('a devnet fork version', () => {
    const entries = fresh();
    const dev = resolveNetwork('devnet-7', '0x12345678');
    const r = check(entries, dev);
    expect(errorIds(r)).toEqual(['deposit-wrong-network']);
    expect(r.findings[0]!.message).toMatch(/are for mainnet/);
  });
});

describe('keystore ↔ deposit matching', () => {
  it('one to one, missing on either side', () => {
    const ks = [{ subject: 'a.json', pubkey: 'aa' }, { subject: 'b.json', pubkey: 'bb' }];
    const dep = [{ subject: 'f[0]', pubkey: 'aa' }, { subject: 'f[1]', pubkey: 'cc' }];
    const f = matchKeystoresToDeposits(ks, dep);
    expect(f.map((x) => [x.id, x.subject])).toEqual([['deposit-keystore-missing', 'f[1]'], ['keystore-not-in-deposit', 'b.json']]);
    expect(matchKeystoresToDeposits(ks.slice(0, 1), dep.slice(0, 1))).toEqual([]);
  });
});
