import fs from 'node:fs';
import path from 'node:path';
import { entropyToMnemonic } from 'bip39';
import fc from 'fast-check';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import { compactSeedQrBytes, encodeSeedQr, standardSeedQrDigits, type SeedQr, type SeedQrKind } from '../../src/core/backup/seedqr.js';
import { FIXTURES } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'backup');
interface Vector {
  vector: number;
  word_count: number;
  mnemonic: string;
  standard_seedqr_digits: string;
  compact_seedqr_bits: string;
  compact_seedqr_bytes_hex: string;
}
const VECTORS = (JSON.parse(fs.readFileSync(path.join(DIR, 'seedqr_vectors.json'), 'utf8')) as { vectors: Vector[] }).vectors;

/** `vector1 standard 29x29 mask 4 | ...` from the masks file. */
function masks(): Map<string, { size: number; mask: number }> {
  const text = fs.readFileSync(path.join(DIR, 'seedqr_vectors_with_masks.txt'), 'utf8');
  const out = new Map<string, { size: number; mask: number }>();
  for (const m of text.matchAll(/vector(\d) (standard|compact) (\d+)x\d+ mask (\d)/g)) {
    out.set(`${m[1]}-${m[2]}`, { size: Number(m[3]), mask: Number(m[4]) });
  }
  return out;
}

