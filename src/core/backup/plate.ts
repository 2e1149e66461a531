/**
 * Reading a plate back: what the user stamped or punched, in one of five forms, turned into a
 * mnemonic, checked, and — when the checksum fails — the likely wrong positions located by
 * trying the single changes a transcription error makes in that form (one letter, an index
 * off by one or one digit, one flipped bit). Results name positions, never words.
 */
import { checksumValid, WORD_COUNTS } from './mnemonic.js';
import { ENGLISH, indexOfStamp, indexOfWord, indexToBits, indexToDigits, stampOf, WORD_BITS } from './wordlist.js';

export const PLATE_FORMATS = ['words', 'prefix', 'index', 'index1', 'binary'] as const;
export type PlateFormat = (typeof PLATE_FORMATS)[number];

export const FORMAT_NAMES: Record<PlateFormat, string> = {
  words: 'whole words',
  prefix: 'four-letter stamps',
  index: '0-based indices (0000-2047)',
  index1: '1-based line numbers (1-2048)',
  binary: '11-bit rows of the 0-based index',
};

/** Why an entry cannot be a word in the chosen form (never the entry itself). */
export type EntryProblem =
  | 'not-a-word'
  | 'not-a-stamp'
  | 'not-a-number'
  | 'index-out-of-range'
  | 'not-11-bits';

export interface PlateEntry {
  position: number;
  /** 0-based BIP39 index, or undefined when the entry cannot be a word. */
  index: number | undefined;
  problem?: EntryProblem;
  /** The number on the plate (index forms), also when it is out of range. */
  number?: number;
}

const BIT_ONE = new Set(['1', '●']);
const BIT_ZERO = new Set(['0', '○']);

/** Drop `# comments` and a leading position label ("7.", "07:", "7)") from each line. */
function cleanLines(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\r?\n|\r/)
    .map((l) => l.replace(/#.*$/, '').replace(/^\s*\d{1,2}[.:)]\s+/, '').trim())
    .filter((l) => l.length > 0);
}

/**
 * Split plate text into entries: one per line or separated by spaces/commas. For binary, a
 * line per entry may contain spaces between the bits, and a single line of single bits is
 * cut into rows of 11. For index, one unbroken run of 48-96 digits (a Standard SeedQR's content)
 * is cut into 4-digit indices.
 */
export function plateTokens(text: string, format: PlateFormat): string[] {
  const lines = cleanLines(text);
  if (format === 'binary') {
    if (lines.length > 1) return lines.map((l) => l.replace(/[\s,]+/g, ''));
    const tokens = (lines[0] ?? '').split(/[\s,]+/).filter((t) => t.length > 0);
    if (tokens.length > 1 && tokens.every((t) => [...t].length === 1)) {
      const bits = tokens.join('');
      const rows: string[] = [];
      for (let i = 0; i < bits.length; i += WORD_BITS) rows.push(bits.slice(i, i + WORD_BITS));
      return rows;
    }
    return tokens;
  }
  const tokens = lines.flatMap((l) => l.split(/[\s,]+/)).filter((t) => t.length > 0);
  // A Standard SeedQR digit stream (what a QR reader shows): 4 digits per word, no separators.
  const only = tokens[0];
  if (format === 'index' && tokens.length === 1 && only !== undefined && /^\d+$/.test(only) && WORD_COUNTS.includes(only.length / 4)) {
    return only.match(/\d{4}/g) ?? [];
  }
  return tokens;
}

function parseEntry(token: string, format: PlateFormat): { index?: number; problem?: EntryProblem; number?: number } {
  switch (format) {
    case 'words': {
      const i = indexOfWord(token.toLowerCase());
      return i === undefined ? { problem: 'not-a-word' } : { index: i };
    }
    case 'prefix': {
      const t = token.toLowerCase();
      const i = t.length <= 4 ? indexOfStamp(t) : indexOfWord(t);
      return i === undefined ? { problem: 'not-a-stamp' } : { index: i };
    }
    case 'index':
    case 'index1': {
      if (!/^\d{1,5}$/.test(token)) return { problem: 'not-a-number' };
      const n = Number(token) - (format === 'index1' ? 1 : 0);
      return n >= 0 && n <= 2047 ? { index: n, number: Number(token) } : { problem: 'index-out-of-range', number: Number(token) };
    }
    case 'binary': {
      const chars = [...token];
      if (chars.length !== WORD_BITS || !chars.every((c) => BIT_ONE.has(c) || BIT_ZERO.has(c))) return { problem: 'not-11-bits' };
      return { index: parseInt(chars.map((c) => (BIT_ONE.has(c) ? '1' : '0')).join(''), 2) };
    }
  }
}

/** Parse plate text in the given form. */
export function parsePlate(text: string, format: PlateFormat): PlateEntry[] {
  return plateTokens(text, format).map((token, i) => {
    const r = parseEntry(token, format);
    const e: PlateEntry = { position: i + 1, index: r.index };
    if (r.problem) e.problem = r.problem;
    if (r.number !== undefined) e.number = r.number;
    return e;
  });
}

/** How a candidate differs from what is on the plate, in that plate's own terms. */
export type ChangeKind = 'one-letter' | 'off-by-one' | 'one-digit' | 'one-bit';

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.abs(a.length - b.length) > 1) return false;
  if (a.length === b.length) {
    let diff = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
    return true;
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  return s.slice(i) === l.slice(i + 1);
}

