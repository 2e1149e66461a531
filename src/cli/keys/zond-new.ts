/**
 * `coldstake keys new --network zond-testnet|zond-betanet|zond-NAME --fork-version 0x…`: Zond
 * validator keystores and a deposit_data file in qrysm's format (pinned: qrysm dfc813be, go-qrllib
 * v0.9.0), with the safety of the Ethereum keys: airgap gate, secrets only from files or the
 * terminal, 0600 exclusive atomic writes, re-verification before success.
 *
 * The story: check the flags; pass the gate; read the QRL seed (32/34 words or hex), the keystore
 * password (twice at the terminal; refused when the validator's NFKD form differs from it) and the
 * Q withdrawal address; then write; re-verify; print the summary.
 */
import { ZOND_FORMAT } from '../../core/zond/format.js';
import { formatZondAddress, parseZondAddress, ZondAddressError } from '../../core/zond/address.js';
import { ZOND_DEPOSIT_AMOUNT } from '../../core/zond/deposit.js';
import { ZOND_MAX_INDEX } from '../../core/zond/derivation.js';
import { ZOND_KDF_DEFAULT, ZOND_KDF_LIGHT } from '../../core/zond/keystore.js';
import { resolveZondNetwork, type ZondNetwork } from '../../core/zond/networks.js';
import { normaliseZondPassword, zondPasswordNeedsNormalising } from '../../core/zond/password.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { parseIntOption, truncate } from '../common.js';
import { airgapGate } from '../gate.js';
import { readZondSeed } from '../io/zond-seed-input.js';
import { assertOutputDirUsable, prepareOutputDir } from '../io/safe-write.js';
import { askTerminal, assertStdinConsumed, hasTerminal, readSecret } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { printReport } from '../output/report.js';
import { styleFor } from '../output/style.js';
import { generateZondKeys, type ZondGenerateResult } from './zond-generate.js';

export interface ZondKeysNewOptions {
  network: string;
  forkVersion?: string;
  count: string;
  startIndex: string;
  withdrawalAddress?: string;
  compounding: boolean;
  amount: string;
  kdf: string;
  kdfSalt: string;
  lightKdf?: boolean;
  out: string;
  mnemonicFile?: string;
  passwordFile?: string;
  passphrase: boolean;
  allowOnline: boolean;
  json: boolean;
}

const MAX_COUNT = 10_000;
const MIN_PASSWORD_LENGTH = 12;

function parseAddress(text: string, what: string): Uint8Array {
  try {
    const bytes = parseZondAddress(text);
    if (bytes.every((b) => b === 0)) throw new UsageError(`${what}: the zero address would burn every withdrawal`, "give an address you control (your wallet's)");
    return bytes;
  } catch (err) {
    if (err instanceof ZondAddressError) throw new UsageError(`${what}: ${err.message}`, 'copy the Q-address from your QRL wallet: Q followed by 128 hex digits');
    throw err;
  }
}

async function readAddress(given: string | undefined, interactive: boolean): Promise<Uint8Array> {
  if (given !== undefined) {
    const bytes = parseAddress(given, '--withdrawal-address');
    if (interactive) {
      const again = (await askTerminal('retype the withdrawal Q-address to confirm it: ')).trim();
      if (again.toLowerCase() !== given.trim().toLowerCase()) throw new UsageError('the retyped withdrawal address differs from --withdrawal-address');
    }
    return bytes;
  }
  const first = (await askTerminal('withdrawal address (Q…, where the staked QRL will go): ')).trim();
  const bytes = parseAddress(first, 'withdrawal address');
  const again = (await askTerminal('repeat the withdrawal address: ')).trim();
  if (again.toLowerCase() !== first.toLowerCase()) throw new UsageError('the two withdrawal addresses differ');
  return bytes;
}