function indicesOf(mnemonic: string): number[] {
  const r = parseEnglishMnemonic(mnemonic);
  if (!r.ok) throw new Error('vector mnemonic invalid');
  return r.indices;
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** Sample a reference PNG into modules: the module size comes from the finder pattern, the quiet zone from the bounding box. */
function sampleModules(file: string): boolean[][] {
  const png = PNG.sync.read(fs.readFileSync(file));
  const dark = (x: number, y: number) => png.data[(y * png.width + x) * 4]! < 128;
  let minX = png.width, maxX = -1, minY = png.height, maxY = -1;
  for (let y = 0; y < png.height; y++) for (let x = 0; x < png.width; x++) {
    if (dark(x, y)) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  }
  let finder = 0;
  while (dark(minX + finder, minY)) finder++;
  const moduleSize = finder / 7;
  const n = Math.round((maxX - minX + 1) / moduleSize);
  const step = (maxX - minX + 1) / n;
  expect(Math.abs((maxY - minY + 1) / n - step)).toBeLessThan(0.01);
  // SeedSigner renders a border of about 3 modules (2.96-3.4 after scaling to 240 px).
  expect(minX / step).toBeGreaterThan(2.5);
  const grid: boolean[][] = [];
  for (let r = 0; r < n; r++) {
    const row: boolean[] = [];
    for (let c = 0; c < n; c++) row.push(dark(Math.floor(minX + (c + 0.5) * step), Math.floor(minY + (r + 0.5) * step)));
    grid.push(row);
  }
  return grid;
}

/** Render modules to RGBA with a 4-module quiet zone, `scale` px per module, for jsQR. */
export function rasterise(qr: SeedQr, scale = 6): { data: Uint8ClampedArray; width: number; height: number } {
  const side = (qr.size + 8) * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) {
    if (!qr.modules[r]![c]) continue;
    for (let y = 0; y < scale; y++) for (let x = 0; x < scale; x++) {
      const i = (((r + 4) * scale + y) * side + (c + 4) * scale + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = 0;
    }
  }
  return { data, width: side, height: side };
}

describe('SeedQR: SeedSigner test vectors', () => {
  it('has all 9 vectors', () => {
    expect(VECTORS.map((v) => v.vector)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  for (const v of VECTORS) {
    it(`vector ${v.vector}: standard digits and compact bytes`, () => {
      const idx = indicesOf(v.mnemonic);
      expect(standardSeedQrDigits(idx)).toBe(v.standard_seedqr_digits);
      const bytes = compactSeedQrBytes(idx);
      expect(hex(bytes)).toBe(v.compact_seedqr_bytes_hex);
      const bits = [...bytes].map((b) => b.toString(2).padStart(8, '0')).join('');
      expect(bits).toBe(v.compact_seedqr_bits);
    });

    for (const kind of ['standard', 'compact'] as SeedQrKind[]) {
      it(`vector ${v.vector} ${kind}: exact version and decodes back with jsQR`, () => {
        const qr = encodeSeedQr(kind, indicesOf(v.mnemonic));
        const expectedSize = { standard: { 12: 25, 24: 29 }, compact: { 12: 21, 24: 25 } }[kind][v.word_count as 12 | 24];
        expect(qr.size).toBe(expectedSize);
        const img = rasterise(qr);
        const decoded = jsQR(img.data, img.width, img.height);
        expect(decoded).not.toBeNull();
        if (kind === 'standard') {
          expect(decoded!.data).toBe(v.standard_seedqr_digits);
        } else {
          expect(hex(Uint8Array.from(decoded!.binaryData))).toBe(v.compact_seedqr_bytes_hex);
        }
        expect(decoded!.version).toBe(qr.version);
      });
    }
  }

  const refs = fs.readdirSync(path.join(DIR, 'reference_png')).filter((f) => f.endsWith('.png'));
  it('has the 9 reference images', () => expect(refs).toHaveLength(9));
  const maskTable = masks();
  for (const file of refs) {
    it(`reproduces ${file} module for module with its mask`, () => {
      const m = /^vector(\d)_(standard|compact)_(\d+)word\.png$/.exec(file)!;
      const v = VECTORS.find((x) => x.vector === Number(m[1]))!;
      const pinned = maskTable.get(`${m[1]}-${m[2]}`);
      expect(pinned).toBeDefined();
      const qr = encodeSeedQr(m[2] as SeedQrKind, indicesOf(v.mnemonic), pinned!.mask);
      const ref = sampleModules(path.join(DIR, 'reference_png', file));
      expect(ref.length).toBe(pinned!.size);
      expect(qr.size).toBe(ref.length);
      expect(qr.mask).toBe(pinned!.mask);
      let differing = 0;
      for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) if (qr.modules[r]![c] !== ref[r]![c]) differing++;
      expect(differing).toBe(0);
    });
  }

  it('a different mask does not match the reference (the comparison can fail)', () => {
    const v = VECTORS[0]!;
    const qr = encodeSeedQr('standard', indicesOf(v.mnemonic), 0);
    const ref = sampleModules(path.join(DIR, 'reference_png', 'vector1_standard_24word.png'));
    let differing = 0;
    for (let r = 0; r < qr.size; r++) for (let c = 0; c < qr.size; c++) if (qr.modules[r]![c] !== ref[r]![c]) differing++;
    expect(differing).toBeGreaterThan(50);
  });

  it('random 12- and 24-word mnemonics: every mask and kind decodes back to the exact digits/bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })), fc.integer({ min: 0, max: 8 }), (entropy, m) => {
        const idx = indicesOf(entropyToMnemonic(Buffer.from(entropy)));
        const mask = m === 8 ? undefined : m; // 8 = let the encoder choose
        for (const kind of ['standard', 'compact'] as SeedQrKind[]) {
          const qr = encodeSeedQr(kind, idx, mask);
          if (mask !== undefined) expect(qr.mask).toBe(mask);
          const img = rasterise(qr, 4);
          const d = jsQR(img.data, img.width, img.height);
          expect(d).not.toBeNull();
          if (kind === 'standard') expect(d!.data).toBe(standardSeedQrDigits(idx));
          else expect(hex(Uint8Array.from(d!.binaryData))).toBe(hex(entropy));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the spec worked example (vacuum bridge …) encodes its digits', () => {
    const idx = indicesOf('vacuum bridge buddy supreme exclude milk consider tail expand wasp pattern nuclear');
    expect(standardSeedQrDigits(idx)).toBe('192402220235174306311124037817700641198012901210');
    expect(hex(compactSeedQrBytes(idx))).toBe('f0837875ecf4ef190bd6ea503ef2854b');
  });

  it('refuses word counts SeedQR does not define and invalid masks', () => {
    const idx15 = indicesOf('abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon'.replace(/abandon$/, 'address'));
    expect(() => encodeSeedQr('standard', idx15)).toThrow(RangeError);
    expect(() => encodeSeedQr('standard', indicesOf(VECTORS[3]!.mnemonic), 8)).toThrow(RangeError);
  });
});
