import fs from 'node:fs';
import path from 'node:path';
import { validateMnemonic, wordlists } from 'bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumValid, mnemonicEntropy, parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import { parsePlate, plateText } from '../../src/core/backup/plate.js';
import { letterGrid, sheetRows } from '../../src/core/backup/sheet.js';
import { BIT_VALUES, ENGLISH, indexOfStamp, indexOfWord, indexToBits, indexToDigits, stampOf } from '../../src/core/backup/wordlist.js';
import { FIXTURES } from '../helpers/cli.js';

const VECTORS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'seedqr_vectors.json'), 'utf8')) as {
  vectors: { vector: number; mnemonic: string; standard_seedqr_digits: string; compact_seedqr_bits: string }[];
}).vectors;

describe('word list forms', () => {
  it('is the bip39 english list', () => {
    expect(ENGLISH).toBe(wordlists['english']);
    expect(ENGLISH[0]).toBe('abandon');
    expect(ENGLISH[2047]).toBe('zoo');
  });

  it('every english word has a unique stamp that round-trips (any case)', () => {
    const seen = new Set<string>();
    ENGLISH.forEach((w, i) => {
      const s = stampOf(w);
      expect(s).toBe(w.slice(0, 4).toUpperCase());
      expect(s).toMatch(/^[A-Z]{3,4}$/);
      expect(seen.has(s)).toBe(false);
      seen.add(s);
      expect(indexOfStamp(s)).toBe(i);
      expect(indexOfStamp(s.toLowerCase())).toBe(i);
      expect(parsePlate(s, 'prefix')[0]!.index).toBe(i);
    });
    expect(seen.size).toBe(2048);
    // 103 three-letter words, stamped whole (research note).
    expect(ENGLISH.filter((w) => w.length === 3)).toHaveLength(103);
  });

  it('every word round-trips through its index, line number and 11 bits', () => {
    ENGLISH.forEach((w, i) => {
      expect(indexOfWord(w)).toBe(i);
      const digits = indexToDigits(i);
      expect(digits).toMatch(/^\d{4}$/);
      expect(Number(digits)).toBe(i);
      expect(parsePlate(digits, 'index')[0]!.index).toBe(i);
      expect(parsePlate(String(i + 1), 'index1')[0]!.index).toBe(i);
      const bits = indexToBits(i);
      expect(bits).toHaveLength(11);
      expect(parseInt(bits, 2)).toBe(i);
      expect(parsePlate(bits, 'binary')[0]!.index).toBe(i);
      const punched = bits.replace(/1/g, '●').replace(/0/g, '○');
      expect(parsePlate(punched, 'binary')[0]!.index).toBe(i);
      // The punch values add up to the index.
      expect([...bits].reduce((sum, b, k) => sum + (b === '1' ? BIT_VALUES[k]! : 0), 0)).toBe(i);
    });
  });

  it('satoshi is 10111111011 = 1531 (the seedcard example)', () => {
    const i = indexOfWord('satoshi')!;
    expect(i).toBe(1531);
    expect(indexToBits(i)).toBe('10111111011');
  });

  it('refuses indices outside 0-2047', () => {
    expect(() => indexToBits(2048)).toThrow(RangeError);
    expect(() => indexToDigits(-1)).toThrow(RangeError);
  });
});

describe('sheet rows', () => {
  for (const v of VECTORS) {
    it(`vector ${v.vector}: indices match SeedQR digits, punch rows match the compact bitstream`, () => {
      const parsed = parseEnglishMnemonic(v.mnemonic);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      const rows = sheetRows(parsed.indices);
      const words = v.mnemonic.split(' ');
      rows.forEach((r, k) => {
        expect(r.position).toBe(k + 1);
        expect(r.word).toBe(words[k]);
        expect(r.stamp).toBe(words[k]!.slice(0, 4).toUpperCase());
        expect(r.line1).toBe(Number(r.index0) + 1);
        expect(r.bits).toHaveLength(11);
      });
      expect(rows.map((r) => r.index0).join('')).toBe(v.standard_seedqr_digits);
      const punched = rows.map((r) => r.bits.map((b) => (b ? '1' : '0')).join('')).join('');
      // The 11-bit rows are entropy then checksum: the compact bitstream is their prefix.
      expect(punched.startsWith(v.compact_seedqr_bits)).toBe(true);
      expect(punched.length - v.compact_seedqr_bits.length).toBe(v.compact_seedqr_bits.length / 32);
    });
  }

  it('letter grid: one dot per stamped letter in its A-Z column', () => {
    const parsed = parseEnglishMnemonic(VECTORS[0]!.mnemonic);
    if (!parsed.ok) throw new Error('vector');
    const rows = sheetRows(parsed.indices);
    const grid = letterGrid(rows);
    expect(grid.length).toBe(rows.reduce((n, r) => n + r.stamp.length, 0));
    for (const g of grid) {
      expect(String.fromCharCode(65 + g.column)).toBe(g.letter);
      expect(rows[g.position - 1]!.stamp[g.letterNumber - 1]).toBe(g.letter);
    }
  });
});

describe('mnemonic helpers', () => {
  it('parses with the checksum and locates unknown words by position only', () => {
    expect(parseEnglishMnemonic('abandon '.repeat(11) + 'about').ok).toBe(true);
    expect(parseEnglishMnemonic('abandon '.repeat(12).trim())).toEqual({ ok: false, reason: 'checksum' });
    expect(parseEnglishMnemonic('abandon '.repeat(10) + 'abandnn about')).toEqual({ ok: false, reason: 'unknown-word', positions: [11] });
    expect(parseEnglishMnemonic('abandon about')).toEqual({ ok: false, reason: 'word-count', count: 2 });
  });

  it('the fast checksum agrees with bip39 on random index lists of every length', () => {
    fc.assert(
      fc.property(fc.constantFrom(12, 15, 18, 21, 24).chain((n) => fc.array(fc.integer({ min: 0, max: 2047 }), { minLength: n, maxLength: n })), (idx) => {
        expect(checksumValid(idx)).toBe(validateMnemonic(idx.map((i) => ENGLISH[i]).join(' ')));
      }),
      { numRuns: 3000 },
    );
    for (const v of VECTORS) {
      const words = v.mnemonic.split(' ').map((w) => indexOfWord(w)!);
      expect(checksumValid(words)).toBe(true);
      // Changing the last word to each of its neighbours: agreement with bip39 both ways.
      for (let d = 1; d <= 40; d++) {
        const alt = [...words];
        alt[alt.length - 1] = (alt[alt.length - 1]! + d) % 2048;
        expect(checksumValid(alt)).toBe(validateMnemonic(alt.map((i) => ENGLISH[i]).join(' ')));
      }
    }
  });

  it('entropy of the all-zero vector and checksum validity', () => {
    const idx = Array(11).fill(0).concat([3]);
    expect(checksumValid(idx)).toBe(true);
    expect(Array.from(mnemonicEntropy(idx))).toEqual(Array(16).fill(0));
    expect(() => mnemonicEntropy(Array(12).fill(0))).toThrow(RangeError);
    expect(plateText([0, 2047], 'prefix')).toBe('ABAN\nZOO');
  });
});
