/**
 * `coldstake keystore verify PATH… [--deposit-data FILE] [--network NET] [--password-file F]`:
 * verify EIP-2335 keystores before importing them into a validator client.
 *
 * Story: find the keystores → check each file without a password (schema, version, KDF bounds,
 * weak KDF, path, file mode) and the set (duplicates, salt/IV reuse) → ask the password once →
 * decrypt every keystore in the worker pool (checksum, secret → pubkey) → retry failures per
 * keystore on a terminal → optionally match the set against deposit data → report.
 */
import type { Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { networkByForkVersion } from '../../core/eth/networks.js';
import {
  decryptFindings,
  fileFindings,
  fmtMode,
  kdfIdentity,
  KEYSTORE_INPUT_PROBLEMS,
  setFindings,
  type DecryptOutcome,
  type KeystoreEntry,
} from '../../core/eth/keystore-checks.js';
import { classifyPath, KDF_LIMITS, KDF_SET_BUDGET_UNITS, kdfCostUnits, kdfMemoryBytes, kdfStrength, overKdfBudget, type ParsedKeystore } from '../../core/eth/keystore.js';
import { CLIENTS, type ClientName } from '../../core/eth/keystore-clients.js';
import { action, addJsonOption, addPasswordFileOption, type CommandSpec } from '../common.js';
import { DEFAULT_MAX_CHECKED_ENTRIES, MAX_DEPOSIT_ENTRIES, type DepositEntry } from '../../core/eth/deposit.js';
import { matchKeystoresToDeposits } from '../../core/eth/deposit-checks.js';
import { loadKeystoreEntries, readKeystores } from '../io/keystore-files.js';
import { ZOND_KEYSTORE_INPUT_PROBLEMS, type ZondKeystoreEntry } from '../../core/zond/keystore-checks.js';
import { matchZondKeystoresToDeposits, readZondKeystoreEntries, verifyZondKeystores, zondNeedsPassword } from '../zond/keystore-verify.js';
import { inferZondNetwork, verifyZondDepositFile } from '../zond/deposit-verify.js';
import { hasTerminal, readSecret } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { createPool, defaultPoolSize, WorkerCrashError, type Pool } from '../workers/pool.js';
import { readDepositFile, verifyDepositFile, type DepositVerifyResult } from './deposit.js';
import type { KeystoreDecryptResult, SealedSecret } from '../workers/keystore-tasks.js';

export interface KeystoreVerifyOptions {
  depositData?: string;
  network?: string;
  forkVersion?: string;
  json: boolean;
  passwordFile?: string;
  /** `--client NAME`: that client's keystore rules (src/core/eth/keystore-clients.ts) become errors. */
  client?: string;
  /** Already read (a mixed Ethereum/Zond run reads it once). */
  password?: string;
  /** Files left to the Zond checks (src/cli/zond/keystore-verify.ts). */
  skipFiles?: ReadonlySet<string>;
  /** `--max-entries N`: the deposit file's CPU budget, as `deposit verify --max-entries`. */
  maxEntries?: string;
}

type Parsed = KeystoreEntry & { parsed: ParsedKeystore };

function decryptable(e: KeystoreEntry): e is Parsed {
  return e.parsed !== undefined && e.problem === undefined;
}

/**
 * Memory the KDFs in flight may hold together: the largest one a keystore may ask for (the bound of
 * `KDF_LIMITS`), so one worst-case keystore runs alone and four deposit-cli ones (256 MiB each) run
 * together. With the program itself (~100 MiB) the peak stays under 1.5 GiB.
 */
const KDF_MEMORY_BUDGET = KDF_LIMITS.scryptMaxMemoryBytes;
/** Keystores per `keystore-open` task: BLS sk → pk is ~2–10 ms each, so a batch spreads over the cores. */
const OPEN_CHUNK = 32;

/** Admits KDF runs while their memory fits the budget (one always runs, whatever its size). */
function memoryGate(budget: number): <T>(bytes: number, fn: () => Promise<T>) => Promise<T> {
  let inUse = 0;
  let running = 0;
  const waiting: Array<() => void> = [];
  return async <T>(bytes: number, fn: () => Promise<T>): Promise<T> => {
    while (running > 0 && inUse + bytes > budget) await new Promise<void>((r) => waiting.push(r));
    inUse += bytes;
    running++;
    try {
      return await fn();
    } finally {
      inUse -= bytes;
      running--;
      for (const wake of waiting.splice(0)) wake();
    }
  };
}

/** "4", "1.5": a unit count as a message shows it. */
function fmtUnits(u: number): string {
  return Number.isInteger(u) ? String(u) : u.toFixed(1);
}

function sealed(e: Parsed): SealedSecret {
  const c = e.parsed.keystore.crypto;
  return { checksum: c.checksum.message, iv: c.cipher.params.iv, ciphertext: c.cipher.message };
}

/**
 * Try `password` on every keystore: one KDF run per distinct KDF key (function, parameters, salt),
 * scheduled so the KDFs in flight stay within `KDF_MEMORY_BUDGET`, then the keystores that share
 * it are opened in chunks across the pool (checksum, decryption, secret → pubkey per keystore, so a
 * wrong password is still told apart per keystore). Returns each keystore's outcome.
 */
async function decryptAll(pool: Pool, entries: readonly Parsed[], password: string, label: string): Promise<Map<Parsed, KeystoreDecryptResult>> {
  const bar = progressBar(label, entries.length);
  const out = new Map<Parsed, KeystoreDecryptResult>();
  const gate = memoryGate(KDF_MEMORY_BUDGET);
  const groups = new Map<string, Parsed[]>();
  for (const e of entries) {
    const id = kdfIdentity(e.parsed.keystore);
    const g = groups.get(id);
    if (g) g.push(e);
    else groups.set(id, [e]);
  }
  // A worker error never carries the password; the keystores are reported, the others go on.
  const orFailed = <T>(p: Promise<T>): Promise<T | undefined> => p.catch((err: unknown) => {
    // A dead worker fails the whole pool: an internal error, not a finding about every keystore.
    if (err instanceof WorkerCrashError) throw err;
    return undefined;
  });
  const openGroup = async (group: Parsed[]): Promise<void> => {
    const kdf = group[0]!.parsed.keystore.crypto.kdf;
    const key = await gate(kdfMemoryBytes(kdf), () => orFailed(pool.run<Uint8Array>('keystore-kdf', { kdf, password })));
    if (key === undefined) {
      for (const e of group) out.set(e, { status: 'failed' });
      bar.tick(group.length);
      return;
    }
    try {
      const size = Math.max(1, Math.min(OPEN_CHUNK, Math.ceil(group.length / pool.size)));
      const chunks: Parsed[][] = [];
      for (let i = 0; i < group.length; i += size) chunks.push(group.slice(i, i + size));
      await Promise.all(chunks.map(async (chunk) => {
        const r = await orFailed(pool.run<KeystoreDecryptResult[]>('keystore-open', { key, items: chunk.map(sealed) }));
        chunk.forEach((e, i) => out.set(e, r?.[i] ?? { status: 'failed' }));
        bar.tick(chunk.length);
      }));
    } finally {
      key.fill(0);
    }
  };
  try {
    await Promise.all([...groups.values()].map(openGroup));
  } finally {
    bar.done();
  }
  return out;
}

/**
 * On a terminal, after the first password: say how many keystores it did not open, ask once for
 * another, and try it on all of them (an empty answer skips them). Returns how many it opened.
 */
async function retryOnTerminal(pool: Pool, failed: readonly Parsed[], total: number, outcomes: Map<Parsed, KeystoreDecryptResult>): Promise<{ asked: boolean; opened: number }> {
  process.stderr.write(`coldstake: ${printable(`the password did not open ${failed.length} of ${total} keystore${total === 1 ? '' : 's'}`)}\n`);
  const pw = await readSecret({ what: 'keystore password', flag: '--password-file', prompt: printable(`password for the other ${failed.length} keystore${failed.length === 1 ? '' : 's'} (empty to skip): `), echo: false });
  if (pw === '') {
    // The user gave up on them: say they were skipped, not that a password was wrong.
    for (const e of failed) outcomes.set(e, { status: 'skipped' });
    return { asked: true, opened: 0 };
  }
  const second = await decryptAll(pool, failed, pw, 'trying the second password');
  let opened = 0;
  for (const [e, r] of second) {
    if (r.status !== 'wrong-password') opened++;
    outcomes.set(e, r);
  }
  return { asked: true, opened };
}

/** The deposit file `--deposit-data` names, as the report shows it: one verdict per entry. */
interface DepositPart {
  file: string;
  /** The network it was verified for (null when the file could not be parsed). */
  network: string | null;
  entries: Array<{ index: number; pubkey: string; ok: boolean; errors: string[] }>;
}

/**
 * `--deposit-data FILE`: each keystore has exactly one deposit entry and vice versa (by pubkey);
 * with `--network` the deposit file is verified in full as `deposit verify` does.
 */
async function depositCrossCheck(file: string, entries: readonly KeystoreEntry[], opts: KeystoreVerifyOptions): Promise<{ findings: Finding[]; deposit: DepositPart }> {
  const out: Finding[] = [];
  let depositEntries: DepositEntry[];
  let verified: DepositVerifyResult;
  if (opts.network !== undefined || opts.forkVersion !== undefined) {
    verified = await verifyDepositFile(file, { json: opts.json, network: opts.network, forkVersion: opts.forkVersion, ...(opts.maxEntries !== undefined ? { maxEntries: opts.maxEntries } : {}) });
    out.push(...verified.report.findings);
    depositEntries = verified.entries;
  } else {
    // No network given: the file's own fork_version names it, and the file is verified in full
    // for that network (signatures, roots, amounts, credentials, duplicates). Matching pubkeys
    // alone would pass a forged file whose entries send the deposit elsewhere.
    const r = readDepositFile(file);
    if ('problem' in r) return { findings: [r.problem], deposit: { file, network: null, entries: [] } };
    const forks = new Set(r.entries.map((e) => Buffer.from(e.forkVersion).toString('hex')));
    const network = forks.size === 1 ? networkByForkVersion(r.entries[0]!.forkVersion) : undefined;
    if (network === undefined) {
      throw new UsageError(
        `${file}: ${forks.size === 1 ? `fork version 0x${[...forks][0]} is not a known network's` : 'its entries carry different fork versions'}: give --network to verify it`,
        'for a devnet give --network NAME --fork-version 0x…',
      );
    }
    verified = await verifyDepositFile(file, { json: opts.json, network: network.name, ...(opts.maxEntries !== undefined ? { maxEntries: opts.maxEntries } : {}) });
    out.push(finding('keystore-deposit-network-inferred', 'info', file, `deposit data verified for ${network.name}, the network its fork_version names (give --network to insist on one)`, { network: network.name, fork_version: [...forks][0] }));
    out.push(...verified.report.findings);
    depositEntries = verified.entries;
  }
  const deposit: DepositPart = {
    file,
    network: depositEntries.length > 0 ? String(verified.report['network']) : null,
    entries: (verified.report['entries'] as DepositPart['entries'] | undefined) ?? [],
  };
  if (depositEntries.length === 0) return { findings: out, deposit };
  const keystorePubkeys = entries.flatMap((e) => (e.parsed?.keystore.pubkey !== undefined ? [{ subject: e.file, pubkey: e.parsed.keystore.pubkey }] : []));
  const depositPubkeys = depositEntries.map((d, i) => ({ subject: `${file}[${i}]`, pubkey: Buffer.from(d.pubkey).toString('hex') }));
  const matching = matchKeystoresToDeposits(keystorePubkeys, depositPubkeys);
  out.push(...matching);
  // An entry without its keystore fails too.
  deposit.entries = deposit.entries.map((v) => {
    const extra = matching.filter((f) => f.severity === 'error' && f.subject === `${file}[${v.index}]` && !v.errors.includes(f.id)).map((f) => f.id);
    const errors = v.errors.concat(extra);
    return { ...v, ok: errors.length === 0, errors };
  });
  return { findings: out, deposit };
}

/** The first finding when the password did not open every keystore: how many, and what the retry did. */
function passwordSummary(failed: number, total: number, retry: { asked: boolean; opened: number }, passwordFile: string | undefined): Finding {
  const first = `the password${passwordFile !== undefined ? ' in the password file' : ''} did not open ${failed} of ${total} keystore${total === 1 ? '' : 's'}`;
  const then = retry.asked ? `; the second password opened ${retry.opened} of them` : '';
  return finding('keystore-password-failed', 'info', 'password', `${first}${then}`, { keystores: total, not_opened_first: failed, ...(retry.asked ? { opened_by_second: retry.opened } : {}) });
}

export interface KeystoreVerifyResult {
  report: Report;
  /** true when an input file was unreadable or malformed (exit 2). */
  malformed: boolean;
  entries: KeystoreEntry[];
  outcomes: Map<KeystoreEntry, DecryptOutcome>;
}

export async function verifyKeystores(paths: readonly string[], opts: KeystoreVerifyOptions): Promise<KeystoreVerifyResult> {
  if (opts.depositData === undefined && (opts.network !== undefined || opts.forkVersion !== undefined)) {
    throw new UsageError('--network and --fork-version only apply with --deposit-data FILE');
  }
  if (opts.client !== undefined && !(CLIENTS as readonly string[]).includes(opts.client)) {
    throw new UsageError(`--client must be one of ${CLIENTS.join(', ')}`);
  }
  const client = opts.client as ClientName | undefined;
  const entries = loadKeystoreEntries(paths, opts.skipFiles);
  const findings: Finding[] = [];
  for (const e of entries) findings.push(...fileFindings(e, { ...(client ? { client } : {}) }));
  // Before the password: a wrong --deposit-data path must not cost a round of scrypt first.
  let deposit: DepositPart | undefined;
  if (opts.depositData !== undefined) {
    const r = await depositCrossCheck(opts.depositData, entries, opts);
    findings.push(...r.findings);
    deposit = r.deposit;
  }

  // The set's CPU budget: KDFs above the default cost are admitted while they fit (one KDF per
  // distinct key); the others are refused before any KDF runs, each naming what to do.
  const over = overKdfBudget(entries.filter(decryptable), (e) => e.parsed.keystore.crypto.kdf, (e) => kdfIdentity(e.parsed.keystore));
  for (const e of entries) {
    if (!decryptable(e) || !over.has(kdfIdentity(e.parsed.keystore))) continue;
    const kdf = e.parsed.keystore.crypto.kdf;
    e.problem = { id: 'keystore-kdf-bounds', field: `crypto.kdf.params.${kdf.function === 'scrypt' ? 'n' : 'c'}`, detail: `its KDF costs ${fmtUnits(kdfCostUnits(kdf))} default keystores' worth of CPU, and the costly KDFs of this set together would pass the ${KDF_SET_BUDGET_UNITS}-keystore budget (about a minute of CPU): verify it on its own` };
    findings.push(...fileFindings(e, { ...(client ? { client } : {}) }).filter((f) => f.id === 'keystore-kdf-bounds'));
  }
  const toDecrypt = entries.filter(decryptable);
  const outcomes = new Map<KeystoreEntry, DecryptOutcome>();
  if (toDecrypt.length > 0) {
    const password = opts.password ?? await readSecret({ what: 'keystore password', flag: '--password-file', file: opts.passwordFile, prompt: `keystore password (tried on ${toDecrypt.length} keystore${toDecrypt.length === 1 ? '' : 's'}): `, echo: false });
    const pool = createPool(defaultPoolSize(toDecrypt.length));
    let firstFailed = 0;
    let retry: { asked: boolean; opened: number } = { asked: false, opened: 0 };
    try {
      const results = await decryptAll(pool, toDecrypt, password, 'decrypting keystores');
      const failed = toDecrypt.filter((e) => results.get(e)?.status === 'wrong-password');
      firstFailed = failed.length;
      if (failed.length > 0 && opts.passwordFile === undefined && hasTerminal()) retry = await retryOnTerminal(pool, failed, toDecrypt.length, results);
      for (const [e, r] of results) outcomes.set(e, r);
    } finally {
      await pool.close();
    }
    // What failed first leads the findings: the password, before what it led to.
    if (firstFailed > 0) findings.unshift(passwordSummary(firstFailed, toDecrypt.length, retry, opts.passwordFile));
    const how = { passwordFile: opts.passwordFile, retried: retry.asked };
    for (const e of toDecrypt) findings.push(...decryptFindings(e, outcomes.get(e) ?? { status: 'not-tried' }, how));
  }
  // The set, after decryption: duplicates are judged on the keys the secrets derive where known.
  const derived = new Map<string, string>();
  for (const [e, o] of outcomes) if (o.status === 'ok' && o.derivedPubkey !== undefined) derived.set(e.file, o.derivedPubkey);
  findings.push(...setFindings(entries, derived));

  const malformed = findings.some((f) => KEYSTORE_INPUT_PROBLEMS.has(f.id) || f.id === 'deposit-schema');
  const report: Report = {
    ok: passes(findings),
    command: 'keystore verify',
    findings,
    client: client ?? null,
    keystores: entries.map((e) => describeEntry(e, outcomes.get(e), findings)),
    ...(deposit ? { deposit_file: deposit.file, network: deposit.network, count: deposit.entries.length, entries: deposit.entries } : {}),
  };
  return { report, malformed, entries, outcomes };
}

function describeEntry(e: KeystoreEntry, outcome: DecryptOutcome | undefined, findings: readonly Finding[]): Record<string, unknown> {
  const ks = e.parsed?.keystore;
  const errors = findings.filter((f) => f.severity === 'error' && (f.subject === e.file || (Array.isArray(f.evidence['files']) && (f.evidence['files'] as string[]).includes(e.file))));
  return {
    file: e.file,
    ok: errors.length === 0,
    // No pubkey member: the pubkey the decrypted secret derives (null until decrypted).
    pubkey: ks?.pubkey !== undefined ? `0x${ks.pubkey}` : outcome?.derivedPubkey !== undefined ? `0x${outcome.derivedPubkey}` : null,
    path: ks ? ks.path : null,
    path_kind: ks ? classifyPath(ks.path).kind : null,
    kdf: ks ? { function: ks.crypto.kdf.function, work: kdfStrength(ks.crypto.kdf).work } : null,
    mode: e.mode !== undefined ? fmtMode(e.mode) : null,
    decrypted: outcome?.status ?? 'not-tried',
    errors: errors.map((f) => f.id),
  };
}

function renderEntries(report: Report): string {
  const s = styleFor(process.stdout);
  const lines: string[] = [];
  for (const k of report['keystores'] as Array<Record<string, any>>) {
    const mark = k['ok'] ? s.green(MARK.ok) : s.red(MARK.fail);
    const pk = typeof k['pubkey'] === 'string' ? `${(k['pubkey'] as string).slice(0, 14)}…` : '';
    const detail = k['ok'] ? [pk, printable(String(k['path'] || '(no path)')), k['kdf']?.function, k['decrypted'] === 'ok' ? 'decrypted' : k['decrypted']].filter(Boolean).join('  ') : printable((k['errors'] as string[]).join(', '));
    lines.push(`${mark} ${printable(String(k['file']))}  ${detail}`);
  }
  // With --deposit-data: the file, then one line per entry, as `deposit verify` prints them.
  if (typeof report['deposit_file'] === 'string') {
    const file = printable(report['deposit_file']);
    const entries = report['entries'] as DepositPart['entries'];
    if (entries.length === 0) {
      const errors = report.findings.filter((f) => f.severity === 'error' && f.subject === report['deposit_file']).map((f) => f.id);
      lines.push(`${s.red(MARK.fail)} ${file}  ${printable(errors.join(', ') || 'no deposit entries read')}`);
    } else {
      lines.push(`${file}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} for ${printable(String(report['network']))}`);
      for (const e of entries) {
        const mark = e.ok ? s.green(MARK.ok) : s.red(MARK.fail);
        lines.push(`${mark} [${e.index}] ${printable(e.pubkey.slice(0, 14))}…${e.ok ? '' : `  ${printable(e.errors.join(', '))}`}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Zond keystores among the paths (alone or mixed with Ethereum ones): the password is read once and
 * both families are checked, each by its own rules; one report.
 */
async function runWithZond(paths: string[], opts: KeystoreVerifyOptions, zond: ZondKeystoreEntry[]): Promise<number> {
  const skipFiles = new Set(zond.map((e) => e.file));
  const ethCount = readKeystores(paths, skipFiles).length;
  if (opts.depositData !== undefined && ethCount > 0) {
    throw new UsageError('--deposit-data with a mixed Ethereum/Zond directory: check each family on its own', 'give the Zond keystore files, or the Ethereum ones, with their own deposit file');
  }
  // Zond deposit data: verified in full first (a wrong path costs no KDF), matched after decryption.
  const zondDeposit = opts.depositData !== undefined ? await verifyZondDepositFile(opts.depositData, { json: opts.json, network: opts.network ?? inferZondNetwork(opts.depositData), forkVersion: opts.forkVersion }) : undefined;
  if (opts.client !== undefined && ethCount === 0) throw new UsageError('--client names an Ethereum validator client: these are Zond keystores');
  const password = zondNeedsPassword(zond) || ethCount > 0
    ? await readSecret({ what: 'keystore password', flag: '--password-file', file: opts.passwordFile, prompt: `keystore password (tried on ${zond.length + ethCount} keystore${zond.length + ethCount === 1 ? '' : 's'}): `, echo: false })
    : undefined;
  const z = await verifyZondKeystores(zond, password);
  if (zondDeposit) {
    if (opts.network === undefined) z.findings.push(finding('keystore-deposit-network-inferred', 'info', opts.depositData!, `deposit data verified for ${String(zondDeposit.report['network'])}, the network its network_name names (give --network to insist on one)`, { network: zondDeposit.report['network'] }));
    z.findings.push(...zondDeposit.report.findings, ...matchZondKeystoresToDeposits(opts.depositData!, zondDeposit.entries, z.keystores));
    z.malformed ||= zondDeposit.malformed;
  }
  const eth = ethCount > 0 ? await verifyKeystores(paths, { ...opts, ...(password !== undefined ? { password } : {}), skipFiles }) : undefined;
  const findings = [...(eth?.report.findings ?? []), ...z.findings];
  const report: Report = {
    ...(eth?.report ?? { command: 'keystore verify', client: null }),
    ok: passes(findings),
    command: 'keystore verify',
    findings,
    keystores: [...((eth?.report['keystores'] as unknown[] | undefined) ?? []), ...z.keystores],
    ...(zondDeposit ? { deposit_file: opts.depositData, network: zondDeposit.report['network'], count: zondDeposit.entries.length, entries: (zondDeposit.report['entries'] as Array<{ index: number; pubkey: string; errors: string[] }>).map((v) => {
      const errors = v.errors.concat(findings.filter((f) => f.severity === 'error' && f.subject === `${opts.depositData}[${v.index}]` && !v.errors.includes(f.id)).map((f) => f.id));
      return { ...v, ok: errors.length === 0, errors };
    }) } : {}),
  };
  printReport(report, { json: opts.json, header: renderEntries(report) });
  const isInput = (f: Finding): boolean => KEYSTORE_INPUT_PROBLEMS.has(f.id) || ZOND_KEYSTORE_INPUT_PROBLEMS.has(f.id) || f.id === 'deposit-schema' || f.id === 'zond-deposit-older-format';
  return exitCodeWithInputProblems(report, (eth?.malformed ?? false) || z.malformed, isInput);
}

async function run(paths: string[], opts: KeystoreVerifyOptions): Promise<number> {
  const zond = readZondKeystoreEntries(paths);
  if (zond.length > 0) return runWithZond(paths, opts, zond);
  const { report, malformed } = await verifyKeystores(paths, opts);
  printReport(report, { json: opts.json, header: renderEntries(report) });
  return exitCodeWithInputProblems(report, malformed, (f) => KEYSTORE_INPUT_PROBLEMS.has(f.id) || f.id === 'deposit-schema');
}

export const keystoreCommand: CommandSpec = {
  group: 'validator',
  order: 1,
  usage: 'keystore verify PATH… [--deposit-data FILE] [--network NET] [--max-entries N] [--client NAME] [--password-file F]',
  summary: 'verify keystores before import (password, secret→pubkey, paths, KDF, reuse)',
  example: 'keystore verify validator_keys/ --deposit-data validator_keys/deposit_data-1700000000.json --network mainnet',
  register(program: Command) {
    const ks = program.command('keystore').description('EIP-2335 and Zond keystore checks');
    const verify = ks
      .command('verify')
      .description('verify EIP-2335 and Zond (qrysm dfc813be format) keystores (files or directories) before importing them')
      .argument('<path...>', 'keystore files or directories holding keystore-*.json')
      .option('--deposit-data <file>', 'also check the keystores match this deposit_data file one to one')
      .option('--network <net>', 'network of the deposit data (mainnet, hoodi, sepolia, holesky, zond-testnet, zond-betanet)')
      .option('--fork-version <hex>', 'genesis fork version of a devnet instead of --network')
      .option('--max-entries <n>', `with --deposit-data: check deposit files of up to N distinct entries (default ${DEFAULT_MAX_CHECKED_ENTRIES}, at most ${MAX_DEPOSIT_ENTRIES})`)
      .option('--client <name>', `the validator client you import into (${CLIENTS.join(', ')}): its refusals become errors`);
    addPasswordFileOption(verify);
    addJsonOption(verify);
    verify.action(action((paths: string[], opts: KeystoreVerifyOptions) => run(paths, opts)));
  },
};

