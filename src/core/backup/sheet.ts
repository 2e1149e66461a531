/**
 * The backup sheet's data: every way of writing each word on a plate, and the letter grid for
 * dot-per-letter plates. Pure data; the renderers lay it out. Every field is a secret.
 */
import { BIT_VALUES, ENGLISH, indexToBits, indexToDigits, stampOf } from './wordlist.js';

export interface SheetRow {
  /** 1-based position of the word in the mnemonic. */
  position: number;
  word: string;
  /** The letters to stamp, capitals (three letters for three-letter words). */
  stamp: string;
  /** 0-based BIP39 index, 4 digits, as SeedQR writes it. */
  index0: string;
  /** 1-based line number in the BIP39 english.txt list (= index + 1). */
  line1: number;
  /** 11 bits of the 0-based index, most significant (1024) first; true = punched. */
  bits: boolean[];
}

export function sheetRows(indices: readonly number[]): SheetRow[] {
  return indices.map((index, i) => {
    const word = ENGLISH[index];
    if (word === undefined) throw new RangeError('word index out of range');
    return {
      position: i + 1,
      word,
      stamp: stampOf(word),
      index0: indexToDigits(index),
      line1: index + 1,
      bits: [...indexToBits(index)].map((b) => b === '1'),
    };
  });
}

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface GridRow {
  position: number;
  /** 1–4: which letter of the stamp this row holds. */
  letterNumber: number;
  letter: string;
  /** 0-based column (A = 0) of the one dot in this row. */
  column: number;
}

/** Rows of a dot-per-letter plate: one row per stamped letter, one dot in its A–Z column. */
export function letterGrid(rows: readonly SheetRow[]): GridRow[] {
  const out: GridRow[] = [];
  for (const r of rows) {
    [...r.stamp].forEach((letter, k) => {
      out.push({ position: r.position, letterNumber: k + 1, letter, column: ALPHABET.indexOf(letter) });
    });
  }
  return out;
}

/** Lines saying which convention each column uses; every renderer prints them. */
export const CONVENTIONS: readonly string[] = [
  'STAMP: the first four letters in capitals (the whole word if it has three); unique in the BIP39 English list',
  'INDEX: 0-based position in the BIP39 English list, 4 digits (what SeedQR encodes): abandon = 0000, zoo = 2047',
  'LINE: 1-based line number in english.txt (= INDEX + 1): abandon = 1, zoo = 2048',
  `BINARY: the 11 bits of the 0-based INDEX; ● = punch (1), ○ = leave (0); columns ${BIT_VALUES.join(' ')}`,
];
