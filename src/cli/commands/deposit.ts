/**
 * `coldstake deposit verify FILE --network NET [--fork-version 0x…] [--withdrawal-address 0x…] [--keystores DIR]`:
 * verify a deposit_data file before depositing. `coldstake deposit top-up`: sign a top-up deposit
 * with one validator's keystore (ethstaker-deposit-cli `partial-deposit`, byte-compatible).
 *
 * Story: resolve the network → read and strictly parse the file (16 MiB bound) → verify every
 * signature (randomized batches across cores) → recompute both roots, check network, amounts,
 * credentials, duplicates → optionally match the keystores one to one (pubkeys only) → report.
 *
 * Top-up story: check every flag → refuse an unusable --out → read the keystore file (bounds before
 * any KDF) → airgap gate → password, withdrawal address (retyped at the keyboard) → decrypt → sign →
 * only then create --out and write (0600, exclusive, atomic) → read back, verify roots and signature.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Command } from 'commander';
import { checkAddress } from '../../core/eth/address.js';
import { checkDepositEntry, DEFAULT_MAX_CHECKED_ENTRIES, equalBytes, GWEI_PER_ETH, MAX_DEPOSIT_ENTRIES, MAX_DEPOSIT_FILE_BYTES, parseDepositData, serializeDepositData, type DepositEntry } from '../../core/eth/deposit.js';
import { depositDataFileName } from '../../core/eth/keystore-format.js';
import { buildTopUp, parseTopUpAmount, topUpProblem } from '../../core/eth/top-up.js';
import { depositFindings, matchKeystoresToDeposits, ownSigningRootOf, type EntryVerdict } from '../../core/eth/deposit-checks.js';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { fileFindings, KEYSTORE_INPUT_PROBLEMS, setFindings } from '../../core/eth/keystore-checks.js';
import { classifyPath } from '../../core/eth/keystore.js';
import { parseForkVersion, resolveNetwork, retiredNetwork, type Network } from '../../core/eth/networks.js';
import { action, addAllowOnlineOption, addJsonOption, addPasswordFileOption, parseIntOption, truncate, type CommandSpec } from '../common.js';
import { airgapGate } from '../gate.js';
import { loadKeystoreEntries } from '../io/keystore-files.js';
import { readKeystoreForSigning, unlockKeystore } from '../io/keystore-unlock.js';
import { decodeUtf8, readBoundedFile } from '../io/read-input.js';
import { assertOutputDirUsable, prepareOutputDir, writeFileExclusive } from '../io/safe-write.js';
import { assertStdinConsumed, hasTerminal, readSecret } from '../io/secrets.js';
import { checkWithdrawalAddressOption, readWithdrawalAddress, refuseZeroAddress } from '../io/withdrawal-address.js';
import { printWarning } from '../output/diagnostics.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { VERSION } from '../self.js';
import { verifyManySignatures } from '../signatures.js';
import { isZondNetworkName } from '../../core/zond/networks.js';
import { runZondDepositVerify } from '../zond/deposit-verify.js';

export interface DepositVerifyOptions {
  json: boolean;
  network?: string;
  forkVersion?: string;
  withdrawalAddress?: string;
  keystores?: string;
  topUp?: boolean;
  /** `--max-entries N`: check up to N distinct entries (default DEFAULT_MAX_CHECKED_ENTRIES). */
  maxEntries?: string;
}

/** CPU per distinct entry, worst case (every signature invalid), on a loaded 2-core machine: for messages. */
const WORST_MS_PER_ENTRY = 60;

/**
 * `--max-entries N` (1 to MAX_DEPOSIT_ENTRIES), default DEFAULT_MAX_CHECKED_ENTRIES.
 * @throws {UsageError}
 */
export function maxEntriesOption(text: string | undefined): number {
  return text === undefined ? DEFAULT_MAX_CHECKED_ENTRIES : parseIntOption('--max-entries', text, 1, MAX_DEPOSIT_ENTRIES);
}

