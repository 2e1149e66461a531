/**
 * QRL mnemonics (go-qrllib wallet/misc/helper.go): 12 bits a word from the 4096-word QRL list, NO
 * checksum. 32 words = the 48-byte staking seed; 34 words = the 51-byte extended seed (descriptor
 * 01 00 00 ‖ seed). Hex forms: 96 digits (seed, qrysm prints it with 0x) or 102 digits starting 010000.
 *
 * With no checksum every sequence of list words decodes: a mistyped word that is another list word
 * cannot be noticed from the words alone. Callers show a fingerprint to compare with a record.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { ZOND_DESCRIPTOR, ZOND_SEED_BYTES } from './format.js';
import { QRL_WORDLIST, qrlWordIndex } from './wordlist.js';

/** True when `word` (lower case) is on the QRL list. */
export function isQrlWord(word: string): boolean {
  return qrlWordIndex(word) >= 0;
}

/**
 * Bytes → words, 3 bytes to 2 words.
 * @throws {RangeError} when the length is not a multiple of 3.
 */
export function bytesToQrlWords(bytes: Uint8Array): string[] {
  if (bytes.length % 3 !== 0) throw new RangeError('QRL mnemonic input must be a multiple of 3 bytes');
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i]!, b1 = bytes[i + 1]!, b2 = bytes[i + 2]!;
    out.push(QRL_WORDLIST[(b0 << 4) | (b1 >> 4)]!, QRL_WORDLIST[((b1 & 15) << 8) | b2]!);
  }
  return out;
}

/** A word not on the list: its 1-based position (never the word itself: it is part of a secret). */
export class QrlWordError extends RangeError {
  readonly positions: number[];
  constructor(positions: number[]) {
    super(`word${positions.length > 1 ? 's' : ''} ${positions.join(', ')} ${positions.length > 1 ? 'are' : 'is'} not on the QRL word list`);
    this.name = 'QrlWordError';
    this.positions = positions;
  }
}

/**
 * Words → bytes (2 words to 3 bytes).
 * @throws {RangeError} odd word count; {QrlWordError} words not on the list (by position).
 */
export function qrlWordsToBytes(words: readonly string[]): Uint8Array {
  if (words.length % 2 !== 0) throw new RangeError('a QRL mnemonic has an even number of words');
  const bad: number[] = [];
  const n = words.map((w, i) => {
    const v = qrlWordIndex(w);
    if (v < 0) bad.push(i + 1);
    return Math.max(v, 0);
  });
  if (bad.length) throw new QrlWordError(bad);
  const out = new Uint8Array((words.length / 2) * 3);
  for (let i = 0, o = 0; i < n.length; i += 2, o += 3) {
    const a = n[i]!, b = n[i + 1]!;
    out[o] = a >> 4;
    out[o + 1] = ((a & 15) << 4) | (b >> 8);
    out[o + 2] = b & 0xff;
  }
  return out;
}

export type ZondSeedForm = 'mnemonic-32' | 'mnemonic-34' | 'hex-seed' | 'hex-extended-seed';

export interface ZondSeed {
  /** The 48-byte staking seed. The caller zeroes it. */
  seed: Uint8Array;
  form: ZondSeedForm;
}

/**
 * Check an extended seed's 3-byte descriptor: ML-DSA-87 (01 00 00) only.
 * @throws {RangeError} naming what the descriptor is instead.
 */
function checkDescriptor(d: Uint8Array): void {
  if (d[0] === ZOND_DESCRIPTOR[0] && d[1] === 0 && d[2] === 0) return;
  const t = d[0] === 0 ? 'type 0 (SPHINCS+ or an older wallet type)' : d[0] === 1 ? 'ML-DSA-87 with non-zero parameter bytes' : `wallet type ${d[0]}`;
  throw new RangeError(`the extended seed's descriptor is not ML-DSA-87 (01 00 00): ${t}; only ML-DSA-87 seeds are supported`);
}

/**
 * Parse a Zond seed typed or stored as text: 32 or 34 QRL words (any whitespace, any case), or hex
 * (96 digits = seed, 102 digits = extended seed; optional 0x).
 * @throws {RangeError} (messages never contain the secret).
 */
export function parseZondSeed(text: string): ZondSeed {
  const t = text.trim();
  const hex = t.replace(/^0x/i, '');
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    if (hex.length === 96) return { seed: hexToBytes(hex.toLowerCase()), form: 'hex-seed' };
    if (hex.length === 102) {
      const b = hexToBytes(hex.toLowerCase());
      checkDescriptor(b.subarray(0, 3));
      const seed = b.slice(3);
      b.fill(0);
      return { seed, form: 'hex-extended-seed' };
    }
    throw new RangeError(`a Zond seed in hex has 96 digits (seed) or 102 digits (extended seed), not ${hex.length}`);
  }
  const words = t.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length !== 32 && words.length !== 34) {
    throw new RangeError(`a QRL mnemonic has 32 words (staking seed) or 34 words (wallet extended seed), not ${words.length}`);
  }
  const bytes = qrlWordsToBytes(words);
  if (words.length === 32) return { seed: bytes, form: 'mnemonic-32' };
  try {
    checkDescriptor(bytes.subarray(0, 3));
    return { seed: bytes.slice(3), form: 'mnemonic-34' };
  } finally {
    bytes.fill(0);
  }
}

/** The 32-word mnemonic of a 48-byte seed. */
export function seedToMnemonic(seed: Uint8Array): string {
  if (seed.length !== ZOND_SEED_BYTES) throw new RangeError('a Zond seed has 48 bytes');
  return bytesToQrlWords(seed).join(' ');
}

/** The 34-word mnemonic of the extended seed 01 00 00 ‖ seed (what the QRL wallet shows). */
export function seedToExtendedMnemonic(seed: Uint8Array): string {
  if (seed.length !== ZOND_SEED_BYTES) throw new RangeError('a Zond seed has 48 bytes');
  const ext = new Uint8Array(51);
  ext.set(ZOND_DESCRIPTOR);
  ext.set(seed, 3);
  try {
    return bytesToQrlWords(ext).join(' ');
  } finally {
    ext.fill(0);
  }
}
