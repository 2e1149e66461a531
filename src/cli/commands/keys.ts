/**
 * `coldstake keys new`: validator keystores and deposit data from a mnemonic, byte-compatible with
 * ethstaker-deposit-cli, built in parallel and re-verified before success.
 *
 * The user's story: check the flags; pass the airgap gate; read the mnemonic (and passphrase), the
 * keystore password (typed twice) and the withdrawal address (typed twice when at the keyboard);
 * only then create the output directory and write; re-verify; print a summary and the deposit
 * file's SHA-256.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { checkAddress } from '../../core/eth/address.js';
import { addressWithdrawalCredentials, GWEI_PER_ETH, parseEthAmount, STANDARD_DEPOSIT_GWEI } from '../../core/eth/deposit.js';
import { MAX_INDEX } from '../../core/eth/derivation.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { defaultKdf, type KdfChoice } from '../../core/eth/keystore-format.js';
import { resolveNetwork, type Network } from '../../core/eth/networks.js';
import {
  action,
  addAllowOnlineOption,
  addJsonOption,
  addMnemonicFileOption,
  addPasswordFileOption,
  parseIntOption,
  truncate,
  type CommandSpec,
} from '../common.js';
import { airgapGate } from '../gate.js';
import { mnemonicToSeed, readMnemonicSecret } from '../io/mnemonic-input.js';
import { assertOutputDirUsable, prepareOutputDir } from '../io/safe-write.js';
import { askTerminal, assertStdinConsumed, hasTerminal, readSecret } from '../io/secrets.js';
import { checkWithdrawalAddressOption, readWithdrawalAddress, refuseZeroAddress } from '../io/withdrawal-address.js';
import { generateKeys, type GenerateResult, type KdfSaltLayout } from '../keys/generate.js';
import { poolRunner } from '../keys/runners.js';
import { printWarning } from '../output/diagnostics.js';
import { progressBar } from '../output/progress.js';
import { printReport } from '../output/report.js';
import { styleFor } from '../output/style.js';
import { VERSION } from '../self.js';
import { isZondNetworkName } from '../../core/zond/networks.js';
import { runZondKeysNew } from '../keys/zond-new.js';

/** More validators than this in one run is almost certainly a typo (it would take hours). */
export const MAX_COUNT = 10_000;
export const MIN_PASSWORD_LENGTH = 12;

interface KeysNewOptions {
  network: string;
  forkVersion?: string;
  count: string;
  startIndex: string;
  withdrawalAddress?: string;
  compounding: boolean;
  amount: string;
  kdf: string;
  kdfSalt: string;
  out: string;
  mnemonicFile?: string;
  passwordFile?: string;
  passphrase: boolean;
  lightKdf?: boolean;
  allowOnline: boolean;
  json: boolean;
}

interface Plan {
  network: Network;
  count: number;
  startIndex: number;
  amount: number;
  kdf: KdfChoice;
  kdfSalt: KdfSaltLayout;
  compounding: boolean;
}