/**
 * The CPU budget: refuse to check more distinct entries than `max` before any signature work.
 * @throws {InputError} exit 2, saying how many, what it would cost and how to ask for it.
 */
export function assertWithinEntryBudget(file: string, total: number, distinct: number, max: number): void {
  if (distinct <= max) return;
  const seconds = Math.ceil((distinct * WORST_MS_PER_ENTRY) / 1000);
  const cost = seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} minutes`;
  throw new InputError(
    `has ${distinct} distinct entries to check${distinct === total ? '' : ` (${total} in all)`}, more than the ${max} checked without --max-entries: each costs up to ${WORST_MS_PER_ENTRY} ms of CPU, so this file could take up to ${cost} of CPU`,
    { file, hint: `to check it anyway give --max-entries ${distinct} (at most ${MAX_DEPOSIT_ENTRIES}), or split the file` },
  );
}

/** Input problems that make the command exit 2. */
const INPUT_PROBLEMS = new Set(['deposit-schema', ...KEYSTORE_INPUT_PROBLEMS]);

/**
 * `--network` / `--fork-version` to a Network.
 * @throws {UsageError}
 */
export function networkOption(name: string | undefined, forkVersion: string | undefined): Network {
  if (name === undefined) throw new UsageError('--network is required', 'give --network mainnet|hoodi|sepolia|holesky|zond-testnet|zond-betanet, or --network NAME --fork-version 0x… for a devnet');
  try {
    // Retired testnets (goerli = prater, pyrmont): old deposit files can still be checked.
    const retired = retiredNetwork(name);
    if (retired) {
      if (forkVersion !== undefined && parseForkVersion(forkVersion).some((b, i) => b !== retired.genesisForkVersion[i])) {
        throw new RangeError(`fork version ${forkVersion.toLowerCase()} is not ${retired.name}'s genesis fork version 0x${Buffer.from(retired.genesisForkVersion).toString('hex')}`);
      }
      return retired;
    }
    return resolveNetwork(name, forkVersion);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : 'bad --network');
  }
}

/**
 * `--withdrawal-address`: EIP-55 checked; all-lower/all-upper accepted with a warning.
 * @throws {UsageError}
 */
export function withdrawalAddressOption(text: string | undefined): Uint8Array | undefined {
  if (text === undefined) return undefined;
  const c = checkAddress(text);
  if (!c.ok) throw new UsageError(`--withdrawal-address: ${c.reason}`);
  if (!c.checksummed) printWarning(`--withdrawal-address has no EIP-55 checksum (all one case): double-check it, its checksummed form is ${c.address}`);
  return c.bytes;
}

/**
 * Read and parse a deposit file; a malformed file becomes a `deposit-schema` finding.
 * @throws {InputError} when the file cannot be read at all.
 */
export function readDepositFile(file: string): { entries: DepositEntry[] } | { problem: Finding } {
  const text = decodeUtf8(readBoundedFile(file, MAX_DEPOSIT_FILE_BYTES), file);
  try {
    const entries = parseDepositData(text, file);
    if (entries.length > MAX_DEPOSIT_ENTRIES) throw new InputError(`has ${entries.length} entries, more than the ${MAX_DEPOSIT_ENTRIES}-entry limit: split the file`, { file });
    return { entries };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const detail = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
    return { problem: finding('deposit-schema', 'error', file, detail, { field: err.field ?? null }) };
  }
}

export interface DepositVerifyResult {
  report: Report;
  malformed: boolean;
  entries: DepositEntry[];
}

