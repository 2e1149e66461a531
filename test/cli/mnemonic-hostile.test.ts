/** Hostile mnemonic files through the real CLI: exit 0/1/2 only, the stderr grammar, time and RSS bounds, no echo. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entropyToWords, hexToBytes } from '../../src/core/mnemonic/mnemonic.js';
import { mkTmp, rmTmp } from '../helpers/cli.js';
import { mutateText, rng } from '../robustness/mutate.js';
import { runHostile, summarise, type HostileRun } from '../robustness/runner.js';

const V24 = entropyToWords(hexToBytes('f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f')).join(' ');

let tmp: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-mnemonic-hostile-');
});
afterAll(() => rmTmp(tmp));

describe('mnemonic check and last-word on hostile files', () => {
  it('60 seeded mutations keep the CLI contract and never echo a word', async () => {
    const r = rng(39);
    const runs: HostileRun[] = [];
    for (let n = 0; n < 60; n++) {
      const c = mutateText(V24, r);
      const f = path.join(tmp, `case-${n}.txt`);
      fs.writeFileSync(f, c.bytes);
      const args = n % 3 === 2 ? ['mnemonic', 'last-word', '--json', '--mnemonic-file', f] : ['mnemonic', 'check', '--mnemonic-file', f, ...(n % 2 ? ['--json'] : [])];
      runs.push({ label: `case-${n}`, kind: c.kind, args });
    }
    const outcomes = await runHostile(runs, tmp);
    const bad = outcomes.filter((o) => o.problems.length > 0).map((o) => `${o.label} (${o.kind}): ${o.problems.join('; ')}`);
    expect(bad).toEqual([]);
    for (const o of outcomes) {
      for (const w of V24.split(' ')) expect(`${o.stdout}${o.stderr}`, `${o.label} echoed a word`).not.toMatch(new RegExp(`\\b${w}\\b`));
    }
    const s = summarise(outcomes);
    console.log(`mnemonic hostile: ${JSON.stringify(s)}`);
    expect(s.byCode['1'] ?? 0).toBeGreaterThan(10);
    expect(s.byCode['2'] ?? 0).toBeGreaterThan(3);
  }, 300_000);
});
