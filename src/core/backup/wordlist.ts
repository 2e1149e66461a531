/**
 * The BIP39 English word list seen the ways a metal plate records a word: the word, its
 * four-letter stamp, its 0-based index (SeedQR), its 1-based line number, its 11 bits.
 * SeedQR and the four-letter rule are defined for English only.
 */
import { wordlists } from 'bip39';

const list = wordlists['english'];
if (!list || list.length !== 2048) throw new Error('bip39 english word list missing');

/** The 2048 English words, index = 0-based BIP39 index. */
export const ENGLISH: readonly string[] = list;

export const WORD_BITS = 11;

/** Letters stamped on a plate: the first four (the whole word for the 103 three-letter words). */
export function stampOf(word: string): string {
  return word.slice(0, 4).toUpperCase();
}

const indexByWord = new Map<string, number>(ENGLISH.map((w, i) => [w, i]));
const indexByStamp = new Map<string, number>(ENGLISH.map((w, i) => [stampOf(w), i]));
if (indexByStamp.size !== 2048) throw new Error('english stamps are not unique');

/** 0-based index of a word, or undefined. */
export function indexOfWord(word: string): number | undefined {
  return indexByWord.get(word.toLowerCase());
}

/** 0-based index of the word a stamp (three or four letters, any case) stands for, or undefined. */
export function indexOfStamp(stamp: string): number | undefined {
  return indexByStamp.get(stamp.toUpperCase());
}

/** Eleven bits of a 0-based index, most significant first ("1024" column first). */
export function indexToBits(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 2047) throw new RangeError('word index out of range');
  return index.toString(2).padStart(WORD_BITS, '0');
}

/** The column values of the punch row, most significant first. */
export const BIT_VALUES: readonly number[] = Array.from({ length: WORD_BITS }, (_, i) => 2 ** (WORD_BITS - 1 - i));

/** A 0-based index as SeedQR writes it: four digits, zero-padded. */
export function indexToDigits(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index > 2047) throw new RangeError('word index out of range');
  return String(index).padStart(4, '0');
}
