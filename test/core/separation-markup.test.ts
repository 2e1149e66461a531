/**
 * The markup view (RTF, HTML) and published test vectors, below the CLI.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESCAPED_NEWLINE, findMnemonics, MnemonicScanner, type MnemonicHit } from '../../src/core/separation/mnemonic-scan.js';
import { HtmlTextDecoder, markupDecoder, markupKind, RtfTextDecoder, type TextDecoderStream } from '../../src/core/separation/markup.js';
import { publicKeySource, publicMnemonicSource } from '../../src/core/separation/public-vectors.js';
import { SeparationAudit } from '../../src/core/separation.js';
import { FIXTURES } from '../helpers/cli.js';

const FORMATS = path.join(FIXTURES, 'separation', 'trees', 'formats', 'home', 'val');
const trezor = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'separation', 'vectors', 'bip39', 'trezor_vectors.json'), 'utf8')) as Record<string, string[][]>;

function decodeAll(d: TextDecoderStream, text: string, sizes: number[] = [text.length]): string {
  let out = '';
  let pos = 0;
  let i = 0;
  while (pos < text.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]!);
    out += d.push(text.slice(pos, pos + n));
    pos += n;
  }
  return out + d.end();
}

function scanMarkup(file: string, sizes?: number[]): MnemonicHit[] {
  const text = fs.readFileSync(file, 'latin1').includes('{\\rtf') ? fs.readFileSync(file, 'latin1') : fs.readFileSync(file, 'utf8');
  const kind = markupKind(path.basename(file), text)!;
  const s = new MnemonicScanner();
  s.push(decodeAll(markupDecoder(kind), text, sizes));
  return s.end();
}

describe('markup decoders', () => {
  it('recognise RTF and HTML/XML by their start or name only', () => {
    expect(markupKind('a.txt', '{\\rtf1\\ansi')).toBe('rtf');
    expect(markupKind('a.txt', '\ufeff  <html>')).toBe('html');
    expect(markupKind('page.svg', 'x')).toBe('html');
    expect(markupKind('notes.txt', 'a <b> c')).toBeUndefined();
    expect(markupKind('main.js', 'const a = b < c;')).toBeUndefined();
  });

  it('RTF: paragraphs, skipped destinations, code-page bytes, \\uN with its fallback, escaped braces', () => {
    const rtf = "{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Calibri;}}{\\*\\generator Riched20;}\\uc1 \\pard a\\'e1b\\par\r\nc\\u233?d\\\nx\\{y\\}\\~z}";
    expect(decodeAll(new RtfTextDecoder(), rtf)).toBe(`aáb${ESCAPED_NEWLINE}\ncéd${ESCAPED_NEWLINE}\nx{y} z`);
    expect(decodeAll(new RtfTextDecoder(), '{\\rtf1\\ansi\\ansicpg1250 \\\'e8}')).toBe('č');
  });

  it('HTML: block tags break lines, inline tags join, entities decode, line numbers stay', () => {
    const html = '<div>a<b>b</b>c</div><div\n class="x">d&eacute;&#233;&#xe9;&nbsp;e<br>f</div>&bogus;';
    expect(decodeAll(new HtmlTextDecoder(), html).normalize('NFC')).toBe(`${ESCAPED_NEWLINE}abc${ESCAPED_NEWLINE}${ESCAPED_NEWLINE}\ndééé e${ESCAPED_NEWLINE}f${ESCAPED_NEWLINE}&bogus;`);
  });

  it('every format fixture gives the same hits whole and in pieces of 1, 3, 7 … characters', () => {
    for (const name of ['wordpad.rtf', 'wordpad-spanish.rtf', 'textedit.rtf', 'textedit-japanese.rtf', 'notes-export.html', 'Keep/seed.html', 'notes-french.html']) {
      const file = path.join(FORMATS, name);
      const whole = scanMarkup(file);
      expect(whole.filter((h) => h.valid), name).toHaveLength(1);
      expect(scanMarkup(file, [1]), name).toEqual(whole);
      expect(scanMarkup(file, [3, 7, 1, 64, 2]), name).toEqual(whole);
    }
  });

  it('any text decodes the same whole and in random pieces (fast-check)', () => {
    const rtfAlphabet = fc.constantFrom('\\', '{', '}', "'", 'e', '1', 'u', 'c', 'p', 'a', 'r', '-', '3', '?', ' ', '\n', '\r', '*', 'é', '~');
    const htmlAlphabet = fc.constantFrom('<', '>', '/', '&', ';', '#', 'x', 'e', '9', 'b', 'r', 'd', 'i', 'v', ' ', '\n', '!', 'a', 'c', 'u', 't');
    for (const [alphabet, make] of [
      [rtfAlphabet, () => new RtfTextDecoder()],
      [htmlAlphabet, () => new HtmlTextDecoder()],
    ] as const) {
      fc.assert(
        fc.property(fc.array(alphabet, { maxLength: 300 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), (chars, sizes) => {
          const text = chars.join('');
          expect(decodeAll(make(), text, sizes)).toBe(decodeAll(make(), text));
        }),
        { numRuns: 2000 },
      );
    }
  });

  it('an unfinished entity followed by whole tags at the end decodes as in pieces ("&<u>" → "&")', () => {
    // fast-check found it (1 run in ~3,600): the end carry held a whole tag and was returned raw.
    for (const sizes of [undefined, [1], [2], [3]]) expect(decodeAll(new HtmlTextDecoder(), '&<u>', sizes)).toBe('&');
    expect(decodeAll(new HtmlTextDecoder(), 'x&amp<div>y<br>')).toBe(decodeAll(new HtmlTextDecoder(), 'x&amp<div>y<br>', [1]));
  });

  it('a tag of the longest length TAG accepts decodes the same in small pieces', () => {
    const tag = `x<p ${'y'.repeat(4095)}>z<!${'w'.repeat(4096)}>q`;
    expect(decodeAll(new HtmlTextDecoder(), tag, [7])).toBe(`x${ESCAPED_NEWLINE}zq`);
    expect(decodeAll(new HtmlTextDecoder(), tag)).toBe(`x${ESCAPED_NEWLINE}zq`);
  });

  it('a hostile "<" or "&" without an end costs linear time (CPU against plain text of the same size)', () => {
    const cpu = (text: string) => {
      const t0 = process.cpuUsage();
      decodeAll(new HtmlTextDecoder(), text, [1 << 20]);
      const d = process.cpuUsage(t0);
      return d.user + d.system;
    };
    const n = 1 << 20;
    const reference = Math.max(cpu('x '.repeat(n / 2)), cpu('<a>'.repeat(n / 3)));
    for (const hostile of [`<${'x'.repeat(n)}`, `<a ${'x'.repeat(n)}`, `<!${'x'.repeat(n)}`, `<${'x'.repeat(70)} `.repeat(n / 72), `&${'x'.repeat(n)}`]) {
      expect(cpu(hostile)).toBeLessThan(20 * reference + 200_000);
    }
  });

  it('a hostile tag or escape without an end does not grow the carry without bound', () => {
    const d = new HtmlTextDecoder();
    let out = '';
    for (let i = 0; i < 100; i++) out += d.push(`<${'x'.repeat(1000)}`);
    expect(out.length + d.end().length).toBeGreaterThan(90_000);
    const r = new RtfTextDecoder();
    for (let i = 0; i < 100; i++) r.push(`\\${'a'.repeat(1000)}`);
    r.end();
  });
});

describe('published test mnemonics and keys', () => {
  it('every trezor vector is recognised by its entropy, in every language', () => {
    for (const list of Object.values(trezor)) for (const [entropy] of list) expect(publicMnemonicSource(Buffer.from(entropy!, 'hex'))).toBe('trezor BIP39 test vectors');
  });

  it('Hardhat, Ganache and EIP-2335 are recognised; a key or mnemonic one bit away is not', () => {
    const hh = Buffer.from(bip39.mnemonicToEntropy('test test test test test test test test test test test junk'), 'hex');
    expect(publicMnemonicSource(hh)).toMatch(/^Hardhat/);
    hh[15]! ^= 0x10;
    expect(publicMnemonicSource(hh)).toBeUndefined();
    const sk = Buffer.from('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', 'hex');
    expect(publicKeySource(sk)).toBe('EIP-2335 test vectors');
    sk[31]! ^= 1;
    expect(publicKeySource(sk)).toBeUndefined();
  });

  it('a real mnemonic next to a published one is never downgraded: one word changed stays an error', () => {
    const base = trezor['english']![23]![1]!.split(' ');
    const list = bip39.wordlists['english']!;
    const changed = list.map((w) => [...base.slice(0, 23), w].join(' ')).find((m) => m !== base.join(' ') && bip39.validateMnemonic(m))!;
    const hits = findMnemonics(`${base.join(' ')}\n\n${changed}\n`);
    expect(hits.map((h) => [h.line, h.valid, h.publicVector])).toEqual([
      [1, true, 'trezor BIP39 test vectors'],
      [3, true, undefined],
    ]);
    const audit = new SeparationAudit();
    audit.mnemonicHits('notes.txt', hits);
    expect(audit.finish().map((f) => [f.id, f.severity])).toEqual([
      ['separation-mnemonic', 'error'],
      ['separation-public-test-mnemonic', 'info'],
    ]);
  });

  it('the fingerprint table holds no mnemonic word run and no 64-digit hex', () => {
    const data = fs.readFileSync(path.join(FIXTURES, '..', 'src', 'core', 'separation', 'public-vectors-data.ts'), 'utf8');
    expect(findMnemonics(data)).toEqual([]);
    expect(data).not.toMatch(/[0-9a-f]{33}/);
  });
});
