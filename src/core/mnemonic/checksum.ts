/**
 * BIP39 checksum arithmetic on word indices (ENT bits of entropy followed by ENT/32 bits of
 * SHA-256(entropy)). Pure.
 */
import { sha256 } from '@noble/hashes/sha2.js';

/** Valid mnemonic lengths in words (BIP39: 128..256 bits of entropy in steps of 32). */
export const WORD_COUNTS = [12, 15, 18, 21, 24] as const;
export type WordCount = (typeof WORD_COUNTS)[number];

export function isWordCount(n: number): n is WordCount {
  return (WORD_COUNTS as readonly number[]).includes(n);
}

/** Entropy bytes for a word count: 16 for 12 words … 32 for 24. */
export function entropyBytes(words: WordCount): number {
  return (words * 11 - words / 3) / 8;
}

/** Pack 11-bit word indices into bytes (the last byte padded with zero bits). */
function packIndices(indices: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil((indices.length * 11) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const i of indices) {
    acc = (acc << 11) | i;
    bits += 11;
    while (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
  if (bits > 0) out[o] = (acc << (8 - bits)) & 0xff;
  return out;
}

/**
 * True when word indices (any valid length) carry a correct BIP39 checksum.
 * @throws {RangeError} on a length that is not 12..24 step 3.
 */
export function checksumValid(indices: readonly number[]): boolean {
  const n = indices.length;
  if (!isWordCount(n)) throw new RangeError(`a mnemonic has 12, 15, 18, 21 or 24 words, not ${n}`);
  const packed = packIndices(indices);
  const entLen = entropyBytes(n);
  const csBits = n / 3;
  const entropy = packed.subarray(0, entLen);
  const want = (sha256(entropy)[0] as number) >>> (8 - csBits);
  const got = (packed[entLen] as number) >>> (8 - csBits);
  packed.fill(0);
  return want === got;
}

