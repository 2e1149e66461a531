/**
 * The whole eth-clients slashing-protection interchange test suite (v5.3.0).
 *
 * What is checked, per step, about the interchange file itself:
 * - `should_succeed: false` → verifying the step's file against the test's genesis_validators_root
 *   throws an InputError (exit 2); `should_succeed: true` → it does not.
 * - `contains_slashable_data` → our verdict (any error finding) on the file itself. For step 0 the
 *   client database is empty, so the expectation is exactly about the file: checked both ways.
 *   For a later step the expectation is "slashable with respect to itself or the existing
 *   database": `false` means the file itself must be clean (checked), and so must the union of all
 *   files imported so far (checked); `true` is checked when the file itself, or the union with the
 *   earlier steps, is slashable; otherwise it concerns the database's watermarks (a block or
 *   attestation older than what a minimal-strategy database already holds) and is skipped.
 * Out of scope (counted as skipped): `blocks` and `attestations` — signings attempted by a client
 * *after* importing into its database, with minimal/complete strategy outcomes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { verifyInterchange, type InterchangeResult } from '../../src/core/slashing/slashing.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'slashing', 'interchange-tests', 'tests', 'generated');

interface Step {
  should_succeed: boolean;
  contains_slashable_data: boolean;
  interchange: { metadata: unknown; data: Array<{ pubkey: string }> };
  blocks: unknown[];
  attestations: unknown[];
}
interface SuiteCase {
  name: string;
  genesis_validators_root: string;
  steps: Step[];
}

/** Feed bytes in small uneven chunks so chunk boundaries land everywhere. */
function chunked(bytes: Uint8Array, size: number) {
  return async function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}

async function verdict(doc: unknown, gvr: string, chunk = 7): Promise<InterchangeResult | InputError> {
  const bytes = new TextEncoder().encode(JSON.stringify(doc, null, 1));
  try {
    return await verifyInterchange(chunked(bytes, chunk), { file: 'step.json', expectedGenesisValidatorsRoot: gvr.toLowerCase(), network: 'test' });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
}

const slashable = (r: InterchangeResult) => r.findings.some((f) => f.severity === 'error');

const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const tally = { files: 0, steps: 0, succeedChecked: 0, slashableChecked: 0, slashableSkipped: 0, signingsSkipped: 0, irrelevant: 0, skipped: [] as string[] };

describe('eth-clients slashing-protection interchange tests', () => {
  it('has all 38 test files', () => {
    expect(files.length).toBe(38);
  });

  for (const f of files) {
    it(f, async () => {
      const tc = JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as SuiteCase;
      tally.files++;
      const imported: Step['interchange'][] = [];
      for (const [i, step] of tc.steps.entries()) {
        tally.steps++;
        tally.signingsSkipped += step.blocks.length + step.attestations.length;
        const r = await verdict(step.interchange, tc.genesis_validators_root, 5 + i);
        tally.succeedChecked++;
        if (!step.should_succeed) {
          expect(r, `${tc.name} step ${i} should be rejected`).toBeInstanceOf(InputError);
          tally.irrelevant++; // contains_slashable_data is irrelevant when the import must fail (suite README)
          continue;
        }
        expect(r, `${tc.name} step ${i}: ${(r as Error).message}`).not.toBeInstanceOf(InputError);
        const own = slashable(r as InterchangeResult);
        if (i === 0) {
          expect(own, `${tc.name} step 0 slashable`).toBe(step.contains_slashable_data);
          tally.slashableChecked++;
        } else {
          // The union of everything imported so far, as one file with one section per record.
          const union = { metadata: step.interchange.metadata, data: [...imported.flatMap((x) => x.data), ...step.interchange.data] };
          const u = await verdict(union, tc.genesis_validators_root, 11);
          expect(u).not.toBeInstanceOf(InputError);
          const unionSlashable = slashable(u as InterchangeResult);
          if (!step.contains_slashable_data) {
            expect(own, `${tc.name} step ${i} file`).toBe(false);
            expect(unionSlashable, `${tc.name} step ${i} union`).toBe(false);
            tally.slashableChecked++;
          } else if (own || unionSlashable) {
            tally.slashableChecked++;
          } else {
            tally.skipped.push(`${tc.name}[${i}]`);
            tally.slashableSkipped++;
          }
        }
        imported.push(step.interchange);
      }
    });
  }

  it('reports how many expectations were checked and skipped', () => {
    const line =
      `interchange suite: ${tally.files} files, ${tally.steps} steps; should_succeed checked ${tally.succeedChecked}/${tally.steps}; ` +
      `contains_slashable_data checked ${tally.slashableChecked}, skipped ${tally.slashableSkipped} (about the database's watermarks), irrelevant ${tally.irrelevant} (import must fail); ` +
      `signing attempts skipped ${tally.signingsSkipped} (client database behaviour); skipped steps: ${tally.skipped.join(', ')}`;
    console.log(line);
    expect(tally.files).toBe(38);
    expect(tally.succeedChecked).toBe(tally.steps);
    expect(tally.slashableChecked + tally.slashableSkipped + tally.irrelevant).toBe(tally.steps);
  });
});
