/**
 * The eth-clients interchange suite through the real binary: every step's file, verified with the
 * test's genesis_validators_root as a devnet root. Exit codes must say what the suite says where the
 * expectation is about the file itself (rules in test/core/slashing-interchange-suite.test.ts):
 * should_succeed false → 2; step 0 → contains_slashable_data ? 1 : 0; a later step with
 * contains_slashable_data false → the file and the union of all files imported so far exit 0; with
 * true → the union exits 1, except the five steps whose expectation is about a client database's
 * watermarks (exit 0, listed below).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'slashing', 'interchange-tests', 'tests', 'generated');
// The five steps whose `contains_slashable_data: true` concerns a client database's watermarks.
const DATABASE_STATE = new Set([
  'multiple_interchanges_overlapping_validators_merge_stale[1]',
  'multiple_interchanges_single_validator_fail_iff_imported[1]',
  'multiple_interchanges_single_validator_multiple_blocks_out_of_order[1]',
  'multiple_interchanges_single_validator_single_att_out_of_order[1]',
  'multiple_interchanges_single_validator_single_block_out_of_order[1]',
]);

let tmp: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-slashing-suite-');
});
afterAll(() => rmTmp(tmp));

describe('interchange suite through bin/coldstake', () => {
  it('every step of the 38 files exits as the suite expects', () => {
    let steps = 0;
    for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith('.json')).sort()) {
      const tc = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8'));
      const imported: Array<{ metadata: unknown; data: unknown[] }> = [];
      const run = (label: string, doc: unknown) => {
        const file = path.join(tmp, `${label}.json`);
        fs.writeFileSync(file, JSON.stringify(doc));
        const r = runCli(['slashing', 'verify', file, '--network', 'suite', '--genesis-validators-root', tc.genesis_validators_root, '--json']);
        assertCleanStderr(r.stderr);
        if (r.code !== 2) expect(JSON.parse(r.stdout).ok).toBe(r.code === 0);
        return r;
      };
      tc.steps.forEach((step: { should_succeed: boolean; contains_slashable_data: boolean; interchange: { metadata: unknown; data: unknown[] } }, i: number) => {
        steps++;
        const label = `${tc.name}[${i}]`;
        const own = run(label, step.interchange);
        if (!step.should_succeed) {
          expect(own.code, label).toBe(2);
          return;
        }
        if (i === 0) {
          expect(own.code, `${label}: ${own.stderr}`).toBe(step.contains_slashable_data ? 1 : 0);
        } else {
          // Later steps: the file alone, and the union of everything imported so far.
          const union = run(`${label}-union`, { metadata: step.interchange.metadata, data: [...imported.flatMap((x) => x.data), ...step.interchange.data] });
          if (!step.contains_slashable_data) {
            expect([own.code, union.code], label).toEqual([0, 0]);
          } else {
            expect(union.code, label).toBe(DATABASE_STATE.has(label) ? 0 : 1);
          }
        }
        imported.push(step.interchange);
      });
    }
    expect(steps).toBe(49);
  }, 240_000);
});
