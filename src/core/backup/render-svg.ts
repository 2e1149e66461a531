/**
 * The backup sheet as a printable A4 SVG (210 × 297 mm, user units = millimetres): words
 * table with punch rows, the SeedQR with numbered rows and columns, and the public
 * fingerprint. Self-contained: generic font families only, no external resources.
 */
import { VALIDATOR0_SIGNING_PATH, type BackupFingerprint } from './fingerprint.js';
import { columnLabel, QUIET_ZONE, SECRET_BANNER } from './render-text.js';
import type { SeedQr } from './seedqr.js';
import { CONVENTIONS, type SheetRow } from './sheet.js';
import { BIT_VALUES } from './wordlist.js';

export const PAGE = { width: 210, height: 297 } as const;
const MARGIN = 12;
const FONT = "font-family=\"'DejaVu Sans Mono', 'Liberation Mono', Menlo, Consolas, monospace\"";

/** Where the QR's top-left module sits on the page and how large a module is, in mm. */
export interface QrPlacement {
  x: number;
  y: number;
  module: number;
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, size: number, s: string, extra = ''): string {
  return `<text x="${x.toFixed(2)}" y="${y.toFixed(2)}" font-size="${size}" ${extra}>${esc(s)}</text>`;
}

/** The QR modules as one path, in module units, with its numbered frame. */
function qrGroup(qr: SeedQr, at: QrPlacement): string {
  const m = at.module;
  const quiet = QUIET_ZONE * m;
  const side = qr.size * m;
  let d = '';
  qr.modules.forEach((row, r) => row.forEach((dark, c) => {
    if (dark) d += `M${c} ${r}h1v1h-1z`;
  }));
  const out: string[] = [];
  out.push(`<rect x="${(at.x - quiet).toFixed(2)}" y="${(at.y - quiet).toFixed(2)}" width="${(side + 2 * quiet).toFixed(2)}" height="${(side + 2 * quiet).toFixed(2)}" fill="#fff" stroke="#999" stroke-width="0.2"/>`);
  out.push(`<path transform="translate(${at.x} ${at.y}) scale(${m})" d="${d}" fill="#000" shape-rendering="crispEdges"/>`);
  // Labels sit outside the quiet zone so they never touch the code.
  const labelSize = Math.min(2.2, m * 0.9);
  for (let c = 0; c < qr.size; c++) {
    const label = columnLabel(c);
    out.push(text(at.x + (c + 0.5) * m, at.y - quiet - 1, label.length > 1 ? labelSize * 0.65 : labelSize, label, 'text-anchor="middle"'));
  }
  for (let r = 0; r < qr.size; r++) {
    out.push(text(at.x - quiet - 1, at.y + (r + 0.5) * m + labelSize * 0.35, labelSize, String(r + 1), 'text-anchor="end"'));
  }
  return `<g ${FONT} fill="#000">${out.join('')}</g>`;
}

export interface SvgSheetInput {
  rows: readonly SheetRow[];
  fingerprint: BackupFingerprint;
  qr?: SeedQr | undefined;
  passphraseUsed: boolean;
}

/** Where the QR goes for a sheet with this many words (exported for tests that crop the render). */
export function qrPlacement(wordCount: number, qrSize: number): QrPlacement {
  const tableBottom = tableTop() + 10 + wordCount * rowHeight(wordCount);
  const labels = 6;
  const span = qrSize + 2 * QUIET_ZONE;
  // The QR takes the left half of the space under the table: modules as large as fit, at most 3 mm.
  const height = PAGE.height - MARGIN - tableBottom - 4 - labels;
  const width = PAGE.width / 2 + 4 - MARGIN - labels;
  const module = Math.min(3, height / span, width / span);
  return { x: MARGIN + labels + QUIET_ZONE * module, y: tableBottom + 4 + labels + QUIET_ZONE * module, module };
}

function tableTop(): number {
  return 30 + CONVENTIONS.length * 4.2 + 4;
}

function rowHeight(wordCount: number): number {
  return wordCount > 12 ? 5.6 : 7;
}

