import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { checkCoverage, verifyInterchange, WAIT_HINT, type InterchangeResult } from '../../src/core/slashing/slashing.js';
import { FIXTURES } from '../helpers/cli.js';

// Expected genesis validators roots come from the shared network constants, never from the code under test.
const NETWORKS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'slashing', 'networks.json'), 'utf8')) as {
  networks: Record<string, { genesis_validators_root: string }>;
};
const MAINNET = NETWORKS.networks['mainnet']!.genesis_validators_root;
const EXAMPLE = fs.readFileSync(path.join(FIXTURES, 'slashing', 'eip3076_example.json'));
const EXAMPLE_ROOT = (JSON.parse(EXAMPLE.toString()) as { metadata: { genesis_validators_root: string } }).metadata.genesis_validators_root;

const PK = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(48)}`;
const R = (n: number) => `0x${n.toString(16).padStart(2, '0').repeat(32)}`;

function doc(data: unknown[], meta: Record<string, unknown> = { interchange_format_version: '5', genesis_validators_root: MAINNET }) {
  return { metadata: meta, data };
}

async function verify(input: unknown, chunk = 13, root = MAINNET): Promise<InterchangeResult> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input instanceof Uint8Array ? input : new TextEncoder().encode(JSON.stringify(input));
  let opens = 0;
  const res = await verifyInterchange(
    async function* () {
      opens++;
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
    { file: 'h.json', expectedGenesisValidatorsRoot: root, network: 'mainnet' },
  );
  return Object.assign(res, { opens });
}

async function inputError(input: unknown): Promise<InputError> {
  try {
    await verify(input);
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

const ids = (r: InterchangeResult) => r.findings.map((f) => f.id).sort();

describe('verifyInterchange: the EIP-3076 example', () => {
  it('is sound, and its watermarks are the maxima of its entries', async () => {
    const r = await verify(EXAMPLE, 64, EXAMPLE_ROOT);
    expect(r.findings).toEqual([]);
    expect(r.records).toBe(1);
    const v = r.validators[0]!;
    expect(v.blocks).toBe(2);
    expect(v.attestations).toBe(2);
    expect(v.maxBlockSlot).toBe(81952n);
    expect(v.maxSourceEpoch).toBe(2290n);
    expect(v.maxTargetEpoch).toBe(3008n);
  });

  it('is refused on another network, naming the field', async () => {
    const e = await inputError(EXAMPLE);
    expect(e.message).toContain('h.json: metadata.genesis_validators_root: is 0x04700007');
    expect(e.message).toContain(MAINNET);
    expect(e.exitCode).toBe(2);
  });
});

describe('verifyInterchange: bad input names the JSON path', () => {
  const att = (s: unknown, t: unknown) => ({ source_epoch: s, target_epoch: t });
  const rec = (atts: unknown[], blocks: unknown[] = []) => ({ pubkey: PK(1), signed_blocks: blocks, signed_attestations: atts });
  const many = (target: unknown) => doc([rec([]), rec([]), rec([]), rec([...Array.from({ length: 12 }, (_, i) => att(String(i), String(i + 1))), att('12', target)])].map((r, i) => ({ ...r, pubkey: PK(i + 1) })));
  const cases: Array<[string, unknown, string, RegExp]> = [
    ['not JSON', '{"metadata": ', 'metadata', /not valid JSON: unexpected end/],
    ['garbage', 'hello', '(top level)', /not valid JSON: expected a value/],
    ['not an object', '[]', '(top level)', /must be a JSON object/],
    ['version not a string', doc([], { interchange_format_version: { v: 5 }, genesis_validators_root: MAINNET }), 'metadata.interchange_format_version', /must be the string "5"/],
    ['old version, content not v5', doc([{ pubkey: `0x${'11'.repeat(48)}`, last_signed_block_slot: '1' }], { interchange_format: 'minimal', interchange_format_version: '3', genesis_validators_root: MAINNET }), 'metadata.interchange_format_version', /version "3" \(draft "minimal" format\).*not in the version 5 layout \(data\[0\]\.signed_blocks: missing\) and was not checked/],
    ['missing version', doc([], { genesis_validators_root: MAINNET }), 'metadata.interchange_format_version', /missing/],
    ['root not a string', doc([], { interchange_format_version: '5', genesis_validators_root: 5 }), 'metadata.genesis_validators_root', /32-byte hex/],
    ['short root', doc([], { interchange_format_version: '5', genesis_validators_root: '0x1234' }), 'metadata.genesis_validators_root', /32-byte hex/],
    ['missing metadata', { data: [] }, 'metadata', /missing/],
    ['missing data', { metadata: { interchange_format_version: '5', genesis_validators_root: MAINNET } }, 'data', /missing/],
    ['data not an array', { ...doc([]), data: {} }, 'data', /must be an array/],
    ['record not an object', doc([1]), 'data[0]', /must be an object/],
    ['non-decimal target', many('0x10'), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['2^64 overflow', many('18446744073709551616'), 'data[3].signed_attestations[12].target_epoch', /larger than 2\^64 - 1/],
    ['negative', many('-1'), 'data[3].signed_attestations[12].target_epoch', /negative/],
    ['leading plus', many('+1'), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['float', many('1.5'), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['exponent', many('1e3'), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['empty', many(''), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['space', many(' 1'), 'data[3].signed_attestations[12].target_epoch', /digits only/],
    ['JSON number', many(13), 'data[3].signed_attestations[12].target_epoch', /not a JSON number/],
    ['missing target', many(undefined), 'data[3].signed_attestations[12].target_epoch', /missing/],
    ['missing pubkey', doc([{ signed_blocks: [], signed_attestations: [] }]), 'data[0].pubkey', /missing/],
    ['pubkey without 0x', doc([{ ...rec([]), pubkey: PK(1).slice(2) }]), 'data[0].pubkey', /48-byte hex/],
    ['short pubkey', doc([{ ...rec([]), pubkey: PK(1).slice(0, 96) }]), 'data[0].pubkey', /48-byte hex/],
    ['missing signed_blocks', doc([{ pubkey: PK(1), signed_attestations: [] }]), 'data[0].signed_blocks', /missing/],
    ['signed_attestations not array', doc([{ pubkey: PK(1), signed_blocks: [], signed_attestations: {} }]), 'data[0].signed_attestations', /must be an array/],
    ['block not object', doc([rec([], ['1'])]), 'data[0].signed_blocks[0]', /must be an object/],
    ['missing slot', doc([rec([], [{ signing_root: R(1) }])]), 'data[0].signed_blocks[0].slot', /missing/],
    ['bad signing root (odd length)', doc([rec([], [{ slot: '1', signing_root: R(1).slice(0, 41) }])]), 'data[0].signed_blocks[0].signing_root', /32-byte hex/],
    ['bad signing root (longer)', doc([rec([], [{ slot: '1', signing_root: `${R(1)}00` }])]), 'data[0].signed_blocks[0].signing_root', /32-byte hex/],
    ['bad signing root (empty)', doc([rec([], [{ slot: '1', signing_root: '0x' }])]), 'data[0].signed_blocks[0].signing_root', /32-byte hex/],
    ['bad signing root (number)', doc([rec([], [{ slot: '1', signing_root: 0 }])]), 'data[0].signed_blocks[0].signing_root', /32-byte hex/],
    ['duplicate metadata', `{"metadata":{"interchange_format_version":"5","genesis_validators_root":"${MAINNET}"},"metadata":{}}`, 'metadata', /duplicate key/],
    ['duplicate record key', `{"data":[{"signed_blocks":[{"slot":"1"}],"signed_blocks":[]}]}`, 'data[0].signed_blocks', /duplicate key/],
    ['duplicate key', '{"metadata":{"interchange_format_version":"5","interchange_format_version":"5"}}', 'metadata.interchange_format_version', /duplicate key/],
  ];
  for (const [label, input, field, msg] of cases) {
    it(label, async () => {
      const e = await inputError(input);
      expect(e.field, e.message).toBe(field);
      expect(e.message).toMatch(msg);
      expect(e.exitCode).toBe(2);
    });
  }

  it('accepts the largest u64 and leading zeros', async () => {
    const r = await verify(doc([rec([att('0', '18446744073709551615')], [{ slot: '0007' }])]));
    expect(r.validators[0]!.maxTargetEpoch).toBe(18446744073709551615n);
    expect(r.validators[0]!.maxBlockSlot).toBe(7n);
  });

  it('bounds the entries of one record (huge arrays)', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(doc([rec(Array.from({ length: 6 }, (_, i) => att(String(i), String(i + 1))))])));
    await expect(
      verifyInterchange(async function* () { yield bytes; }, { file: 'h.json', expectedGenesisValidatorsRoot: MAINNET, network: 'mainnet', limits: { maxAttestationsPerRecord: 5 } }),
    ).rejects.toThrow(/data\[0\]\.signed_attestations\[5\]: more than 5 signed attestations/);
    await expect(
      verifyInterchange(async function* () { yield bytes; }, { file: 'h.json', expectedGenesisValidatorsRoot: MAINNET, network: 'mainnet', limits: { maxFileBytes: 100 } }),
    ).rejects.toThrow(/larger than the 100-byte limit/);
    const three = new TextEncoder().encode(JSON.stringify(doc([rec([]), rec([]), rec([])].map((r, i) => ({ ...r, pubkey: PK(i + 1) })))));
    await expect(
      verifyInterchange(async function* () { yield three; }, { file: 'h.json', expectedGenesisValidatorsRoot: MAINNET, network: 'mainnet', limits: { maxRecords: 2 } }),
    ).rejects.toThrow(/h\.json: data\[2\]: more than 2 records/);
  });
});

describe('verifyInterchange: slashable data', () => {
  const blocks = (...b: Array<[string, string?]>) => b.map(([slot, root]) => (root ? { slot, signing_root: root } : { slot }));
  const atts = (...a: Array<[string, string, string?]>) => a.map(([s, t, root]) => (root ? { source_epoch: s, target_epoch: t, signing_root: root } : { source_epoch: s, target_epoch: t }));
  const one = (b: unknown[], a: unknown[]) => doc([{ pubkey: PK(7), signed_blocks: b, signed_attestations: a }]);

  it('double proposals: same slot with different or missing roots; a re-signed block is fine', async () => {
    expect(ids(await verify(one(blocks(['5', R(1)], ['5', R(1)]), [])))).toEqual([]);
    expect(ids(await verify(one(blocks(['5', R(1)], ['5', R(2)]), [])))).toEqual(['slashing-double-block']);
    expect(ids(await verify(one(blocks(['5', R(1)], ['5']), [])))).toEqual(['slashing-double-block']);
    const zero = `0x${'00'.repeat(32)}`;
    expect(ids(await verify(one(blocks(['5', zero], ['5', zero]), [])))).toEqual(['slashing-double-block']);
    expect(ids(await verify(one([], atts(['1', '2', zero], ['1', '2', zero]))))).toEqual(['slashing-double-vote']);
    const r = await verify(one(blocks(['9'], ['1'], ['5'], ['9']), []));
    expect(r.findings[0]!.message).toContain('slot 9: data[0].signed_blocks[0], data[0].signed_blocks[3]');
    expect(r.findings[0]!.evidence['count']).toBe(1);
  });

  it('double votes, surround votes in both orders, and source after target', async () => {
    expect(ids(await verify(one([], atts(['1', '2', R(1)], ['1', '2', R(1)]))))).toEqual([]);
    expect(ids(await verify(one([], atts(['1', '2', R(1)], ['0', '2', R(1)]))))).toEqual(['slashing-double-vote']);
    expect(ids(await verify(one([], atts(['1', '2', R(1)], ['1', '2']))))).toEqual(['slashing-double-vote']);
    const surrounds = await verify(one([], atts(['1', '10'], ['2', '5'])));
    expect(ids(surrounds)).toEqual(['slashing-surround-vote']);
    expect(surrounds.findings[0]!.message).toContain('data[0].signed_attestations[0] (source 1, target 10) surrounds data[0].signed_attestations[1] (source 2, target 5)');
    expect(ids(await verify(one([], atts(['2', '5'], ['1', '10']))))).toEqual(['slashing-surround-vote']);
    expect(ids(await verify(one([], atts(['1', '5'], ['1', '10'], ['2', '10', R(1)], ['2', '11']))))).toEqual(['slashing-double-vote']);
    expect(ids(await verify(one([], atts(['5', '2']))))).toEqual(['slashing-source-after-target']);
  });

  it('surround detection agrees with the pairwise definition', async () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 200; round++) {
      const list = Array.from({ length: 1 + rand(8) }, () => {
        const s = rand(12);
        return [String(s), String(s + rand(6)), R(rand(250) + 1)] as [string, string, string];
      });
      // Distinct targets only, so double votes do not interfere.
      const seen = new Set<string>();
      const unique = list.filter(([, t]) => (seen.has(t) ? false : (seen.add(t), true)));
      const pairwise = unique.some(([s1, t1]) => unique.some(([s2, t2]) => BigInt(s1) < BigInt(s2) && BigInt(t2) < BigInt(t1)));
      const r = await verify(one([], atts(...unique)), 997);
      expect(ids(r).includes('slashing-surround-vote'), JSON.stringify(unique)).toBe(pairwise);
    }
  });

  it('merges duplicate pubkey sections with a second read and reports conflicts across them', async () => {
    const a = { pubkey: PK(7), signed_blocks: blocks(['10', R(1)]), signed_attestations: atts(['0', '3']) };
    const b = { pubkey: PK(7).toUpperCase().replace('0X', '0x'), signed_blocks: blocks(['11']), signed_attestations: atts(['1', '2']) };
    const other = { pubkey: PK(8), signed_blocks: [], signed_attestations: [] };
    const r = (await verify(doc([a, other, b]))) as InterchangeResult & { opens: number };
    expect(r.opens).toBe(2);
    expect(ids(r)).toEqual(['slashing-duplicate-pubkey', 'slashing-surround-vote']);
    expect(r.findings.find((f) => f.id === 'slashing-duplicate-pubkey')!.subject).toBe('h.json');
    expect(r.validators).toHaveLength(2);
    expect(r.validators[0]).toMatchObject({ sections: 2, blocks: 2, attestations: 2, maxBlockSlot: 11n, maxTargetEpoch: 3n });
    const s = r.findings.find((f) => f.id === 'slashing-surround-vote')!;
    expect(s.message).toContain('data[0].signed_attestations[0] (source 0, target 3) surrounds data[2].signed_attestations[0]');
    const clean = (await verify(doc([a, other]))) as InterchangeResult & { opens: number };
    expect(clean.opens).toBe(1);
  });
});

describe('verifyInterchange: merging many split pubkeys', () => {
  const sec = (pk: string, b: string[], a: Array<[string, string]>) => ({ pubkey: pk, signed_blocks: b.map((slot) => ({ slot })), signed_attestations: a.map(([s, t]) => ({ source_epoch: s, target_epoch: t })) });

  it('keeps pubkeys apart, finds conflicts across three sections, and reports one duplicate finding', async () => {
    const data = [
      sec(PK(1), ['1'], [['0', '10']]),
      sec(PK(2), ['1'], [['1', '2']]),
      sec(PK(3), [], [['5', '6']]),
      sec(PK(1), ['2'], []),
      sec(PK(2), ['2'], [['2', '3']]),
      sec(PK(1), [], [['3', '4']]),
      sec(PK(3), ['1'], []),
    ];
    const r = await verify(doc(data), 17);
    // PK(1): (0,10) in data[0] surrounds (3,4) in data[5]. PK(2): clean even though (0,10) of PK(1) would surround it.
    expect(r.findings.map((f) => [f.id, f.subject])).toEqual([
      ['slashing-surround-vote', PK(1)],
      ['slashing-duplicate-pubkey', 'h.json'],
    ]);
    expect(r.findings[0]!.message).toContain('data[0].signed_attestations[0] (source 0, target 10) surrounds data[5].signed_attestations[0] (source 3, target 4)');
    expect(r.findings[1]!.evidence['count']).toBe(3);
    expect(r.validators.map((v) => [v.sections, v.blocks, v.attestations])).toEqual([[3, 2, 2], [2, 2, 2], [2, 1, 1]]);
  });

  it('notices when the file changes between the two reads', async () => {
    const a = new TextEncoder().encode(JSON.stringify(doc([sec(PK(1), [], []), sec(PK(1), [], [])])));
    const b = new TextEncoder().encode(JSON.stringify(doc([sec(PK(1), [], []), sec(PK(2), [], [])])));
    let n = 0;
    await expect(
      verifyInterchange(async function* () { yield n++ === 0 ? a : b; }, { file: 'h.json', expectedGenesisValidatorsRoot: MAINNET, network: 'mainnet' }),
    ).rejects.toThrow(/h\.json: the file changed while it was being read/);
  });
});

describe('checkCoverage', () => {
  it('missing history is an error with the wait hint; empty history a warning; extra history info', async () => {
    const r = await verify(doc([
      { pubkey: PK(1), signed_blocks: [{ slot: '3' }], signed_attestations: [] },
      { pubkey: PK(2), signed_blocks: [], signed_attestations: [] },
      { pubkey: PK(3), signed_blocks: [{ slot: '3' }], signed_attestations: [] },
    ]));
    const f = checkCoverage('h.json', r.validators, [
      { pubkey: PK(1), source: 'k1.json' },
      { pubkey: PK(2), source: 'k2.json' },
      { pubkey: PK(4), source: 'k4.json' },
      { pubkey: PK(4), source: 'deposit.json' },
    ]);
    expect(f.map((x) => [x.id, x.severity, x.subject])).toEqual([
      ['slashing-history-empty', 'warning', PK(2)],
      ['slashing-key-without-history', 'error', PK(4)],
      ['slashing-history-without-key', 'info', 'h.json'],
    ]);
    expect(f[1]!.fix).toBe(WAIT_HINT);
    expect(f[2]!.evidence['pubkeys']).toEqual([PK(3)]);
  });
});

describe('verifyInterchange: splitting a pubkey into sections changes nothing but the duplicate note', () => {
  it('holds for random histories and random splits', async () => {
    const fc = (await import('fast-check')).default;
    const entry = fc.record({ s: fc.integer({ min: 0, max: 8 }), d: fc.integer({ min: -1, max: 4 }), root: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }) });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(entry, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.array(fc.array(fc.record({ slot: fc.integer({ min: 0, max: 5 }), root: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }) }), { maxLength: 4 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 24, maxLength: 24 }),
        async (attsPerKey, blocksPerKey, cuts) => {
          const keys = attsPerKey.map((atts, k) => ({
            pubkey: PK(k + 1),
            atts: atts.map((a) => ({ source_epoch: String(a.s), target_epoch: String(Math.max(0, a.s + a.d)), ...(a.root ? { signing_root: R(a.root) } : {}) })),
            blocks: (blocksPerKey[k] ?? []).map((b) => ({ slot: String(b.slot), ...(b.root ? { signing_root: R(b.root) } : {}) })),
          }));
          const whole = doc(keys.map((k) => ({ pubkey: k.pubkey, signed_blocks: k.blocks, signed_attestations: k.atts })));
          // Split every key's lists into up to 3 sections and interleave the sections of all keys.
          const sections: unknown[][] = [[], [], []];
          let c = 0;
          for (const k of keys) {
            const n = cuts[c++ % cuts.length] as number;
            for (let part = 0; part < n; part++) {
              sections[part]!.push({
                pubkey: k.pubkey,
                signed_blocks: k.blocks.filter((_, i) => i % n === part),
                signed_attestations: k.atts.filter((_, i) => i % n === part),
              });
            }
          }
          const split = doc(sections.flat());
          const a = await verify(whole, 29);
          const b = await verify(split, 31);
          const summary = (r: InterchangeResult) => r.findings.filter((f) => f.id !== 'slashing-duplicate-pubkey').map((f) => [f.id, f.subject, f.evidence['count']]).sort();
          expect(summary(b)).toEqual(summary(a));
          expect(b.validators.map((v) => [v.pubkey, v.blocks, v.attestations, v.maxBlockSlot, v.maxSourceEpoch, v.maxTargetEpoch]).sort()).toEqual(
            a.validators.map((v) => [v.pubkey, v.blocks, v.attestations, v.maxBlockSlot, v.maxSourceEpoch, v.maxTargetEpoch]).sort(),
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});
