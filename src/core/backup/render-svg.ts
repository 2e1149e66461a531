/**
 * The backup sheet as a printable A4 SVG (210 × 297 mm, user units = millimetres): words
 * table with punch rows, the SeedQR on a light module grid with numbered rows and columns, and
 * the public fingerprint. Self-contained: generic font families only, no external resources.
 */
import { VALIDATOR0_SIGNING_PATH, type BackupFingerprint } from './fingerprint.js';
import { columnLabel, QUIET_ZONE, SECRET_BANNER } from './render-text.js';
import type { SeedQr } from './seedqr.js';
import { conventionLines, numberColumns, stampedNumber, type IndexBase, type SheetRow } from './sheet.js';
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

/**
 * QR labels: 3.5 mm font size. DejaVu Sans Mono's capitals and digits are 0.73 em tall, so 2.55 mm:
 * the size of 10-pt print, which reads at arm's length while copying, against 1.6 mm (7 pt) before.
 */
export const QR_LABEL_FONT = 3.5;
/**
 * Grid lines: every module boundary in 20 % grey, every fifth line wider (the templates' guides).
 * Darker or wider lines inside the code make readers that threshold locally (ZXing's hybrid
 * binariser, jsQR) see the lines in large light areas as dark: #b4b4b4 lines with #7a7a7a guides
 * failed to decode at 200-600 dpi; these decoded for six vectors, both kinds, at 100-600 dpi.
 */
const GRID_MINOR = { stroke: '#cccccc', width: 0.2 };
const GRID_MAJOR = { stroke: '#cccccc', width: 0.3 };
/** Modules are as large as the page allows, at most 3 mm (a 29 x 29 code is then 87 mm wide). */
const MAX_MODULE = 3;
/** Space between the left edge of the QR block and its quiet zone: the row labels ("29" = 4.2 mm). */
const ROW_LABELS = 6;

function columnLabelBand(qrSize: number): number {
  // Two-letter labels (AA, AB, AC past Z) are stacked, one letter over the other, to fit a module's width.
  return qrSize > 26 ? 8 : 4.5;
}

/** The light module grid over the code area (drawn under the dark modules, which cover it). */
function gridLines(qr: SeedQr, at: QrPlacement): string {
  const m = at.module;
  const side = qr.size * m;
  let minor = '';
  let major = '';
  for (let k = 0; k <= qr.size; k++) {
    const seg = `M${(at.x + k * m).toFixed(2)} ${at.y.toFixed(2)}v${side.toFixed(2)}M${at.x.toFixed(2)} ${(at.y + k * m).toFixed(2)}h${side.toFixed(2)}`;
    if (k % 5 === 0 || k === qr.size) major += seg;
    else minor += seg;
  }
  return `<path d="${minor}" fill="none" stroke="${GRID_MINOR.stroke}" stroke-width="${GRID_MINOR.width}"/>`
    + `<path d="${major}" fill="none" stroke="${GRID_MAJOR.stroke}" stroke-width="${GRID_MAJOR.width}"/>`;
}

/** The QR modules as one path, in module units, on its grid, with numbered rows and columns. */
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
  out.push(gridLines(qr, at));
  out.push(`<path transform="translate(${at.x} ${at.y}) scale(${m})" d="${d}" fill="#000" shape-rendering="crispEdges"/>`);
  // Labels sit outside the quiet zone so they never touch the code: columns above, rows both sides.
  const f = QR_LABEL_FONT;
  const capHeight = f * 0.73;
  const colBase = at.y - quiet - 1.2;
  for (let c = 0; c < qr.size; c++) {
    const label = columnLabel(c);
    const x = at.x + (c + 0.5) * m;
    out.push(text(x, colBase, f, label.slice(-1), 'text-anchor="middle"'));
    if (label.length > 1) out.push(text(x, colBase - capHeight - 1, f, label[0]!, 'text-anchor="middle"'));
  }
  for (let r = 0; r < qr.size; r++) {
    const y = at.y + (r + 0.5) * m + capHeight / 2;
    out.push(text(at.x - quiet - 1.2, y, f, String(r + 1), 'text-anchor="end"'));
    out.push(text(at.x + side + quiet + 1.2, y, f, String(r + 1)));
  }
  return `<g ${FONT} fill="#000">${out.join('')}</g>`;
}

