import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { describe, expect, it } from 'vitest';
import { parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import { columnLabel, QUIET_ZONE, renderQrGrid, renderQrHalfBlocks, renderTextSheet, renderWordsTable } from '../../src/core/backup/render-text.js';
import { renderSvgSheet } from '../../src/core/backup/render-svg.js';
import { encodeSeedQr, type SeedQrKind } from '../../src/core/backup/seedqr.js';
import { sheetRows } from '../../src/core/backup/sheet.js';
import { FIXTURES } from '../helpers/cli.js';

const VECTORS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'seedqr_vectors.json'), 'utf8')) as {
  vectors: { vector: number; mnemonic: string; standard_seedqr_digits: string; compact_seedqr_bytes_hex: string }[];
}).vectors;
const FP = { validator0_pubkey_prefix: '0123456789abcdef', bip32_master_fingerprint: '89abcdef' };

function indicesOf(m: string): number[] {
  const r = parseEnglishMnemonic(m);
  if (!r.ok) throw new Error('vector');
  return r.indices;
}

/** Rasterise a module grid (quiet zone included in the grid) at `scale` px per module. */
function raster(grid: boolean[][], scale = 5) {
  const h = grid.length, w = grid[0]!.length;
  const data = new Uint8ClampedArray(w * scale * h * scale * 4).fill(255);
  grid.forEach((row, r) => row.forEach((dark, c) => {
    if (!dark) return;
    for (let y = 0; y < scale; y++) for (let x = 0; x < scale; x++) {
      const i = ((r * scale + y) * w * scale + c * scale + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = 0;
    }
  }));
  return { data, width: w * scale, height: h * scale };
}

describe('terminal QR (half blocks) decodes back', () => {
  for (const v of VECTORS) {
    for (const kind of ['standard', 'compact'] as SeedQrKind[]) {
      it(`vector ${v.vector} ${kind}`, () => {
        const qr = encodeSeedQr(kind, indicesOf(v.mnemonic));
        const text = renderQrHalfBlocks(qr, { ansi: false });
        const lines = text.replace(/\n$/, '').split('\n');
        const side = qr.size + 2 * QUIET_ZONE;
        expect(lines).toHaveLength(Math.ceil(side / 2));
        // Read the characters back into modules: █ both, ▀ top, ▄ bottom, space none.
        const grid: boolean[][] = [];
        for (const line of lines) {
          const chars = [...line];
          expect(chars).toHaveLength(side);
          grid.push(chars.map((ch) => ch === '█' || ch === '▀'));
          grid.push(chars.map((ch) => ch === '█' || ch === '▄'));
        }
        grid.length = side;
        // Quiet zone of 4 light modules all round.
        for (let i = 0; i < side; i++) for (let q = 0; q < QUIET_ZONE; q++) {
          expect(grid[q]![i]).toBe(false);
          expect(grid[side - 1 - q]![i]).toBe(false);
          expect(grid[i]![q]).toBe(false);
          expect(grid[i]![side - 1 - q]).toBe(false);
        }
        const img = raster(grid);
        const d = jsQR(img.data, img.width, img.height);
        expect(d).not.toBeNull();
        if (kind === 'standard') expect(d!.data).toBe(v.standard_seedqr_digits);
        else expect(Buffer.from(d!.binaryData).toString('hex')).toBe(v.compact_seedqr_bytes_hex);
        // The ANSI form is the same characters, each line drawn black on white.
        const ansi = renderQrHalfBlocks(qr, { ansi: true }).split('\n')[0]!;
        expect(ansi.startsWith('\u001b[30;107m') && ansi.endsWith('\u001b[0m')).toBe(true);
      });
    }
  }
});

describe('numbered QR grid (--qr-grid)', () => {
  it('holds exactly the modules, rows 1..N and columns A..', () => {
    const qr = encodeSeedQr('standard', indicesOf(VECTORS[0]!.mnemonic));
    const lines = renderQrGrid(qr).split('\n').filter((l) => /^\s*\d+  /.test(l));
    expect(lines).toHaveLength(qr.size);
    lines.forEach((l, r) => {
      const m = /^\s*(\d+)  (.*)$/.exec(l)!;
      expect(Number(m[1])).toBe(r + 1);
      const cells = m[2]!.replace(/\s/g, '');
      expect([...cells].map((c) => c === '●')).toEqual(qr.modules[r]);
    });
    expect(columnLabel(0)).toBe('A');
    expect(columnLabel(25)).toBe('Z');
    expect(columnLabel(28)).toBe('AC');
  });
});

describe('text sheet', () => {
  it('labels every convention and column', () => {
    const rows = sheetRows(indicesOf(VECTORS[3]!.mnemonic));
    const t = renderTextSheet({ rows, fingerprint: FP, qr: undefined, grid: true, qrGrid: false, ansi: false, passphraseUsed: false });
    for (const s of ['0-based', '1-based', 'STAMP', 'INDEX', 'for checking only', 'BINARY', '● = punch', 'FINGERPRINT (public, not a secret', 'LETTER GRID', 'SECRET']) expect(t).toContain(s);
    expect(renderWordsTable(rows).split('\n')[2]).toMatch(/^ {2}1 {2}forum {5}FORU {3}0733 {5}[●○ ]+ {3}\(734\)$/);
    expect(renderWordsTable(rows, 1).split('\n')[2]).toMatch(/^ {2}1 {2}forum {5}FORU {3}734 {6}[●○ ]+ {3}\(0733\)$/);
    // On a colour terminal: the number to stamp bold, the checking one dim.
    const ansi = renderWordsTable(rows, 1, { ansi: true }).split('\n')[2]!;
    expect(ansi).toContain('\u001b[1m734    \u001b[22m');
    expect(ansi).toContain('\u001b[2m(0733)\u001b[22m');
  });
});

describe('svg sheet', () => {
  it('is A4, self-contained, and its QR path is exactly the modules', () => {
    const idx = indicesOf(VECTORS[0]!.mnemonic);
    const qr = encodeSeedQr('standard', idx);
    const svg = renderSvgSheet({ rows: sheetRows(idx), fingerprint: FP, qr, passphraseUsed: true });
    expect(svg).toContain('viewBox="0 0 210 297"');
    expect(svg).not.toMatch(/href|url\(|@import|<image|<script/);
    expect(svg).toContain('passphrase is in use');
    const d = /<path transform="[^"]+" d="([^"]+)"/.exec(svg)![1]!;
    const dark = new Set([...d.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[2]},${m[1]}`));
    let count = 0;
    qr.modules.forEach((row, r) => row.forEach((m, c) => {
      expect(dark.has(`${r},${c}`)).toBe(m);
      if (m) count++;
    }));
    expect(dark.size).toBe(count);
    // 24 rows of 11 punch circles.
    expect(svg.match(/<circle /g)).toHaveLength(24 * 11);
  });
});
