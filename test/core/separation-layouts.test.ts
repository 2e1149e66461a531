/**
 * Mnemonic layouts an auditor found passing (issue 7): "Word N:" labels, "(N)" numbering, JSON
 * objects keyed by number, and a mnemonic inside a longer line of list words. Fresh mnemonics
 * from fixed entropy (sha256 of a label), so runs are reproducible. Assertions compare hit
 * objects only (line, count, language): a failure never prints a word.
 */
import * as bip39 from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { findMnemonics, lightSeparator, MnemonicScanner, type MnemonicHit } from '../../src/core/separation/mnemonic-scan.js';

type Lang = MnemonicHit['language'];

/** A checksum-valid mnemonic of n words in `lang`, from entropy sha256(label). */
function mnemonic(label: string, n: 12 | 24, lang: Lang = 'english'): string[] {
  const ent = sha256(new TextEncoder().encode(label)).subarray(0, (n / 3) * 4);
  const m = bip39.entropyToMnemonic(Buffer.from(ent), bip39.wordlists[lang]);
  return m.split(lang === 'japanese' ? '\u3000' : ' ');
}

/** Deterministic PRNG (xorshift32). */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const errors = (hits: MnemonicHit[]) => hits.filter((h) => h.valid && !h.degenerate).map((h) => ({ line: h.line, words: h.words, language: h.language }));

function scanInPieces(text: string, size: number): MnemonicHit[] {
  const s = new MnemonicScanner();
  for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
  return s.end();
}

const LAYOUTS: Record<string, { render: (w: string[]) => string; line: number }> = {
  '"Word N: w" one per line': { render: (w) => `my seed\n${w.map((x, i) => `Word ${i + 1}: ${x}`).join('\n')}\n`, line: 2 },
  '"word #N - w" one per line': { render: (w) => w.map((x, i) => `word #${i + 1} - ${x}`).join('\n'), line: 1 },
  '"Word N: w" on one line': { render: (w) => w.map((x, i) => `Word ${i + 1}: ${x}`).join(' '), line: 1 },
  '"(N) w" one per line': { render: (w) => `backup\n\n${w.map((x, i) => `(${i + 1}) ${x}`).join('\n')}\n`, line: 3 },
  '"(N) w" on one line': { render: (w) => w.map((x, i) => `(${i + 1}) ${x}`).join(' '), line: 1 },
  'JSON object keyed by number, pretty': { render: (w) => JSON.stringify(Object.fromEntries(w.map((x, i) => [String(i + 1), x])), null, 2), line: 2 },
  'JSON object keyed by number, compact': { render: (w) => JSON.stringify({ seed: Object.fromEntries(w.map((x, i) => [String(i + 1), x])) }), line: 1 },
  'inside a line of other list words': { render: (w) => `note\nkeep this private key seed safe ${w.join(' ')} cat echo\n`, line: 2 },
};

