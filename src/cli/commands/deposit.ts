/**
 * `coldstake deposit verify FILE --network NET [--fork-version 0x…] [--withdrawal-address 0x…] [--keystores DIR]`:
 * verify a deposit_data file before depositing.
 *
 * Story: resolve the network → read and strictly parse the file (16 MiB bound) → verify every
 * signature (randomized batches across cores) → recompute both roots, check network, amounts,
 * credentials, duplicates → optionally match the keystores one to one (pubkeys only) → report.
 */
import type { Command } from 'commander';
import { checkAddress } from '../../core/eth/address.js';
import { MAX_DEPOSIT_ENTRIES, MAX_DEPOSIT_FILE_BYTES, parseDepositData, type DepositEntry } from '../../core/eth/deposit.js';
import { depositFindings, matchKeystoresToDeposits, ownSigningRootOf, type EntryVerdict } from '../../core/eth/deposit-checks.js';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { fileFindings, KEYSTORE_INPUT_PROBLEMS, setFindings } from '../../core/eth/keystore-checks.js';
import { parseForkVersion, resolveNetwork, retiredNetwork, type Network } from '../../core/eth/networks.js';
import { action, addJsonOption, type CommandSpec } from '../common.js';
import { loadKeystoreEntries } from '../io/keystore-files.js';
import { decodeUtf8, readBoundedFile } from '../io/read-input.js';
import { printWarning } from '../output/diagnostics.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
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
    entries: verdicts.map((v) => ({ ...v, errors: v.errors.concat(findings.filter((f) => f.severity === 'error' && f.subject === `${file}[${v.index}]` && !v.errors.includes(f.id)).map((f) => f.id)) })).map((v) => ({ ...v, ok: v.errors.length === 0 })),
  };
  return { report, malformed: findings.some((f) => INPUT_PROBLEMS.has(f.id)), entries };
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
  if (isZondNetworkName(opts.network)) return runZondDepositVerify(file, opts);
  const { report, malformed } = await verifyDepositFile(file, opts);
  printReport(report, { json: opts.json, header: renderEntries(report) });
  return exitCodeWithInputProblems(report, malformed, (f) => INPUT_PROBLEMS.has(f.id));
}

export const depositCommand: CommandSpec = {
  group: 'validator',
  order: 2,
  usage: 'deposit verify FILE --network NET [--withdrawal-address 0x…] [--keystores DIR] [--top-up]',
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
      .option('--top-up', 'amounts below 32 ETH are intended (a split deposit or a top-up of an existing validator)');
    addJsonOption(verify);
    verify.action(action((file: string, opts: DepositVerifyOptions) => run(file, opts)));
  },
};