/**
 * The indices one transcription slip away from `index` in the given form, with the kind of slip.
 * words: one letter changed, added or dropped; prefix: the same on the stamp; index/index1: ±1
 * or one digit changed; binary: one bit flipped.
 */
export function closeAlternatives(index: number, format: PlateFormat): { index: number; kind: ChangeKind }[] {
  const out = new Map<number, ChangeKind>();
  const add = (i: number, kind: ChangeKind): void => {
    if (i !== index && i >= 0 && i <= 2047 && !out.has(i)) out.set(i, kind);
  };
  switch (format) {
    case 'words':
    case 'prefix': {
      const mine = format === 'words' ? ENGLISH[index]! : stampOf(ENGLISH[index]!);
      ENGLISH.forEach((w, i) => {
        if (editDistanceAtMostOne(mine, format === 'words' ? w : stampOf(w))) add(i, 'one-letter');
      });
      break;
    }
    case 'index':
    case 'index1': {
      const base = format === 'index1' ? 1 : 0;
      add(index - 1, 'off-by-one');
      add(index + 1, 'off-by-one');
      const digits = format === 'index' ? indexToDigits(index) : String(index + base).padStart(4, '0');
      for (let p = 0; p < digits.length; p++) {
        for (let d = 0; d <= 9; d++) {
          const alt = digits.slice(0, p) + String(d) + digits.slice(p + 1);
          add(Number(alt) - base, 'one-digit');
        }
      }
      break;
    }
    case 'binary': {
      for (let b = 0; b < WORD_BITS; b++) add(index ^ (1 << b), 'one-bit');
      break;
    }
  }
  return [...out].map(([i, kind]) => ({ index: i, kind }));
}

export interface SuspectPosition {
  position: number;
  /** How many single slips at this position make the checksum valid. */
  fixes: number;
  kinds: ChangeKind[];
}

export type PlateDiagnosis =
  | { status: 'valid'; indices: number[] }
  | { status: 'word-count'; count: number; invalid: PlateEntry[] }
  | { status: 'invalid-entries'; invalid: PlateEntry[]; otherConvention?: 'index' | 'index1' }
  | {
      status: 'checksum';
      /** Positions where one slip in this form fixes the checksum, most likely first. */
      suspects: SuspectPosition[];
      /**
       * True when more than a quarter of the positions are suspects: the checksum caught the slip
       * but cannot say where. The usual case for 12 words (4 checksum bits: about one change in 16
       * passes, and each entry has dozens of one-slip neighbours); the fingerprint or the original
       * locate it instead.
       */
      ambiguous: boolean;
      /** Adjacent positions whose swap fixes the checksum (1-based, the first of the pair). */
      swaps: number[];
      /** The other index convention under which the plate is valid, if any (the 0/1-based mix-up). */
      otherConvention?: 'index' | 'index1';
    };

