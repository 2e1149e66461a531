import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findMnemonics, lightSeparator, lookupWord, MnemonicScanner, MNEMONIC_LANGUAGES, type MnemonicHit } from '../../src/core/separation/mnemonic-scan.js';
import { FIXTURES } from '../helpers/cli.js';

const V = path.join(FIXTURES, 'separation', 'vectors', 'bip39');
const trezor = JSON.parse(fs.readFileSync(path.join(V, 'trezor_vectors.json'), 'utf8')) as Record<string, string[][]>;
const jp = JSON.parse(fs.readFileSync(path.join(V, 'test_JP_BIP39.json'), 'utf8')) as Array<{ mnemonic: string }>;
const BIP39_LANGS = MNEMONIC_LANGUAGES as readonly string[];
const words = (m: string) => m.split(/[ \u3000]/);

/**
 * The hit a vector should give: degenerate when it has at most two distinct words (e.g. all-zero
 * entropy); every published vector is also recognised as one (`publicVector`, by its entropy).
 */
function hitFor(mnemonic: string, language: string, line: number, source: unknown = 'trezor BIP39 test vectors'): MnemonicHit {
  const w = words(mnemonic.normalize('NFKD'));
  const h: MnemonicHit = { line, words: w.length, language: language as MnemonicHit['language'], valid: true };
  h.publicVector = source as string;
  if (new Set(w).size <= 2) h.degenerate = true;
  return h;
}

function valid(hits: MnemonicHit[]) {
  return hits.filter((h) => h.valid);
}

function scanInPieces(text: string, sizes: number[]): MnemonicHit[] {
  const s = new MnemonicScanner();
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    s.push(text.slice(pos, pos + n));
    pos += n;
  }
  return s.end();
}

describe('mnemonic detector on official vectors', () => {
  for (const lang of Object.keys(trezor)) {
    const supported = BIP39_LANGS.includes(lang);
    it(`${lang}: ${supported ? 'every vector is found, with its length, language and line' : 'not a BIP39 list: nothing reported'}`, () => {
      for (const [, mnemonic] of trezor[lang]!) {
        for (const form of ['NFKD', 'NFC'] as const) {
          const text = `header line\n\nsome text: ${mnemonic!.normalize(form)} .\nfooter\n`;
          const hits = findMnemonics(text);
          if (!supported) {
            expect(valid(hits)).toEqual([]);
            continue;
          }
          // A mnemonic whose characters are in both Chinese lists at the same indices is reported
          // once, under the first list (simplified).
          const alsoSimplified = lang === 'chinese_traditional' && bip39.validateMnemonic(mnemonic!, bip39.wordlists['chinese_simplified']);
          const expected = alsoSimplified ? 'chinese_simplified' : lang;
          expect(valid(hits)).toEqual([hitFor(mnemonic!, expected, 3)]);
        }
      }
    });
  }

  it('japanese vectors with ideographic spaces, NFC and NFKD', () => {
    for (const { mnemonic } of jp) {
      expect(mnemonic).toContain('\u3000');
      for (const form of ['NFKD', 'NFC'] as const) {
        const hits = valid(findMnemonics(mnemonic.normalize(form)));
        expect(hits).toEqual([hitFor(mnemonic, 'japanese', 1, expect.stringMatching(/^(trezor|bip32JP)/))]);
      }
    }
  });

  it('spanish and french without accents are still found', () => {
    for (const lang of ['spanish', 'french']) {
      const m = trezor[lang]![23]![1]!;
      const bare = m.normalize('NFKD').replace(/\p{M}/gu, '');
      expect(bare).not.toBe(m);
      expect(valid(findMnemonics(bare))).toHaveLength(1);
    }
  });
});

