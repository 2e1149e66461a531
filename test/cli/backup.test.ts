/**
 * `coldstake backup sheet` and `backup verify` through the real binary (permission model on).
 * CI machines are online, so every run passes --allow-online, except the gate's own tests.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { entropyToMnemonic, wordlists } from 'bip39';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumValid, parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import { plateText, type PlateFormat } from '../../src/core/backup/plate.js';
import { qrPlacement } from '../../src/core/backup/render-svg.js';
import { stampOf } from '../../src/core/backup/wordlist.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const VECTORS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'seedqr_vectors.json'), 'utf8')) as {
  vectors: { vector: number; mnemonic: string; standard_seedqr_digits: string; compact_seedqr_bytes_hex: string }[];
}).vectors;
const V24 = VECTORS[0]!; // attack pizza … (24 words)
const V12 = VECTORS[3]!; // forum undo … (12 words)
const ABOUT = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const WASTE = 'test test test test test test test test test test test waste';

let dir: string;
beforeAll(() => { dir = mkTmp('coldstake-backup-'); });
afterAll(() => rmTmp(dir));

let n = 0;
function file(name: string, content?: string): string {
  const f = path.join(dir, `${n++}-${name}`);
  if (content !== undefined) fs.writeFileSync(f, content);
  return f;
}

function indicesOf(m: string): number[] {
  const r = parseEnglishMnemonic(m);
  if (!r.ok) throw new Error('bad test mnemonic');
  return r.indices;
}

/** Words of the mnemonic (and their stamps) that must never show up in output. Some words are also plain English used by messages. */
const COMMON = new Set(['error', 'valid', 'match', 'off', 'sign', 'one', 'first', 'list', 'word', 'plate', 'position', 'check', 'only', 'file', 'seed']);
function assertNoLeak(text: string, mnemonic: string): void {
  for (const w of mnemonic.split(' ')) {
    if (COMMON.has(w)) continue;
    expect(text, `output leaks a word`).not.toMatch(new RegExp(`\\b${w}\\b`, 'i'));
    if (w.length >= 4 && !COMMON.has(stampOf(w).toLowerCase())) expect(text, 'output leaks a stamp').not.toMatch(new RegExp(`\\b${stampOf(w)}\\b`));
  }
}

function sheet(args: string[], mnemonic: string, extra: { input?: string } = {}) {
  const mf = file('mnemonic.txt', `${mnemonic}\n`);
  return runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', mf, ...args], extra);
}

function fingerprintFromJson(stdout: string): { validator0_pubkey_prefix: string; bip32_master_fingerprint: string } {
  return (JSON.parse(stdout) as { fingerprint: { validator0_pubkey_prefix: string; bip32_master_fingerprint: string } }).fingerprint;
}

