/**
 * `deposit verify FILE --network zond-testnet|zond-betanet|zond-NAME --fork-version 0x… [--withdrawal-address Q…]
 * [--keystores DIR]` for Zond deposit_data files in the pinned format (qrysm dfc813be, go-qrllib v0.9.0).
 *
 * Story: resolve the network → read (64 MiB bound) and strictly parse the file (another era: exit 2
 * naming it) → both roots, the ML-DSA-87 signature, network ↔ fork version, amount, address,
 * duplicates → optionally match the Zond keystores one to one (pubkeys only) → report.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { formatZondAddress, parseZondAddress, ZondAddressError } from '../../core/zond/address.js';
import { parseZondDepositData, ZOND_MAX_DEPOSIT_FILE_BYTES, type ZondDepositEntry } from '../../core/zond/deposit.js';
import { zondDepositFindings, type ZondEntryVerdict } from '../../core/zond/deposit-checks.js';
import { ZOND_FORMAT } from '../../core/zond/format.js';
import { ZOND_KEYSTORE_INPUT_PROBLEMS, zondFileFindings } from '../../core/zond/keystore-checks.js';
import { resolveZondNetwork, zondNetworkByFileName, type ZondNetwork } from '../../core/zond/networks.js';
import { decodeUtf8, readBoundedFile } from '../io/read-input.js';
import { printWarning } from '../output/diagnostics.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { readZondKeystoreEntries } from './keystore-verify.js';

export interface ZondDepositVerifyOptions {
  json: boolean;
  network?: string;
  forkVersion?: string;
  withdrawalAddress?: string;
  keystores?: string;
  topUp?: boolean;
}

const INPUT_PROBLEMS = new Set(['zond-deposit-older-format', ...ZOND_KEYSTORE_INPUT_PROBLEMS]);

/** `--network zond-…` (and `--fork-version` for a devnet). @throws {UsageError} */
export function zondNetworkOption(name: string, forkVersion: string | undefined): ZondNetwork {
  try {
    return resolveZondNetwork(name, forkVersion);
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`);
  }
}

/** `--withdrawal-address Q…` with the mixed-case checksum rule. @throws {UsageError} */
export function zondAddressOption(text: string | undefined, flag = '--withdrawal-address'): Uint8Array | undefined {
  if (text === undefined) return undefined;
  try {
    const bytes = parseZondAddress(text);
    const body = text.trim().slice(1);
    if (body === body.toLowerCase() || body === body.toUpperCase()) {
      printWarning(`${flag} has no checksum (all one case): double-check it, its checksummed form is ${formatZondAddress(bytes)}`);
    }
    return bytes;
  } catch (err) {
    if (err instanceof ZondAddressError) throw new UsageError(`${flag}: ${err.message}`, 'copy the Q-address from your QRL wallet: Q followed by 128 hex digits');
    throw err;
  }
}

/**
 * The Zond network a deposit file names (for `keystore verify --deposit-data` without --network).
 * @throws {UsageError} when its entries name no known Zond network, or several.
 */
export function inferZondNetwork(file: string): string {
  const names = new Set(readZondDepositFile(file).map((e) => e.networkName));
  const only = names.size === 1 ? [...names][0]! : undefined;
  if (only !== undefined && zondNetworkByFileName(only)) return `zond-${only}`;
  throw new UsageError(`${file}: its entries do not name one known Zond network: give --network zond-…`, 'for a devnet give --network zond-NAME --fork-version 0x…');
}

/** Read and parse a Zond deposit file. @throws {InputError|ZondFormatError} (exit 2). */
export function readZondDepositFile(file: string): ZondDepositEntry[] {
  return parseZondDepositData(decodeUtf8(readBoundedFile(file, ZOND_MAX_DEPOSIT_FILE_BYTES), file), file);
}

export async function verifyZondDepositFile(file: string, opts: ZondDepositVerifyOptions): Promise<{ report: Report; malformed: boolean; entries: ZondDepositEntry[] }> {
  const network = zondNetworkOption(opts.network!, opts.forkVersion);
  const withdrawalAddress = zondAddressOption(opts.withdrawalAddress);
  const entries = readZondDepositFile(file);
  const findings: Finding[] = [];
  const r = zondDepositFindings(file, entries, { network, ...(withdrawalAddress ? { withdrawalAddress } : {}) });
  findings.push(...r.findings);
  if (opts.keystores !== undefined) {
    const ks = readZondKeystoreEntries([opts.keystores]);
    for (const e of ks) findings.push(...zondFileFindings(e).filter((f) => ZOND_KEYSTORE_INPUT_PROBLEMS.has(f.id) || f.id === 'zond-keystore-account-file'));
    const keyPubs = new Map<string, string>();
    for (const e of ks) {
      if (e.parsed?.kind !== 'validator-keystore' || e.problem) continue;
      const pk = e.parsed.keystore.pubkey;
      if (pk === undefined) findings.push(finding('zond-keystore-missing-pubkey', 'error', e.file, 'the keystore has no pubkey member, so it cannot be matched to a deposit entry without decrypting it', {}));
      else keyPubs.set(pk, e.file);
    }
    const depPubs = new Set(entries.map((e) => bytesToHex(e.pubkey)));
    entries.forEach((e, i) => {
      if (!keyPubs.has(bytesToHex(e.pubkey))) findings.push(finding('deposit-without-keystore', 'error', `${file}[${i}]`, 'no keystore in --keystores holds this entry\'s key', { pubkey: `0x${bytesToHex(e.pubkey).slice(0, 16)}…` }));
    });
    for (const [pk, f] of keyPubs) if (!depPubs.has(pk)) findings.push(finding('keystore-without-deposit', 'error', f, 'the deposit file has no entry for this keystore\'s key', { pubkey: `0x${pk.slice(0, 16)}…` }));
  }
  const verdicts: ZondEntryVerdict[] = r.verdicts.map((v) => {
    const errors = v.errors.concat(findings.filter((f) => f.severity === 'error' && f.subject === `${file}[${v.index}]` && !v.errors.includes(f.id)).map((f) => f.id));
    return { ...v, ok: errors.length === 0, errors };
  });
  const report: Report = {
    ok: passes(findings),
    command: 'deposit verify',
    findings,
    file,
    zond_format: ZOND_FORMAT.label,
    network: network.id,
    network_name: network.networkName,
    fork_version: `0x${bytesToHex(network.genesisForkVersion)}`,
    count: entries.length,
    entries: verdicts,
  };
  return { report, malformed: findings.some((f) => INPUT_PROBLEMS.has(f.id)), entries };
}

function render(report: Report): string {
  const s = styleFor(process.stdout);
  const entries = report['entries'] as ZondEntryVerdict[];
  const lines = [
    `${printable(String(report['file']))}: ${entries.length} Zond entr${entries.length === 1 ? 'y' : 'ies'} for ${printable(String(report['network']))} (network_name "${printable(String(report['network_name']))}")`,
    `format: ${ZOND_FORMAT.label}`,
    ...entries.map((e) => `${e.ok ? s.green(MARK.ok) : s.red(MARK.fail)} [${e.index}] ${e.pubkey.slice(0, 14)}…  → ${e.address.slice(0, 12)}…${e.ok ? '' : `  ${printable(e.errors.join(', '))}`}`),
  ];
  return `${lines.join('\n')}\n`;
}

export async function runZondDepositVerify(file: string, opts: ZondDepositVerifyOptions): Promise<number> {
  if (opts.topUp) throw new UsageError('--top-up is an Ethereum option: Zond amounts other than 40,000 QRL are reported as warnings');
  const { report, malformed } = await verifyZondDepositFile(file, opts);
  printReport(report, { json: opts.json, header: render(report) });
  return exitCodeWithInputProblems(report, malformed, (f) => INPUT_PROBLEMS.has(f.id));
}