export async function verifyDepositFile(file: string, opts: DepositVerifyOptions): Promise<DepositVerifyResult> {
  const network = networkOption(opts.network, opts.forkVersion);
  const withdrawalAddress = withdrawalAddressOption(opts.withdrawalAddress);
  const maxEntries = maxEntriesOption(opts.maxEntries);
  const read = readDepositFile(file);
  const findings: Finding[] = [];
  let entries: DepositEntry[] = [];
  let verdicts: EntryVerdict[] = [];
  if ('problem' in read) {
    findings.push(read.problem);
  } else {
    entries = read.entries;
    const domains = new Map<string, Uint8Array>();
    const roots = entries.map((e) => ownSigningRootOf(e, domains));
    // An entry repeated verbatim (same pubkey, message and signature) is verified once: the
    // repeat is already a deposit-duplicate-pubkey finding.
    const firstOf = new Map<string, number>();
    const unique: number[] = [];
    const slot = entries.map((e, i) => {
      const key = `${Buffer.from(e.pubkey).toString('hex')}${roots[i] ? Buffer.from(roots[i]).toString('hex') : 'x'}${Buffer.from(e.signature).toString('hex')}`;
      let k = firstOf.get(key);
      if (k === undefined) {
        k = unique.length;
        firstOf.set(key, k);
        unique.push(i);
      }
      return k;
    });
    assertWithinEntryBudget(file, entries.length, unique.length, maxEntries);
    const items = unique.map((i) => ({ pubkey: entries[i]!.pubkey, message: roots[i] ?? new Uint8Array(32), signature: entries[i]!.signature }));
    const uniqueOk = await verifyManySignatures(items);
    const sigOk = slot.map((k) => uniqueOk[k]!);
    const r = depositFindings(file, entries, sigOk.map((ok, i) => ok && roots[i] !== null), { network, topUp: opts.topUp === true, ...(withdrawalAddress ? { withdrawalAddress } : {}) });
    findings.push(...r.findings);
    verdicts = r.verdicts;
  }
  if (opts.keystores !== undefined) {
    const ks = loadKeystoreEntries([opts.keystores]);
    for (const e of ks) if (e.problem) findings.push(...fileFindings(e).filter((f) => KEYSTORE_INPUT_PROBLEMS.has(f.id)));
    // Matching is by the pubkey member, without a password: a keystore without one cannot be matched.
    for (const e of ks) {
      if (e.parsed && !e.problem && e.parsed.keystore.pubkey === undefined) {
        findings.push(finding('keystore-missing-pubkey', 'error', e.file, 'the keystore has no pubkey member, so it cannot be matched to a deposit entry without decrypting it', { field: 'pubkey' }, 'run coldstake keystore verify --deposit-data on it'));
      }
    }
    if (entries.length > 0) {
      const keystorePubkeys = ks.flatMap((e) => (e.parsed?.keystore.pubkey !== undefined ? [{ subject: e.file, pubkey: e.parsed.keystore.pubkey }] : []));
      const depositPubkeys = entries.map((e, i) => ({ subject: `${file}[${i}]`, pubkey: Buffer.from(e.pubkey).toString('hex') }));
      findings.push(...matchKeystoresToDeposits(keystorePubkeys, depositPubkeys));
    }
    // One to one: two keystores holding one key are a double-signing risk even when both match.
    findings.push(...setFindings(ks).filter((f) => f.id === 'keystore-duplicate-pubkey'));
  }
  const report: Report = {
    ok: passes(findings),
    command: 'deposit verify',
    findings,
    file,
    network: network.name,
    fork_version: `0x${Buffer.from(network.genesisForkVersion).toString('hex')}`,
    count: entries.length,
    entries: withEntryErrors(file, verdicts, findings),
  };
  return { report, malformed: findings.some((f) => INPUT_PROBLEMS.has(f.id)), entries };
}

/**
 * Each entry's verdict with the error findings about it that came after depositFindings (keystore
 * matching), indexed once by subject so a 10,000-entry file costs one pass over the findings.
 */
function withEntryErrors(file: string, verdicts: readonly EntryVerdict[], findings: readonly Finding[]): EntryVerdict[] {
  const bySubject = new Map<string, string[]>();
  for (const f of findings) {
    if (f.severity !== 'error') continue;
    const ids = bySubject.get(f.subject);
    if (ids) ids.push(f.id);
    else bySubject.set(f.subject, [f.id]);
  }
  return verdicts.map((v) => {
    const extra = (bySubject.get(`${file}[${v.index}]`) ?? []).filter((id, k, all) => !v.errors.includes(id) && all.indexOf(id) === k);
    const errors = v.errors.concat(extra);
    return { ...v, errors, ok: errors.length === 0 };
  });
}

