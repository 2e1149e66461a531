/**
 * An English BIP39 mnemonic as a list of 0-based word indices: parsing, checksum, entropy.
 * The checksum and entropy come from the `bip39` package.
 */
import { mnemonicToEntropy, validateMnemonic } from 'bip39';
import { ENGLISH, indexOfWord } from './wordlist.js';

export const WORD_COUNTS: readonly number[] = [12, 15, 18, 21, 24];

/** Words of a mnemonic typed by a person: NFKD, lower case, any whitespace between words. */
export function splitMnemonic(text: string): string[] {
  return text.normalize('NFKD').toLowerCase().trim().split(/\s+/).filter((w) => w.length > 0);
}

export type ParseMnemonicResult =
  | { ok: true; indices: number[] }
  | { ok: false; reason: 'word-count'; count: number }
  | { ok: false; reason: 'unknown-word'; positions: number[] }
  | { ok: false; reason: 'checksum' };

/**
 * Parse an English mnemonic into 0-based indices. Failures say where, never what.
 */
export function parseEnglishMnemonic(text: string): ParseMnemonicResult {
  const words = splitMnemonic(text);
  if (!WORD_COUNTS.includes(words.length)) return { ok: false, reason: 'word-count', count: words.length };
  const indices: number[] = [];
  const unknown: number[] = [];
  words.forEach((w, i) => {
    const idx = indexOfWord(w);
    if (idx === undefined) unknown.push(i + 1);
    else indices.push(idx);
  });
  if (unknown.length > 0) return { ok: false, reason: 'unknown-word', positions: unknown };
  if (!checksumValid(indices)) return { ok: false, reason: 'checksum' };
  return { ok: true, indices };
}

export function indicesToMnemonic(indices: readonly number[]): string {
  return indices.map((i) => ENGLISH[i]!).join(' ');
}

/** True when the indices form a BIP39 mnemonic with a valid checksum. */
export function checksumValid(indices: readonly number[]): boolean {
  if (!WORD_COUNTS.includes(indices.length)) return false;
  return validateMnemonic(indicesToMnemonic(indices), ENGLISH as string[]);
}

/**
 * The entropy bytes of a valid mnemonic (what CompactSeedQR encodes). The caller zeroes them.
 * @throws {RangeError} when the checksum is invalid.
 */
export function mnemonicEntropy(indices: readonly number[]): Uint8Array {
  let hex: string;
  try {
    hex = mnemonicToEntropy(indicesToMnemonic(indices), ENGLISH as string[]);
  } catch {
    throw new RangeError('invalid mnemonic');
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
