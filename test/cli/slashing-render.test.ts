/** The human table renders in batches and copes with very many validators (no argument-spread limits). */
import { describe, expect, it } from 'vitest';
import { renderTable, validatorJson, writeJsonReport } from '../../src/cli/commands/slashing.js';
import type { ValidatorSummary } from '../../src/core/slashing/slashing.js';

describe('renderTable', () => {
  it('renders 300,000 rows in bounded batches with aligned columns', () => {
    const validators: ValidatorSummary[] = Array.from({ length: 300_000 }, (_, i) => ({
      pubkey: `0x${i.toString(16).padStart(96, '0')}`,
      sections: 1,
      records: [i],
      blocks: i % 7,
      attestations: i,
      maxBlockSlot: i % 7 === 0 ? null : BigInt(i) * 1000n,
      maxSourceEpoch: BigInt(i),
      maxTargetEpoch: 18446744073709551615n,
    }));
    const writes: string[] = [];
    renderTable({ ok: true, command: 'slashing verify', findings: [], file: 'h.json', network: 'mainnet', genesis_validators_root: '0xab', records: 300_000 }, validators, (t) => writes.push(t));
    expect(writes.length).toBeGreaterThan(70);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(4096 * 200);
    const lines = writes.join('').split('\n');
    expect(lines[2]).toBe('format            EIP-3076 v5, 300000 records, 300000 pubkeys');
    const head = lines[4]!;
    const last = lines[4 + 300_000]!;
    expect(last.length).toBe(head.length);
    const v = validators[299_998]!; // 299998 % 7 = 6: six blocks, a slot
    expect(lines[4 + 299_999]!.trim().split(/\s+/)).toEqual([v.pubkey, '6', '299998', '299998000', '299998', '18446744073709551615']);
    expect(last.trim().split(/\s+/)).toEqual([validators[299_999]!.pubkey, '0', '299999', '-', '299999', '18446744073709551615']);
    expect(lines[5]!.trim().split(/\s+/)).toEqual([validators[0]!.pubkey, '0', '0', '-', '0', '18446744073709551615']);
  });
});

describe('writeJsonReport', () => {
  const summary = (i: number): ValidatorSummary => ({
    pubkey: `0x${i.toString(16).padStart(96, '0')}`,
    sections: 1,
    records: [i],
    blocks: i,
    attestations: 2 * i,
    maxBlockSlot: i === 0 ? null : BigInt(i),
    maxSourceEpoch: null,
    maxTargetEpoch: 2n ** 64n - 1n,
  });
  for (const n of [0, 1, 2, 5000]) {
    it(`writes exactly JSON.stringify(report, null, 2) for ${n} validators`, () => {
      const validators = Array.from({ length: n }, (_, i) => summary(i));
      const base = { ok: false, command: 'slashing verify', findings: [{ id: 'x-y', severity: 'info', message: 'm "q" \u0001', subject: 's', evidence: { a: [1, { b: null }] } }], file: 'dir/h "x".json', network: 'mainnet', records: n };
      const out: string[] = [];
      writeJsonReport({ ...base, validators, migrating: { keys: 1 } } as never, (t) => out.push(t));
      const expected = JSON.stringify({ ...base, validators: validators.map(validatorJson), migrating: { keys: 1 } }, null, 2);
      expect(out.join('')).toBe(`${expected}\n`);
    });
  }
});