describe('layouts', () => {
  const m24 = trezor['english']![23]![1]!;
  const w = m24.split(' ');
  const layouts: Record<string, string> = {
    'numbered "1. "': w.map((x, i) => `${i + 1}. ${x}`).join('\n'),
    'numbered "1) " on one line': w.map((x, i) => `${i + 1}) ${x}`).join(' '),
    'numbered "01:" upper case': w.map((x, i) => `${String(i + 1).padStart(2, '0')}: ${x.toUpperCase()}`).join('\n'),
    'commas': w.join(', '),
    'one word per line, CRLF': w.join('\r\n'),
    'mixed case': w.map((x, i) => (i % 2 ? x.toUpperCase() : x[0]!.toUpperCase() + x.slice(1))).join(' '),
    'JSON string array': JSON.stringify({ seed: w }),
    'JSON string array, pretty': JSON.stringify(w, null, 2),
    'bash history': `cd ~\necho "${m24}" > /tmp/x\n`,
    'zsh history': `: 1700000000:0;ls\n: 1700000001:0;echo '${m24}'\n`,
    'markdown bullets': w.map((x) => `- ${x}`).join('\n'),
    'hash numbering': w.map((x, i) => `#${i + 1} ${x}`).join('\n'),
    'table': w.map((x, i) => `| ${i + 1} | ${x} |`).join('\n'),
  };
  for (const [name, text] of Object.entries(layouts)) {
    it(name, () => {
      expect(valid(findMnemonics(text)).map((h) => [h.words, h.language])).toEqual([[24, 'english']]);
    });
  }

  it('reports the line of the first word', () => {
    const hits = valid(findMnemonics(`a\nb\nc\n\n${w.join('\n')}`));
    expect(hits[0]!.line).toBe(5);
  });

  it('several mnemonics, one per line, are each found', () => {
    const ms = [trezor['english']![21]![1]!, trezor['english']![1]![1]!, trezor['english']![2]![1]!];
    const hits = valid(findMnemonics(ms.join('\n')));
    expect(hits.map((h) => h.line)).toEqual([1, 2, 3]);
  });

  it('code punctuation between words ends a run', () => {
    expect(findMnemonics(w.join('.'))).toEqual([]);
    expect(findMnemonics(w.join(' && '))).toEqual([]);
    expect(lightSeparator(' 12. ')).toBe(true);
    expect(lightSeparator('(')).toBe(false);
  });

  it('degenerate sequences (at most two distinct words) are flagged as such', () => {
    const hits = findMnemonics(`${'abandon '.repeat(11)}about`);
    expect(hits).toEqual([{ line: 1, words: 12, language: 'english', valid: true, degenerate: true, publicVector: 'trezor BIP39 test vectors' }]);
    // Repeated data such as JSON tables of one word: only degenerate hits, never plain ones.
    const table = Array.from({ length: 400 }, (_, i) => `[[${i},${i + 1}],"valid"]`).join(',');
    expect(findMnemonics(table).filter((h) => h.valid && !h.degenerate)).toEqual([]);
  });

  it('a copy of a word list is not a mnemonic', () => {
    for (const lang of BIP39_LANGS) {
      const list = bip39.wordlists[lang]!;
      expect(findMnemonics(list.join('\n'))).toEqual([]);
      expect(findMnemonics(JSON.stringify(list))).toEqual([]);
    }
  });
});

describe('near-misses', () => {
  const base = trezor['english']![23]![1]!.split(' ');
  it('a 24-word run with a wrong checksum is a warning, never an error', () => {
    let n = 0;
    for (const last of bip39.wordlists['english']!.slice(0, 200)) {
      const cand = [...base.slice(0, 23), last];
      if (bip39.validateMnemonic(cand.join(' '))) continue;
      const hits = findMnemonics(`x\n${cand.join(' ')}\n`);
      expect(hits).toEqual([{ line: 2, words: 24, language: 'english', valid: false }]);
      n++;
    }
    expect(n).toBeGreaterThan(150);
  });

  it('a 12-word run with a wrong checksum is a warning', () => {
    const w12 = trezor['english']![21]![1]!.split(' ');
    const cand = [...w12.slice(0, 11), w12[11] === 'zoo' ? 'zone' : 'zoo'];
    if (!bip39.validateMnemonic(cand.join(' '))) {
      expect(findMnemonics(cand.join(' '))).toEqual([{ line: 1, words: 12, language: 'english', valid: false }]);
    }
  });

  it('runs of other lengths without a valid window are silent', () => {
    expect(findMnemonics(base.slice(0, 11).join(' '))).toEqual([]);
    expect(findMnemonics(base.slice(0, 13).join(' ')).filter((h) => h.valid)).toEqual([]);
  });
});