function renderEntries(report: Report): string {
  const s = styleFor(process.stdout);
  const lines = (report['entries'] as Array<{ index: number; pubkey: string; ok: boolean; errors: string[] }>).map((e) => {
    const mark = e.ok ? s.green(MARK.ok) : s.red(MARK.fail);
    return `${mark} [${e.index}] ${printable(e.pubkey.slice(0, 14))}…${e.ok ? '' : `  ${printable(e.errors.join(', '))}`}`;
  });
  lines.unshift(`${printable(report['file'] as string)}: ${report['count'] as number} entr${report['count'] === 1 ? 'y' : 'ies'} for ${printable(String(report['network']))}`);
  return `${lines.join('\n')}\n`;
}

async function run(file: string, opts: DepositVerifyOptions): Promise<number> {
  // Zond (QRL) deposit files: their own checks (src/cli/zond/deposit-verify.ts).
  if (isZondNetworkName(opts.network)) {
    if (opts.maxEntries !== undefined) throw new UsageError('--max-entries is the CPU budget of Ethereum deposit files; Zond deposit files have their own entry bound');
    return runZondDepositVerify(file, opts);
  }
  const { report, malformed } = await verifyDepositFile(file, opts);
  printReport(report, { json: opts.json, header: renderEntries(report) });
  return exitCodeWithInputProblems(report, malformed, (f) => INPUT_PROBLEMS.has(f.id));
}

export const depositCommand: CommandSpec = {
  group: 'validator',
  order: 2,
  usage: 'deposit verify FILE --network NET [--withdrawal-address 0x…] [--keystores DIR] [--top-up] [--max-entries N]',
  summary: 'verify deposit data before depositing (signatures, roots, network, amounts, credentials)',
  example: 'deposit verify validator_keys/deposit_data-1700000000.json --network mainnet --withdrawal-address 0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
  register(program: Command) {
    const dep = program.command('deposit').description('deposit_data checks');
    const verify = dep
      .command('verify')
      .description('verify a deposit_data file before depositing')
      .argument('<file>', 'deposit_data-*.json')
      .option('--network <net>', 'mainnet, hoodi, sepolia, holesky, zond-testnet, zond-betanet, or a retired goerli/prater, pyrmont (or a devnet name, zond-NAME for Zond, with --fork-version); any case')
      .option('--fork-version <hex>', 'genesis fork version (0x + 8 hex digits) of a devnet')
      .option('--withdrawal-address <0x…|Q…>', 'the address every entry must pay withdrawals to (a Q-address for Zond)')
      .option('--keystores <dir>', 'check each keystore has exactly one entry and vice versa (pubkeys only, no password)')
      .option('--top-up', 'amounts below 32 ETH are intended (a split deposit or a top-up of an existing validator)')
      .option('--max-entries <n>', `check files of up to N distinct entries (default ${DEFAULT_MAX_CHECKED_ENTRIES}, at most ${MAX_DEPOSIT_ENTRIES}; each costs up to ${WORST_MS_PER_ENTRY} ms of CPU)`);
    addJsonOption(verify);
    verify.action(action((file: string, opts: DepositVerifyOptions) => run(file, opts)));
    registerTopUp(dep);
  },
};

export interface TopUpOptions {
  keystore?: string;
  amount?: string;
  withdrawalAddress?: string;
  compounding: boolean;
  network?: string;
  forkVersion?: string;
  out?: string;
  passwordFile?: string;
  allowOnline: boolean;
  json: boolean;
}

interface TopUpPlan {
  network: Network;
  amount: number;
  keystore: string;
  out: string;
}