describe('layouts that used to pass: each is an error', () => {
  for (const n of [12, 24] as const) {
    for (const [name, { render, line }] of Object.entries(LAYOUTS)) {
      it(`${n} words, ${name}`, () => {
        const text = render(mnemonic(`layout ${name} ${n}`, n));
        expect(errors(findMnemonics(text))).toEqual([{ line, words: n, language: 'english' }]);
        // Same result whatever the chunking (labels are decided on the characters after them).
        for (const size of [1, 3, 7, 64]) expect(scanInPieces(text, size), `chunk ${size}`).toEqual(findMnemonics(text));
      });
    }
  }

  it('other languages: Spanish labels, French "(N)", Japanese JSON object, Italian inside a line', () => {
    const es = mnemonic('es', 24, 'spanish');
    expect(errors(findMnemonics(es.map((x, i) => `Palabra ${i + 1}: ${x}`).join('\n')))).toEqual([{ line: 1, words: 24, language: 'spanish' }]);
    const fr = mnemonic('fr', 12, 'french');
    expect(errors(findMnemonics(fr.map((x, i) => `(${i + 1}) ${x}`).join('\n')))).toEqual([{ line: 1, words: 12, language: 'french' }]);
    const ja = mnemonic('ja', 12, 'japanese');
    expect(errors(findMnemonics(JSON.stringify(Object.fromEntries(ja.map((x, i) => [String(i + 1), x])), null, 2)))).toEqual([{ line: 2, words: 12, language: 'japanese' }]);
    const it12 = mnemonic('it', 12, 'italian');
    const itWords = mnemonic('it-around', 12, 'italian');
    const text = `${itWords.slice(0, 5).join(' ')} ${it12.join(' ')} ${itWords.slice(5, 8).join(' ')}`;
    expect(errors(findMnemonics(text))).toEqual([{ line: 1, words: 12, language: 'italian' }]);
  });

  it('numbering punctuation is light only next to a number', () => {
    expect(lightSeparator('\n(2) ')).toBe(true);
    expect(lightSeparator('",\n  "2": "')).toBe(true);
    expect(lightSeparator('(')).toBe(false);
    expect(lightSeparator('("')).toBe(false);
    expect(lightSeparator('": "')).toBe(false);
  });

  it('a numbered word followed by a number is not a label: one word per line, then "0)"', () => {
    const w = mnemonic('trailing number', 12);
    expect(errors(findMnemonics(`${w.join('\n')} 0)`))).toEqual([{ line: 1, words: 12, language: 'english' }]);
    expect(errors(findMnemonics(`${w.join(' ')} 12: done`))).toEqual([{ line: 1, words: 12, language: 'english' }]);
  });
});

describe('chance windows stay warnings', () => {
  it('a long run of random list words: chance-valid 12-word windows exist, but no error', () => {
    const list = bip39.wordlists['english']!;
    const rnd = prng(20261127);
    const w = Array.from({ length: 80 }, () => list[Math.floor(rnd() * 2048)]!);
    let chance12 = 0;
    let chance24 = 0;
    for (let i = 0; i + 12 <= w.length; i++) if (bip39.validateMnemonic(w.slice(i, i + 12).join(' '))) chance12++;
    for (let i = 0; i + 24 <= w.length; i++) if (bip39.validateMnemonic(w.slice(i, i + 24).join(' '))) chance24++;
    expect(chance12).toBeGreaterThan(0);
    expect(chance24).toBe(0);
    const hits = findMnemonics(w.join(' '));
    expect(errors(hits)).toEqual([]);
    expect(hits).toEqual([{ line: 1, words: 80, language: 'english', valid: false }]);
  });

  it('ordinary English prose gives no error', () => {
    const prose = `The validator client runs on a small machine in the office. Every morning the operator
checks that the beacon node is in sync, that the disk has room for another month of data, and that
the logs show attestations for every epoch. When an upgrade is announced, she reads the release
notes twice, stops the client, waits two epochs, and only then installs the new version. The
machine has no wallet software and no copy of the recovery phrase: that lives on a steel plate in a
safe, far from any network. If the power fails, the client starts again by itself, and a simple
script sends an alert to her phone. Over the years this routine has become second nature, like
locking the door at night or checking the weather before a long walk in the hills. Some friends
think it is too much care for a hobby; she says a little discipline costs less than a lost deposit.
Later that day she will review the monthly report, file the receipts, and plan the next trip.`;
    const hits = findMnemonics(prose.repeat(50));
    expect(errors(hits)).toEqual([]);
  });

  it('a mistyped 24-word mnemonic in a note stays a near-miss warning', () => {
    const w = mnemonic('mistyped', 24);
    const list = bip39.wordlists['english']!;
    const bad = [...w.slice(0, 23), list.find((x) => !bip39.validateMnemonic([...w.slice(0, 23), x].join(' ')))!];
    const hits = findMnemonics(`backup:\n${bad.join(' ')}\n`);
    expect(hits.filter((h) => !h.valid).map((h) => h.words)).toEqual([24]);
  });
});