export interface SvgSheetInput {
  rows: readonly SheetRow[];
  fingerprint: BackupFingerprint;
  qr?: SeedQr | undefined;
  passphraseUsed: boolean;
  /** The number the user stamps: 0-based INDEX (default) or 1-based LINE. */
  indexBase?: IndexBase;
}

const CONVENTION_STEP = 4.2;
const CONVENTION_COUNT = conventionLines(0).length;
const TABLE_TOP = 30 + CONVENTION_COUNT * CONVENTION_STEP + 4;
const ROWS_TOP = TABLE_TOP + 10;
/** The lowest a module may sit; the bottom quiet zone then lies in the page's white margin. */
const QR_BOTTOM = PAGE.height - MARGIN - 1;
const MIN_ROW = 4.4;

interface Layout {
  rowHeight: number;
  qr?: QrPlacement;
}

/**
 * Row height and QR placement: the QR goes under the table with 3 mm modules where the rows can
 * shrink to make room (down to 4.4 mm: 24 rows and a 29 x 29 code fit); otherwise modules shrink.
 */
function layout(wordCount: number, qrSize: number | undefined): Layout {
  const loose = wordCount > 12 ? 5.6 : 7;
  if (qrSize === undefined) return { rowHeight: loose };
  const band = columnLabelBand(qrSize);
  const qrHeight = (side: number): number => 4 + band + (QUIET_ZONE + qrSize) * side;
  const rowHeight = Math.max(MIN_ROW, Math.min(loose, (QR_BOTTOM - ROWS_TOP - qrHeight(MAX_MODULE)) / wordCount));
  const rowsBottom = ROWS_TOP + wordCount * rowHeight;
  const module = Math.min(MAX_MODULE, (QR_BOTTOM - rowsBottom - 4 - band) / (QUIET_ZONE + qrSize));
  return {
    rowHeight,
    qr: { x: MARGIN + ROW_LABELS + QUIET_ZONE * module, y: rowsBottom + 4 + band + QUIET_ZONE * module, module },
  };
}

/** Where the QR goes for a sheet with this many words (exported for tests that crop the render). */
export function qrPlacement(wordCount: number, qrSize: number): QrPlacement {
  return layout(wordCount, qrSize).qr!;
}