function planTopUp(opts: TopUpOptions): TopUpPlan {
  if (opts.network === undefined) throw new UsageError('--network is required', 'give --network mainnet|hoodi|sepolia|holesky, or --network NAME --fork-version 0x… for a devnet');
  let network: Network;
  try {
    network = resolveNetwork(opts.network, opts.forkVersion);
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`, 'networks: mainnet, hoodi, sepolia, holesky; a devnet takes --network NAME --fork-version 0x…');
  }
  if (opts.keystore === undefined) throw new UsageError('--keystore is required', "the validator's keystore-m_12381_3600_i_0_0-*.json");
  if (opts.amount === undefined) throw new UsageError('--amount is required', 'the top-up in ETH, 1 to 2048, at most 9 decimals: --amount 1.5');
  if (opts.out === undefined) throw new UsageError('--out is required', 'a new or empty directory for the deposit file');
  let amount: number;
  try {
    amount = parseTopUpAmount(opts.amount);
  } catch (err) {
    throw new UsageError(`--amount: ${(err as Error).message}, got '${truncate(opts.amount, 20)}'`);
  }
  const problem = topUpProblem(amount, opts.compounding);
  if (problem) throw new UsageError(`--amount: ${problem}`, 'top up a 0x02 validator with --compounding, or give at most 32 ETH');
  return { network, amount, keystore: opts.keystore, out: opts.out };
}

/** Read the written file back: the same bytes, both roots and the signature check out. */
function reverifyTopUp(file: string, text: string, entry: DepositEntry, network: Network): boolean {
  const back = decodeUtf8(readBoundedFile(file, MAX_DEPOSIT_FILE_BYTES), file);
  if (back !== text) return false;
  const [e] = parseDepositData(back, file);
  if (!e || !equalBytes(e.pubkey, entry.pubkey) || e.amount !== entry.amount) return false;
  const c = checkDepositEntry(e, network.depositDomain);
  return c.messageRootOk && c.dataRootOk && c.signatureOk;
}

async function runTopUp(opts: TopUpOptions): Promise<number> {
  const plan = planTopUp(opts);
  const findings: Finding[] = [];
  checkWithdrawalAddressOption(opts.withdrawalAddress);
  const outExisted = assertOutputDirUsable(plan.out, '--out ');
  const parsed = readKeystoreForSigning(plan.keystore);
  // A deposit signed by a withdrawal key is a deposit for a validator that does not exist: its ETH
  // waits, inactive, for 32 ETH more under a key no validator client should ever hold.
  if (classifyPath(parsed.keystore.path).kind === 'withdrawal') {
    throw new UsageError(`${plan.keystore} holds a withdrawal key (path ${parsed.keystore.path}), not a validator's signing key: a deposit signed with it would not top up your validator`, "use the validator's keystore-m_12381_3600_i_0_0-*.json");
  }
  const gate = await airgapGate('deposit top-up', { allowOnline: opts.allowOnline, json: opts.json });
  if (gate.allowedOnline) findings.push(finding('top-up-signed-online', 'warning', 'machine', 'the top-up was signed on a machine that is not airgapped (--allow-online)', {}));

  const password = await readSecret({ what: 'keystore password', flag: '--password-file', file: opts.passwordFile, prompt: 'keystore password: ', echo: false });
  const interactive = opts.passwordFile === undefined && hasTerminal();
  const address = checkAddress(await readWithdrawalAddress(opts.withdrawalAddress, interactive));
  if (!address.ok) throw new UsageError(`withdrawal address: ${address.reason}`);
  refuseZeroAddress(address.bytes, 'withdrawal address');
  if (!address.checksummed) {
    printWarning(`the withdrawal address has no EIP-55 checksum (all one case): check it character by character; checksummed it is ${address.address}`);
    findings.push(finding('top-up-address-unchecksummed', 'warning', address.address, 'the withdrawal address was given without an EIP-55 checksum (all lower or all upper case)', { checksummed: address.address }));
  }
  assertStdinConsumed();

  const { secret } = await unlockKeystore(parsed, password, plan.keystore);
  let entry: DepositEntry;
  try {
    entry = buildTopUp({ signingSk: secret, withdrawalAddress: address.bytes, compounding: opts.compounding, amount: plan.amount, network: plan.network, depositCliVersion: VERSION });
  } finally {
    secret.fill(0);
  }
  const text = serializeDepositData([entry]);
  prepareOutputDir(plan.out, '--out ');
  const file = path.join(plan.out, depositDataFileName(Math.floor(Date.now() / 1000)));
  writeFileExclusive(file, text);
  const ok = reverifyTopUp(file, text, entry, plan.network);
  findings.push(ok
    ? finding('top-up-output-verified', 'info', file, 'the deposit file read back: roots and signature verified', {})
    : finding('top-up-output-mismatch', 'error', file, 'the deposit file read back is not what was signed, or does not verify: do not deposit it', {}, 'delete the file and run the command again'));
  const pubkey = `0x${Buffer.from(entry.pubkey).toString('hex')}`;
  const report: Report = {
    ok: passes(findings),
    command: 'deposit top-up',
    findings,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: plan.network.name,
    pubkey,
    amount_gwei: entry.amount,
    withdrawal_address: address.address,
    withdrawal_credentials_type: opts.compounding ? '0x02' : '0x01',
    out_dir: plan.out,
    created_out_dir: !outExisted,
    deposit_file: file,
    deposit_file_sha256: createHash('sha256').update(text).digest('hex'),
  };
  const s = styleFor(process.stdout);
  const header = [
    s.bold(`signed a top-up of ${formatGwei(entry.amount)} ETH for ${printable(pubkey.slice(0, 18))}… on ${printable(plan.network.name)} (${report['withdrawal_credentials_type'] as string} credentials)`),
    `deposit file  ${printable(file)} (mode 0600)`,
    `sha256        ${report['deposit_file_sha256'] as string}`,
    'check it with: coldstake deposit verify FILE --network NET --top-up',
    '',
  ].join('\n');
  printReport(report, { json: opts.json, header });
  return report.ok ? 0 : 1;
}

