/**
 * Wording of the mixed-languages problem: one position "belongs", several "belong".
 */
import { describe, expect, it } from 'vitest';
import { describeProblem, diagnoseMnemonic, entropyToWords, hexToBytes, wordlist, type MnemonicProblem } from '../../src/core/mnemonic/mnemonic.js';

const V12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

describe('mnemonic-mixed-languages wording', () => {
  it('one foreign word: "word 11 belongs to the french list"', () => {
    const en = V12.split(' ');
    const english = wordlist('english');
    // A French word that is not also an English word.
    const fr = entropyToWords(hexToBytes('80808080808080808080808080808080'), 'french').find((w) => !english.words.includes(w) && !english.words.includes(w.normalize('NFKD').replace(/\p{M}/gu, '')))!;
    en[10] = fr;
    const d = diagnoseMnemonic(en.join(' '));
    const m = d.problems.find((p) => p.id === 'mnemonic-mixed-languages') as Extract<MnemonicProblem, { id: 'mnemonic-mixed-languages' }>;
    expect(m.positions).toEqual([11]);
    expect(describeProblem(m)).toMatch(/^word 11 belongs to the french( and [a-z ]+)? list, the rest to english/);
  });

  it('several foreign words: "words 9 and 10 belong to …"', () => {
    const p: MnemonicProblem = { id: 'mnemonic-mixed-languages', severity: 'error', language: 'english', others: ['french'], positions: [9, 10] };
    expect(describeProblem(p)).toBe('words 9 and 10 belong to the french list, the rest to english: a mnemonic uses one list');
    expect(describeProblem({ ...p, positions: [3] })).toBe('word 3 belongs to the french list, the rest to english: a mnemonic uses one list');
  });
});