/** The A4 sheet. */
export function renderSvgSheet(input: SvgSheetInput): string {
  const el: string[] = [];
  const n = input.rows.length;
  const base = input.indexBase ?? 0;
  const names = numberColumns(base);
  const lay = layout(n, input.qr?.size);
  el.push(text(MARGIN, 16, 5, `COLDSTAKE METAL BACKUP SHEET  ·  ${n} words  ·  BIP39 English`, 'font-weight="bold"'));
  el.push(text(MARGIN, 22, 3, SECRET_BANNER, 'font-weight="bold"'));
  if (input.passphraseUsed) el.push(text(MARGIN, 26.5, 2.8, 'A BIP39 passphrase is in use: it is NOT on this sheet; the plate alone does not restore the keys'));
  conventionLines(base).forEach((c, i) => el.push(text(MARGIN, 31 + i * CONVENTION_STEP, 2.5, c)));

  // Words table. The stamped number sits next to the stamp, large and bold; the other number is at
  // the far end of the row, small and grey, under "for checking only".
  const top = TABLE_TOP;
  const rh = lay.rowHeight;
  const right = PAGE.width - MARGIN;
  const col = { pos: MARGIN, word: MARGIN + 9, stamp: MARGIN + 35, number: MARGIN + 52, bits: MARGIN + 70 };
  const bitStep = (right - 24 - col.bits - 3) / 10;
  const head = 3;
  el.push(text(col.pos, top, head, 'POS'));
  el.push(text(col.word, top, head, 'WORD'));
  el.push(text(col.stamp, top, head, 'STAMP'));
  el.push(text(col.number, top, head + 0.6, names.stamp, 'font-weight="bold"'));
  el.push(text(col.bits, top, head, 'BINARY of the 0-based index  (● punch, ○ leave)'));
  el.push(text(right, top, 2.1, 'for checking only', 'text-anchor="end" fill="#555"'));
  el.push(text(col.stamp, top + 4, 2.3, '4 letters'));
  el.push(text(col.number, top + 4, 2.3, names.stampBase));
  el.push(text(right, top + 4, 2.1, `(${names.check}) ${names.checkBase}`, 'text-anchor="end" fill="#555"'));
  BIT_VALUES.forEach((v, b) => el.push(text(col.bits + 3 + b * bitStep, top + 4, 2.3, String(v), 'text-anchor="middle"')));
  el.push(`<line x1="${MARGIN}" y1="${top + 6}" x2="${right}" y2="${top + 6}" stroke="#000" stroke-width="0.3"/>`);
  input.rows.forEach((r, i) => {
    const y = ROWS_TOP + i * rh;
    const baseline = y + 1.2;
    const num = stampedNumber(r, base);
    if (i % 2 === 1) el.push(`<rect x="${MARGIN}" y="${(y - rh / 2 - 0.3).toFixed(2)}" width="${PAGE.width - 2 * MARGIN}" height="${rh.toFixed(2)}" fill="#eee"/>`);
    el.push(text(col.pos, baseline, 3.4, String(r.position).padStart(2)));
    el.push(text(col.word, baseline, 3.4, r.word));
    el.push(text(col.stamp, baseline, 3.6, r.stamp, 'font-weight="bold"'));
    el.push(text(col.number, y + 1.45, 4.2, num.stamp, 'font-weight="bold"'));
    el.push(text(right, baseline, 2.4, `(${num.check})`, 'text-anchor="end" fill="#555"'));
    r.bits.forEach((bit, b) => {
      const cx = col.bits + 3 + b * bitStep;
      el.push(`<circle cx="${cx.toFixed(2)}" cy="${y.toFixed(2)}" r="1.5" fill="${bit ? '#000' : '#fff'}" stroke="#000" stroke-width="0.3"/>`);
    });
  });

  // QR and fingerprint.
  let fpX = MARGIN;
  let fpY = ROWS_TOP + n * rh + 10;
  if (input.qr && lay.qr) {
    const at = lay.qr;
    const q = input.qr;
    el.push(qrGroup(q, at));
    fpX = at.x + (q.size + QUIET_ZONE) * at.module + ROW_LABELS + 2;
    fpY = at.y - QUIET_ZONE * at.module + 3;
    const lastColumn = columnLabel(q.size - 1);
    const qrLines: [number, string, boolean][] = [
      [3, q.kind === 'standard' ? 'SeedQR (Standard)' : 'CompactSeedQR', true],
      [2.5, `${q.size}x${q.size}, error correction L, mask ${q.mask}`, false],
      [2.5, q.kind === 'standard' ? 'numeric: 4-digit 0-based indices' : 'byte mode: entropy bytes', false],
      [2.5, `grid: rows 1-${q.size}, columns A-${lastColumn};`, false],
      [2.5, `one cell per module: copy cell by`, false],
      [2.5, `cell onto a ${q.size}x${q.size} template`, false],
    ];
    qrLines.forEach(([size, line, bold], i) => el.push(text(fpX, fpY + i * 4.3, size, line, bold ? 'font-weight="bold"' : '')));
    fpY += qrLines.length * 4.3 + 8;
  }
  const fpLines = [
    'FINGERPRINT (public, not a secret)',
    'identifies the seed; cannot restore it',
    `validator 0 pubkey (${VALIDATOR0_SIGNING_PATH})`,
    `first 8 bytes: ${input.fingerprint.validator0_pubkey_prefix}`,
    `BIP32 master fingerprint: ${input.fingerprint.bip32_master_fingerprint}`,
  ];
  fpLines.forEach((l, i) => el.push(text(fpX, fpY + i * 4.5, i === 0 ? 3 : 2.5, l, i === 0 ? 'font-weight="bold"' : '')));

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