describe('backup sheet', () => {
  it('refuses to print the sheet to a non-terminal without --out (exit 3), leaking nothing', () => {
    const r = sheet([], V24.mnemonic);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    assertCleanStderr(r.stderr);
    assertNoLeak(r.stderr, V24.mnemonic);
  });

  it('writes a text sheet with --out (0600) holding stamps, indices and punch rows; stdout shows only the fingerprint', () => {
    const out = file('sheet.txt');
    const r = sheet(['--out', out, '--grid', '--qr-grid'], V24.mnemonic);
    expect(r.code).toBe(0);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/warning: .*plain text/);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(out, 'utf8');
    const idx = indicesOf(V24.mnemonic);
    for (const [k, w] of V24.mnemonic.split(' ').entries()) {
      const i = idx[k]!;
      const bits = i.toString(2).padStart(11, '0').replace(/1/g, '●').replace(/0/g, '○').split('').join(' +');
      expect(text).toMatch(new RegExp(`^ *${k + 1}  ${w} +${stampOf(w)} +${String(i).padStart(4, '0')} +${bits} +\\(${i + 1}\\)$`, 'm'));
    }
    expect(text).toContain('0-based');
    expect(text).toContain('1-based');
    expect(text).toContain('1024  512  256  128   64   32   16    8    4    2    1');
    expect(text).toContain('LETTER GRID');
    expect(text).toMatch(/SeedQR \(Standard.*29x29, error correction L/);
    expect(text).toContain('FINGERPRINT (public, not a secret');
    assertNoLeak(r.stdout, V24.mnemonic);
    expect(r.stdout).toMatch(/first 8 bytes: [0-9a-f]{16}/);
    // The half-block QR in the file scans back to the SeedQR digits.
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('SeedQR (Standard')) + 1;
    const end = lines.findIndex((l, k) => k > start && l.startsWith('█ = dark module'));
    const grid: boolean[][] = [];
    for (const l of lines.slice(start, end).filter((x) => x.length > 0)) {
      grid.push([...l].map((ch) => ch === '█' || ch === '▀'));
      grid.push([...l].map((ch) => ch === '█' || ch === '▄'));
    }
    const scale = 4, w = grid[0]!.length, h = grid.length;
    const px = new Uint8ClampedArray(w * scale * h * scale * 4).fill(255);
    grid.forEach((row, y) => row.forEach((dark, x) => {
      if (dark) for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) px.fill(0, ((y * scale + dy) * w * scale + x * scale + dx) * 4, ((y * scale + dy) * w * scale + x * scale + dx) * 4 + 3);
    }));
    expect(jsQR(px, w * scale, h * scale)?.data).toBe(V24.standard_seedqr_digits);
  });

  it('refuses to overwrite an existing --out file (exit 3) before reading the mnemonic', () => {
    const out = file('exists.txt', 'old');
    const r = runCli(['backup', 'sheet', '--allow-online', '--out', out]); // no mnemonic given at all
    expect(r.code).toBe(3);
    expect(fs.readFileSync(out, 'utf8')).toBe('old');
    assertCleanStderr(r.stderr);
  });

  it('--json (with --out) gives the public facts only', () => {
    const out = file('sheet.txt');
    const r = sheet(['--out', out, '--json', '--qr', 'compact'], V12.mnemonic);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ ok: true, command: 'backup sheet', words: 12, format: 'text', passphrase: false, qr: { kind: 'compact', version: 1, size: 21, error_correction: 'L' } });
    expect(j['airgap']).toHaveProperty('allowed_online');
    expect((j['findings'] as { id: string }[]).map((f) => f.id)).toContain('sheet-written-to-file');
    assertNoLeak(r.stdout, V12.mnemonic);
    expect(fs.readFileSync(out, 'utf8')).toContain('CompactSeedQR (entropy bytes), 21x21');
  });

  it('--json without --out, --format svg without --out and bad choices are usage errors (exit 2)', () => {
    expect(sheet(['--json'], V12.mnemonic).code).toBe(2);
    expect(sheet(['--format', 'svg'], V12.mnemonic).code).toBe(2);
    const r = sheet(['--qr', 'fancy'], V12.mnemonic);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
  });

  it('fingerprint: BIP32 master fingerprint 73c5da0a for abandon…about, validator 0 pubkey matches deposit-cli for test…waste', () => {
    const a = sheet(['--out', file('a.txt'), '--json'], ABOUT);
    expect(a.code).toBe(0);
    expect(fingerprintFromJson(a.stdout).bip32_master_fingerprint).toBe('73c5da0a');
    const deposit = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'deposit_data-mainnet_first_0.json'), 'utf8')) as { pubkey: string }[];
    const w = sheet(['--out', file('w.txt'), '--json'], WASTE);
    expect(w.code).toBe(0);
    expect(fingerprintFromJson(w.stdout).validator0_pubkey_prefix).toBe(deposit[0]!.pubkey.slice(0, 16));
  });

  it('a bip39 passphrase changes the fingerprint, not the words (read from stdin after the mnemonic)', () => {
    const plain = sheet(['--out', file('p0.txt'), '--json'], ABOUT);
    const out = file('p1.txt');
    const r = runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', '-', '--passphrase', '--out', out, '--json'], { input: `${ABOUT}\nTREZOR\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ passphrase: true });
    expect(fingerprintFromJson(r.stdout)).not.toEqual(fingerprintFromJson(plain.stdout));
    expect(r.stdout).not.toContain('TREZOR');
    expect(fs.readFileSync(out, 'utf8')).toContain('passphrase is in use');
    expect(fs.readFileSync(out, 'utf8')).not.toContain('TREZOR');
  });

  it('a valid japanese or french mnemonic is told that backup sheets are english only (exit 2), nothing written', () => {
    const entropy = '9e885d952ad362caeb4efe34a8e91bd2';
    for (const [language, mnemonic] of [['japanese', entropyToMnemonic(entropy, wordlists['japanese'])], ['french', entropyToMnemonic(entropy, wordlists['french'])]] as const) {
      const out = file('foreign.txt');
      const r = sheet(['--out', out], mnemonic);
      expect(r.code, language).toBe(2);
      expect(r.stderr).toContain(`error: the mnemonic is a valid ${language} mnemonic, but backup sheets are english only`);
      expect(r.stderr).not.toMatch(/not in the english/);
      assertCleanStderr(r.stderr);
      expect(fs.existsSync(out)).toBe(false);
      for (const w of mnemonic.split(/[\s\u3000]+/)) expect(r.stdout + r.stderr).not.toContain(w);
    }
  });

  it('a 15-word mnemonic gets no qr by default (noted) and --qr standard is refused', () => {
    const m15 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon address';
    const r = sheet(['--out', file('15.txt'), '--json'], m15);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ qr: null, words: 15 });
    expect(r.stdout).toContain('seedqr-not-defined');
    expect(sheet(['--out', file('15b.txt'), '--qr', 'standard'], m15).code).toBe(2);
    expect(sheet(['--out', file('15c.txt'), '--qr-grid'], m15).code).toBe(2);
  });

  it('a mnemonic with a bad word or checksum is refused (exit 2) naming the position, never the words', () => {
    const bad = V24.mnemonic.replace('pizza', 'pizzaz');
    const r = sheet(['--out', file('bad.txt')], bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('word 2 ');
    assertCleanStderr(r.stderr);
    assertNoLeak(r.stderr + r.stdout, V24.mnemonic);
    expect(r.stderr).not.toContain('pizzaz');
    const swapped = V24.mnemonic.split(' ');
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    const c = sheet(['--out', file('bad2.txt')], swapped.join(' '));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('checksum');
    assertNoLeak(c.stderr + c.stdout, V24.mnemonic);
  });
});