/** The A4 sheet. */
export function renderSvgSheet(input: SvgSheetInput): string {
  const el: string[] = [];
  const n = input.rows.length;
  el.push(text(MARGIN, 16, 5, `COLDSTAKE METAL BACKUP SHEET  ·  ${n} words  ·  BIP39 English`, 'font-weight="bold"'));
  el.push(text(MARGIN, 22, 3, SECRET_BANNER, 'font-weight="bold"'));
  if (input.passphraseUsed) el.push(text(MARGIN, 26.5, 2.8, 'A BIP39 passphrase is in use: it is NOT on this sheet; the plate alone does not restore the keys'));
  CONVENTIONS.forEach((c, i) => el.push(text(MARGIN, 31 + i * 4.2, 2.5, c)));

  // Words table.
  const top = tableTop();
  const rh = rowHeight(n);
  const col = { pos: MARGIN, word: MARGIN + 9, stamp: MARGIN + 35, index: MARGIN + 52, line: MARGIN + 69, bits: MARGIN + 88 };
  const bitStep = (PAGE.width - MARGIN - col.bits - 3) / 10;
  const head = 3;
  el.push(text(col.pos, top, head, 'POS'));
  el.push(text(col.word, top, head, 'WORD'));
  el.push(text(col.stamp, top, head, 'STAMP'));
  el.push(text(col.index, top, head, 'INDEX'));
  el.push(text(col.line, top, head, 'LINE'));
  el.push(text(col.bits, top, head, 'BINARY of INDEX  (● punch, ○ leave)'));
  el.push(text(col.stamp, top + 4, 2.3, '4 letters'));
  el.push(text(col.index, top + 4, 2.3, '0-based'));
  el.push(text(col.line, top + 4, 2.3, '1-based'));
  BIT_VALUES.forEach((v, b) => el.push(text(col.bits + 3 + b * bitStep, top + 4, 2.3, String(v), 'text-anchor="middle"')));
  el.push(`<line x1="${MARGIN}" y1="${top + 6}" x2="${PAGE.width - MARGIN}" y2="${top + 6}" stroke="#000" stroke-width="0.3"/>`);
  input.rows.forEach((r, i) => {
    const y = top + 10 + i * rh;
    const base = y + 1.2;
    if (i % 2 === 1) el.push(`<rect x="${MARGIN}" y="${(y - rh / 2 - 0.3).toFixed(2)}" width="${PAGE.width - 2 * MARGIN}" height="${rh.toFixed(2)}" fill="#eee"/>`);
    el.push(text(col.pos, base, 3.4, String(r.position).padStart(2)));
    el.push(text(col.word, base, 3.4, r.word));
    el.push(text(col.stamp, base, 3.6, r.stamp, 'font-weight="bold"'));
    el.push(text(col.index, base, 3.4, r.index0));
    el.push(text(col.line, base, 3.4, String(r.line1)));
    r.bits.forEach((bit, b) => {
      const cx = col.bits + 3 + b * bitStep;
      el.push(`<circle cx="${cx.toFixed(2)}" cy="${y.toFixed(2)}" r="1.5" fill="${bit ? '#000' : '#fff'}" stroke="#000" stroke-width="0.3"/>`);
    });
  });

  // QR and fingerprint.
  const fpX = input.qr ? PAGE.width / 2 + 8 : MARGIN;
  let fpY = top + 10 + n * rh + 10;
  if (input.qr) {
    const at = qrPlacement(n, input.qr.size);
    el.push(qrGroup(input.qr, at));
    const q = input.qr;
    el.push(text(fpX, fpY, 3, q.kind === 'standard' ? 'SeedQR (Standard)' : 'CompactSeedQR', 'font-weight="bold"'));
    el.push(text(fpX, fpY + 4.5, 2.5, `${q.size}x${q.size}, error correction L, mask ${q.mask}`));
    el.push(text(fpX, fpY + 8.5, 2.5, q.kind === 'standard' ? 'numeric: 4-digit 0-based indices' : 'byte mode: entropy bytes'));
    fpY += 18;
  }
  const fpLines = [
    'FINGERPRINT (public, not a secret)',
    'identifies the seed; cannot restore it',
    `validator 0 pubkey (${VALIDATOR0_SIGNING_PATH})`,
    `first 8 bytes: ${input.fingerprint.validator0_pubkey_prefix}`,
    `BIP32 master fingerprint: ${input.fingerprint.bip32_master_fingerprint}`,
  ];
  fpLines.forEach((l, i) => el.push(text(fpX, fpY + i * 4.5, i === 0 ? 3 : 2.6, l, i === 0 ? 'font-weight="bold"' : '')));

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${PAGE.width}mm" height="${PAGE.height}mm" viewBox="0 0 ${PAGE.width} ${PAGE.height}">`,
    `<rect width="${PAGE.width}" height="${PAGE.height}" fill="#fff"/>`,
    `<g ${FONT} fill="#000">`,
    ...el,
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
