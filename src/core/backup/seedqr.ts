/**
 * SeedQR exactly as SeedSigner specifies it (docs/seed_qr/README.md):
 * - Standard: the 4-digit zero-padded 0-based indices, concatenated, in QR numeric mode;
 *   25×25 (version 2) for 12 words, 29×29 (version 3) for 24 words.
 * - Compact: the BIP39 entropy bytes (no checksum) in QR byte mode;
 *   21×21 (version 1) for 12 words, 25×25 (version 2) for 24 words.
 * Error correction L in both. The encoder is node-qrcode's core, which can force the mode,
 * the version and (for golden tests against SeedSigner's images) the mask.
 */
import { create } from 'qrcode/lib/core/qrcode.js';
import type { QRCodeMaskPattern } from 'qrcode';
import { mnemonicEntropy } from './mnemonic.js';
import { indexToDigits } from './wordlist.js';

export type SeedQrKind = 'standard' | 'compact';

/** QR version per kind and word count: only 12 and 24 words are defined by SeedQR. */
const VERSIONS: Record<SeedQrKind, Record<number, number>> = {
  standard: { 12: 2, 24: 3 },
  compact: { 12: 1, 24: 2 },
};

export function seedQrSupported(wordCount: number): boolean {
  return wordCount === 12 || wordCount === 24;
}

/** The digit stream of a Standard SeedQR. */
export function standardSeedQrDigits(indices: readonly number[]): string {
  return indices.map(indexToDigits).join('');
}

/** The bytes of a CompactSeedQR: the mnemonic's entropy. The caller zeroes them. */
export function compactSeedQrBytes(indices: readonly number[]): Uint8Array {
  return mnemonicEntropy(indices);
}

export interface SeedQr {
  kind: SeedQrKind;
  version: number;
  /** Modules per side (21, 25 or 29). */
  size: number;
  mask: number;
  /** Row-major, `true` = dark module. A secret: it encodes the mnemonic. */
  modules: boolean[][];
}

/**
 * Encode a SeedQR. `mask` pins the mask pattern (0–7); without it the encoder picks the
 * lowest-penalty mask, which any reader decodes.
 * @throws {RangeError} for a word count SeedQR does not define, or an invalid mnemonic.
 */
export function encodeSeedQr(kind: SeedQrKind, indices: readonly number[], mask?: number): SeedQr {
  const version = VERSIONS[kind][indices.length];
  if (version === undefined) throw new RangeError('seedqr is defined for 12 and 24 words only');
  if (mask !== undefined && !(Number.isInteger(mask) && mask >= 0 && mask <= 7)) throw new RangeError('mask must be 0-7');
  const bytes = kind === 'compact' ? compactSeedQrBytes(indices) : undefined;
  try {
    const segments =
      kind === 'standard'
        ? [{ data: standardSeedQrDigits(indices), mode: 'numeric' as const }]
        : [{ data: bytes!, mode: 'byte' as const }];
    const qr = create(segments, {
      errorCorrectionLevel: 'L',
      version,
      ...(mask !== undefined ? { maskPattern: mask as QRCodeMaskPattern } : {}),
    });
    const size = qr.modules.size;
    const modules: boolean[][] = [];
    for (let r = 0; r < size; r++) {
      const row: boolean[] = [];
      for (let c = 0; c < size; c++) row.push(qr.modules.data[r * size + c] === 1);
      modules.push(row);
    }
    qr.modules.data.fill(0);
    // The encoder keeps its own copy of the data in its segments: wipe it too (best effort).
    for (const seg of qr.segments as unknown as { data?: unknown }[]) {
      if (seg.data instanceof Uint8Array) seg.data.fill(0);
    }
    return { kind, version: qr.version, size, mask: qr.maskPattern ?? -1, modules };
  } finally {
    bytes?.fill(0);
  }
}
