/**
 * The backup sheet as terminal text: the words table with punch rows, the letter grid, the
 * SeedQR in half blocks (scannable from the screen) and as a numbered grid for copying by hand.
 */
import { FINGERPRINT_LABEL, VALIDATOR0_SIGNING_PATH, type BackupFingerprint } from './fingerprint.js';
import type { SeedQr } from './seedqr.js';
import { ALPHABET, conventionLines, letterGrid, numberColumns, stampedNumber, type IndexBase, type SheetRow } from './sheet.js';
import { BIT_VALUES } from './wordlist.js';

export const QUIET_ZONE = 4;

const PUNCH = '●';
const BLANK = '○';

export const SECRET_BANNER = 'SECRET: anyone who reads this sheet can take the funds. Never photograph, scan or store it digitally';

/** The fingerprint block, labelled as public. */
export function renderFingerprintText(fp: BackupFingerprint): string {
  return [
    FINGERPRINT_LABEL,
    `  validator 0 signing pubkey (${VALIDATOR0_SIGNING_PATH}), first 8 bytes: ${fp.validator0_pubkey_prefix}`,
    `  BIP32 master fingerprint: ${fp.bip32_master_fingerprint}`,
    '',
  ].join('\n');
}

const CHECK_HEADER = 'for checking only';

/**
 * The words table: position, word, stamp, the number to stamp (0-based INDEX or 1-based LINE, per
 * `base`), the punch row under labelled bit values, and, at the far end of the row, the other
 * number in parentheses, for checking only: the two numbers differ by one, so they are kept
 * apart. With `ansi` the stamped number is bold and the checking one dim.
 */
