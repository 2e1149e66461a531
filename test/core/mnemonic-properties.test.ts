import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checksumValid, diagnoseMnemonic, entropyToWords, LANGUAGES, wordlist, wordsToEntropy, bytesToHex } from '../../src/core/mnemonic/mnemonic.js';

const entropy = fc.constantFrom(16, 20, 24, 28, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));

describe('mnemonic properties', () => {
  it('entropy → words → diagnosis → entropy round-trips in every language', () => {
    fc.assert(
      fc.property(entropy, fc.constantFrom(...LANGUAGES), (e, lang) => {
        const words = entropyToWords(e, lang);
        expect(words).toHaveLength((e.length * 8 + e.length / 4) / 11);
        const d = diagnoseMnemonic(words.join(lang === 'japanese' ? '\u3000' : ' '), { language: lang, reveal: true });
        expect(d.ok).toBe(true);
        expect(bytesToHex(wordsToEntropy(d.revealed!.mnemonic!, lang))).toBe(bytesToHex(e));
      }),
      { numRuns: 200 },
    );
  });
  it('our checksum arithmetic agrees with the bip39 package', () => {
    fc.assert(
      fc.property(fc.constantFrom(12, 15, 18, 21, 24), fc.array(fc.integer({ min: 0, max: 2047 }), { minLength: 24, maxLength: 24 }), (n, idx) => {
        const indices = idx.slice(0, n);
        let bip39Valid = true;
        try {
          wordsToEntropy(indices.map((i) => wordlist('english').words[i]).join(' '));
        } catch {
          bip39Valid = false;
        }
        expect(checksumValid(indices)).toBe(bip39Valid);
      }),
      { numRuns: 2000 },
    );
  });
  it('changing one word of a valid mnemonic is never reported as valid unless the checksum holds, and never throws', () => {
    fc.assert(
      fc.property(entropy, fc.nat(), fc.integer({ min: 0, max: 2047 }), (e, pos, repl) => {
        const words = entropyToWords(e);
        const p = pos % words.length;
        const w = [...words];
        w[p] = wordlist('english').words[repl]!;
        const d = diagnoseMnemonic(w.join(' '));
        const valid = checksumValid(w.map((x) => wordlist('english').words.indexOf(x)));
        expect(d.ok).toBe(valid);
        if (!valid) expect(d.problems[0]!.id).toBe('mnemonic-checksum');
      }),
      { numRuns: 300 },
    );
  });
  it('diagnosis never throws and never puts input in its result without reveal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (s) => {
        const d = diagnoseMnemonic(s);
        expect(d.revealed).toBeUndefined();
        expect(typeof d.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });
});
