import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checksumValid, parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import {
  closeAlternatives, diagnosePlate, differingPositions, parsePlate, PLATE_FORMATS, plateText, plateTokens, type PlateFormat,
} from '../../src/core/backup/plate.js';
import { ENGLISH, indexOfStamp, indexToBits, stampOf } from '../../src/core/backup/wordlist.js';
import { FIXTURES } from '../helpers/cli.js';

const VECTORS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'seedqr_vectors.json'), 'utf8')) as {
  vectors: { vector: number; mnemonic: string }[];
}).vectors;
const ALL = VECTORS.map((v) => {
  const r = parseEnglishMnemonic(v.mnemonic);
  if (!r.ok) throw new Error('vector');
  return { vector: v.vector, indices: r.indices };
});

describe('verify: every format round-trips', () => {
  for (const { vector, indices } of ALL) {
    for (const format of PLATE_FORMATS) {
      it(`vector ${vector} from ${format}`, () => {
        const d = diagnosePlate(parsePlate(plateText(indices, format), format), format);
        expect(d).toEqual({ status: 'valid', indices });
      });
    }
  }

  it('accepts spaces, commas, position labels, comments and ●/○', () => {
    const { indices } = ALL[3]!;
    const spaced = indices.map((i) => ENGLISH[i]).join(', ');
    expect(parsePlate(spaced, 'words').map((e) => e.index)).toEqual(indices);
    const labelled = indices.map((i, k) => `${k + 1}. ${stampOf(ENGLISH[i]!).toLowerCase()}  # row ${k + 1}`).join('\n');
    expect(parsePlate(labelled, 'prefix').map((e) => e.index)).toEqual(indices);
    const dots = indices.map((i) => [...indexToBits(i)].map((b) => (b === '1' ? '●' : '○')).join(' ')).join('\n');
    expect(parsePlate(dots, 'binary').map((e) => e.index)).toEqual(indices);
    const oneLineOfBits = indices.map((i) => [...indexToBits(i)].join(' ')).join(' ');
    expect(parsePlate(oneLineOfBits, 'binary').map((e) => e.index)).toEqual(indices);
    expect(parsePlate(indices.map((i) => String(i)).join(' '), 'index').map((e) => e.index)).toEqual(indices);
    expect(plateTokens('1: 0001\n2) 0002\n', 'index')).toEqual(['0001', '0002']);
    // The digit stream a QR reader shows for a Standard SeedQR.
    for (const v of ALL) {
      const digits = v.indices.map((i) => String(i).padStart(4, '0')).join('');
      expect(diagnosePlate(parsePlate(digits, 'index'), 'index')).toEqual({ status: 'valid', indices: v.indices });
    }
    expect(plateTokens('0001000200', 'index')).toEqual(['0001000200']);
  });
});

describe('verify: entries that cannot be words are located', () => {
  const { indices } = ALL[0]!;
  const cases: [PlateFormat, string, string][] = [
    ['words', 'zzzz', 'not-a-word'],
    ['prefix', 'QQQQ', 'not-a-stamp'],
    ['index', '2048', 'index-out-of-range'],
    ['index', '12a4', 'not-a-number'],
    ['index1', '0', 'index-out-of-range'],
    ['binary', '1011', 'not-11-bits'],
    ['binary', '10111111012', 'not-11-bits'],
  ];
  for (const [format, bad, problem] of cases) {
    it(`${format}: position 5 holds something that is not an entry (${problem})`, () => {
      const lines = plateText(indices, format).split('\n');
      lines[4] = bad;
      const d = diagnosePlate(parsePlate(lines.join('\n'), format), format);
      expect(d.status).toBe('invalid-entries');
      if (d.status !== 'invalid-entries') return;
      expect(d.invalid.map((e) => [e.position, e.problem])).toEqual([[5, problem]]);
    });
  }

  it('a wrong number of entries is reported as such', () => {
    const d = diagnosePlate(parsePlate(plateText(indices.slice(0, 23), 'words'), 'words'), 'words');
    expect(d).toMatchObject({ status: 'word-count', count: 23 });
  });
});

type Outcome = 'located' | 'not-located' | 'checksum-passes' | 'missed';
type Tally = Record<Outcome, number>;
const tally = (): Tally => ({ located: 0, 'not-located': 0, 'checksum-passes': 0, missed: 0 });