export function renderWordsTable(rows: readonly SheetRow[], base: IndexBase = 0, opts: { ansi?: boolean } = {}): string {
  const names = numberColumns(base);
  const bold = (s: string): string => (opts.ansi ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string): string => (opts.ansi ? `\u001b[2m${s}\u001b[22m` : s);
  const bitHeader = BIT_VALUES.map((v) => String(v).padStart(4)).join(' ');
  const bitsWidth = bitHeader.length;
  const lines = [
    `${'POS'.padStart(3)}  ${'WORD'.padEnd(8)}  STAMP  ${names.stamp.padEnd(7)}  ${'BINARY of the 0-based index (● punch, ○ leave)'.padEnd(bitsWidth)}   ${dim(CHECK_HEADER)}`,
    `${''.padStart(3)}  ${''.padEnd(8)}  4 ltr  ${names.stampBase}  ${bitHeader}   ${dim(`${names.check} ${names.checkBase}`)}`,
  ];
  for (const r of rows) {
    const bits = r.bits.map((b) => (b ? PUNCH : BLANK).padStart(4)).join(' ');
    const n = stampedNumber(r, base);
    lines.push(`${String(r.position).padStart(3)}  ${r.word.padEnd(8)}  ${r.stamp.padEnd(5)}  ${bold(n.stamp.padEnd(7))}  ${bits}   ${dim(`(${n.check})`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The dot-per-letter grid: one row per stamped letter, a dot in its A–Z column. */
export function renderLetterGrid(rows: readonly SheetRow[]): string {
  const lines = [
    'LETTER GRID (one dot per letter of the STAMP; rows 1-4 of each word)',
    `POS L  ${[...ALPHABET].join(' ')}`,
  ];
  for (const g of letterGrid(rows)) {
    const cells = [...ALPHABET].map((_, c) => (c === g.column ? PUNCH : '·')).join(' ');
    lines.push(`${g.letterNumber === 1 ? String(g.position).padStart(3) : '   '} ${g.letterNumber}  ${cells}  ${g.letter}`);
  }
  return `${lines.join('\n')}\n`;
}

function moduleAt(qr: SeedQr, r: number, c: number): boolean {
  const rr = r - QUIET_ZONE;
  const cc = c - QUIET_ZONE;
  return rr >= 0 && cc >= 0 && rr < qr.size && cc < qr.size && qr.modules[rr]![cc]!;
}

/**
 * The QR in half blocks: one character per module across, two module rows per line, with a
 * 4-module quiet zone. With `ansi`, each line is drawn black on white so it scans on dark and
 * light terminals alike; without it, █ is a dark module (correct on paper and light backgrounds).
 */
export function renderQrHalfBlocks(qr: SeedQr, opts: { ansi: boolean }): string {
  const side = qr.size + 2 * QUIET_ZONE;
  const lines: string[] = [];
  for (let r = 0; r < side; r += 2) {
    let line = '';
    for (let c = 0; c < side; c++) {
      const top = moduleAt(qr, r, c);
      const bottom = r + 1 < side ? moduleAt(qr, r + 1, c) : false;
      line += top && bottom ? '█' : top ? '▀' : bottom ? '▄' : ' ';
    }
    lines.push(opts.ansi ? `\u001b[30;107m${line}\u001b[0m` : line);
  }
  return `${lines.join('\n')}\n`;
}

/** Column label: A…Z, then AA, AB, … (29 columns need AC). */
export function columnLabel(c: number): string {
  return c < 26 ? ALPHABET[c]! : ALPHABET[Math.floor(c / 26) - 1]! + ALPHABET[c % 26]!;
}

/**
 * The QR as a numbered grid for hand transcription onto a SeedSigner template: columns A…,
 * rows 1…, ● = fill the module, · = leave it; a gap every 5 modules as on the templates' guides.
 */
export function renderQrGrid(qr: SeedQr): string {
  const cols = Array.from({ length: qr.size }, (_, c) => c);
  const sep = (c: number): string => (c > 0 && c % 5 === 0 ? ' ' : '');
  const header1 = cols.map((c) => `${sep(c)}${columnLabel(c).length > 1 ? columnLabel(c)[0] : ' '} `).join('');
  const header2 = cols.map((c) => `${sep(c)}${columnLabel(c).slice(-1)} `).join('');
  const lines = [`     ${header1}`, `     ${header2}`];
  qr.modules.forEach((row, r) => {
    if (r > 0 && r % 5 === 0) lines.push('');
    lines.push(`${String(r + 1).padStart(3)}  ${row.map((m, c) => `${sep(c)}${m ? PUNCH : '·'} `).join('')}`);
  });
  return `${lines.join('\n')}\n`;
}

export interface TextSheetInput {
  rows: readonly SheetRow[];
  fingerprint: BackupFingerprint;
  qr?: SeedQr | undefined;
  grid: boolean;
  qrGrid: boolean;
  ansi: boolean;
  passphraseUsed: boolean;
  /** The number the user stamps: 0-based INDEX (default) or 1-based LINE. */
  indexBase?: IndexBase;
}

/** The whole sheet for a terminal or a text file. */
export function renderTextSheet(input: TextSheetInput): string {
  const parts: string[] = [];
  parts.push(`COLDSTAKE METAL BACKUP SHEET: ${input.rows.length} words, BIP39 English\n${SECRET_BANNER}\n`);
  if (input.passphraseUsed) parts.push('A BIP39 passphrase is in use: it is NOT on this sheet, and the plate alone does not restore the keys\n');
  const base = input.indexBase ?? 0;
  parts.push(`${conventionLines(base).join('\n')}\n`);
  parts.push(renderWordsTable(input.rows, base, { ansi: input.ansi }));
  if (input.grid) parts.push(renderLetterGrid(input.rows));
  if (input.qr) {
    const q = input.qr;
    const title = `${q.kind === 'standard' ? 'SeedQR (Standard: numeric digits of the 0-based indices)' : 'CompactSeedQR (entropy bytes)'}, ${q.size}x${q.size}, error correction L, mask ${q.mask}`;
    parts.push(`${title}\n`);
    parts.push(renderQrHalfBlocks(q, { ansi: input.ansi }));
    if (!input.ansi) parts.push('█ = dark module; on a dark background the code shows inverted (most readers still scan it)\n');
    if (input.qrGrid) parts.push(`${title}: grid for copying onto a ${q.size}x${q.size} template (● fill, · leave)\n${renderQrGrid(q)}`);
  }
  parts.push(renderFingerprintText(input.fingerprint));
  return parts.join('\n');
}
