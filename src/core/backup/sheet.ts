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

/**
 * Which decimal number the user stamps: 0 = the 0-based INDEX (0000-2047, what SeedQR encodes,
 * the default), 1 = the 1-based LINE number of english.txt (1-2048). The sheet prints that column
 * large and the other small, "for checking only", so one slip of the eye between two columns
 * that differ by one does not put the wrong number on the plate.
 */
export type IndexBase = 0 | 1;

/** The `backup verify --from` form that reads a plate stamped with this sheet's numbers. */
export function verifyFormFor(base: IndexBase): 'index' | 'index1' {
  return base === 0 ? 'index' : 'index1';
}

/** The number to stamp and the number for checking only, for one row. */
export function stampedNumber(row: SheetRow, base: IndexBase): { stamp: string; check: string } {
  return base === 0 ? { stamp: row.index0, check: String(row.line1) } : { stamp: String(row.line1), check: row.index0 };
}

/** Column names: the stamped number's in capitals, the checking one in lower case. */
export function numberColumns(base: IndexBase): { stamp: string; stampBase: string; check: string; checkBase: string } {
  return base === 0
    ? { stamp: 'INDEX', stampBase: '0-based', check: 'line', checkBase: '1-based' }
    : { stamp: 'LINE', stampBase: '1-based', check: 'index', checkBase: '0-based' };
}

/** Lines saying which convention each column uses; every renderer prints them (short enough for one A4 line). */
export function conventionLines(base: IndexBase): string[] {
  const index0 = '0-based, 4 digits, as in SeedQR: abandon = 0000, zoo = 2047';
  const line1 = '1-based line of english.txt = index + 1: abandon = 1, zoo = 2048';
  return [
    'STAMP: the first four letters in capitals (the whole word if it has three); unique in the BIP39 English list',
    base === 0 ? `INDEX, the number to stamp: ${index0}` : `LINE, the number to stamp: ${line1}`,
    base === 0 ? `(line), end of row: for checking only, not to stamp: ${line1}` : `(index), end of row: for checking only, not to stamp: ${index0}`,
    `BINARY: the 11 bits of the 0-based index; ● = punch (1), ○ = leave (0); columns ${BIT_VALUES.join(' ')}`,
    `read a plate of these numbers back with: coldstake backup verify --from ${verifyFormFor(base)}`,
  ];
}