/**
 * Make one slip of the given kind at `position` and check the outcome: either the checksum still
 * holds (undetectable without the original; then comparing with the original must catch it), or the
 * diagnosis locates the position (invalid entry there, or one of a few suspects there), or it says
 * honestly that it cannot (`not-located`: more than a quarter of the positions are suspects, the
 * usual case for a 12-word plate's 4-bit checksum). A suspect list that leaves out the slipped
 * position is a miss; so is a 24-word plate whose suspects are every position.
 */
function slipOutcome(indices: number[], format: PlateFormat, position: number, slipped: string): Outcome {
  const lines = plateText(indices, format).split('\n');
  lines[position - 1] = slipped;
  const entries = parsePlate(lines.join('\n'), format);
  const d = diagnosePlate(entries, format);
  if (d.status === 'invalid-entries') return d.invalid.some((e) => e.position === position) ? 'located' : 'missed';
  if (d.status === 'valid') {
    expect(differingPositions(d.indices, indices)).toEqual([position]);
    return 'checksum-passes';
  }
  if (d.status === 'checksum') {
    if (!d.suspects.some((s) => s.position === position)) return 'missed';
    expect(d.ambiguous).toBe(d.suspects.length * 4 > indices.length);
    if (indices.length === 24) expect(d.suspects.length, `a 24-word plate lists ${d.suspects.length} of 24 positions`).toBeLessThan(24);
    return d.ambiguous ? 'not-located' : 'located';
  }
  return 'missed';
}

