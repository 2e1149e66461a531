/**
 * BIP39 mnemonics: generation from injected entropy (CSPRNG or dice), checksum arithmetic,
 * the last-word search, and the seed. Wordlists and encoding come from the `bip39` package;
 * hashing from @noble/hashes. Pure: randomness is injected, nothing here does I/O.
 *
 * Diagnosis of typed mnemonics (unknown words, suggestions, checksum fixes) is in
 * mnemonic-diagnose.ts and re-exported here.
 */
import { entropyToMnemonic, mnemonicToEntropy, mnemonicToSeedSync } from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { checksumValid, entropyBytes, isWordCount, type WordCount } from './checksum.js';
import { type Language, wordlist } from './words.js';

export { checksumValid, entropyBytes, isWordCount, WORD_COUNTS, type WordCount } from './checksum.js';

export { LANGUAGES, parseLanguage, tokenize, wordlist, type Language, type Wordlist } from './words.js';
export {
  diagnoseMnemonic,
  describeProblem,
  positionsText,
  summariseProblems,
  suggestWords,
  type MnemonicDiagnosis,
  type MnemonicProblem,
  type ChecksumFix,
  type DiagnoseOptions,
} from './diagnose.js';

/** Random bytes from the caller (the operating system's CSPRNG in the CLI, a fixed stream in tests). */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * The mnemonic for some entropy (16, 20, 24, 28 or 32 bytes), as NFKD words.
 * @throws {RangeError} on another length.
 */
export function entropyToWords(entropy: Uint8Array, language: Language = 'english'): string[] {
  if (![16, 20, 24, 28, 32].includes(entropy.length)) throw new RangeError(`entropy must be 16..32 bytes in steps of 4, not ${entropy.length}`);
  const hex = bytesToHex(entropy);
  return entropyToMnemonic(hex, wordlist(language).words as string[]).normalize('NFKD').split(/[ \u3000]/);
}

/**
 * The entropy of a valid mnemonic (words separated by spaces, NFKD or not).
 * @throws {Error} when it is not a valid mnemonic in `language` (message without the words).
 */
export function wordsToEntropy(mnemonic: string, language: Language = 'english'): Uint8Array {
  let hex: string;
  try {
    hex = mnemonicToEntropy(mnemonic.normalize('NFKD').split(/[\s\u3000]+/u).join(' '), wordlist(language).words as string[]);
  } catch {
    throw new Error('not a valid mnemonic');
  }
  return hexToBytes(hex);
}

/**
 * A new mnemonic of `words` words from `randomBytes` (the CLI passes the operating system's CSPRNG).
 * @throws {RangeError} on a bad word count or a random source that returns the wrong length.
 */
export function generateMnemonic(words: WordCount, language: Language, randomBytes: RandomBytes): string[] {
  if (!isWordCount(words)) throw new RangeError(`word count must be 12, 15, 18, 21 or 24`);
  const n = entropyBytes(words);
  const entropy = randomBytes(n);
  try {
    if (!(entropy instanceof Uint8Array) || entropy.length !== n) throw new RangeError('random source returned the wrong number of bytes');
    return entropyToWords(entropy, language);
  } finally {
    entropy.fill(0);
  }
}

/**
 * The BIP39 seed (64 bytes): PBKDF2-HMAC-SHA512, 2048 rounds, both inputs NFKD-normalised.
 * `mnemonic` must already be validated; `passphrase` is the optional "25th word" ('' for none).
 */
export function mnemonicToSeed(mnemonic: string, passphrase = ''): Uint8Array {
  const m = mnemonic.normalize('NFKD').split(/[\s\u3000]+/u).filter(Boolean).join(' ');
  const seed = mnemonicToSeedSync(m, passphrase.normalize('NFKD'));
  const out = new Uint8Array(seed);
  seed.fill(0);
  return out;
}

/**
 * Every word index that completes `first` (N-1 valid word indices, N in 12..24 step 3) to a
 * valid mnemonic, in wordlist order: 2^(11 - N/3) of them (128 for 12 words, 8 for 24).
 * @throws {RangeError} on another length.
 */
