/**
 * `coldstake separation check DIR [--deposit-data FILE] [--max-file-size SIZE] [--json]`:
 * nothing that controls withdrawals is on this validator machine.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { bytesToHex } from '@noble/hashes/utils.js';
import { MAX_DEPOSIT_FILE_BYTES, parseDepositData } from '../../core/eth/deposit.js';
import { InputError, UsageError } from '../../core/errors.js';
import { passes, type Finding, type Report } from '../../core/findings.js';
import { packageOf, type DepositCredential, type ScanSummary } from '../../core/separation.js';
import { action, addJsonOption, truncate, type CommandSpec } from '../common.js';
import { decodeUtf8, MIB, readBoundedFile } from '../io/read-input.js';
import { exitCodeFor, printReport, renderCounts, renderFindings } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { scanTree } from '../separation/scan.js';

export const DEFAULT_MAX_FILE_SIZE = 64 * MIB;

/**
 * `--max-file-size`: bytes, or with a K/M/G suffix (powers of 1024).
 * @throws {UsageError}
 */
export function parseSize(value: string): number {
  const m = /^(\d{1,13})([kmg]?)(?:i?b)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--max-file-size must be a size like 65536, 512K, 64M or 1G, got '${truncate(value)}'`);
  const unit = { '': 1, k: 1024, m: MIB, g: 1024 * MIB }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  const n = Number(m[1]) * unit;
  if (n < 1 || n > 64 * 1024 * MIB) throw new UsageError(`--max-file-size must be between 1 byte and 64G, got ${truncate(value)}`);
  return n;
}

/**
 * The pubkeys and withdrawal credentials of a deposit-data file, parsed strictly.
 * @throws {InputError} naming the file and field
 */
export function readDepositCredentials(file: string): DepositCredential[] {
  const text = decodeUtf8(readBoundedFile(file, MAX_DEPOSIT_FILE_BYTES), file);
  return parseDepositData(text, file).map((e) => ({ pubkey: bytesToHex(e.pubkey), withdrawalCredentials: bytesToHex(e.withdrawalCredentials) }));
}

function resolveRoot(dir: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? 'no such directory' : 'cannot read', { file: dir });
  }
  if (!st.isDirectory()) throw new InputError('not a directory', { file: dir, hint: 'give the directory to audit, e.g. the validator keys folder or a home directory' });
  return fs.realpathSync(dir);
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

function header(dir: string, s: ScanSummary): string {
  const sk = s.skipped;
  const skipped = [
    sk.binary ? `${sk.binary} binary` : '',
    sk.too_large ? `${sk.too_large} too large` : '',
    sk.unreadable ? `${sk.unreadable} unreadable` : '',
    sk.special ? `${sk.special} special` : '',
    sk.symlink ? `${plural(sk.symlink, 'symbolic link')} not followed` : '',
  ].filter(Boolean);
  return (
    `separation check of ${printable(dir)}\n` +
    `scanned ${plural(s.files_scanned, 'file')} in ${plural(s.dirs_scanned, 'directory').replace('directorys', 'directories')}, ${(s.bytes_read / MIB).toFixed(1)} MiB read, ${plural(s.keystores, 'keystore')}\n` +
    `skipped ${skipped.length ? skipped.join(', ') : 'nothing'}\n`
  );
}

/** Per package (`node_modules/bip39`), how many findings of each id and in how many files, in walk order. */
export function summarisePackages(findings: readonly Finding[]): Array<{ package: string; files: number; ids: Record<string, number> }> {
  const by = new Map<string, { package: string; ids: Record<string, number>; files: Set<string> }>();
  for (const f of findings) {
    const file = typeof f.evidence['file'] === 'string' ? (f.evidence['file'] as string) : f.subject;
    const pkg = packageOf(file);
    if (pkg === undefined) continue;
    const e = by.get(pkg) ?? { package: pkg, ids: {}, files: new Set<string>() };
    e.ids[f.id] = (e.ids[f.id] ?? 0) + 1;
    e.files.add(file);
    by.set(pkg, e);
  }
  return [...by.values()].map((e) => ({ package: e.package, files: e.files.size, ids: e.ids }));
}

/** How the package summary names each kind of note. */
const NOTE_LABEL: Readonly<Record<string, string>> = {
  'separation-public-test-mnemonic': 'published test mnemonic(s)',
  'separation-public-test-key': 'published test key(s)',
  'separation-unreadable': 'unreadable',
  'separation-file-too-large': 'too large to scan',
  'separation-symlink-outside-tree': 'link(s) out of the tree',
};

/**
 * The human view: the user's own files first, then package directories (third-party code), where
 * errors and warnings are listed one by one and notes (published test mnemonics and keys in
 * library docs and tests) are summarised per package.
 */
function renderHuman(report: Report, headerText: string): string {
  const s = styleFor(process.stdout);
  const own = report.findings.filter((f) => f.evidence['package_dir'] === undefined);
  const pkg = report.findings.filter((f) => f.evidence['package_dir'] !== undefined);
  let out = headerText + renderFindings(own, s);
  if (pkg.length > 0) {
    out += `in package directories (installed third-party code, not your own files): ${renderCounts(pkg)}\n`;
    out += renderFindings(
      pkg.filter((f) => f.severity !== 'info'),
      s,
    );
    for (const p of summarisePackages(pkg.filter((f) => f.severity === 'info'))) {
      const what = Object.entries(p.ids)
        .map(([id, n]) => `${n} ${NOTE_LABEL[id] ?? id}`)
        .join(', ');
      out += `${s.dim(`${MARK.info} info   `)} ${printable(p.package)}: ${what} in ${p.files} file${p.files === 1 ? '' : 's'}\n`;
    }
  }
  const verdict = report.ok ? s.green(`${MARK.ok} ok`) : s.red(`${MARK.fail} failed`);
  return `${out}${verdict} (${renderCounts(report.findings)})\n`;
}

interface Options {
  depositData?: string;
  maxFileSize: string;
  json: boolean;
}

async function run(dir: string, opts: Options): Promise<number> {
  const maxFileSize = parseSize(opts.maxFileSize);
  const deposit = opts.depositData ? { file: opts.depositData, entries: readDepositCredentials(opts.depositData) } : undefined;
  const root = resolveRoot(dir);
  const audit = scanTree(root, path.normalize(dir), { maxFileSize });
  const findings = audit.finish(deposit);
  const report: Report = {
    ok: passes(findings),
    command: 'separation check',
    findings,
    dir,
    deposit_data: opts.depositData ?? null,
    max_file_size: maxFileSize,
    summary: audit.summary,
  };
  if (opts.json) printReport(report, { json: true });
  else process.stdout.write(renderHuman(report, header(dir, audit.summary)));
  return exitCodeFor(report);
}

export const separationCommand: CommandSpec = {
  group: 'validator',
  order: 50,
  usage: 'separation check DIR [--deposit-data FILE]',
  summary: 'nothing that controls withdrawals is on this validator machine',
  example: 'separation check ~ --deposit-data deposit_data.json',
  register(program: Command) {
    const sep = program.command('separation').description('audit a validator machine for withdrawal-capable material');
    addJsonOption(
      sep
        .command('check')
        .description('scan DIR for mnemonics (BIP39 and QRL), Zond seeds and wallet keystores, withdrawal keystores, plaintext secret keys and duplicate keystores')
        .argument('<dir>', 'directory tree to audit (a keys folder or a whole home directory)')
        .option('--deposit-data <file>', 'deposit data: find keystores holding the withdrawal key of a 0x00 credential')
        .option('--max-file-size <size>', 'skip files larger than SIZE (bytes, or K/M/G)', '64M'),
    ).action(action((d: string, opts: Options) => run(d, opts)));
  },
};
