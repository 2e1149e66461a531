/**
 * An English BIP39 mnemonic as a list of 0-based word indices: parsing, checksum, entropy.
 * Entropy comes from the `bip39` package; the checksum test used while searching for a
 * transcription slip packs the 11-bit indices itself (bip39 looks every word up linearly,
 * too slow for thousands of trials) and is tested against bip39 on every vector.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { mnemonicToEntropy } from 'bip39';
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

/** True when the indices form a BIP39 mnemonic with a valid checksum (BIP39: CS = ENT / 32 bits of SHA-256(entropy)). */
export function checksumValid(indices: readonly number[]): boolean {
  if (!WORD_COUNTS.includes(indices.length)) return false;
  const totalBits = indices.length * 11;
  const csBits = totalBits / 33;
  const entropy = new Uint8Array((totalBits - csBits) / 8);
  let acc = 0;
  let accBits = 0;
  let out = 0;
  let checksum = 0;
  for (const idx of indices) {
    if (!Number.isInteger(idx) || idx < 0 || idx > 2047) return false;
    acc = (acc << 11) | idx;
    accBits += 11;
    while (accBits >= 8 && out < entropy.length) {
      accBits -= 8;
      entropy[out++] = (acc >>> accBits) & 0xff;
      acc &= (1 << accBits) - 1;
    }
  }
  checksum = acc & ((1 << csBits) - 1);
  const expected = sha256(entropy)[0]! >>> (8 - csBits);
  entropy.fill(0);
  return checksum === expected;
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
