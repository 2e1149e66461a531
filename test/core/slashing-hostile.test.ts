/**
 * Hostile inputs straight into the verifier: seeded mutations of a real interchange document,
 * each fed in random chunk sizes. Every outcome must be a result or an InputError (exit 2) —
 * never another exception (exit 70) — and an InputError always names the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { verifyInterchange } from '../../src/core/slashing/slashing.js';
import { FIXTURES } from '../helpers/cli.js';
import { mutateJson, rng } from '../robustness/mutate.js';

const SUITE = path.join(FIXTURES, 'slashing', 'interchange-tests', 'tests', 'generated');
const tc = JSON.parse(fs.readFileSync(path.join(SUITE, 'multiple_validators_multiple_blocks_and_attestations.json'), 'utf8'));
const GVR: string = tc.genesis_validators_root;

describe('verifyInterchange on hostile input', () => {
  it('2000 seeded mutations: a result or one InputError, nothing else', async () => {
    const r = rng(9);
    const kinds: Record<string, number> = {};
    let rejected = 0;
    for (let n = 0; n < 2000; n++) {
      const c = mutateJson(tc.steps[0].interchange, r);
      const chunk = 1 + Math.floor(r() * 300);
      try {
        await verifyInterchange(
          async function* () {
            for (let i = 0; i < c.bytes.length; i += chunk) yield c.bytes.subarray(i, i + chunk);
          },
          { file: 'm.json', expectedGenesisValidatorsRoot: GVR, network: 'test' },
        );
      } catch (err) {
        if (!(err instanceof InputError)) throw new Error(`case ${n} (${c.kind}) threw ${(err as Error).name}: ${(err as Error).message}`);
        expect(err.message.startsWith('m.json: ')).toBe(true);
        rejected++;
      }
      kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
    }
    expect(rejected).toBeGreaterThan(500);
    expect(Object.keys(kinds).length).toBeGreaterThanOrEqual(10);
  });
});
