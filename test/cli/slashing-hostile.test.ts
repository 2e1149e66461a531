/** Hostile interchange files through the real CLI: exit 0/1/2 only, the stderr grammar, time and RSS bounds. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, mkTmp, rmTmp } from '../helpers/cli.js';
import { mutateJson, rng } from '../robustness/mutate.js';
import { runHostile, summarise, type HostileRun } from '../robustness/runner.js';

const SUITE = path.join(FIXTURES, 'slashing', 'interchange-tests', 'tests', 'generated');
const tc = JSON.parse(fs.readFileSync(path.join(SUITE, 'multiple_validators_multiple_blocks_and_attestations.json'), 'utf8'));

let tmp: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-slashing-hostile-');
});
afterAll(() => rmTmp(tmp));

describe('slashing verify on hostile files', () => {
  it('40 seeded mutations keep the CLI contract', async () => {
    const r = rng(3076);
    const runs: HostileRun[] = [];
    for (let n = 0; n < 40; n++) {
      const c = mutateJson(tc.steps[0].interchange, r);
      const f = path.join(tmp, `case-${n}.json`);
      fs.writeFileSync(f, c.bytes);
      runs.push({ label: `case-${n}`, kind: c.kind, args: ['slashing', 'verify', f, '--network', 'devnet', '--genesis-validators-root', tc.genesis_validators_root] });
    }
    const outcomes = await runHostile(runs, tmp);
    const bad = outcomes.filter((o) => o.problems.length > 0).map((o) => `${o.label} (${o.kind}): ${o.problems.join('; ')}`);
    expect(bad).toEqual([]);
    const s = summarise(outcomes);
    console.log(`slashing hostile: ${JSON.stringify(s)}`);
    expect(s.byCode['2'] ?? 0).toBeGreaterThan(5);
  }, 300_000);
});
