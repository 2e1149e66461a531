/**
 * `coldstake backup sheet` and `coldstake backup verify`: the metal-backup transcription aid
 * and the check that what was stamped restores the same seed. Both behind the airgap gate.
 */
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { SafetyRefusal, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import type { BackupFingerprint } from '../../core/backup/fingerprint.js';
import {
  closeAlternatives, diagnosePlate, differingPositions, FORMAT_NAMES, indicesInConvention, parsePlate, PLATE_FORMATS, plateTokens, type PlateDiagnosis, type PlateEntry, type PlateFormat,
} from '../../core/backup/plate.js';
import { renderFingerprintText, renderTextSheet } from '../../core/backup/render-text.js';
import { renderSvgSheet } from '../../core/backup/render-svg.js';
import { encodeSeedQr, seedQrSupported, type SeedQr, type SeedQrKind } from '../../core/backup/seedqr.js';
import { sheetRows, verifyFormFor, type IndexBase } from '../../core/backup/sheet.js';
import { checksumValid, WORD_COUNTS } from '../../core/backup/mnemonic.js';
import { fingerprintOf, readMnemonicIndices, readPassphraseOnly } from '../backup-secrets.js';
import { action, addAllowOnlineOption, addJsonOption, addMnemonicFileOption, type CommandSpec } from '../common.js';
import { airgapGate, type GateOutcome } from '../gate.js';
import { assertStdinConsumed, hasTerminal, readSecret, type LineEndRule } from '../io/secrets.js';
import { writeFileExclusive } from '../io/safe-write.js';
import { printHint, printWarning } from '../output/diagnostics.js';
import { printJson, printReport } from '../output/report.js';
import { colourEnabled, printable } from '../output/style.js';

const airgapJson = (g: GateOutcome) => ({ airgapped: g.airgapped, allowed_online: g.allowedOnline });

// ---------------------------------------------------------------- backup sheet

interface SheetOptions {
  qr?: 'standard' | 'compact' | 'none';
  format: 'text' | 'svg';
  grid: boolean;
  qrGrid: boolean;
  index: '0' | '1';
  out?: string;
  mnemonicFile?: string;
  passphrase: boolean;
  allowOnline: boolean;
  json: boolean;
}

function checkSheetTarget(opts: SheetOptions): void {
  if (opts.format === 'svg' && opts.out === undefined) throw new UsageError('--format svg needs --out FILE', 'the svg sheet is for printing: write it to a file, print it, then delete the file');
  if (opts.format === 'svg' && opts.grid) throw new UsageError('--grid is only available with --format text');
  if (opts.json && opts.out === undefined) throw new UsageError('--json needs --out FILE: the sheet holds the mnemonic and never goes into json');
  if (opts.qrGrid && opts.qr === 'none') throw new UsageError('--qr-grid needs a seedqr: drop --qr none');
  if (opts.out !== undefined) {
    if (fs.existsSync(opts.out)) throw new SafetyRefusal(`${opts.out} already exists: refusing to overwrite it`, 'choose a new file name or move the old file away');
  } else if (!process.stdout.isTTY) {
    throw new SafetyRefusal('refusing to print the backup sheet to a non-terminal', 'run it in a terminal, or use --out FILE to write it to a 0600 file');
  }
}

async function runSheet(opts: SheetOptions): Promise<number> {
  const gate = await airgapGate('backup sheet', { allowOnline: opts.allowOnline, json: opts.json });
  checkSheetTarget(opts);
  const { indices, passphrase } = await readMnemonicIndices(opts.mnemonicFile, { passphrase: opts.passphrase });
  assertStdinConsumed();
  const findings: Finding[] = [];

  let kind: SeedQrKind | undefined = opts.qr === 'none' ? undefined : (opts.qr ?? 'standard');
  if (kind && !seedQrSupported(indices.length)) {
    if (opts.qr !== undefined || opts.qrGrid) throw new UsageError(`seedqr is defined for 12 and 24 words only, this mnemonic has ${indices.length}`, 'use --qr none and leave out --qr-grid');
    findings.push(finding('seedqr-not-defined', 'info', 'seedqr', `seedqr is defined for 12 and 24 words only: no qr for ${indices.length} words`, { words: indices.length }));
    kind = undefined;
  }
  const qr: SeedQr | undefined = kind ? encodeSeedQr(kind, indices) : undefined;
  const fingerprint = fingerprintOf(indices, passphrase);
  const rows = sheetRows(indices);
  const indexBase: IndexBase = opts.index === '1' ? 1 : 0;
  const sheet =
    opts.format === 'svg'
      ? renderSvgSheet({ rows, fingerprint, qr, passphraseUsed: passphrase.length > 0, indexBase })
      : renderTextSheet({ rows, fingerprint, qr, grid: opts.grid, qrGrid: opts.qrGrid, ansi: opts.out === undefined && colourEnabled(process.stdout), passphraseUsed: passphrase.length > 0, indexBase });

  if (opts.out === undefined) {
    process.stdout.write(sheet);
    printHint("when the plate is done, clear the screen and the scrollback (e.g. clear && printf '\\033[3J')");
    return 0;
  }
  writeFileExclusive(opts.out, sheet, { mode: 0o600 });
  findings.push(finding('sheet-written-to-file', 'warning', opts.out, 'the sheet holds the mnemonic in plain text: print it, then delete the file', { mode: '0600', format: opts.format }, `shred -u ${opts.out}`));
  printWarning(`${opts.out} holds the mnemonic in plain text: print it, then delete it (shred -u)`);
  const report: Report = {
    ok: passes(findings),
    command: 'backup sheet',
    findings,
    airgap: airgapJson(gate),
    words: indices.length,
    format: opts.format,
    index_base: indexBase,
    verify_from: verifyFormFor(indexBase),
    out: opts.out,
    qr: qr ? { kind: qr.kind, version: qr.version, size: qr.size, mask: qr.mask, error_correction: 'L' } : null,
    passphrase: passphrase.length > 0,
    fingerprint,
  };
  if (opts.json) printJson(report);
  else process.stdout.write(`wrote ${printable(opts.out)} (mode 0600, ${opts.format})\n${renderFingerprintText(fingerprint)}`);
  return 0;
}

// ---------------------------------------------------------------- backup verify

interface VerifyOptions {
  from: PlateFormat;
  plateFile?: string;
  compare: boolean;
  fingerprint?: string;
  mnemonicFile?: string;
  passphrase: boolean;
  allowOnline: boolean;
  json: boolean;
}

const MAX_LISTED = 24;
const MAX_WORDS = 24;

/** "1 entry", "12 entries". */
function entriesText(n: number): string {
  return `${n} entr${n === 1 ? 'y' : 'ies'}`;
}

const PROBLEM_TEXT: Record<string, string> = {
  'not-a-word': 'is not a word of the bip39 english list',
  'not-a-stamp': 'is not the four-letter stamp of any english word',
  'not-a-number': 'is not a number',
  'index-out-of-range': 'is outside the range of this form',
  'not-11-bits': 'is not a row of 11 bits (0/1 or ●/○)',
};

/** Parse `--fingerprint`: 16 hex digits (validator 0 pubkey prefix) or 8 (BIP32 master fingerprint). */
function parseFingerprintOption(v: string | undefined): { field: keyof BackupFingerprint; value: string } | undefined {
  if (v === undefined) return undefined;
  const h = v.toLowerCase().replace(/^0x/, '');
  if (/^[0-9a-f]{16}$/.test(h)) return { field: 'validator0_pubkey_prefix', value: h };
  if (/^[0-9a-f]{8}$/.test(h)) return { field: 'bip32_master_fingerprint', value: h };
  throw new UsageError('--fingerprint must be the 16 hex digits of the validator 0 pubkey prefix or the 8 hex digits of the bip32 master fingerprint, as printed on the sheet');
}

/**
 * The findings for a diagnosis. `locator` is what else this run checks that can locate a slip the
 * checksum cannot (--fingerprint, --compare); without one, an ambiguous slip gets the hint to add one.
 * `conventionRuledOut`: the other index convention gives a valid checksum, but the fingerprint or
 * the original contradicts that reading, so it is not mentioned.
 */
function diagnosisFindings(d: PlateDiagnosis, format: PlateFormat, subject: string, words: number, locator: boolean, conventionRuledOut: boolean): Finding[] {
  const out: Finding[] = [];
  if (d.status === 'word-count') {
    out.push(finding('plate-word-count', 'error', subject, `the plate has ${entriesText(d.count)}: a mnemonic has 12, 15, 18, 21 or 24`, { entries: d.count }));
  }
  if (d.status === 'word-count' || d.status === 'invalid-entries') {
    // A mnemonic has at most 24 entries: past that, more lines say nothing new.
    for (const e of d.invalid.slice(0, MAX_LISTED)) {
      out.push(finding('plate-entry-invalid', 'error', `${subject} position ${e.position}`, `this entry ${PROBLEM_TEXT[e.problem!]} (read as ${FORMAT_NAMES[format]})`, { position: e.position, problem: e.problem }));
    }
    if (d.status === 'invalid-entries' && d.otherConvention && !conventionRuledOut) {
      const other = d.otherConvention;
      out.push(finding('plate-convention-mismatch', 'error', subject, `the plate is valid when read as ${FORMAT_NAMES[other]}: it was stamped in the other index convention`, { from: format, valid_as: other }, `coldstake backup verify --from ${other}`));
    }
  }
  if (d.status === 'valid') {
    out.push(finding('plate-checksum-valid', 'info', subject, `the plate restores a mnemonic with a valid checksum (${d.indices.length} words)`, { words: d.indices.length }));
  }
  if (d.status === 'checksum') {
    const likely = d.suspects.map((x) => x.position);
    // When ambiguous, plate-slip-not-located says so (listing most positions as "likely" would
    // send the user re-reading the wrong entries).
    const where = !d.ambiguous && likely.length > 0 ? `: likely position${likely.length > 1 ? 's' : ''} ${likely.join(', ')}` : '';
    out.push(finding('plate-checksum-invalid', 'error', subject, `every entry is a word but the checksum fails${where}`, {
      suspect_positions: likely,
      located: !d.ambiguous,
      adjacent_swaps: d.swaps.map((p) => [p, p + 1]),
    }));
    if (d.otherConvention && !conventionRuledOut) {
      const other = d.otherConvention;
      out.push(finding('plate-convention-mismatch', 'error', subject, `the plate is valid when read as ${FORMAT_NAMES[other]}: it was stamped in the other index convention`, { from: format, valid_as: other }, `coldstake backup verify --from ${other}`));
    }
    if (d.ambiguous) {
      out.push(finding('plate-slip-not-located', 'warning', subject, `a ${words}-word checksum cannot locate the slip: ${likely.length} of ${words} positions could hold it`,
        { positions: likely, words },
        locator ? undefined : `rerun with --fingerprint HEX (as printed on the sheet) or --compare: either one locates the slip`));
    }
    for (const s of d.ambiguous ? [] : d.suspects) {
      out.push(finding('plate-suspect-position', 'warning', `${subject} position ${s.position}`, `${s.fixes === 1 ? `a single ${s.kinds.join('/')} change here makes` : `${s.fixes} different ${s.kinds.join('/')} changes here each make`} the checksum valid: compare this entry with the sheet`, { position: s.position, fixes: s.fixes, kinds: s.kinds }));
    }
    for (const p of d.swaps) {
      out.push(finding('plate-adjacent-swap', 'warning', `${subject} positions ${p}-${p + 1}`, `swapping positions ${p} and ${p + 1} would make the checksum valid`, { positions: [p, p + 1] }));
    }
    if (d.suspects.length === 0 && d.swaps.length === 0 && (!d.otherConvention || conventionRuledOut)) {
      out.push(finding('plate-no-single-fix', 'warning', subject, 'no single slip explains the failure: more than one entry may be wrong', {}));
    }
  }
  return out;
}

/** The plate read in the other index convention, when that reading explains it completely. */
interface ConventionExplanation {
  other: 'index' | 'index1';
  fingerprint: BackupFingerprint;
  /** Whether the reading has the --fingerprint given (undefined without one). */
  fingerprintMatch: boolean | undefined;
  /** Whether the reading equals the --compare original (undefined without one). */
  originalMatch: boolean | undefined;
}

/**
 * A plate stamped in the other index convention (1-based line numbers read as 0-based indices, or
 * back) fails the checksum or has entries out of range, and a one-slip search finds "likely"
 * positions that are noise. When the other reading has a valid checksum (and the fingerprint and
 * the original, when given, agree with it), that is the whole diagnosis.
 */
function explainByConvention(d: PlateDiagnosis, entries: readonly PlateEntry[], want: { field: keyof BackupFingerprint; value: string } | undefined,
  original: readonly number[] | undefined, passphrase: string): ConventionExplanation | undefined {
  const other = d.status === 'checksum' || d.status === 'invalid-entries' ? d.otherConvention : undefined;
  if (other === undefined) return undefined;
  const asOther = indicesInConvention(entries, other);
  if (asOther === undefined || !checksumValid(asOther)) return undefined;
  const fingerprint = fingerprintOf(asOther, passphrase);
  const fingerprintMatch = want ? fingerprint[want.field] === want.value : undefined;
  const originalMatch = original ? differingPositions(asOther, original).length === 0 : undefined;
  if (fingerprintMatch === false || originalMatch === false) return undefined;
  return { other, fingerprint, fingerprintMatch, originalMatch };
}

function conventionFinding(x: ConventionExplanation, format: PlateFormat, subject: string): Finding {
  const also = [x.fingerprintMatch ? 'has the fingerprint printed on the sheet' : '', x.originalMatch ? 'matches the original' : ''].filter((t) => t.length > 0);
  return finding('plate-convention-mismatch', 'error', subject,
    `the plate holds ${FORMAT_NAMES[x.other]}, not ${FORMAT_NAMES[format]}: read that way its checksum is valid${also.length > 0 ? ` and it ${also.join(' and ')}` : ''}`,
    {
      from: format, valid_as: x.other, explains_plate: true, fingerprint: x.fingerprint,
      ...(x.fingerprintMatch !== undefined ? { fingerprint_match: x.fingerprintMatch } : {}),
      ...(x.originalMatch !== undefined ? { original_match: x.originalMatch } : {}),
    },
    `coldstake backup verify --from ${x.other}`);
}

/** With the sheet's fingerprint: the one-slip fixes that reproduce it (positions only). */
function fixesMatchingFingerprint(indices: number[], format: PlateFormat, d: PlateDiagnosis, want: { field: keyof BackupFingerprint; value: string }, passphrase: string): number[] {
  if (d.status !== 'checksum') return [];
  const hits = new Set<number>();
  for (const s of d.suspects) {
    for (const alt of closeAlternatives(indices[s.position - 1]!, format)) {
      const trial = [...indices];
      trial[s.position - 1] = alt.index;
      if (checksumValid(trial) && fingerprintOf(trial, passphrase)[want.field] === want.value) hits.add(s.position);
    }
  }
  return [...hits];
}

/**
 * When a plate typed on the terminal is complete. Typed over several lines it could stop early
 * (after 12 entries of 24, or at the first Enter, leaving the rest for the shell), so: the 24th
 * entry ends it; otherwise an empty line does, once the count is a mnemonic's (12, 15, 18, 21, 24).
 * An empty line at another count says so, and a second one checks the plate as it stands.
 */
function plateLineEnd(format: PlateFormat): LineEndRule {
  let stopOffered = false;
  return (text) => {
    const count = plateTokens(text, format).length;
    if (count >= MAX_WORDS) return true;
    const lines = text.split('\n');
    const last = lines[lines.length - 2] ?? '';
    if (plateTokens(last, format).length > 0) {
      stopOffered = false;
      return WORD_COUNTS.includes(count) ? `(${entriesText(count)}: an empty line checks them, or go on typing)` : false;
    }
    if (WORD_COUNTS.includes(count) || stopOffered) return true;
    stopOffered = true;
    return `(${entriesText(count)} so far: a plate has 12, 15, 18, 21 or 24; go on typing, or press enter once more to check what is there)`;
  };
}

function readPlate(opts: VerifyOptions): Promise<string> {
  return readSecret({
    what: 'plate',
    flag: '--plate-file',
    file: opts.plateFile,
    prompt: `what is on the plate, as ${FORMAT_NAMES[opts.from]}: separated by spaces or one per line, then an empty line\n`,
    echo: true,
    lineEnd: plateLineEnd(opts.from),
    wholeStdin: true,
  });
}

/**
 * Where each secret of this run comes from, checked before anything is read. `--plate-file -`
 * takes all of standard input (one entry per line or space-separated, like a file), so the
 * original mnemonic and the passphrase cannot come from it too.
 * @throws {UsageError} (exit 2) on a combination that cannot be read.
 */
function checkSecretSources(opts: VerifyOptions): void {
  if (opts.mnemonicFile !== undefined && !opts.compare) {
    throw new UsageError('--mnemonic-file is the original for --compare: it is not read without it', 'add --compare to compare the plate with the original mnemonic');
  }
  if (opts.plateFile === '-' && opts.compare && opts.mnemonicFile === '-') {
    throw new UsageError('--plate-file - and --mnemonic-file - both ask for standard input: with --plate-file - it holds the plate and nothing else', 'give the original with --mnemonic-file FILE, or leave that option out to type it on the terminal');
  }
  if (opts.plateFile === '-' && opts.compare && opts.mnemonicFile === undefined && !hasTerminal()) {
    throw new UsageError('no terminal to read the original mnemonic from: standard input holds the plate', 'give the original with --mnemonic-file FILE');
  }
  if (opts.passphrase && !opts.compare && !hasTerminal()) {
    throw new UsageError('no terminal to ask for the bip39 passphrase', 'run it in a terminal, or add --compare --mnemonic-file FILE with the mnemonic on line 1 and the passphrase on line 2');
  }
}

async function runVerify(opts: VerifyOptions): Promise<number> {
  const want = parseFingerprintOption(opts.fingerprint);
  checkSecretSources(opts);
  const gate = await airgapGate('backup verify', { allowOnline: opts.allowOnline, json: opts.json });
  const subject = opts.plateFile === undefined ? 'plate' : opts.plateFile === '-' ? 'plate (standard input)' : opts.plateFile;
  const plateText = await readPlate(opts);
  const entries = parsePlate(plateText, opts.from);
  const d = diagnosePlate(entries, opts.from);
  let original: number[] | undefined;
  let passphrase = '';
  if (opts.compare) {
    ({ indices: original, passphrase } = await readMnemonicIndices(opts.mnemonicFile, { what: 'original mnemonic', passphrase: opts.passphrase }));
  } else if (opts.passphrase) {
    passphrase = await readPassphraseOnly();
  }
  assertStdinConsumed();
  const explained = explainByConvention(d, entries, want, original, passphrase);
  const conventionRuledOut = !explained && (d.status === 'checksum' || d.status === 'invalid-entries') && d.otherConvention !== undefined;
  const findings = explained ? [conventionFinding(explained, opts.from, subject)] : diagnosisFindings(d, opts.from, subject, entries.length, want !== undefined || opts.compare, conventionRuledOut);

  let fingerprint: BackupFingerprint | null = null;
  const plateIndices = entries.map((e) => e.index);
  if (d.status === 'valid') {
    fingerprint = fingerprintOf(d.indices, passphrase);
    if (want) {
      findings.push(fingerprint[want.field] === want.value
        ? finding('fingerprint-match', 'info', subject, 'the restored seed has the fingerprint printed on the sheet', { field: want.field })
        : finding('fingerprint-mismatch', 'error', subject, 'the restored seed does not have the fingerprint printed on the sheet: an entry (or the passphrase) is wrong', { field: want.field, expected: want.value, got: fingerprint[want.field] }));
    }
  } else if (want && d.status === 'checksum' && !explained) {
    const positions = fixesMatchingFingerprint(entries.map((e) => e.index!), opts.from, d, want, passphrase);
    if (positions.length > 0) {
      findings.push(finding('plate-fix-found', 'warning', subject, `a single slip at position ${positions.join(' or ')} explains both the checksum and the sheet's fingerprint: restamp that position from the sheet`, { positions, field: want.field }));
    }
  }

  let compare: { match: boolean; differing_positions: number[] } | null = null;
  if (original) {
    const diff = differingPositions(plateIndices.map((i) => i ?? -1), original);
    compare = { match: diff.length === 0, differing_positions: diff };
    if (!explained) findings.push(diff.length === 0
      ? finding('plate-matches-original', 'info', subject, 'match: every position equals the original mnemonic', {})
      : finding('plate-differs-from-original', 'error', subject, `the plate differs from the original at position${diff.length > 1 ? 's' : ''} ${diff.join(', ')}`, { positions: diff }));
  }

  const report: Report = {
    ok: passes(findings),
    command: 'backup verify',
    findings,
    airgap: airgapJson(gate),
    from: opts.from,
    entries: entries.length,
    checksum_valid: d.status === 'valid',
    fingerprint,
    compare,
    passphrase: passphrase.length > 0,
  };
  let header = `plate: ${entriesText(entries.length)} read as ${FORMAT_NAMES[opts.from]}\n`;
  if (explained) {
    header += `checksum: INVALID as ${FORMAT_NAMES[opts.from]}; valid as ${FORMAT_NAMES[explained.other]}\n`;
    if (explained.originalMatch) header += `compare with the original: match when read as ${FORMAT_NAMES[explained.other]}\n`;
    header += `read as ${FORMAT_NAMES[explained.other]}, the plate restores this seed:\n${renderFingerprintText(explained.fingerprint)}compare it with the fingerprint on the sheet\n`;
  } else header += `checksum: ${d.status === 'valid' ? 'valid' : d.status === 'checksum' ? 'INVALID' : 'not checked (fix the entries below first)'}\n`;
  if (compare && !explained) header += compare.match ? 'compare with the original: match\n' : `compare with the original: DIFFERENT at position ${compare.differing_positions.join(', ')}\n`;
  if (fingerprint) header += `${renderFingerprintText(fingerprint)}compare it with the fingerprint on the sheet\n`;
  printReport(report, { json: opts.json, header });
  return report.ok ? 0 : 1;
}

// ---------------------------------------------------------------- registration

function registerBackup(program: Command): void {
  const backup = program.command('backup').description('metal-backup sheet and plate verification');

  const sheet = backup
    .command('sheet')
    .description('print the metal-backup transcription sheet: stamps, 0- and 1-based indices, punch rows, seedqr, public fingerprint')
    .addOption(new Option('--qr <kind>', 'seedqr kind (default standard)').choices(['standard', 'compact', 'none']))
    .addOption(new Option('--format <format>', 'text for the terminal, svg for a printable a4 page (needs --out)').choices(['text', 'svg']).default('text'))
    .addOption(new Option('--index <base>', 'the number you stamp: 0 = 0-based INDEX 0000-2047 (as SeedQR), 1 = 1-based LINE 1-2048; printed large, the other small for checking only').choices(['0', '1']).default('0'))
    .option('--grid', 'add the letter grid for dot-per-letter plates', false)
    .option('--qr-grid', 'add the seedqr as a numbered grid for copying onto a seedsigner template', false)
    .option('--out <file>', 'write the sheet to FILE (created 0600, never overwritten) instead of the terminal')
    .option('--passphrase', 'a bip39 passphrase is in use: ask for it (it changes the fingerprint, not the words)', false);
  addAllowOnlineOption(addMnemonicFileOption(sheet));
  addJsonOption(sheet).action(action((opts: SheetOptions) => runSheet(opts)));

  const verify = backup
    .command('verify')
    .description('read the plate back, check its checksum, locate a wrong entry, show the fingerprint to compare with the sheet')
    .addOption(new Option('--from <form>', 'what the plate holds: words, prefix (4-letter stamps), index (0-based), index1 (1-based), binary (11 bits)').choices([...PLATE_FORMATS]).default('words'))
    .option('--plate-file <file>', 'read the plate from FILE (- = all of standard input) instead of the terminal')
    .option('--compare', 'also read the original mnemonic (terminal or --mnemonic-file) and say which positions differ', false)
    .option('--fingerprint <hex>', 'the fingerprint printed on the sheet (16 or 8 hex digits) to compare with')
    .option('--passphrase', 'a bip39 passphrase is in use: ask for it (after the plate and mnemonic)', false);
  addAllowOnlineOption(addMnemonicFileOption(verify));
  addJsonOption(verify).action(action((opts: VerifyOptions) => runVerify(opts)));
}

export const backupCommand: CommandSpec = {
  group: 'airgapped',
  order: 4,
  usage: 'backup sheet|verify',
  summary: 'metal-backup sheet (stamps, 0/1-based indices, punch rows, SeedQR); re-enter the plate and check it restores the same seed',
  example: 'backup verify --from prefix --plate-file plate.txt',
  register: registerBackup,
};
