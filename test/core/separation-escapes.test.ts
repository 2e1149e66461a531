/**
 * The escaped view of the mnemonic scan (issue 7): JSON string escapes decoded, streamed, with
 * hits on the lines of the raw text, merged with the raw scan's hits. Fresh mnemonics from fixed
 * entropy; assertions compare hit objects only (line, count, language), never words.
 */
import * as bip39 from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { EscapedMnemonicScanner, JsonEscapeDecoder, mergeEscapedHits } from '../../src/core/separation/escaped-scan.js';
import { ESCAPED_NEWLINE, findMnemonics, type MnemonicHit } from '../../src/core/separation/mnemonic-scan.js';

type Lang = MnemonicHit['language'];

function mnemonic(label: string, n: 12 | 24, lang: Lang = 'english'): string[] {
  const ent = sha256(new TextEncoder().encode(label)).subarray(0, (n / 3) * 4);
  return bip39.entropyToMnemonic(Buffer.from(ent), bip39.wordlists[lang]).split(lang === 'japanese' ? '\u3000' : ' ');
}

function decodeInPieces(text: string, size: number): string {
  const d = new JsonEscapeDecoder();
  let out = '';
  for (let i = 0; i < text.length; i += size) out += d.push(text.slice(i, i + size));
  return out + d.end();
}

function escapedHits(text: string, size = text.length || 1): MnemonicHit[] {
  const s = new EscapedMnemonicScanner();
  for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
  return s.end();
}

const hit = (line: number, words: number, language: Lang = 'english', valid = true): MnemonicHit => ({ line, words, language, valid });

describe('JsonEscapeDecoder', () => {
  it('decodes JSON escapes; \\n becomes ESCAPED_NEWLINE; other backslashes stay', () => {
    const d = new JsonEscapeDecoder();
    expect(d.push('a\\nb\\tc\\"d\\\\e\\/f\\r\\b\\f')).toBe(`a${ESCAPED_NEWLINE}b\tc"d\\e/f\r\b\f`);
    expect(d.push('\\u00e1baco \\u3042\\u3000x \\u000A \\ud83d\\ude00')).toBe(`ábaco あ\u3000x ${ESCAPED_NEWLINE} \u{1f600}`);
    // An escaped backslash before "n" is a backslash and an "n", not a line break.
    expect(d.push('C:\\\\new \\x \\u12zz \\q')).toBe('C:\\new \\x \\u12zz \\q');
    expect(d.end()).toBe('');
  });

  it('any split of the text gives the same result; a cut escape at the end is kept as it was', () => {
    const text = 'x\\n\\u00e9t\\u00E9 \\\\n \\"q\\" \\ud83d\\ude00 \\u12 end\\';
    const whole = decodeInPieces(text, text.length);
    expect(whole.endsWith('end\\')).toBe(true);
    for (const size of [1, 2, 3, 5, 7]) expect(decodeInPieces(text, size), `size ${size}`).toBe(whole);
    const d = new JsonEscapeDecoder();
    expect(d.push('abc\\u00')).toBe('abc');
    expect(d.end()).toBe('\\u00');
  });
});

describe('EscapedMnemonicScanner', () => {
  const w24 = mnemonic('escaped view 24', 24);
  const note = (w: string[]) => JSON.stringify({ textContent: `My validator seed:\n${w.join(' ')}\nkeep safe` });

  it('finds a mnemonic the raw scan misses, on the raw line, whatever the pieces', () => {
    const text = `{\n  "v": 1,\n  "note": ${note(w24)}\n}\n`;
    // Raw: "\n" glues an "n" onto the first word; at most a chance window of the other 23.
    const raw = findMnemonics(text);
    expect(raw.filter((h) => h.words === 24)).toEqual([]);
    const whole = escapedHits(text);
    expect(whole).toEqual([hit(3, 24)]);
    expect(mergeEscapedHits(raw, whole)).toEqual([hit(3, 24)]);
    for (const size of [1, 3, 7, 64, 1000]) expect(escapedHits(text, size), `size ${size}`).toEqual(whole);
  });

  it('escaped line breaks separate mnemonics for the layout rules without counting as lines', () => {
    const a = mnemonic('escaped a', 12);
    const b = mnemonic('escaped b', 12);
    const text = `title\n${JSON.stringify({ seeds: `${a.join(' ')}\n${b.join(' ')}` })}\n`;
    expect(escapedHits(text)).toEqual([hit(2, 12), hit(2, 12)]);
    const labelled = JSON.stringify({ t: `backup\n${a.map((x, i) => `Word ${i + 1}: ${x}`).join('\n')}\n` });
    expect(escapedHits(labelled)).toEqual([hit(1, 12)]);
  });

  it('an escape first seen in a later piece: the context before it is scanned, lines stay exact', () => {
    const w12 = mnemonic('late escape', 12);
    // The first six words end the second piece; the escape is in the third.
    const first = `${w12.slice(0, 6).join(' ')} `;
    const head = `${'ts=2024 level=info msg="attested" slot=123456 ok\n'.repeat(50000).slice(0, 2 * (1 << 20) - first.length - 1)}\n`;
    const text = `${head}${first}${w12.slice(6).join(' ')}\\n"}\n`;
    expect(text.slice(0, 2 * (1 << 20)).endsWith(first)).toBe(true);
    const lines = head.split('\n').length;
    expect(escapedHits(text, 1 << 20)).toEqual([hit(lines, 12)]);
    expect(escapedHits(text.replace('\\n', ' '), 1 << 20)).toEqual([]);
  });

  it('text without escapes: no escaped view at all', () => {
    const s = new EscapedMnemonicScanner();
    s.push(`${w24.join(' ')}\n`.repeat(3));
    expect(s.end()).toEqual([]);
  });
});

describe('mergeEscapedHits', () => {
  it('one report per line and language: the view with more valid mnemonics wins, the escaped view on a tie', () => {
    expect(mergeEscapedHits([hit(3, 24)], [hit(3, 24)])).toEqual([hit(3, 24)]);
    expect(mergeEscapedHits([hit(2, 24, 'english', false)], [hit(2, 24)])).toEqual([hit(2, 24)]);
    expect(mergeEscapedHits([hit(2, 24)], [hit(2, 26, 'english', false)])).toEqual([hit(2, 24)]);
    expect(mergeEscapedHits([hit(1, 23, 'english', false)], [hit(1, 24, 'english', false)])).toEqual([hit(1, 24, 'english', false)]);
    expect(mergeEscapedHits([hit(5, 12)], [hit(1, 24), hit(5, 12, 'spanish')])).toEqual([hit(1, 24), hit(5, 12), hit(5, 12, 'spanish')]);
    expect(mergeEscapedHits([hit(4, 12)], [])).toEqual([hit(4, 12)]);
  });
});