export function lastWordCandidates(first: readonly number[]): number[] {
  const n = first.length + 1;
  if (!isWordCount(n)) throw new RangeError(`give 11, 14, 17, 20 or 23 words, not ${first.length}`);
  const out: number[] = [];
  const all = [...first, 0];
  for (let i = 0; i < 2048; i++) {
    all[n - 1] = i;
    if (checksumValid(all)) out.push(i);
  }
  all.fill(0);
  return out;
}

/** Minimum d6 rolls per word count (Coldcard's thresholds: ≈ log2(6) = 2.585 bits per roll). */
export const DICE_MIN_ROLLS: Record<WordCount, number> = { 12: 50, 15: 62, 18: 75, 21: 87, 24: 99 };

export type DiceProblem =
  | { kind: 'bad-character'; position: number }
  | { kind: 'too-few'; rolls: number; needed: number };

/**
 * Check typed d6 rolls: digits 1-6, whitespace ignored. Returns the digit string or the problem
 * (position is 1-based in the typed text, counting every character).
 */
export function parseDiceRolls(typed: string): { rolls: string } | { problem: DiceProblem } {
  let rolls = '';
  let position = 0;
  for (const ch of typed) {
    position++;
    if (/\s/u.test(ch)) continue;
    if (ch < '1' || ch > '6') return { problem: { kind: 'bad-character', position } };
    rolls += ch;
  }
  return { rolls };
}

/**
 * Entropy from d6 rolls: SHA-256 of the ASCII roll string ('1'..'6', as rolled), truncated to the
 * entropy size — the Coldcard / SeedSigner / seedtool convention, reproducible on those devices.
 * @throws {RangeError} on a character other than 1-6 or fewer rolls than DICE_MIN_ROLLS[words].
 */
export function diceToEntropy(rolls: string, words: WordCount): Uint8Array {
  if (!isWordCount(words)) throw new RangeError('word count must be 12, 15, 18, 21 or 24');
  if (!/^[1-6]*$/.test(rolls)) throw new RangeError('dice rolls must be the digits 1 to 6');
  const needed = DICE_MIN_ROLLS[words];
  if (rolls.length < needed) throw new RangeError(`${words} words need at least ${needed} rolls, got ${rolls.length}`);
  const digest = sha256(new TextEncoder().encode(rolls));
  const out = digest.slice(0, entropyBytes(words));
  digest.fill(0);
  return out;
}

/** Chi-square critical value for 5 degrees of freedom at p = 0.001. */
const CHI2_5DF_P001 = 20.515;

/**
 * Pearson's chi-square statistic of the face counts against a fair die, and whether it is so large
 * (p < 0.001) that the rolls were probably not rolled fairly (a favourite number, a loaded die,
 * "111111…"). Only a warning: a fair die fails this once in a thousand sessions.
 */
export function diceBias(rolls: string): { chiSquare: number; suspicious: boolean } {
  const counts = [0, 0, 0, 0, 0, 0];
  for (const ch of rolls) {
    const face = ch.charCodeAt(0) - 49;
    if (face >= 0 && face < 6) counts[face] = (counts[face] as number) + 1;
  }
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return { chiSquare: 0, suspicious: false };
  const expected = n / 6;
  const chiSquare = counts.reduce((acc, o) => acc + (o - expected) ** 2 / expected, 0);
  return { chiSquare, suspicious: chiSquare > CHI2_5DF_P001 };
}

/**
 * `count` distinct positions (1-based, ascending) out of `n`, for the retype check; every position
 * when `count >= n`. `randomInt(max)` returns an integer in [0, max).
 */
export function confirmationPositions(n: number, count: number, randomInt: (max: number) => number): number[] {
  const all = Array.from({ length: n }, (_, i) => i + 1);
  if (count >= n) return all;
  // Partial Fisher-Yates shuffle.
  for (let i = 0; i < count; i++) {
    const j = i + randomInt(n - i);
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.slice(0, count).sort((a, b) => a - b);
}

export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

export function hexToBytes(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError('not a hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
