/**
 * Hostile inputs for `separation check` through the real CLI: mutated deposit data (exit 2 with
 * one error line, or a result), and mutated keystores, deposit files and notes inside the
 * scanned tree (never exit 2 or 70: a file in the tree is evidence, not input).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, mkTmp, rmTmp } from '../helpers/cli.js';
import { mutateJson, mutateText, rng } from '../robustness/mutate.js';
import { runHostile, summarise, type HostileRun } from '../robustness/runner.js';

const F = path.join(FIXTURES, 'separation');
const deposit = JSON.parse(fs.readFileSync(path.join(F, 'deposit_data-withdrawal-key.json'), 'utf8'));
const keystore = JSON.parse(fs.readFileSync(path.join(F, 'trees/withdrawal-keystore/validator_keys/keystore-m_12381_3600_0_0-1700000000.json'), 'utf8'));
const notes = fs.readFileSync(path.join(F, 'trees/notes/home/val/notes.txt'), 'utf8');
const tree = path.join(F, 'trees/withdrawal-key-present');

let tmp: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-sep-hostile-');
});
afterAll(() => rmTmp(tmp));

describe('separation check on hostile inputs', () => {
  it('30 mutated --deposit-data files keep the CLI contract', async () => {
    const r = rng(2335);
    const runs: HostileRun[] = [];
    for (let n = 0; n < 30; n++) {
      const c = mutateJson(deposit, r);
      const f = path.join(tmp, `deposit-${n}.json`);
      fs.writeFileSync(f, c.bytes);
      runs.push({ label: `deposit-${n}`, kind: c.kind, args: ['separation', 'check', tree, '--deposit-data', f] });
    }
    const outcomes = await runHostile(runs, tmp);
    expect(outcomes.filter((o) => o.problems.length > 0).map((o) => `${o.label} (${o.kind}): ${o.problems.join('; ')}`)).toEqual([]);
    expect(summarise(outcomes).byCode['2'] ?? 0).toBeGreaterThan(5);
  }, 300_000);

  it('a tree of 60 mutated keystores, deposit files and notes is scanned, never refused', async () => {
    const r = rng(7);
    const dir = path.join(tmp, 'tree');
    for (let n = 0; n < 20; n++) {
      fs.mkdirSync(path.join(dir, `k${n}`), { recursive: true });
      fs.writeFileSync(path.join(dir, `k${n}`, 'keystore.json'), mutateJson(keystore, r).bytes);
      fs.writeFileSync(path.join(dir, `k${n}`, 'deposit_data.json'), mutateJson(deposit, r).bytes);
      fs.writeFileSync(path.join(dir, `k${n}`, 'notes.txt'), mutateText(notes, r).bytes);
    }
    const outcomes = await runHostile([{ label: 'tree', kind: 'mixed', args: ['separation', 'check', dir, '--json'] }], tmp);
    const o = outcomes[0]!;
    expect(o.problems).toEqual([]);
    expect([0, 1]).toContain(o.code);
    const report = JSON.parse(o.stdout);
    expect(report.summary.files_scanned + report.summary.skipped.binary).toBe(60);
  }, 120_000);
});
