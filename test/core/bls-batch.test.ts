import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { verifyBatchRandomized, verifySignatures, type SignedMessage } from '../../src/core/eth/bls-batch.js';
import { verify } from '../../src/core/eth/bls.js';
import { depositMessageRoot } from '../../src/core/eth/deposit.js';
import { parseDepositData } from '../../src/core/eth/deposit.js';
import { knownNetwork } from '../../src/core/eth/networks.js';
import { computeSigningRoot } from '../../src/core/eth/ssz.js';
import { FIXTURES } from '../helpers/cli.js';

const scalar = () => { for (;;) { const r = randomBytes(8).readBigUInt64BE(); if (r >= 2n ** 32n) return r; } };
const scalars = (n: number) => Array.from({ length: n }, scalar);

function vectorItems(): SignedMessage[] {
  const out: SignedMessage[] = [];
  for (const group of ['lighthouse_sdc', 'lighthouse_edc']) {
    const root = path.join(FIXTURES, 'deposit', group);
    for (const dir of fs.readdirSync(root).sort()) {
      for (const f of fs.readdirSync(path.join(root, dir))) {
        const file = path.join(root, dir, f);
        const net = knownNetwork(dir.split('_')[0]!);
        for (const e of parseDepositData(fs.readFileSync(file, 'utf8'), file)) {
          out.push({ pubkey: e.pubkey, message: computeSigningRoot(depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount), net.depositDomain), signature: e.signature });
        }
      }
    }
  }
  return out;
}

describe('randomized batch verification', () => {
  const items = vectorItems();
  it('all 32 Lighthouse deposit signatures verify in one batch, and one by one', () => {
    // Timing is measured by bench/deposit-verify.mjs, not asserted here (the machine is shared).
    expect(items).toHaveLength(32);
    expect(verifyBatchRandomized(items, scalars(items.length))).toBe(true);
    for (const it of items) expect(verify(it.pubkey, it.message, it.signature)).toBe(true);
  });
  it('one wrong signature fails the batch and is located', () => {
    const bad = items.map((x) => ({ ...x }));
    bad[5] = { ...bad[5]!, signature: items[6]!.signature };
    bad[20] = { ...bad[20]!, message: items[21]!.message };
    expect(verifyBatchRandomized(bad, scalars(bad.length))).toBe(false);
    const ok = verifySignatures(bad, scalars(bad.length));
    expect(ok.map((v, i) => (v ? -1 : i)).filter((i) => i >= 0)).toEqual([5, 20]);
  });
  it('bisection names exactly the bad signatures, for every pattern (none, one, a few, dense, all)', () => {
    const patterns = [[], [0], [31], [7, 8], [0, 16, 31], Array.from({ length: 16 }, (_, i) => i * 2), Array.from({ length: 32 }, (_, i) => i)];
    for (const badSet of patterns) {
      const bad = items.map((x, i) => (badSet.includes(i) ? { ...x, message: Uint8Array.from(x.message, (b, k) => (k === 0 ? b ^ 1 : b)) } : x));
      const ok = verifySignatures(bad, scalars(bad.length));
      expect(ok.map((v, i) => (v ? -1 : i)).filter((i) => i >= 0), JSON.stringify(badSet)).toEqual(badSet);
    }
  });
  it('swapped signatures (whose aggregate still matches) fail', () => {
    // sig_a ↔ sig_b: without random scalars Σ sig would still equal the aggregate and pass.
    const bad = items.slice(0, 4).map((x) => ({ ...x }));
    expect(Buffer.compare(bad[1]!.signature, bad[2]!.signature)).not.toBe(0);
    [bad[1]!.signature, bad[2]!.signature] = [bad[2]!.signature, bad[1]!.signature];
    expect(verifyBatchRandomized(bad, scalars(4))).toBe(false);
  });
  it('an undecodable signature or pubkey fails, never throws', () => {
    const bad = items.slice(0, 3).map((x) => ({ ...x }));
    bad[1] = { ...bad[1]!, signature: new Uint8Array(96) };
    expect(verifySignatures(bad, scalars(3))).toEqual([true, false, true]);
    bad[1] = { ...items[1]!, pubkey: new Uint8Array(48).fill(0xff) };
    expect(verifySignatures(bad, scalars(3))).toEqual([true, false, true]);
  });
  it('refuses small or missing scalars', () => {
    expect(() => verifyBatchRandomized(items.slice(0, 2), [1n, 2n])).toThrow(RangeError);
    expect(() => verifyBatchRandomized(items.slice(0, 2), [scalar()])).toThrow(RangeError);
    expect(verifyBatchRandomized([], [])).toBe(true);
  });
});