/** Gwei as an exact decimal ETH string ("1.5", "32"): integer arithmetic only. */
function formatGwei(gwei: number): string {
  const whole = Math.floor(gwei / GWEI_PER_ETH);
  const frac = String(gwei % GWEI_PER_ETH).padStart(9, '0').replace(/0+$/, '');
  return frac === '' ? String(whole) : `${whole}.${frac}`;
}

function registerTopUp(dep: Command): void {
  const cmd = dep
    .command('top-up')
    .description("sign a top-up deposit for an existing validator from its keystore (ethstaker-deposit-cli partial-deposit)")
    .option('--keystore <file>', "the validator's EIP-2335 keystore")
    .option('--amount <eth>', 'ETH to deposit, 1 to 2048, at most 9 decimals (0x01: at most 32)')
    .option('--withdrawal-address <0x…>', 'execution address of the withdrawal credentials (EIP-55); retyped on the terminal; asked twice when absent')
    .option('--compounding', '0x02 (compounding) withdrawal credentials instead of 0x01', false)
    .option('--network <net>', 'mainnet, hoodi, sepolia, holesky (or a devnet name with --fork-version); any case')
    .option('--fork-version <hex>', 'genesis fork version (0x + 8 hex digits) of a devnet')
    .option('--out <dir>', 'new or empty directory for deposit_data-*.json');
  addPasswordFileOption(cmd);
  addAllowOnlineOption(cmd);
  addJsonOption(cmd).action(action((opts: TopUpOptions) => runTopUp(opts)));
}

/** `deposit top-up` in the help's airgapped-laptop group; registered with `deposit` above. */
export const depositTopUpCommand: CommandSpec = {
  group: 'airgapped',
  order: 5,
  usage: 'deposit top-up --keystore FILE --amount ETH --withdrawal-address 0x… [--compounding] --network NET --out DIR',
  summary: "sign a top-up deposit for an existing validator from its keystore (ethstaker-deposit-cli partial-deposit)",
  example: 'deposit top-up --keystore validator_keys/keystore-m_12381_3600_0_0_0-1700000000.json --amount 1.5 --compounding --withdrawal-address 0x0f51bb10119727a7e5eA3538074fb341F56B09Ad --network hoodi --out ./top-up',
  register: () => {},
};