const KIND_RANK: Record<ChangeKind, number> = { 'off-by-one': 0, 'one-bit': 0, 'one-letter': 0, 'one-digit': 1 };

/**
 * Check a parsed plate: word count, entries that cannot be words, checksum; when the checksum
 * fails, locate the likely wrong position(s).
 */
export function diagnosePlate(entries: readonly PlateEntry[], format: PlateFormat): PlateDiagnosis {
  const invalid = entries.filter((e) => e.index === undefined);
  if (!WORD_COUNTS.includes(entries.length)) return { status: 'word-count', count: entries.length, invalid };
  if (invalid.length > 0) {
    // 2048 (or 0) only exists in the other convention: a 1-based plate read as 0-based, or back.
    const numbers = entries.map((e) => e.number);
    const other = format === 'index' ? 'index1' : format === 'index1' ? 'index' : undefined;
    if (other !== undefined && numbers.every((n) => n !== undefined && (other === 'index1' ? n >= 1 && n <= 2048 : n <= 2047))) {
      const asOther = numbers.map((n) => n! - (other === 'index1' ? 1 : 0));
      if (checksumValid(asOther)) return { status: 'invalid-entries', invalid, otherConvention: other };
    }
    return { status: 'invalid-entries', invalid };
  }
  const indices = entries.map((e) => e.index!);
  if (checksumValid(indices)) return { status: 'valid', indices };

  const suspects: SuspectPosition[] = [];
  indices.forEach((idx, p) => {
    const trial = [...indices];
    const kinds = new Set<ChangeKind>();
    let fixes = 0;
    for (const alt of closeAlternatives(idx, format)) {
      trial[p] = alt.index;
      if (checksumValid(trial)) {
        fixes++;
        kinds.add(alt.kind);
      }
    }
    if (fixes > 0) suspects.push({ position: p + 1, fixes, kinds: [...kinds].sort((a, b) => KIND_RANK[a] - KIND_RANK[b]) });
  });
  suspects.sort((a, b) => KIND_RANK[a.kinds[0]!] - KIND_RANK[b.kinds[0]!] || a.position - b.position);

  const swaps: number[] = [];
  for (let p = 0; p + 1 < indices.length; p++) {
    if (indices[p] === indices[p + 1]) continue;
    const trial = [...indices];
    [trial[p], trial[p + 1]] = [trial[p + 1]!, trial[p]!];
    if (checksumValid(trial)) swaps.push(p + 1);
  }

  const result: PlateDiagnosis = { status: 'checksum', suspects, ambiguous: suspects.length * 4 > indices.length, swaps };
  if (format === 'index' && indices.every((i) => i >= 1) && checksumValid(indices.map((i) => i - 1))) result.otherConvention = 'index1';
  if (format === 'index1' && indices.every((i) => i <= 2046) && checksumValid(indices.map((i) => i + 1))) result.otherConvention = 'index';
  return result;
}

/**
 * The plate's numbers read in the other index convention (the 0-based index of each entry when the
 * plate was stamped as `other`), or undefined when an entry is not a number valid there.
 */
export function indicesInConvention(entries: readonly PlateEntry[], other: 'index' | 'index1'): number[] | undefined {
  const out: number[] = [];
  for (const e of entries) {
    if (e.number === undefined) return undefined;
    const i = e.number - (other === 'index1' ? 1 : 0);
    if (!(i >= 0 && i <= 2047)) return undefined;
    out.push(i);
  }
  return out;
}

/** Positions (1-based) where two index lists differ; a length difference counts every extra position. */
export function differingPositions(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) out.push(i + 1);
  return out;
}

/** The plate text a sheet corresponds to, in a given form (for tests and for showing examples). */
export function plateText(indices: readonly number[], format: PlateFormat): string {
  return indices
    .map((i) => {
      switch (format) {
        case 'words': return ENGLISH[i]!;
        case 'prefix': return stampOf(ENGLISH[i]!);
        case 'index': return indexToDigits(i);
        case 'index1': return String(i + 1);
        case 'binary': return indexToBits(i);
      }
    })
    .join('\n');
}