describe('verify: one slip is caught and located', () => {
  it('one mis-stamped letter (every position, every vector)', () => {
    const t = { 12: tally(), 24: tally() } as Record<number, Tally>;
    for (const { indices } of ALL) {
      indices.forEach((idx, p) => {
        const stamp = stampOf(ENGLISH[idx]!);
        // Change the last letter to the next letter of the alphabet that makes another valid stamp, if any, else any letter.
        let slipped = `${stamp.slice(0, -1)}Q`;
        for (const ch of 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') {
          const alt = stamp.slice(0, -1) + ch;
          if (alt !== stamp && indexOfStamp(alt) !== undefined) { slipped = alt; break; }
        }
        t[indices.length]![slipOutcome(indices, 'prefix', p + 1, slipped)]++;
      });
    }
    for (const n of [12, 24]) expect(t[n]!.missed, `${n} words`).toBe(0);
    expect(t[24]!.located).toBeGreaterThan((t[24]!['checksum-passes'] + t[24]!['not-located']) * 4);
    expect(t[12]!.located + t[12]!['not-located']).toBeGreaterThan(t[12]!['checksum-passes'] * 4);
  });

  it('one off-by-one index (0-based and 1-based plates): located on 24 words, honestly not on most 12-word plates', () => {
    for (const format of ['index', 'index1'] as const) {
      const t = { 12: tally(), 24: tally() } as Record<number, Tally>;
      for (const { indices } of ALL) {
        indices.forEach((idx, p) => {
          const wrong = idx === 2047 ? idx - 1 : idx + 1;
          t[indices.length]![slipOutcome(indices, format, p + 1, format === 'index' ? String(wrong).padStart(4, '0') : String(wrong + 1))]++;
        });
      }
      for (const n of [12, 24]) expect(t[n]!.missed, `${format}, ${n} words`).toBe(0);
      expect(t[24]!.located, format).toBeGreaterThan((t[24]!['checksum-passes'] + t[24]!['not-located']) * 4);
      // A 4-bit checksum: about one in 16 of an entry's dozens of neighbours passes, at every position.
      expect(t[12]!['not-located'], format).toBeGreaterThan(t[12]!.located * 2);
    }
  });

  it('one flipped bit (every bit of every position of vectors 1 and 4)', () => {
    for (const { indices } of [ALL[0]!, ALL[3]!]) {
      const t = tally();
      indices.forEach((idx, p) => {
        for (let b = 0; b < 11; b++) t[slipOutcome(indices, 'binary', p + 1, indexToBits(idx ^ (1 << b)))]++;
      });
      expect(t.missed).toBe(0);
      if (indices.length === 24) expect(t.located).toBeGreaterThan((t['checksum-passes'] + t['not-located']) * 4);
      else expect(t['not-located']).toBeGreaterThan(t.located);
    }
  });

  it('a 12-word plate: the checksum catches an off-by-one slip but cannot say where', () => {
    // Vector 4, word 7 is index 99; the plate says 100. Ten of twelve positions have a one-slip fix.
    const { indices } = ALL[3]!;
    expect(indices[6]).toBe(99);
    const lines = plateText(indices, 'index').split('\n');
    lines[6] = '0100';
    const d = diagnosePlate(parsePlate(lines.join('\n'), 'index'), 'index');
    expect(d).toMatchObject({ status: 'checksum', ambiguous: true });
    if (d.status !== 'checksum') return;
    expect(d.suspects.length).toBeGreaterThan(3);
    expect(d.suspects.map((s) => s.position)).toContain(7);
  });

  it('a 24-word plate with a single slip usually points at exactly one position', () => {
    // Vector 3, word 7 "false": index 658; the plate says 659.
    const { indices } = ALL[2]!;
    const lines = plateText(indices, 'index').split('\n');
    lines[6] = '0659';
    const d = diagnosePlate(parsePlate(lines.join('\n'), 'index'), 'index');
    expect(d.status).toBe('checksum');
    if (d.status !== 'checksum') return;
    expect(d.suspects[0]!.position).toBe(7);
    expect(d.suspects[0]!.kinds[0]).toBe('off-by-one');
    expect(d.ambiguous).toBe(false);
  });

  it('a plate punched with 1-based numbers but read as 0-based is recognised', () => {
    for (const { indices } of ALL) {
      const shifted = indices.map((i) => String(i + 1)).join(' ');
      const entries = parsePlate(shifted, 'index');
      if (entries.some((e) => e.index === undefined)) continue;
      const d = diagnosePlate(entries, 'index');
      if (d.status === 'valid') continue; // the shifted plate happens to have a valid checksum too
      expect(d).toMatchObject({ status: 'checksum', otherConvention: 'index1' });
    }
  });

  it('a 1-based plate holding 2048 (the last word, "zoo") read as 0-based points at the other convention too', () => {
    // "zoo" ×11 + "wrong" is a valid 12-word mnemonic: 2047 ×11, 2037 (0-based).
    const ones = [...Array(11).fill(2048), 2038].join(' ');
    const entries = parsePlate(ones, 'index');
    expect(entries.filter((e) => e.index === undefined)).toHaveLength(11);
    expect(diagnosePlate(entries, 'index')).toMatchObject({ status: 'invalid-entries', otherConvention: 'index1' });
    // And back: a 0-based plate with a 0 read as 1-based.
    const zeros = `${'0 '.repeat(11)}3`;
    expect(diagnosePlate(parsePlate(zeros, 'index1'), 'index1')).toMatchObject({ status: 'invalid-entries', otherConvention: 'index' });
  });

  it('an adjacent swap is reported', () => {
    const { indices } = ALL[0]!;
    const swapped = [...indices];
    [swapped[9], swapped[10]] = [swapped[10]!, swapped[9]!];
    if (checksumValid(swapped)) return;
    const d = diagnosePlate(parsePlate(plateText(swapped, 'words'), 'words'), 'words');
    expect(d).toMatchObject({ status: 'checksum' });
    if (d.status === 'checksum') expect(d.swaps).toContain(10);
  });
});

describe('close alternatives', () => {
  it('are the one-slip neighbours in each form', () => {
    const i = 658; // false
    expect(closeAlternatives(i, 'index').filter((a) => a.kind === 'off-by-one').map((a) => a.index).sort()).toEqual([657, 659]);
    expect(closeAlternatives(i, 'binary').map((a) => a.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 11 }, (_, b) => i ^ (1 << b)).sort((a, b) => a - b),
    );
    for (const a of closeAlternatives(i, 'prefix')) {
      const x = stampOf(ENGLISH[a.index]!), y = stampOf(ENGLISH[i]!);
      const diff = x.length === y.length ? [...x].filter((c, k) => c !== y[k]).length : 1;
      expect(diff).toBe(1);
    }
    expect(closeAlternatives(0, 'index').every((a) => a.index >= 0)).toBe(true);
  });
});