const RSVG = spawnSync('rsvg-convert', ['--version']).status === 0;

describe('backup sheet --index 0|1: the number to stamp', () => {
  const idx = indicesOf(V24.mnemonic);
  for (const base of ['0', '1'] as const) {
    it(`--index ${base}: text sheet has the stamped number next to the stamp and the other at the row's end, for checking only; the plate reads back with verify_from`, () => {
      const out = file(`sheet-index${base}.txt`);
      const r = sheet(['--out', out, '--index', base, '--json'], V24.mnemonic);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as { index_base: number; verify_from: string };
      expect(j).toMatchObject({ index_base: Number(base), verify_from: base === '0' ? 'index' : 'index1' });
      const text = fs.readFileSync(out, 'utf8');
      const [big, small] = base === '0' ? ['INDEX', 'line'] : ['LINE', 'index'];
      expect(text).toMatch(new RegExp(`^POS  WORD +STAMP  ${big} +BINARY of the 0-based index .* for checking only$`, 'm'));
      expect(text).toContain(`${big}, the number to stamp: `);
      expect(text).toContain(`(${small}), end of row: for checking only, not to stamp: `);
      expect(text).toContain(`read a plate of these numbers back with: coldstake backup verify --from ${j.verify_from}`);
      const stamped: string[] = [];
      for (const [k, w] of V24.mnemonic.split(' ').entries()) {
        const i = idx[k]!;
        const [n, check] = base === '0' ? [String(i).padStart(4, '0'), String(i + 1)] : [String(i + 1), String(i).padStart(4, '0')];
        const row = new RegExp(`^ *${k + 1}  ${w} +${stampOf(w)} +(\\d+) +[●○ ]+ +\\((\\d+)\\)$`, 'm').exec(text);
        expect(row, `row ${k + 1}`).not.toBeNull();
        expect(row![1]).toBe(n);
        expect(row![2]).toBe(check);
        stamped.push(row![1]!);
      }
      // What the user stamps from this sheet reads back with the verify form the sheet names.
      const plate = file('stamped.txt', `${stamped.join('\n')}\n`);
      expect(verify(['--from', j.verify_from, '--plate-file', plate]).code).toBe(0);
    });

    it(`--index ${base}: svg sheet prints the stamped number large and bold, the other small and grey under "for checking only"`, () => {
      const out = file(`sheet-index${base}.svg`);
      const r = sheet(['--out', out, '--index', base, '--format', 'svg'], V24.mnemonic);
      expect(r.code).toBe(0);
      const svg = fs.readFileSync(out, 'utf8');
      const texts = [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" font-size="([\d.]+)" ([^>]*)>([^<]*)<\/text>/g)].map((m) => ({ size: Number(m[1]), attrs: m[2]!, s: m[3]! }));
      const [big, small] = base === '0' ? ['INDEX', '(line) 1-based'] : ['LINE', '(index) 0-based'];
      expect(texts.find((t) => t.s === big)!.attrs).toContain('font-weight="bold"');
      expect(texts.find((t) => t.s === 'for checking only')!.size).toBeLessThan(2.5);
      expect(texts.find((t) => t.s === small)).toBeDefined();
      for (const i of idx) {
        const [n, check] = base === '0' ? [String(i).padStart(4, '0'), String(i + 1)] : [String(i + 1), String(i).padStart(4, '0')];
        const stampedText = texts.find((t) => t.s === n && t.attrs.includes('bold'));
        expect(stampedText?.size).toBe(4.2);
        const checkText = texts.find((t) => t.s === `(${check})`);
        expect(checkText!.size).toBeLessThanOrEqual(2.4);
        expect(checkText!.attrs).toContain('fill="#555"');
      }
      expect(svg).toContain(`coldstake backup verify --from ${base === '0' ? 'index' : 'index1'}`);
    });
  }

  it('--index takes 0 or 1 only (exit 2)', () => {
    const r = sheet(['--out', file('bad-index.txt'), '--index', '2'], V24.mnemonic);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--index');
  });
});

describe('backup sheet --format svg', () => {
  // 300 dpi too: the module grid's grey lines must stay light at a printer's resolution.
  for (const [v, kind, dpi] of [[V24, 'standard', 150], [V24, 'standard', 300], [V12, 'compact', 150], [V12, 'standard', 150]] as const) {
    it.skipIf(!RSVG)(`renders an A4 page whose ${kind} QR decodes to the SeedQR (vector ${v.vector}, ${dpi} dpi via rsvg-convert)`, () => {
      const out = file('sheet.svg');
      const r = sheet(['--format', 'svg', '--qr', kind, '--out', out], v.mnemonic);
      expect(r.code).toBe(0);
      const svg = fs.readFileSync(out, 'utf8');
      expect(svg).toMatch(/^<\?xml/);
      expect(svg).toContain('width="210mm" height="297mm"');
      expect(svg).not.toMatch(/href=|url\(|@import|<image/); // nothing external
      // A light module grid (one line per module boundary, both ways) and labels of 3.5 mm type
      // (2.55 mm capitals) for every row and column.
      const words0 = v.mnemonic.split(' ').length;
      const size0 = { standard: { 12: 25, 24: 29 }, compact: { 12: 21, 24: 25 } }[kind][words0 as 12 | 24];
      const gridSegments = [...svg.matchAll(/<path d="([^"]+)" fill="none" stroke="#cccccc"/g)].map((m) => m[1]!.split('M').length - 1).reduce((a, b) => a + b, 0);
      expect(gridSegments).toBe(2 * (size0 + 1));
      for (let row = 1; row <= size0; row++) expect(svg.match(new RegExp(`font-size="3.5"[^>]*>${row}</text>`, 'g'))).toHaveLength(2);
      expect(svg).toMatch(/font-size="3.5" text-anchor="middle">A<\/text>/);
      const png = file('sheet.png');
      const conv = spawnSync('rsvg-convert', ['-d', String(dpi), '-p', String(dpi), '-b', 'white', '-o', png, out]);
      expect(conv.status).toBe(0);
      const img = PNG.sync.read(fs.readFileSync(png));
      expect(Math.abs(img.width - (210 / 25.4) * dpi)).toBeLessThan(3);
      expect(Math.abs(img.height - (297 / 25.4) * dpi)).toBeLessThan(3);
      const pxPerMm = img.width / 210;
      // Crop the QR with its quiet zone (placement in mm from the renderer) and decode it.
      const words = v.mnemonic.split(' ').length;
      const size = { standard: { 12: 25, 24: 29 }, compact: { 12: 21, 24: 25 } }[kind][words as 12 | 24];
      const at = qrPlacement(words, size);
      const px = (mm: number) => Math.round(mm * pxPerMm);
      const x0 = px(at.x - 4 * at.module), y0 = px(at.y - 4 * at.module), side = px((size + 8) * at.module);
      const crop = new Uint8ClampedArray(side * side * 4);
      for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
        for (let k = 0; k < 4; k++) crop[(y * side + x) * 4 + k] = img.data[((y0 + y) * img.width + x0 + x) * 4 + k]!;
      }
      const decoded = jsQR(crop, side, side);
      expect(decoded).not.toBeNull();
      if (kind === 'standard') expect(decoded!.data).toBe(v.standard_seedqr_digits);
      else expect(Buffer.from(decoded!.binaryData).toString('hex')).toBe(v.compact_seedqr_bytes_hex);
    });
  }
  it.skipIf(RSVG)('svg render check skipped: rsvg-convert is not installed (apt-get install librsvg2-bin)', () => {
    expect(RSVG).toBe(false);
  });
});

function verify(args: string[], opts: { input?: string } = {}) {
  return runCli(['backup', 'verify', '--allow-online', ...args], opts);
}

describe('backup verify', () => {
  const idx24 = indicesOf(V24.mnemonic);
  let sheetFingerprint: { validator0_pubkey_prefix: string; bip32_master_fingerprint: string };
  beforeAll(() => {
    const r = sheet(['--out', file('fp.txt'), '--json'], V24.mnemonic);
    sheetFingerprint = fingerprintFromJson(r.stdout);
  });

  for (const format of ['words', 'prefix', 'index', 'index1', 'binary'] as PlateFormat[]) {
    it(`a correct plate read --from ${format} restores the sheet's fingerprint (exit 0)`, () => {
      const plate = file('plate.txt', `${plateText(idx24, format)}\n`);
      const r = verify(['--from', format, '--plate-file', plate, '--json']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(j).toMatchObject({ ok: true, command: 'backup verify', from: format, entries: 24, checksum_valid: true, compare: null });
      expect(j['fingerprint']).toEqual(sheetFingerprint);
      assertNoLeak(r.stdout + r.stderr, V24.mnemonic);
    });
  }

  function slipped(format: PlateFormat, position: number, value: string): string {
    const lines = plateText(idx24, format).split('\n');
    lines[position - 1] = value;
    return file('slip.txt', `${lines.join('\n')}\n`);
  }

  it('one mis-stamped letter is caught and located (exit 1), without printing the plate', () => {
    // Position 9 "patrol" → PATR stamped as PATH ("path"), itself a valid stamp.
    const r = verify(['--from', 'prefix', '--plate-file', slipped('prefix', 9, 'PATH'), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { id: string; evidence: Record<string, unknown> }[] };
    const ids = j.findings.map((f) => f.id);
    expect(ids).toContain('plate-checksum-invalid');
    const suspects = j.findings.filter((f) => f.id === 'plate-suspect-position').map((f) => f.evidence['position']);
    expect(suspects).toContain(9);
    assertNoLeak(r.stdout + r.stderr, V24.mnemonic);
    expect(r.stdout).not.toMatch(/\bPATH\b/);
  });

  it('one off-by-one index is caught and located', () => {
    const r = verify(['--from', 'index', '--plate-file', slipped('index', 7, String(idx24[6]! + 1).padStart(4, '0'))]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/position 7: .*off-by-one/);
    expect(r.stdout).toContain('checksum: INVALID');
    assertNoLeak(r.stdout + r.stderr, V24.mnemonic);
  });

  it('one flipped bit is caught and located', () => {
    const bits = idx24[14]!.toString(2).padStart(11, '0');
    const flipped = bits.slice(0, 3) + (bits[3] === '1' ? '0' : '1') + bits.slice(4);
    const r = verify(['--from', 'binary', '--plate-file', slipped('binary', 15, flipped), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { id: string; evidence: Record<string, unknown> }[] };
    expect(j.findings.filter((f) => f.id === 'plate-suspect-position').map((f) => f.evidence['position'])).toContain(15);
  });

  it('an entry that cannot be a word is pointed at', () => {
    const r = verify(['--from', 'index', '--plate-file', slipped('index', 3, '2051'), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { findings: { id: string; evidence: Record<string, unknown> }[] };
    expect(j.findings.find((f) => f.id === 'plate-entry-invalid')!.evidence).toEqual({ position: 3, problem: 'index-out-of-range' });
  });

  it('a 1-based plate read as 0-based is recognised as the convention mix-up', () => {
    const plate = file('p1.txt', idx24.map((i) => String(i + 1)).join(' '));
    const r = verify(['--from', 'index', '--plate-file', plate, '--json']);
    const j = JSON.parse(r.stdout) as { checksum_valid: boolean; findings: { id: string }[] };
    // For this vector the shifted plate fails the checksum (every vector is covered in test/core/backup-plate).
    expect(checksumValid(idx24.map((i) => i + 1))).toBe(false);
    expect(j.checksum_valid).toBe(false);
    expect(r.code).toBe(1);
    // The other convention explains the plate: that is the first and only finding, no "likely position".
    expect(j.findings.map((f) => f.id)).toEqual(['plate-convention-mismatch']);
    expect(r.stdout).toContain('--from index1');
    expect(r.stdout).not.toMatch(/likely|suspect|swap/);
    const human = verify(['--from', 'index', '--plate-file', plate]);
    expect(human.code).toBe(1);
    const findingLines = human.stdout.split('\n').filter((l) => /\[[a-z0-9-]+\]$/.test(l));
    expect(findingLines).toHaveLength(1);
    expect(findingLines[0]).toContain('the plate holds 1-based line numbers (1-2048), not 0-based indices (0000-2047): read that way its checksum is valid [plate-convention-mismatch]');
    expect(human.stdout).toContain('checksum: INVALID as 0-based indices (0000-2047); valid as 1-based line numbers (1-2048)');
    expect(human.stdout).not.toContain('likely');
    // It shows the fingerprint of the plate read the other way, to compare with the sheet.
    expect(human.stdout).toContain(`first 8 bytes: ${sheetFingerprint.validator0_pubkey_prefix}`);
    assertNoLeak(human.stdout + human.stderr, V24.mnemonic);
  });

  it('both conventions are checkable: a 0-based plate read --from index1 is told to use --from index, and back', () => {
    const zeroBased = file('p0.txt', `${plateText(idx24, 'index')}\n`);
    const oneBased = file('p1b.txt', `${plateText(idx24, 'index1')}\n`);
    expect(verify(['--from', 'index', '--plate-file', zeroBased]).code).toBe(0);
    expect(verify(['--from', 'index1', '--plate-file', oneBased]).code).toBe(0);
    for (const [plate, from, other] of [[zeroBased, 'index1', 'index'], [oneBased, 'index', 'index1']] as const) {
      const r = verify(['--from', from, '--plate-file', plate, '--json']);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout) as { checksum_valid: boolean; findings: { id: string; evidence: Record<string, unknown>; fix?: string }[] };
      expect(j.checksum_valid).toBe(false);
      expect(j.findings).toHaveLength(1);
      expect(j.findings[0]).toMatchObject({ id: 'plate-convention-mismatch', evidence: { from, valid_as: other, explains_plate: true, fingerprint: sheetFingerprint }, fix: `coldstake backup verify --from ${other}` });
    }
  });

  it('the convention mix-up with --fingerprint or --compare: said alone when they agree, not said when they contradict it', () => {
    const plate = file('p1c.txt', idx24.map((i) => String(i + 1)).join(' '));
    const fp = verify(['--from', 'index', '--plate-file', plate, '--fingerprint', sheetFingerprint.validator0_pubkey_prefix, '--json']);
    const jf = JSON.parse(fp.stdout) as { findings: { id: string; message: string; evidence: Record<string, unknown> }[] };
    expect(jf.findings.map((f) => f.id)).toEqual(['plate-convention-mismatch']);
    expect(jf.findings[0]!.message).toContain('and it has the fingerprint printed on the sheet');
    expect(jf.findings[0]!.evidence['fingerprint_match']).toBe(true);
    const cmp = verify(['--from', 'index', '--plate-file', plate, '--compare', '--mnemonic-file', '-'], { input: `${V24.mnemonic}\n` });
    expect(cmp.code).toBe(1);
    expect(cmp.stdout).toContain('compare with the original: match when read as 1-based line numbers (1-2048)');
    expect(cmp.stdout).toContain('and it matches the original [plate-convention-mismatch]');
    expect(cmp.stdout).not.toContain('DIFFERENT');
    assertNoLeak(cmp.stdout + cmp.stderr, V24.mnemonic);
    // A fingerprint from another seed: the other reading is not the explanation, so it is not offered.
    const wrong = verify(['--from', 'index', '--plate-file', plate, '--fingerprint', 'deadbeef', '--json']);
    const jw = JSON.parse(wrong.stdout) as { findings: { id: string }[] };
    expect(wrong.code).toBe(1);
    expect(jw.findings.map((f) => f.id)).toContain('plate-checksum-invalid');
    expect(jw.findings.map((f) => f.id)).not.toContain('plate-convention-mismatch');
  });

  it('--fingerprint: match, mismatch, and the slip that explains it', () => {
    const plate = file('ok.txt', plateText(idx24, 'words'));
    const ok = verify(['--plate-file', plate, '--fingerprint', sheetFingerprint.validator0_pubkey_prefix, '--json']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('fingerprint-match');
    const bad = verify(['--plate-file', plate, '--fingerprint', 'deadbeef', '--json']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('fingerprint-mismatch');
    const slip = verify(['--from', 'index', '--plate-file', slipped('index', 7, String(idx24[6]! + 1).padStart(4, '0')), '--fingerprint', sheetFingerprint.bip32_master_fingerprint, '--json']);
    expect(slip.code).toBe(1);
    const j = JSON.parse(slip.stdout) as { findings: { id: string; evidence: Record<string, unknown> }[] };
    expect(j.findings.find((f) => f.id === 'plate-fix-found')!.evidence['positions']).toEqual([7]);
    expect(verify(['--plate-file', plate, '--fingerprint', 'xyz']).code).toBe(2);
  });

  it('--compare reads the original as a secret: match, or the differing positions', () => {
    const good = file('good.txt', plateText(idx24, 'prefix'));
    const m = verify(['--from', 'prefix', '--plate-file', good, '--compare', '--mnemonic-file', '-', '--json'], { input: `${V24.mnemonic}\n` });
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout)).toMatchObject({ compare: { match: true, differing_positions: [] } });
    const human = verify(['--from', 'prefix', '--plate-file', good, '--compare', '--mnemonic-file', '-'], { input: `${V24.mnemonic}\n` });
    expect(human.stdout).toContain('compare with the original: match');
    const wrong = slipped('prefix', 9, 'PATH');
    const d = verify(['--from', 'prefix', '--plate-file', wrong, '--compare', '--mnemonic-file', '-', '--json'], { input: `${V24.mnemonic}\n` });
    expect(d.code).toBe(1);
    expect(JSON.parse(d.stdout)).toMatchObject({ compare: { match: false, differing_positions: [9] } });
    assertNoLeak(d.stdout + d.stderr, V24.mnemonic);
  });

  it('--plate-file - takes all of standard input: one entry per line, space-separated, or both, like a file', () => {
    for (const format of ['words', 'prefix', 'index', 'binary'] as PlateFormat[]) {
      const perLine = plateText(idx24, format);
      const lines = perLine.split('\n');
      // Binary rows may hold spaces between their bits, so a binary line is one entry.
      const mixed = format === 'binary' ? perLine : `${lines.slice(0, 12).join(' ')}\n${lines.slice(12).join('\n')}`;
      for (const input of [`${perLine}\n`, `${lines.join(' ')}\n`, `${mixed}\n`]) {
        const r = verify(['--from', format, '--plate-file', '-', '--json'], { input });
        expect(r.code, `${format}: ${r.stderr}`).toBe(0);
        expect(JSON.parse(r.stdout)).toMatchObject({ entries: 24, checksum_valid: true });
      }
    }
  });

  it('--plate-file - with the original from a file (--compare --mnemonic-file FILE): plate on stdin, original from the file', () => {
    const original = file('original.txt', `${V24.mnemonic}\n`);
    const r = verify(['--from', 'index', '--plate-file', '-', '--compare', '--mnemonic-file', original, '--json'], { input: `${plateText(idx24, 'index')}\n` });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ entries: 24, checksum_valid: true, compare: { match: true } });
  });

  it('--plate-file - cannot share standard input: with --mnemonic-file -, or with the original or passphrase and no terminal: exit 2 and a hint, nothing read', () => {
    const input = `${plateText(idx24, 'index')}\n${V24.mnemonic}\n`;
    const both = verify(['--from', 'index', '--plate-file', '-', '--compare', '--mnemonic-file', '-', '--json'], { input });
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toMatch(/error: --plate-file - and --mnemonic-file - both ask for standard input/);
    expect(both.stderr).toMatch(/hint: give the original with --mnemonic-file FILE/);
    assertCleanStderr(both.stderr);
    const noTty = verify(['--from', 'index', '--plate-file', '-', '--compare'], { input });
    expect(noTty.code).toBe(2);
    expect(noTty.stderr).toMatch(/no terminal to read the original mnemonic from: standard input holds the plate/);
    const pass = verify(['--plate-file', '-', '--passphrase'], { input: `${plateText(indicesOf(ABOUT), 'words')}\nTREZOR\n` });
    expect(pass.code).toBe(2);
    expect(pass.stderr).toMatch(/no terminal to ask for the bip39 passphrase/);
    expect(pass.stderr).toMatch(/hint: .*--compare --mnemonic-file FILE/);
    const unused = verify(['--plate-file', file('u.txt', V24.mnemonic), '--mnemonic-file', file('m.txt', V24.mnemonic)]);
    expect(unused.code).toBe(2);
    expect(unused.stderr).toMatch(/--mnemonic-file is the original for --compare/);
    for (const r of [both, noTty, pass, unused]) {
      assertCleanStderr(r.stderr);
      assertNoLeak(r.stdout + r.stderr, V24.mnemonic);
      expect(r.stdout + r.stderr).not.toContain('TREZOR');
    }
  });

  it('failing runs never print the words (wrong count, bad original, no input)', () => {
    const short = file('short.txt', V24.mnemonic.split(' ').slice(0, 23).join(' '));
    const a = verify(['--plate-file', short]);
    expect(a.code).toBe(1);
    expect(a.stdout).toContain('plate-word-count');
    const b = verify(['--plate-file', file('p.txt', V24.mnemonic), '--compare', '--mnemonic-file', '-'], { input: `${V24.mnemonic.replace('attack', 'atxqck')}\n` });
    expect(b.code).toBe(2);
    assertCleanStderr(b.stderr);
    const c = verify(['--plate-file', '-']);
    expect(c.code).toBe(2);
    assertCleanStderr(c.stderr);
    for (const r of [a, b, c]) assertNoLeak(r.stdout + r.stderr, V24.mnemonic);
  });

  it('--passphrase without a terminal: line 2 of --compare --mnemonic-file FILE, with the plate on standard input', () => {
    const plate = plateText(indicesOf(ABOUT), 'words');
    const original = file('orig-pass.txt', `${ABOUT}\nTREZOR\n`);
    const withPass = verify(['--plate-file', '-', '--compare', '--mnemonic-file', original, '--passphrase', '--json'], { input: `${plate}\n` });
    expect(withPass.code).toBe(0);
    expect(JSON.parse(withPass.stdout)).toMatchObject({ passphrase: true, compare: { match: true } });
    const sheetWithPass = runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', '-', '--passphrase', '--out', file('pp.txt'), '--json'], { input: `${ABOUT}\nTREZOR\n` });
    expect(fingerprintFromJson(withPass.stdout)).toEqual(fingerprintFromJson(sheetWithPass.stdout));
    expect(withPass.stdout + withPass.stderr).not.toContain('TREZOR');
  });

  it('a plate of one entry is "1 entry", not "1 entries"', () => {
    const r = verify(['--plate-file', file('one.txt', 'abandon\n')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('plate: 1 entry read as whole words');
    expect(r.stdout).toContain('the plate has 1 entry: a mnemonic has 12, 15, 18, 21 or 24');
    expect(r.stdout).not.toMatch(/\b1 entries/);
  });

  it('an unknown --from is a usage error in the coldstake grammar (lower case, exit 2)', () => {
    const r = verify(['--from', 'hex', '--plate-file', file('f.txt', V24.mnemonic)]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("coldstake: error: invalid --from 'hex': allowed choices are words, prefix, index, index1, binary");
    expect(r.stderr).not.toMatch(/Allowed|is invalid\./);
    assertCleanStderr(r.stderr);
  });

  it('hostile plate files: too large, not UTF-8, a directory, control characters: exit 2 or a located finding, never a crash', () => {
    const big = verify(['--plate-file', file('big.txt', 'abandon '.repeat(20_000))]);
    expect(big.code).toBe(2);
    assertCleanStderr(big.stderr);
    const bin = file('bin.txt');
    fs.writeFileSync(bin, Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    const b = verify(['--plate-file', bin]);
    expect(b.code).toBe(2);
    assertCleanStderr(b.stderr);
    expect(verify(['--plate-file', dir]).code).toBe(2);
    const ctl = verify(['--from', 'binary', '--plate-file', file('ctl.txt', '\u0007\u001b[31m0101\n'.repeat(12)), '--json']);
    expect(ctl.code).toBe(1);
    expect(ctl.stdout).toContain('plate-entry-invalid');
    const many = verify(['--plate-file', file('many.txt', 'qqqq '.repeat(10_000)), '--json']);
    expect(many.code).toBe(1);
    const mj = JSON.parse(many.stdout) as { entries: number; findings: { id: string }[] };
    expect(mj.entries).toBe(10_000);
    expect(mj.findings.length).toBeLessThanOrEqual(25);
    const empty = verify(['--plate-file', file('empty.txt', ''), '--json']);
    expect(empty.code).toBe(1);
    expect(JSON.parse(empty.stdout)).toMatchObject({ entries: 0 });
  });

  describe('a 12-word plate: the checksum catches a slip but cannot say where', () => {
    // Vector 4, position 7: index 0099 punched as 0100 (off by one). Ten of twelve positions have a
    // one-slip fix, so the checksum alone names none of them; the fingerprint or the original does.
    const idx12 = indicesOf(V12.mnemonic);
    const plate12 = (): string => {
      const lines = plateText(idx12, 'index').split('\n');
      expect(lines[6]).toBe('0099');
      lines[6] = '0100';
      return file('slip12.txt', `${lines.join('\n')}\n`);
    };
    type J = { findings: { id: string; message: string; fix?: string; evidence: Record<string, unknown> }[] };

    it('says so plainly and hints at --fingerprint or --compare, instead of listing most positions as likely', () => {
      const r = verify(['--from', 'index', '--plate-file', plate12()]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('checksum: INVALID');
      const m = /a 12-word checksum cannot locate the slip: (\d+) of 12 positions could hold it/.exec(r.stdout);
      expect(m).not.toBeNull();
      expect(Number(m![1])).toBeGreaterThan(3);
      expect(r.stdout).toMatch(/fix: rerun with --fingerprint HEX \(as printed on the sheet\) or --compare/);
      expect(r.stdout).not.toMatch(/likely positions?/);
      expect(r.stdout).not.toContain('plate-suspect-position');
      const j = JSON.parse(verify(['--from', 'index', '--plate-file', plate12(), '--json']).stdout) as J;
      const note = j.findings.find((f) => f.id === 'plate-slip-not-located')!;
      expect(note.evidence['positions']).toContain(7);
      expect(note.fix).toMatch(/--fingerprint/);
      expect(j.findings.find((f) => f.id === 'plate-checksum-invalid')!.evidence['located']).toBe(false);
      assertNoLeak(r.stdout + r.stderr, V12.mnemonic);
    });

    it('--fingerprint from the sheet narrows it to the true position (and the hint is not repeated)', () => {
      const fp = fingerprintFromJson(sheet(['--out', file('fp12.txt'), '--json'], V12.mnemonic).stdout);
      for (const hex of [fp.validator0_pubkey_prefix, fp.bip32_master_fingerprint]) {
        const r = verify(['--from', 'index', '--plate-file', plate12(), '--fingerprint', hex, '--json']);
        expect(r.code).toBe(1);
        const j = JSON.parse(r.stdout) as J;
        expect(j.findings.find((f) => f.id === 'plate-fix-found')!.evidence['positions']).toEqual([7]);
        expect(j.findings.find((f) => f.id === 'plate-slip-not-located')!.fix).toBeUndefined();
      }
      const c = verify(['--from', 'index', '--plate-file', plate12(), '--compare', '--mnemonic-file', file('m12.txt', `${V12.mnemonic}\n`), '--json']);
      expect(JSON.parse(c.stdout)).toMatchObject({ compare: { match: false, differing_positions: [7] } });
    });
  });

  it('is behind the airgap gate: --allow-online is recorded', () => {
    const r = verify(['--plate-file', file('g.txt', V24.mnemonic), '--json']);
    expect(JSON.parse(r.stdout)).toHaveProperty('airgap.allowed_online');
  });
});

describe('the airgap gate, without --allow-online', () => {
  const online = (): boolean => (JSON.parse(runCli(['airgap', '--json']).stdout) as { airgapped: boolean }).airgapped === false;

  it('backup sheet is refused (exit 3) on a machine that is not airgapped, and writes nothing', () => {
    const out = file('gated-sheet.txt');
    const r = runCli(['backup', 'sheet', '--mnemonic-file', file('gm.txt', `${V12.mnemonic}\n`), '--out', out]);
    if (online()) {
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("refusing to run 'backup sheet': this machine is not airgapped");
      expect(r.stdout).toBe('');
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.readdirSync(dir).filter((f) => f.includes('gated-sheet'))).toEqual([]);
    } else {
      expect(r.stderr).not.toContain("refusing to run 'backup sheet'");
    }
    assertCleanStderr(r.stderr);
    assertNoLeak(r.stdout + r.stderr, V12.mnemonic);
  });

  it('backup verify is refused (exit 3) on a machine that is not airgapped, with or without --json, printing nothing of the plate', () => {
    const input = `${plateText(indicesOf(V12.mnemonic), 'words')}\n`;
    const human = runCli(['backup', 'verify', '--plate-file', '-'], { input });
    const json = runCli(['backup', 'verify', '--plate-file', '-', '--json'], { input });
    if (online()) {
      expect(human.code).toBe(3);
      expect(human.stderr).toContain("refusing to run 'backup verify': this machine is not airgapped");
      expect(human.stdout).toBe('');
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, command: 'backup verify', refused: 'not-airgapped', airgap: { airgapped: false, allowed_online: false } });
      expect(json.stdout).not.toContain('fingerprint');
    } else {
      expect(human.stderr).not.toContain("refusing to run 'backup verify'");
    }
    for (const r of [human, json]) {
      assertCleanStderr(r.stderr);
      assertNoLeak(r.stdout + r.stderr, V12.mnemonic);
    }
  });
});