function planFromOptions(opts: KeysNewOptions): Plan {
  let network: Network;
  try {
    network = resolveNetwork(opts.network, opts.forkVersion);
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`, 'networks: mainnet, hoodi, sepolia, holesky; a devnet takes --network NAME --fork-version 0x…');
  }
  const count = parseIntOption('--count', opts.count, 1, MAX_COUNT);
  const startIndex = parseIntOption('--start-index', opts.startIndex, 0, MAX_INDEX);
  if (startIndex + count - 1 > MAX_INDEX) {
    throw new UsageError(`--start-index ${startIndex} with --count ${count} goes past the last index 2^32-1 (${MAX_INDEX})`);
  }
  let amount: number;
  try {
    amount = parseEthAmount(opts.amount);
  } catch (err) {
    throw new UsageError(`--amount: ${(err as Error).message}, got '${truncate(opts.amount, 20)}'`);
  }
  if (opts.kdf !== 'scrypt' && opts.kdf !== 'pbkdf2') throw new UsageError(`--kdf must be scrypt or pbkdf2, got '${truncate(opts.kdf, 20)}'`);
  if (opts.kdfSalt !== 'per-batch' && opts.kdfSalt !== 'per-keystore') throw new UsageError(`--kdf-salt must be per-batch or per-keystore, got '${truncate(opts.kdfSalt, 20)}'`);
  return { network, count, startIndex, amount, kdf: defaultKdf(opts.kdf), kdfSalt: opts.kdfSalt, compounding: opts.compounding };
}

async function confirmAmount(plan: Plan, interactive: boolean, findings: Finding[]): Promise<void> {
  const eth = plan.amount / GWEI_PER_ETH;
  if (!plan.compounding && plan.amount !== STANDARD_DEPOSIT_GWEI) {
    const why = plan.amount < STANDARD_DEPOSIT_GWEI
      ? 'a 0x01 validator is not activated until its balance reaches 32 ETH'
      : 'a 0x01 validator never earns on balance above 32 ETH; the excess is withdrawn';
    if (!interactive) {
      throw new UsageError(`0x01 deposits must be exactly 32 ETH, got ${eth} ETH: ${why}`, 'use --compounding for 0x02 credentials (1-2048 ETH), or run in a terminal to confirm the amount');
    }
    const answer = (await askTerminal(`${why}. type 'yes' to deposit ${eth} ETH per validator anyway: `)).trim();
    if (answer !== 'yes') throw new UsageError('amount not confirmed');
    findings.push(finding('keys-amount-not-32', 'warning', 'deposit', `0x01 deposits of ${eth} ETH instead of 32 ETH (confirmed by the user)`, { amount_gwei: plan.amount }));
  }
  if (plan.compounding && plan.amount < STANDARD_DEPOSIT_GWEI) {
    findings.push(finding('keys-amount-below-activation', 'warning', 'deposit', `${eth} ETH is below the 32 ETH a validator needs to be activated: top it up later`, { amount_gwei: plan.amount }));
  }
}

interface ConfirmedInputs {
  mnemonic: string;
  passphrase: string;
  password: string;
  address: { address: string; bytes: Uint8Array; checksummed: boolean };
}

/**
 * Characters of a password that protect the keystore: EIP-2335 removes the C0 and C1 control codes and
 * DEL before the KDF, so twelve control characters would make a keystore with an empty password.
 */
export function passwordLength(password: string): number {
  let n = 0;
  for (const c of password) {
    const cp = c.codePointAt(0)!;
    if (cp > 0x1f && !(cp >= 0x7f && cp <= 0x9f)) n++;
  }
  return n;
}

/** Amount confirmation, mnemonic (and passphrase), password typed twice, withdrawal address typed twice. */
async function readConfirmedInputs(opts: KeysNewOptions, plan: Plan, findings: Finding[]): Promise<ConfirmedInputs> {
  // At the keyboard: the mnemonic comes from the terminal, so confirmations are asked there too.
  const interactive = opts.mnemonicFile === undefined && hasTerminal();
  await confirmAmount(plan, interactive, findings);
  const secret = await readMnemonicSecret({ file: opts.mnemonicFile, passphrase: opts.passphrase });
  const password = await readSecret({
    what: 'keystore password',
    flag: '--password-file',
    file: opts.passwordFile,
    prompt: `keystore password (at least ${MIN_PASSWORD_LENGTH} characters, not shown): `,
    echo: false,
    confirm: true,
    validate: (v) => (passwordLength(v) >= MIN_PASSWORD_LENGTH
      ? null
      : `the keystore password must have at least ${MIN_PASSWORD_LENGTH} characters, not counting control characters (EIP-2335 removes them)`),
  });
  const address = checkAddress(await readWithdrawalAddress(opts.withdrawalAddress, interactive));
  if (!address.ok) throw new UsageError(`withdrawal address: ${address.reason}`);
  refuseZeroAddress(address.bytes, 'withdrawal address');
  if (!address.checksummed) {
    printWarning(`the withdrawal address has no EIP-55 checksum (all one case): check it character by character; checksummed it is ${address.address}`);
    findings.push(finding('keys-withdrawal-address-unchecksummed', 'warning', address.address, 'the withdrawal address was given without an EIP-55 checksum (all lower or all upper case)', { checksummed: address.address }));
  }
  assertStdinConsumed();
  return { mnemonic: secret.mnemonic, passphrase: secret.passphrase, password, address };
}

async function run(opts: KeysNewOptions): Promise<number> {
  // Zond (QRL) keys: their own pipeline (src/cli/keys/zond-new.ts).
  if (isZondNetworkName(opts.network)) return runZondKeysNew(opts);
  if (opts.lightKdf) throw new UsageError('--light-kdf applies to Zond keystores only (--network zond-…)');
  const plan = planFromOptions(opts);
  const findings: Finding[] = [];
  checkWithdrawalAddressOption(opts.withdrawalAddress);
  // A non-empty, read-only or missing-parent --out is refused before any secret is asked for.
  const outExisted = assertOutputDirUsable(opts.out, '--out ');
  const gate = await airgapGate('keys new', { allowOnline: opts.allowOnline, json: opts.json });
  if (gate.allowedOnline) {
    findings.push(finding('keys-generated-online', 'warning', 'machine', 'keys were generated on a machine that is not airgapped (--allow-online)', {}));
  }

  // Workers start now, so they are ready by the time every input is confirmed.
  const runner = poolRunner(plan.count, plan.kdf, { layout: plan.kdfSalt });
  let seed: Uint8Array | undefined;
  let result: GenerateResult;
  let address: ConfirmedInputs['address'];
  try {
    const inputs = await readConfirmedInputs(opts, plan, findings);
    address = inputs.address;
    // Every input is confirmed: now, and only now, create and write.
    prepareOutputDir(opts.out, '--out ');
    seed = mnemonicToSeed(inputs.mnemonic, inputs.passphrase);
    result = await generateKeys(
      {
        seed,
        startIndex: plan.startIndex,
        count: plan.count,
        password: inputs.password,
        kdf: plan.kdf,
        withdrawalCredentials: addressWithdrawalCredentials(address.bytes, plan.compounding),
        amount: plan.amount,
        network: plan.network,
        depositCliVersion: VERSION,
        outDir: opts.out,
        unixtime: Math.floor(Date.now() / 1000),
        createdOutDir: !outExisted,
        kdfSalt: plan.kdfSalt,
      },
      runner,
      progressBar(`keystores (${runner.size} worker${runner.size === 1 ? '' : 's'})`, plan.count),
    );
  } finally {
    seed?.fill(0);
    await runner.close();
  }

  findings.push(
    finding('keys-outputs-verified', 'info', opts.out, `${plural(result.validators.length, 'keystore')} and ${plural(result.verified.depositEntries, 'deposit entry', 'deposit entries')} re-verified on disk`, {
      keystores_byte_identical: result.verified.keystoresByteIdentical,
      keystores_full_kdf: result.verified.keystoresFullKdf,
      deposit_entries: result.verified.depositEntries,
    }),
  );
  const credType = plan.compounding ? '0x02' : '0x01';
  const report: Report = {
    ok: passes(findings),
    command: 'keys new',
    findings,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: plan.network.name,
    fork_version: Buffer.from(plan.network.genesisForkVersion).toString('hex'),
    withdrawal_address: address.address,
    withdrawal_credentials_type: credType,
    amount_gwei: plan.amount,
    kdf: plan.kdf,
    kdf_salt: plan.kdfSalt,
    out_dir: opts.out,
    deposit_file: result.depositFile,
    deposit_file_sha256: result.depositFileSha256,
    kdf_runs: result.kdfRuns,
    validators: result.validators.map((v) => ({
      index: v.index,
      path: v.path,
      pubkey: v.pubkey,
      withdrawal_credentials: v.withdrawalCredentials,
      keystore_file: v.keystoreFile,
    })),
  };
  printReport(report, { json: opts.json, header: renderSummary(result, plan, credType) });
  return report.ok ? 0 : 1;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function renderSummary(r: GenerateResult, plan: Plan, credType: string): string {
  const s = styleFor(process.stdout);
  const eth = plan.amount / GWEI_PER_ETH;
  const rows = r.validators.map((v) => `  ${String(v.index).padEnd(10)} 0x${v.pubkey.slice(0, 16)}…  0x${v.withdrawalCredentials}`);
  return [
    s.bold(`created ${r.validators.length} validator keystore${r.validators.length === 1 ? '' : 's'} and their deposit data for ${plan.network.name} (${credType} credentials, ${eth} ETH each)`),
    `  ${'index'.padEnd(10)} ${'pubkey'.padEnd(19)}  withdrawal credentials`,
    ...rows,
    '',
    `deposit file  ${r.depositFile}`,
    `sha256        ${r.depositFileSha256}`,
    `keystores     ${plural(r.validators.length, 'file')} (mode 0600), ${plan.kdf.function} ${plan.kdf.function === 'scrypt' ? `n=${plan.kdf.params.n}` : `c=${plan.kdf.params.c}`}, ${plan.kdfSalt === 'per-batch' ? 'one salt for the batch (a fresh IV each)' : 'one salt per keystore'}`,
    '',
  ].join('\n');
}

export const keysCommand: CommandSpec = {
  group: 'airgapped',
  order: 3,
  usage: 'keys new --network NET --count N [--start-index I] --withdrawal-address 0x… [--compounding] [--amount ETH] [--kdf scrypt|pbkdf2] [--kdf-salt per-batch|per-keystore] --out DIR',
  summary: 'validator keystores + deposit data from a mnemonic (ethstaker-deposit-cli compatible)',
  example: 'keys new --network hoodi --count 4 --withdrawal-address 0x0f51bb10119727a7e5eA3538074fb341F56B09Ad --out ./validator_keys',
  register(program: Command) {
    const keys = program.command('keys').description('create validator keys');
    const cmd = keys
      .command('new')
      .description('create EIP-2335 keystores and a deposit_data file from a mnemonic, in parallel, and re-verify them')
      .requiredOption('--network <name>', 'mainnet, hoodi, sepolia, holesky, zond-testnet, zond-betanet, or a devnet name (zond-NAME for Zond) with --fork-version')
      .option('--fork-version <0x…>', 'genesis fork version of a devnet (8 hex digits)')
      .requiredOption('--count <n>', `number of validators (1-${MAX_COUNT})`)
      .option('--start-index <i>', 'first validator index (EIP-2334 m/12381/3600/i/0/0)', '0')
      .option('--withdrawal-address <0x…|Q…>', 'execution address (EIP-55) or Zond Q-address for withdrawals; asked twice on the terminal when absent')
      .option('--compounding', '0x02 (compounding) withdrawal credentials instead of 0x01', false)
      .option('--amount <eth>', 'deposit per validator in ETH (1-2048; 0x01 deposits are 32)', '32')
      .option('--kdf <name>', 'keystore KDF: scrypt (n=2^18) or pbkdf2 (c=2^18)', 'scrypt')
      .option('--kdf-salt <layout>', 'per-batch: one salt and one KDF run for all keystores, a fresh IV each (ethstaker-deposit-cli); per-keystore: one salt and KDF run each', 'per-batch')
      .requiredOption('--out <dir>', 'new or empty directory for the keystores and the deposit file')
      .option('--passphrase', 'the mnemonic has a BIP39 passphrase: read it too', false)
      .option('--light-kdf', 'Zond only: argon2id with 4 MiB instead of 256 MiB, as qrysm --lightkdf (weak: tests, throwaway devnets)');
    addMnemonicFileOption(cmd);
    addPasswordFileOption(cmd);
    addAllowOnlineOption(cmd);
    addJsonOption(cmd).action(action((opts: KeysNewOptions) => run(opts)));
  },
};
