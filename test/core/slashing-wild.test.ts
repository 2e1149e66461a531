/**
 * Interchange files as clients write them (issue 22) and histories clients mis-read (issue 14
 * point 9): null and shortened signing roots, no genesis_validators_root, old draft versions,
 * u64 values above 2^53 - 1, and watermarks beyond the network's current slot/epoch.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { InterchangeInputError, verifyInterchange, type InterchangeResult, type VerifyInterchangeOptions } from '../../src/core/slashing/slashing.js';
import { roughDuration } from '../../src/core/slashing/watermarks.js';
import { FIXTURES } from '../helpers/cli.js';

const NETWORKS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'slashing', 'networks.json'), 'utf8')) as {
  networks: Record<string, { genesis_validators_root: string }>;
};
const MAINNET = NETWORKS.networks['mainnet']!.genesis_validators_root;
const HOODI = NETWORKS.networks['hoodi']!.genesis_validators_root;
// Mainnet genesis, 2020-12-01 12:00:23 UTC (beacon API /eth/v1/beacon/genesis), typed here, not imported.
const MAINNET_GENESIS = 1606824023;

const PK = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(48)}`;
const R = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;
const V5 = { interchange_format_version: '5', genesis_validators_root: MAINNET };
const doc = (data: unknown[], meta: Record<string, unknown> = V5) => ({ metadata: meta, data });
const rec = (pubkey: string, blocks: unknown[], atts: unknown[]) => ({ pubkey, signed_blocks: blocks, signed_attestations: atts });

async function verify(input: unknown, extra: Partial<VerifyInterchangeOptions> = {}): Promise<InterchangeResult> {
  const bytes = new TextEncoder().encode(typeof input === 'string' ? input : JSON.stringify(input));
  return verifyInterchange(
    async function* () {
      for (let i = 0; i < bytes.length; i += 11) yield bytes.subarray(i, i + 11);
    },
    { file: 'h.json', expectedGenesisValidatorsRoot: MAINNET, network: 'mainnet', ...extra },
  );
}

async function rejection(input: unknown): Promise<InputError> {
  try {
    await verify(input);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

const sev = (r: InterchangeResult) => r.findings.map((f) => `${f.severity}:${f.id}`);

describe('signing roots as clients write them', () => {
  it('null is absent: one info finding, and it proves nothing (two null roots at one slot are a double proposal)', async () => {
    const r = await verify(doc([rec(PK(1), [{ slot: '1', signing_root: null }, { slot: '2' }], [{ source_epoch: '1', target_epoch: '2', signing_root: null }])]));
    expect(sev(r)).toEqual(['info:slashing-signing-root-null']);
    expect(r.findings[0]!.evidence).toMatchObject({ count: 2, example: 'data[0].signed_blocks[0].signing_root' });
    const d = await verify(doc([rec(PK(1), [{ slot: '5', signing_root: null }, { slot: '5', signing_root: null }], [])]));
    expect(sev(d)).toEqual(['info:slashing-signing-root-null', 'error:slashing-double-block']);
  });

  it('a shortened root is read left-padded (as Teku does): a warning naming who refuses it, and equal roots stay equal', async () => {
    const same = await verify(doc([rec(PK(1), [], [{ source_epoch: '5', target_epoch: '6', signing_root: '0x123456' }, { source_epoch: '5', target_epoch: '6', signing_root: '0x123456' }])]));
    expect(sev(same)).toEqual(['warning:slashing-signing-root-short']);
    expect(same.findings[0]!.message).toMatch(/Lighthouse and Prysm refuse it/);
    const differ = await verify(doc([rec(PK(1), [], [{ source_epoch: '5', target_epoch: '6', signing_root: '0x123456' }, { source_epoch: '5', target_epoch: '6', signing_root: '0x123457' }])]));
    expect(sev(differ)).toEqual(['warning:slashing-signing-root-short', 'error:slashing-double-vote']);
    // Padded, 0x123456 is the same 32 bytes as the full-length form.
    const padded = await verify(doc([rec(PK(1), [{ slot: '3', signing_root: '0x123456' }, { slot: '3', signing_root: `0x${'0'.repeat(58)}123456` }], [])]));
    expect(sev(padded)).toEqual(['warning:slashing-signing-root-short']);
  });
});

describe('metadata as clients write it', () => {
  it('no genesis_validators_root (Teku export): a warning, and every other check still runs', async () => {
    const r = await verify(doc([rec(PK(1), [{ slot: '7', signing_root: R(1) }, { slot: '7', signing_root: R(2) }], [])], { interchange_format_version: '5' }));
    expect(sev(r)).toEqual(['warning:slashing-no-genesis-validators-root', 'error:slashing-double-block']);
    expect(r.genesisValidatorsRoot).toBeNull();
    expect(r.findings[0]!.message).toMatch(/cannot check that this history belongs to mainnet/);
    expect(r.findings[0]!.message).toMatch(/Teku .* imports it, Lighthouse, Prysm, Lodestar and web3signer refuse it/);
    expect(r.findings[0]!.fix).toContain(MAINNET);
    const nul = await verify(doc([], { interchange_format_version: '5', genesis_validators_root: null }));
    expect(sev(nul)).toEqual(['warning:slashing-no-genesis-validators-root']);
  });

  it('another network\'s root is refused under its own id, naming the network it belongs to', async () => {
    const e = await rejection(doc([], { interchange_format_version: '5', genesis_validators_root: HOODI }));
    expect(e).toBeInstanceOf(InterchangeInputError);
    expect((e as InterchangeInputError).id).toBe('slashing-network-mismatch');
    expect(e.message).toContain(`is ${HOODI} (hoodi), not the mainnet genesis validators root`);
    expect(e.exitCode).toBe(2);
  });

  it('v4 "complete" (Lodestar and old Teku): one error naming the version and the fix, and the content is still checked', async () => {
    const meta = { interchange_format: 'complete', interchange_format_version: '4', genesis_validators_root: MAINNET };
    const clean = await verify(doc([rec(PK(1), [{ slot: '4' }], [{ source_epoch: '2', target_epoch: '4' }])], meta));
    expect(sev(clean)).toEqual(['error:slashing-format-version']);
    expect(clean.formatVersion).toBe('4');
    const f = clean.findings[0]!;
    expect(f.message).toBe('is interchange format version "4" (draft "complete" format), not EIP-3076 version "5"; Lodestar still imports a version "4" "complete" file, Lighthouse, Prysm, Teku and web3signer refuse it');
    expect(f.fix).toMatch(/export .* again from the stopped old client .* version "5"/);
    expect(f.evidence).toMatchObject({ version: '4', interchange_format: 'complete', content_checked: true });
    const slashable = await verify(doc([rec(PK(1), [], [{ source_epoch: '1', target_epoch: '10' }, { source_epoch: '2', target_epoch: '9' }])], meta));
    expect(sev(slashable)).toEqual(['error:slashing-format-version', 'error:slashing-surround-vote']);
  });

  it('other versions: a number, "3", a minimal-format body that cannot be checked', async () => {
    const num = await verify(doc([], { interchange_format_version: 5, genesis_validators_root: MAINNET }));
    expect(sev(num)).toEqual(['error:slashing-format-version']);
    expect(num.findings[0]!.message).toMatch(/^is interchange format version 5, not EIP-3076 version "5" \(a JSON number, not a string\); Lighthouse \(require_quotes\), Prysm and Lodestar refuse it$/);
    const minimal = await rejection(doc([{ pubkey: PK(1), last_signed_block_slot: 89765 }], { interchange_format: 'minimal', interchange_format_version: 1, genesis_validators_root: MAINNET }));
    expect(minimal).toBeInstanceOf(InterchangeInputError);
    const m = minimal as InterchangeInputError;
    expect(m.id).toBe('slashing-format-version');
    expect(m.findings).toHaveLength(1);
    expect(m.findings[0]!.evidence).toMatchObject({ version: 1, interchange_format: 'minimal', content_checked: false });
    expect(m.findings[0]!.message).toMatch(/version 1 \(draft "minimal" format\).*was not checked/);
  });
});

describe('u64 exactly, and values clients mis-read', () => {
  const TWO53 = 9007199254740992n;
  it('slots and epochs around 2^53 stay distinct (no rounding anywhere)', async () => {
    // As Numbers, 2^53 and 2^53 + 1 are equal: these would read as a double proposal and a double vote.
    const r = await verify(
      doc([rec(PK(1), [{ slot: `${TWO53}`, signing_root: R(1) }, { slot: `${TWO53 + 1n}`, signing_root: R(2) }], [{ source_epoch: '1', target_epoch: `${TWO53}`, signing_root: R(3) }, { source_epoch: '1', target_epoch: `${TWO53 + 1n}`, signing_root: R(4) }])]),
    );
    expect(sev(r)).toEqual(['warning:slashing-unsafe-integer']);
    expect(r.validators[0]!.maxBlockSlot).toBe(TWO53 + 1n);
    expect(r.validators[0]!.maxTargetEpoch).toBe(TWO53 + 1n);
    // And the same slot written twice with different roots is still a double proposal up there.
    const d = await verify(doc([rec(PK(1), [{ slot: `${TWO53 + 1n}`, signing_root: R(1) }, { slot: `${TWO53 + 1n}`, signing_root: R(2) }], [])]));
    expect(sev(d)).toEqual(['error:slashing-double-block', 'warning:slashing-unsafe-integer']);
  });

  it('warns on any slot or epoch above 2^53 - 1, once per file, naming Lodestar; 2^53 - 1 itself is fine', async () => {
    const edge = await verify(doc([rec(PK(1), [{ slot: `${TWO53 - 1n}` }], [{ source_epoch: `${TWO53 - 1n}`, target_epoch: `${TWO53 - 1n}` }])]));
    expect(sev(edge)).toEqual([]);
    const r = await verify(doc([rec(PK(1), [{ slot: '18446744073709551615' }], []), rec(PK(2), [], [{ source_epoch: `${TWO53}`, target_epoch: `${TWO53}` }]), rec(PK(3), [{ slot: '5' }], [])]));
    expect(sev(r)).toEqual(['warning:slashing-unsafe-integer']);
    const f = r.findings[0]!;
    expect(f.evidence['count']).toBe(2);
    expect(f.evidence['examples']).toEqual([
      { pubkey: PK(1), field: 'max_block_slot', value: '18446744073709551615' },
      { pubkey: PK(2), field: 'max_source_epoch', value: `${TWO53}` },
      { pubkey: PK(2), field: 'max_target_epoch', value: `${TWO53}` },
    ]);
    expect(f.message).toMatch(/Lodestar stores a block watermark of 2\^64 - 1 as slot 0 and then signs any block/);
  });
});

describe('watermarks beyond the network\'s current slot and epoch', () => {
  // 2025-01-01T00:00:00Z: mainnet slot (1735689600 - 1606824023) / 12 = 10738798, epoch 335587.
  const now = 1735689600;
  const clock = { genesisTime: MAINNET_GENESIS, now };
  const SLOT = 10738798n;
  const EPOCH = 335587n;

  it('today\'s watermarks (and up to one epoch of clock skew) are fine', async () => {
    const r = await verify(doc([rec(PK(1), [{ slot: `${SLOT + 32n}` }], [{ source_epoch: `${EPOCH}`, target_epoch: `${EPOCH + 1n}` }])]), { clock });
    expect(sev(r)).toEqual([]);
  });

  it('a block slot or an epoch further ahead is a warning that says what the validator will do', async () => {
    const r = await verify(doc([rec(PK(1), [{ slot: `${SLOT + 33n}` }], []), rec(PK(2), [], [{ source_epoch: '3', target_epoch: `${EPOCH + 2n}` }]), rec(PK(3), [{ slot: '1' }], [])]), { clock });
    expect(sev(r)).toEqual(['warning:slashing-watermark-in-future']);
    const f = r.findings[0]!;
    expect(f.evidence).toMatchObject({ count: 2, current_slot: `${SLOT}`, current_epoch: `${EPOCH}`, now: '2025-01-01T00:00:00Z' });
    expect(f.message).toBe(
      `2 pubkeys have history beyond mainnet's current slot ${SLOT} (epoch ${EPOCH}, from its genesis time and this machine's clock 2025-01-01T00:00:00Z), e.g. ${PK(1)} max_block_slot ${SLOT + 33n}, about 6 minutes ahead: after import the client refuses to propose a block at or below slot ${SLOT + 33n}, so the validator misses its duties until then`,
    );
    expect(f.fix).toMatch(/check this machine's clock/);
  });

  it('no clock (a devnet) skips the check; 2^64 - 1 on mainnet gets both warnings', async () => {
    const big = doc([rec(PK(1), [{ slot: '18446744073709551615' }], [])]);
    expect(sev(await verify(big))).toEqual(['warning:slashing-unsafe-integer']);
    const r = await verify(big, { clock });
    expect(sev(r)).toEqual(['warning:slashing-unsafe-integer', 'warning:slashing-watermark-in-future']);
    expect(r.findings[1]!.message).toMatch(/about [\d,]+ years ahead: after import the client refuses to propose a block at or below slot 18446744073709551615/);
  });

  it('rough durations', () => {
    expect(roughDuration(30n)).toBe('less than a minute');
    expect(roughDuration(396n)).toBe('about 6 minutes');
    expect(roughDuration(86400n * 3n)).toBe('about 3 days');
    expect(roughDuration(365n * 86400n * 12000n)).toBe('about 12,000 years');
  });
});