/** A password qrysm's validator can open: at least 12 characters, and unchanged by its NFKD normalisation. */
export function zondPasswordProblem(v: string): string | null {
  if (zondPasswordNeedsNormalising(v)) {
    return 'the qrysm validator opens keystores with the NFKD-normalised password (control characters removed), which differs from this one: use a password without accents, compatibility characters or control characters';
  }
  if ([...normaliseZondPassword(v)].length < MIN_PASSWORD_LENGTH) return `the keystore password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  return null;
}

export async function runZondKeysNew(opts: ZondKeysNewOptions): Promise<number> {
  let network: ZondNetwork;
  try {
    network = resolveZondNetwork(opts.network, opts.forkVersion);
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`);
  }
  if (opts.compounding) throw new UsageError('--compounding is an Ethereum option: Zond deposits carry the 64-byte Q-address itself');
  if (opts.amount !== '32') throw new UsageError(`--amount is an Ethereum option: Zond deposits are ${ZOND_DEPOSIT_AMOUNT / 1e9} QRL (40000000000000 shor), as qrysm writes them`);
  if (opts.kdf !== 'scrypt') throw new UsageError('--kdf is an Ethereum option: Zond keystores use argon2id (t=8, m=256 MiB, p=1; --light-kdf for 4 MiB)');
  if (opts.passphrase) throw new UsageError('--passphrase is a BIP39 option: a QRL seed has no passphrase');
  if (opts.kdfSalt !== 'per-batch' && opts.kdfSalt !== 'per-keystore') throw new UsageError(`--kdf-salt must be per-batch or per-keystore, got '${truncate(opts.kdfSalt, 20)}'`);
  const count = parseIntOption('--count', opts.count, 1, MAX_COUNT);
  const startIndex = parseIntOption('--start-index', opts.startIndex, 0, ZOND_MAX_INDEX);
  if (startIndex + count - 1 > ZOND_MAX_INDEX) throw new UsageError(`--start-index ${startIndex} with --count ${count} goes past the last index 2^32-1`);
  if (opts.withdrawalAddress !== undefined) parseAddress(opts.withdrawalAddress, '--withdrawal-address');
  else if (!hasTerminal()) throw new UsageError('--withdrawal-address is required when there is no terminal to type it on');
  const kdf = opts.lightKdf ? ZOND_KDF_LIGHT : ZOND_KDF_DEFAULT;
  const outExisted = assertOutputDirUsable(opts.out, '--out ');
  const findings: Finding[] = [];
  const gate = await airgapGate('keys new', { allowOnline: opts.allowOnline, json: opts.json });
  if (gate.allowedOnline) findings.push(finding('keys-generated-online', 'warning', 'machine', 'keys were generated on a machine that is not airgapped (--allow-online)', {}));
  if (opts.lightKdf) findings.push(finding('zond-keys-light-kdf', 'warning', opts.out, 'keystores use argon2id with 4 MiB (as qrysm --lightkdf): much cheaper to attack than the default 256 MiB', { m: kdf.m, t: kdf.t }));

  const interactive = opts.mnemonicFile === undefined && hasTerminal();
  const zseed = await readZondSeed(opts.mnemonicFile);
  let result: ZondGenerateResult;
  let address: Uint8Array;
  try {
    const password = await readSecret({
      what: 'keystore password',
      flag: '--password-file',
      file: opts.passwordFile,
      prompt: `keystore password (at least ${MIN_PASSWORD_LENGTH} characters, not shown): `,
      echo: false,
      confirm: true,
      validate: zondPasswordProblem,
    });
    address = await readAddress(opts.withdrawalAddress, interactive);
    assertStdinConsumed();
    prepareOutputDir(opts.out, '--out ');
    result = await generateZondKeys(
      { seed: zseed.seed, startIndex, count, password, kdf, kdfSalt: opts.kdfSalt, withdrawalAddress: address, amount: ZOND_DEPOSIT_AMOUNT, network, outDir: opts.out, unixtime: Math.floor(Date.now() / 1000), createdOutDir: !outExisted },
      progressBar('zond keystores', count),
    );
  } finally {
    zseed.seed.fill(0);
  }
  findings.push(finding('keys-outputs-verified', 'info', opts.out, `${result.validators.length} keystore${result.validators.length === 1 ? '' : 's'} and ${result.verified.depositEntries} deposit entr${result.verified.depositEntries === 1 ? 'y' : 'ies'} re-verified on disk`, {
    keystores_byte_identical: result.verified.keystoresByteIdentical,
    keystores_full_kdf: result.verified.keystoresFullKdf,
    deposit_entries: result.verified.depositEntries,
  }));
  const withdrawal = formatZondAddress(address);
  const report: Report = {
    ok: passes(findings),
    command: 'keys new',
    findings,
    zond_format: ZOND_FORMAT.label,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: network.id,
    network_name: network.networkName,
    fork_version: Buffer.from(network.genesisForkVersion).toString('hex'),
    withdrawal_address: withdrawal,
    amount_shor: ZOND_DEPOSIT_AMOUNT,
    kdf: { function: 'argon2id', params: { ...kdf, dklen: 32 } },
    kdf_salt: opts.kdfSalt,
    out_dir: opts.out,
    deposit_file: result.depositFile,
    deposit_file_sha256: result.depositFileSha256,
    kdf_runs: result.kdfRuns,
    validators: result.validators.map((v) => ({ index: v.index, path: v.path, pubkey: v.pubkey, keystore_file: v.keystoreFile })),
  };
  printReport(report, { json: opts.json, header: renderSummary(result, network, withdrawal, kdf, opts.kdfSalt) });
  return report.ok ? 0 : 1;
}

function renderSummary(r: ZondGenerateResult, net: ZondNetwork, address: string, kdf: { m: number; t: number }, layout: string): string {
  const s = styleFor(process.stdout);
  return [
    s.bold(`created ${r.validators.length} Zond validator keystore${r.validators.length === 1 ? '' : 's'} and their deposit data for ${net.id} (network_name "${net.networkName}", 40,000 QRL each)`),
    `format        ${ZOND_FORMAT.label}`,
    `withdrawals   ${address}`,
    `  ${'index'.padEnd(10)} pubkey`,
    ...r.validators.map((v) => `  ${String(v.index).padEnd(10)} 0x${v.pubkey.slice(0, 16)}…`),
    '',
    `deposit file  ${r.depositFile}`,
    `sha256        ${r.depositFileSha256}`,
    `keystores     ${r.validators.length} file${r.validators.length === 1 ? '' : 's'} (mode 0600), argon2id m=${kdf.m / 1024} MiB t=${kdf.t}, ${layout === 'per-batch' ? 'one salt for the batch (a fresh IV each)' : 'one salt per keystore'}`,
    net.known ? 'note          zond-testnet and zond-betanet share a fork version: only network_name tells these deposit files apart' : '',
    '',
  ].filter((l, i, a) => l !== '' || i === a.length - 1).join('\n');
}
