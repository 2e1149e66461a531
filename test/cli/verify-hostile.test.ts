/**
 * Seeded hostile inputs (test/robustness) through `keystore verify`, `deposit verify` and
 * `ownership check --keystores`: every case must end with exit 0, 1 or 2 in the stderr grammar,
 * within the time and memory limits, with no stack trace and no internal error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mutateJson, rng } from '../robustness/mutate.js';
import { runHostile, summarise, type HostileRun } from '../robustness/runner.js';
import { FIXTURES, mkTmp, rmTmp } from '../helpers/cli.js';
import { makeKeystore, TEST_PASSWORD } from '../helpers/keystores.js';

const CASES = Number(process.env['HOSTILE_CASES'] ?? 24);
let tmp: string;
let pw: string;

beforeAll(() => {
  tmp = mkTmp();
  pw = path.join(tmp, 'pw');
  fs.writeFileSync(pw, `${TEST_PASSWORD}\n`, { mode: 0o600 });
});
afterAll(() => rmTmp(tmp));

function cases(original: unknown, seed: number, name: string): string[] {
  const r = rng(seed);
  return Array.from({ length: CASES }, (_, i) => {
    const c = mutateJson(original as never, r);
    const f = path.join(tmp, `${name}-${i}-${c.kind}.json`);
    fs.writeFileSync(f, c.bytes, { mode: 0o600 });
    return f;
  });
}

describe('hostile inputs', () => {
  it('keystores and deposit files', async () => {
    const ks = await makeKeystore({ c: 2 ** 10 });
    const deposit = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'deposit', 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_true', 'deposit_data-1715584107.json'), 'utf8'));
    const runs: HostileRun[] = [
      ...cases(ks, 6001, 'keystore').map((f) => ({ label: path.basename(f), kind: 'keystore', args: ['keystore', 'verify', f, '--password-file', pw] })),
      ...cases(deposit, 6002, 'deposit').map((f) => ({ label: path.basename(f), kind: 'deposit', args: ['deposit', 'verify', f, '--network', 'mainnet'] })),
    ];
    const out = await runHostile(runs, tmp);
    const bad = out.filter((o) => o.problems.length > 0).map((o) => `${o.label}: ${o.problems.join('; ')}`);
    expect(bad).toEqual([]);
    const s = summarise(out);
    expect(s.cases).toBe(2 * CASES);
  }, 300_000);
});