describe('streaming', () => {
  const m = trezor['english']![23]![1]!;
  const text = `${'lorem ipsum dolor sit amet, consectetur 42.\n'.repeat(30)}my words:\n${m}\n${'tail text\n'.repeat(10)}`;
  const whole = findMnemonics(text);

  it('finds the same hits whatever the chunk boundaries (every split point)', () => {
    expect(valid(whole)).toHaveLength(1);
    const start = text.indexOf(m) - 5;
    for (let cut = start; cut < start + m.length + 10; cut++) {
      const s = new MnemonicScanner();
      s.push(text.slice(0, cut));
      s.push(text.slice(cut));
      expect(s.end()).toEqual(whole);
    }
  });

  it('finds the same hits with tiny and irregular chunks', () => {
    expect(scanInPieces(text, [1])).toEqual(whole);
    expect(scanInPieces(text, [3, 7, 1, 64, 2])).toEqual(whole);
  });

  it('japanese across chunk boundaries (combining marks and ideographic spaces)', () => {
    const j = jp[7]!.mnemonic.normalize('NFKD');
    const ref = findMnemonics(j);
    expect(valid(ref)).toHaveLength(1);
    expect(scanInPieces(j, [1])).toEqual(ref);
    expect(scanInPieces(j, [5, 2, 11])).toEqual(ref);
  });
});

describe('lookup', () => {
  it('maps a word to its index in every list that has it', () => {
    const e = lookupWord('ABANDON')!;
    expect(e[MNEMONIC_LANGUAGES.indexOf('english')]).toBe(0);
    expect(e[MNEMONIC_LANGUAGES.indexOf('french')]).toBe(bip39.wordlists['french']!.indexOf('abandon'));
    expect(lookupWord('coldstake')).toBeUndefined();
  });
});

describe('property: a valid mnemonic in random noise is always found', () => {
  // Noise words that are in no list: a letter 'q' not followed by 'u' appears in no BIP39 word list.
  const noiseWord = fc.stringMatching(/^[a-z]{1,6}q[a-z]{0,4}$/).filter((s) => !/qu/.test(s) && lookupWord(s) === undefined);
  const noiseSep = fc.constantFrom(' ', '\n', ', ', '; ', ' 12. ', '\t', '(', ')', '=', '"', '\r\n', ': ');
  const noise = fc.array(fc.oneof(noiseWord, noiseSep, fc.integer({ min: 0, max: 99999 }).map(String)), { maxLength: 40 }).map((a) => a.join(''));
  const langs = BIP39_LANGS.filter((l) => !l.startsWith('chinese')).concat(['chinese_simplified']);

  it('finds it, with the right word count, language and line', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...langs),
        fc.constantFrom(16, 20, 24, 28, 32),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        noise,
        noise,
        fc.constantFrom(' ', '\n', ', '),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }),
        (lang, entBytes, ent, before, after, sep, chunks) => {
          const entropy = Buffer.from(ent.subarray(0, entBytes));
          const mnemonic = bip39.entropyToMnemonic(entropy, bip39.wordlists[lang]);
          const list = mnemonic.split(lang === 'japanese' ? '\u3000' : ' ');
          const text = `${before} ${list.join(sep)} ${after}`;
          const line = text.slice(0, text.indexOf(list[0]!, before.length)).split('\n').length;
          for (const hits of [findMnemonics(text), scanInPieces(text, chunks)]) {
            const v = hits.filter((h) => h.valid && h.words === list.length && h.line === line);
            if (v.length !== 1) return false;
          }
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
