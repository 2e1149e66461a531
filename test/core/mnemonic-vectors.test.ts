import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  diagnoseMnemonic,
  diceToEntropy,
  DICE_MIN_ROLLS,
  diceBias,
  entropyToWords,
  hexToBytes,
  LANGUAGES,
  mnemonicToSeed,
  parseDiceRolls,
  wordsToEntropy,
  type Language,
} from '../../src/core/mnemonic/mnemonic.js';
import { FIXTURES } from '../helpers/cli.js';

const dir = path.join(FIXTURES, 'mnemonic');
const trezor = JSON.parse(fs.readFileSync(path.join(dir, 'trezor_vectors.json'), 'utf8')) as Record<string, [string, string, string, string][]>;
const jp = JSON.parse(fs.readFileSync(path.join(dir, 'test_JP_BIP39.json'), 'utf8')) as { entropy: string; mnemonic: string; passphrase: string; seed: string }[];
const dice = JSON.parse(fs.readFileSync(path.join(dir, 'dice_vectors.json'), 'utf8')) as {
  vectors: { name: string; rolls: string; words?: 12 | 24; mnemonic?: string; entropy?: string }[];
};

describe('trezor vectors', () => {
  it('cover 12 languages of 24 vectors', () => {
    expect(Object.keys(trezor)).toHaveLength(12);
    for (const v of Object.values(trezor)) expect(v).toHaveLength(24);
  });
  for (const [lang, vectors] of Object.entries(trezor)) {
    const supported = (LANGUAGES as readonly string[]).includes(lang);
    it(`${lang}: seed from mnemonic + "TREZOR"`, () => {
      for (const [, mnemonic, seed] of vectors) expect(bytesToHex(mnemonicToSeed(mnemonic, 'TREZOR'))).toBe(seed);
    });
    if (supported) {
      const language = lang as Language;
      it(`${lang}: entropy -> mnemonic -> entropy`, () => {
        for (const [entropy, mnemonic] of vectors) {
          const words = entropyToWords(hexToBytes(entropy), language);
          expect(words.join(' ')).toBe(mnemonic.normalize('NFKD').split(/[\s\u3000]+/u).join(' '));
          expect(bytesToHex(wordsToEntropy(mnemonic, language))).toBe(entropy);
        }
      });
      it(`${lang}: diagnosis accepts every vector and detects the language`, () => {
        for (const [, mnemonic] of vectors) {
          const d = diagnoseMnemonic(mnemonic, { reveal: true });
          expect(d.ok).toBe(true);
          // Simplified and traditional Chinese share characters and indices; either is a correct reading.
          if (lang.startsWith('chinese')) expect(d.language?.startsWith('chinese')).toBe(true);
          else expect(d.language).toBe(lang);
          expect(bytesToHex(mnemonicToSeed(d.revealed!.mnemonic!, 'TREZOR'))).toBe(vectors.find((v) => v[1] === mnemonic)![2]);
        }
      });
    } else {
      it(`${lang}: not a bip39-package language, so not accepted as a mnemonic`, () => {
        const d = diagnoseMnemonic(vectors[0]![1]);
        expect(d.ok).toBe(false);
        expect(d.problems.map((p) => p.id)).toContain('mnemonic-language-unknown');
      });
    }
  }
});

describe('japanese unnormalised vectors', () => {
  it('has 24 entries using the ideographic space', () => {
    expect(jp).toHaveLength(24);
    for (const v of jp) expect(v.mnemonic).toContain('\u3000');
  });
  it('seed = PBKDF2(NFKD mnemonic, NFKD passphrase)', () => {
    for (const v of jp) {
      expect(v.passphrase).not.toBe(v.passphrase.normalize('NFKD'));
      expect(bytesToHex(mnemonicToSeed(v.mnemonic, v.passphrase))).toBe(v.seed);
    }
  });
  it('entropy and diagnosis', () => {
    for (const v of jp) {
      expect(bytesToHex(wordsToEntropy(v.mnemonic, 'japanese'))).toBe(v.entropy);
      const d = diagnoseMnemonic(v.mnemonic, { reveal: true });
      expect(d.ok).toBe(true);
      expect(d.language).toBe('japanese');
      expect(bytesToHex(mnemonicToSeed(d.revealed!.mnemonic!, v.passphrase))).toBe(v.seed);
      // NFC input (what a Japanese keyboard produces) is normalised to the same words.
      expect(diagnoseMnemonic(v.mnemonic.normalize('NFC'), { reveal: true }).revealed?.mnemonic).toBe(d.revealed!.mnemonic);
    }
  });
});

describe('dice vectors', () => {
  for (const v of dice.vectors) {
    it(v.name, () => {
      const parsed = parseDiceRolls(v.rolls);
      expect('rolls' in parsed && parsed.rolls).toBe(v.rolls);
      if (v.mnemonic && v.words) {
        expect(v.rolls.length).toBeGreaterThanOrEqual(DICE_MIN_ROLLS[v.words]);
        expect(entropyToWords(diceToEntropy(v.rolls, v.words)).join(' ')).toBe(v.mnemonic);
      }
      if (v.entropy) {
        expect(() => diceToEntropy(v.rolls, 12)).toThrow(RangeError);
      }
    });
  }
  it('V3 entropy is SHA-256 of the roll string truncated (checked through a 12-word threshold-sized string)', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const v3 = dice.vectors.find((v) => v.entropy)!;
    expect(bytesToHex(sha256(new TextEncoder().encode(v3.rolls)).slice(0, 16))).toBe(v3.entropy);
  });
  it('spaces are ignored and other characters rejected with their position', () => {
    const v1 = dice.vectors[0]!;
    const spaced = v1.rolls.replace(/(.{5})/g, '$1 ');
    const p = parseDiceRolls(spaced);
    expect('rolls' in p && p.rolls).toBe(v1.rolls);
    expect(parseDiceRolls('1234 5670')).toEqual({ problem: { kind: 'bad-character', position: 8 } });
    expect(parseDiceRolls('12a')).toEqual({ problem: { kind: 'bad-character', position: 3 } });
  });
  it('bias warning: the vectors pass, a favourite number or a stuck die does not', () => {
    for (const v of dice.vectors.filter((x) => x.mnemonic)) expect(diceBias(v.rolls).suspicious).toBe(false);
    expect(diceBias('1'.repeat(99))).toMatchObject({ suspicious: true });
    expect(diceBias('123456'.repeat(17)).suspicious).toBe(false);
    expect(diceBias('1'.repeat(40) + '23456'.repeat(12)).suspicious).toBe(true);
    expect(diceBias('').suspicious).toBe(false);
  });
  it('thresholds are 50/62/75/87/99', () => {
    expect(DICE_MIN_ROLLS).toEqual({ 12: 50, 15: 62, 18: 75, 21: 87, 24: 99 });
    expect(() => diceToEntropy('1'.repeat(98), 24)).toThrow(/at least 99/);
    expect(diceToEntropy('1'.repeat(99), 24)).toHaveLength(32);
    expect(diceToEntropy('1'.repeat(62), 15)).toHaveLength(20);
  });
});
