/**
 * `coldstake credentials change|verify`: sign BLS-to-execution credential changes (0x00 → 0x01) from
 * the mnemonic, byte-compatible with ethstaker-deposit-cli's `generate-bls-to-execution-change`, and
 * verify such a file before it is broadcast.
 *
 * change: check every flag → refuse an unusable --out → airgap gate → warn that the change is
 * permanent → read the mnemonic (and passphrase) and the withdrawal address (retyped at the keyboard)
 * → derive each withdrawal key and check it against the given 0x00 credentials → only then create
 * --out, sign, write (0600, exclusive, atomic) → read the file back and verify every signature.
 *
 * verify: read and strictly parse the file → resolve the network (--network, else the metadata) →
 * verify every signature → network, address, duplicates → with --mnemonic-file (gated) find each
 * from_bls_pubkey among the mnemonic's withdrawal keys → report.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { checkAddress } from '../../core/eth/address.js';
import { secretKeyFromScalar, secretToPublicKey, verify } from '../../core/eth/bls.js';
import {
  checkBlsCredentials,
  credentialChangeDomain,
  credentialChangeFileName,
  credentialChangeFindings,
  credentialChangeSigningRoot,
  MAX_CHANGE_FILE_BYTES,
  parseCredentialChanges,
  parseValidatorIndex,
  serializeCredentialChanges,
  signCredentialChange,
  type ChangeVerdict,
  type CredentialChange,
} from '../../core/eth/credentials.js';
import { equalBytes } from '../../core/eth/deposit.js';
import { COIN_TYPE, deriveChildSk, deriveMasterSk, MAX_INDEX, PURPOSE } from '../../core/eth/derivation.js';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { knownNetwork, networkByGenesisValidatorsRoot, type Network } from '../../core/eth/networks.js';
import { action, addAllowOnlineOption, addJsonOption, addMnemonicFileOption, parseIntOption, truncate, type CommandSpec } from '../common.js';
import { airgapGate } from '../gate.js';
import { mnemonicToSeed, readMnemonicSecret } from '../io/mnemonic-input.js';
import { decodeUtf8, readBoundedFile } from '../io/read-input.js';
import { assertOutputDirUsable, prepareOutputDir, writeFileExclusive } from '../io/safe-write.js';
import { assertStdinConsumed, hasTerminal } from '../io/secrets.js';
import { checkWithdrawalAddressOption, readWithdrawalAddress, refuseZeroAddress } from '../io/withdrawal-address.js';
import { printWarning } from '../output/diagnostics.js';
import { progressBar } from '../output/progress.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { VERSION } from '../self.js';
import { verifyManySignatures } from '../signatures.js';
import { withdrawalAddressOption } from './deposit.js';

/** Most changes signed in one run (each derives one withdrawal key). */
export const MAX_CHANGES = 1000;
/** `credentials verify --mnemonic-file` searches withdrawal keys m/12381/3600/i/0 for i in 0..N. */
export const DEFAULT_SEARCH_MAX_INDEX = 1000;
export const MAX_SEARCH_MAX_INDEX = 100_000;

const hex = (b: Uint8Array): string => bytesToHex(b);

/** `--network` for a credential change: a built-in network (it needs a genesis validators root). */
function changeNetwork(name: string | undefined): Network {
  if (name === undefined) throw new UsageError('--network is required', 'give --network mainnet|hoodi|sepolia|holesky');
  try {
    return knownNetwork(name);
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`, 'credential changes are signed with the network\'s genesis validators root: one of the built-in networks');
  }
}

/** Split a comma-separated list flag; empty items are refused. */
function listOption(flag: string, text: string): string[] {
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new UsageError(`${flag} has an empty item: give a comma-separated list without empty items or a trailing comma`);
  if (items.length > MAX_CHANGES) throw new UsageError(`${flag} has ${items.length} items, more than the ${MAX_CHANGES} one run signs`, 'split the validators over several runs');
  return items;
}

export interface ChangeOptions {
  network?: string;
  startIndex: string;
  validatorIndices?: string;
  blsCredentials?: string;
  withdrawalAddress?: string;
  out?: string;
  mnemonicFile?: string;
  passphrase: boolean;
  language?: string;
  allowOnline: boolean;
  json: boolean;
}

interface ChangePlan {
  network: Network;
  startIndex: number;
  validatorIndices: bigint[];
  credentials: Uint8Array[];
  out: string;
}

function planChange(opts: ChangeOptions): ChangePlan {
  const network = changeNetwork(opts.network);
  const startIndex = parseIntOption('--start-index', opts.startIndex, 0, MAX_INDEX);
  if (opts.validatorIndices === undefined) throw new UsageError('--validator-indices is required', 'the beacon-chain index of each validator, in key order: --validator-indices 1000,1001');
  if (opts.blsCredentials === undefined) throw new UsageError('--bls-credentials is required', "each validator's current 0x00 withdrawal credentials (from a block explorer or your beacon node), in the same order");
  if (opts.out === undefined) throw new UsageError('--out is required', 'a new or empty directory for the signed file');
  const validatorIndices = listOption('--validator-indices', opts.validatorIndices).map((t, k) => {
    try {
      return parseValidatorIndex(t);
    } catch (err) {
      throw new UsageError(`--validator-indices position ${k + 1}: ${(err as Error).message}, got '${truncate(t, 24)}'`);
    }
  });
  const credentials = listOption('--bls-credentials', opts.blsCredentials).map((t, k) => {
    if (!/^0x[0-9a-fA-F]{64}$/.test(t)) throw new UsageError(`--bls-credentials position ${k + 1}: must be 0x followed by 64 hex digits (32 bytes), got '${truncate(t, 24)}'`);
    return hexToBytes(t.slice(2).toLowerCase());
  });
  if (validatorIndices.length !== credentials.length) {
    throw new UsageError(`--validator-indices has ${validatorIndices.length} item${validatorIndices.length === 1 ? '' : 's'} but --bls-credentials has ${credentials.length}: give one credential per validator, in the same order`);
  }
  const seen = new Map<bigint, number>();
  validatorIndices.forEach((v, k) => {
    const first = seen.get(v);
    if (first !== undefined) throw new UsageError(`--validator-indices positions ${first + 1} and ${k + 1} are both validator ${v}: each validator is changed once`);
    seen.set(v, k);
  });
  credentials.forEach((c, k) => {
    if (c[0] !== 0x00) throw new UsageError(`--bls-credentials position ${k + 1} starts with 0x${c[0]!.toString(16).padStart(2, '0')}, not 0x00: validator ${validatorIndices[k]} does not have BLS credentials (already changed?), so there is nothing to change`);
  });
  if (startIndex + credentials.length - 1 > MAX_INDEX) throw new UsageError(`--start-index ${startIndex} with ${credentials.length} validators goes past the last key index 2^32-1`);
  return { network, startIndex, validatorIndices, credentials, out: opts.out };
}

/** The m/12381/3600 node's secret scalar; each withdrawal key is two children below it. */
function coinNode(seed: Uint8Array): bigint {
  return deriveChildSk(deriveChildSk(deriveMasterSk(seed), PURPOSE), COIN_TYPE);
}

/** m/12381/3600/i/0 as 32 bytes; the caller zeroes it. */
function withdrawalSkAt(coin: bigint, i: number): Uint8Array {
  return secretKeyFromScalar(deriveChildSk(deriveChildSk(coin, i), 0));
}

interface SignedChanges {
  changes: CredentialChange[];
  keyIndices: number[];
}

/**
 * Derive each withdrawal key, check it against the given 0x00 credentials (all of them, before any
 * signature), then sign.
 * @throws {UsageError} naming the first position whose credentials are not this mnemonic's key.
 */
function deriveCheckAndSign(seed: Uint8Array, plan: ChangePlan, address: Uint8Array): SignedChanges {
  const coin = coinNode(seed);
  const sks: Uint8Array[] = [];
  const bar = progressBar('deriving withdrawal keys', plan.credentials.length);
  try {
    for (let k = 0; k < plan.credentials.length; k++) {
      const i = plan.startIndex + k;
      const sk = withdrawalSkAt(coin, i);
      sks.push(sk);
      const verdict = checkBlsCredentials(plan.credentials[k]!, secretToPublicKey(sk));
      bar.tick(1);
      if (verdict !== 'ok') {
        throw new UsageError(
          `--bls-credentials position ${k + 1} (validator ${plan.validatorIndices[k]}) is not the 0x00 credentials of this mnemonic's withdrawal key m/12381/3600/${i}/0: nothing was signed`,
          'check --start-index (key i+k is the k-th validator), the order of --validator-indices, the mnemonic and its passphrase',
        );
      }
    }
    bar.done();
    const changes = sks.map((sk, k) => signCredentialChange({ withdrawalSk: sk, validatorIndex: plan.validatorIndices[k]!, toExecutionAddress: address, network: plan.network, depositCliVersion: VERSION }));
    return { changes, keyIndices: changes.map((_, k) => plan.startIndex + k) };
  } finally {
    bar.done();
    for (const sk of sks) sk.fill(0);
  }
}

/** Read the written file back and check it is exactly what was signed, every signature valid. */
function reverifyWritten(file: string, expected: readonly CredentialChange[], text: string, network: Network): boolean {
  const back = decodeUtf8(readBoundedFile(file, MAX_CHANGE_FILE_BYTES), file);
  if (back !== text) return false;
  const parsed = parseCredentialChanges(back, file);
  const domain = credentialChangeDomain(network);
  return parsed.length === expected.length && parsed.every((c, k) => {
    const e = expected[k]!;
    return c.validatorIndex === e.validatorIndex && equalBytes(c.fromBlsPubkey, e.fromBlsPubkey) && equalBytes(c.toExecutionAddress, e.toExecutionAddress)
      && verify(c.fromBlsPubkey, credentialChangeSigningRoot(c, domain), c.signature);
  });
}

const PERMANENT = 'a credential change is PERMANENT: once broadcast, the withdrawals of these validators go to this address forever, and no key can change it again';

async function runChange(opts: ChangeOptions): Promise<number> {
  const plan = planChange(opts);
  const findings: Finding[] = [];
  checkWithdrawalAddressOption(opts.withdrawalAddress);
  const outExisted = assertOutputDirUsable(plan.out, '--out ');
  const gate = await airgapGate('credentials change', { allowOnline: opts.allowOnline, json: opts.json });
  if (gate.allowedOnline) findings.push(finding('credentials-signed-online', 'warning', 'machine', 'the changes were signed on a machine that is not airgapped (--allow-online)', {}));
  printWarning(PERMANENT);

  const interactive = opts.mnemonicFile === undefined && hasTerminal();
  const secret = await readMnemonicSecret({ file: opts.mnemonicFile, language: opts.language, passphrase: opts.passphrase });
  const address = checkAddress(await readWithdrawalAddress(opts.withdrawalAddress, interactive));
  if (!address.ok) throw new UsageError(`withdrawal address: ${address.reason}`);
  refuseZeroAddress(address.bytes, 'withdrawal address');
  if (!address.checksummed) {
    printWarning(`the withdrawal address has no EIP-55 checksum (all one case): check it character by character; checksummed it is ${address.address}`);
    findings.push(finding('credentials-address-unchecksummed', 'warning', address.address, 'the withdrawal address was given without an EIP-55 checksum (all lower or all upper case)', { checksummed: address.address }));
  }
  assertStdinConsumed();

  const seed = mnemonicToSeed(secret.mnemonic, secret.passphrase);
  let signed: SignedChanges;
  try {
    signed = deriveCheckAndSign(seed, plan, address.bytes);
  } finally {
    seed.fill(0);
  }
  const text = serializeCredentialChanges(signed.changes);
  prepareOutputDir(plan.out, '--out ');
  const file = path.join(plan.out, credentialChangeFileName(Math.floor(Date.now() / 1000)));
  writeFileExclusive(file, text);
  const ok = reverifyWritten(file, signed.changes, text, plan.network);
  findings.push(ok
    ? finding('credentials-outputs-verified', 'info', file, `${signed.changes.length} signed change${signed.changes.length === 1 ? '' : 's'} read back and every signature verified`, { changes: signed.changes.length })
    : finding('credentials-output-mismatch', 'error', file, 'the file read back is not what was signed, or a signature does not verify: do not broadcast it', {}, 'delete the file and run the command again'));
  findings.push(finding('credentials-change-permanent', 'warning', file, PERMANENT, {}, 'broadcast only after checking the address with coldstake credentials verify'));
  const report: Report = {
    ok: passes(findings),
    command: 'credentials change',
    findings,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: plan.network.name,
    withdrawal_address: address.address,
    out_dir: plan.out,
    created_out_dir: !outExisted,
    file,
    changes: signed.changes.map((c, k) => ({
      validator_index: c.validatorIndex.toString(),
      key_index: signed.keyIndices[k],
      withdrawal_path: `m/12381/3600/${signed.keyIndices[k]}/0`,
      from_bls_pubkey: `0x${hex(c.fromBlsPubkey)}`,
      to_execution_address: `0x${hex(c.toExecutionAddress)}`,
    })),
  };
  printReport(report, { json: opts.json, header: renderChange(report) });
  return report.ok ? 0 : 1;
}

function renderChange(report: Report): string {
  const s = styleFor(process.stdout);
  const changes = report['changes'] as Array<{ validator_index: string; key_index: number; from_bls_pubkey: string }>;
  return [
    s.bold(`signed ${changes.length} credential change${changes.length === 1 ? '' : 's'} to ${printable(String(report['withdrawal_address']))} for ${printable(String(report['network']))}`),
    `  ${'validator'.padEnd(12)} ${'key'.padEnd(8)} from_bls_pubkey`,
    ...changes.map((c) => `  ${c.validator_index.padEnd(12)} ${String(c.key_index).padEnd(8)} ${c.from_bls_pubkey.slice(0, 18)}…`),
    '',
    `file  ${printable(String(report['file']))} (mode 0600)`,
    '',
  ].join('\n');
}

export interface VerifyOptions {
  network?: string;
  withdrawalAddress?: string;
  mnemonicFile?: string;
  maxIndex?: string;
  passphrase: boolean;
  language?: string;
  allowOnline: boolean;
  json: boolean;
}

/** Input problems that make `credentials verify` exit 2. */
const INPUT_PROBLEMS = new Set(['credentials-schema']);

function readChangeFile(file: string): { changes: CredentialChange[] } | { problem: Finding } {
  const text = decodeUtf8(readBoundedFile(file, MAX_CHANGE_FILE_BYTES), file);
  try {
    return { changes: parseCredentialChanges(text, file) };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const detail = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
    return { problem: finding('credentials-schema', 'error', file, detail, { field: err.field ?? null }) };
  }
}

/** --network, else the network the first entry's metadata names by its genesis validators root. */
function verifyNetwork(name: string | undefined, changes: readonly CredentialChange[]): Network {
  if (name !== undefined) return changeNetwork(name);
  const md = changes.find((c) => c.metadata)?.metadata;
  const byRoot = md ? networkByGenesisValidatorsRoot(hex(md.genesisValidatorsRoot)) : undefined;
  if (!byRoot) {
    throw new UsageError(md ? 'the file\'s genesis_validators_root is not a network coldstake knows: give --network' : 'the file has no metadata naming its network: give --network', 'give --network mainnet|hoodi|sepolia|holesky');
  }
  return knownNetwork(byRoot);
}

/**
 * Withdrawal pubkeys m/12381/3600/i/0 for i = 0, 1, … up to maxIndex, stopping as soon as every
 * wanted pubkey is found. The seed never leaves this thread; each secret is zeroed after use.
 */
function searchWithdrawalKeys(seed: Uint8Array, wanted: ReadonlySet<string>, maxIndex: number): Map<string, number> {
  const found = new Map<string, number>();
  const coin = coinNode(seed);
  const bar = progressBar('searching withdrawal keys', maxIndex + 1);
  try {
    for (let i = 0; i <= maxIndex && found.size < wanted.size; i++) {
      const sk = withdrawalSkAt(coin, i);
      try {
        const pk = hex(secretToPublicKey(sk));
        if (wanted.has(pk) && !found.has(pk)) found.set(pk, i);
      } finally {
        sk.fill(0);
      }
      bar.tick(1);
    }
  } finally {
    bar.done();
  }
  return found;
}

async function runVerify(file: string, opts: VerifyOptions): Promise<number> {
  const expectedAddress = withdrawalAddressOption(opts.withdrawalAddress);
  const maxIndex = opts.maxIndex === undefined ? DEFAULT_SEARCH_MAX_INDEX : parseIntOption('--max-index', opts.maxIndex, 0, MAX_SEARCH_MAX_INDEX);
  if (opts.maxIndex !== undefined && opts.mnemonicFile === undefined) throw new UsageError('--max-index only applies with --mnemonic-file');
  if (opts.network !== undefined) changeNetwork(opts.network);
  const read = readChangeFile(file);
  const findings: Finding[] = [];
  let verdicts: ChangeVerdict[] = [];
  let network: Network | undefined;
  let airgap: Report['airgap'];
  if ('problem' in read) {
    findings.push(read.problem);
  } else {
    const changes = read.changes;
    network = verifyNetwork(opts.network, changes);
    const domain = credentialChangeDomain(network);
    const sigOk = await verifyManySignatures(changes.map((c) => ({ pubkey: c.fromBlsPubkey, message: credentialChangeSigningRoot(c, domain), signature: c.signature })));
    let mnemonicKeys: { byPubkey: Map<string, number>; maxIndex: number } | undefined;
    if (opts.mnemonicFile !== undefined) {
      const gate = await airgapGate('credentials verify', { allowOnline: opts.allowOnline, json: opts.json });
      airgap = { airgapped: gate.airgapped, allowed_online: gate.allowedOnline };
      const secret = await readMnemonicSecret({ file: opts.mnemonicFile, language: opts.language, passphrase: opts.passphrase });
      assertStdinConsumed();
      const seed = mnemonicToSeed(secret.mnemonic, secret.passphrase);
      try {
        mnemonicKeys = { byPubkey: searchWithdrawalKeys(seed, new Set(changes.map((c) => hex(c.fromBlsPubkey))), maxIndex), maxIndex };
      } finally {
        seed.fill(0);
      }
    }
    const r = credentialChangeFindings(file, changes, sigOk, { network, ...(expectedAddress ? { expectedAddress } : {}), ...(mnemonicKeys ? { mnemonicKeys } : {}) });
    findings.push(...r.findings);
    verdicts = r.verdicts;
  }
  const report: Report = {
    ok: passes(findings),
    command: 'credentials verify',
    findings,
    file,
    network: network?.name ?? null,
    count: verdicts.length,
    ...(airgap ? { airgap } : {}),
    ...(opts.mnemonicFile !== undefined ? { max_index: maxIndex } : {}),
    changes: verdicts,
  };
  printReport(report, { json: opts.json, header: renderVerify(report) });
  return exitCodeWithInputProblems(report, findings.some((f) => INPUT_PROBLEMS.has(f.id)), (f) => INPUT_PROBLEMS.has(f.id));
}

function renderVerify(report: Report): string {
  const s = styleFor(process.stdout);
  const changes = report['changes'] as ChangeVerdict[];
  if (changes.length === 0) return '';
  const lines = changes.map((c) => {
    const mark = c.ok ? s.green(MARK.ok) : s.red(MARK.fail);
    const key = c.key_index === undefined ? '' : c.key_index === null ? '  key not from this mnemonic' : `  key m/12381/3600/${c.key_index}/0`;
    return `${mark} [${c.index}] validator ${c.validator_index} → ${c.to_execution_address}${key}${c.ok ? '' : `  ${c.errors.join(', ')}`}`;
  });
  lines.unshift(`${printable(String(report['file']))}: ${changes.length} change${changes.length === 1 ? '' : 's'} for ${printable(String(report['network']))}`);
  return `${lines.join('\n')}\n`;
}

function registerCredentials(program: Command): void {
  const cred = program.command('credentials').description('BLS-to-execution withdrawal credential changes (0x00 → 0x01)');
  const change = cred
    .command('change')
    .description('sign BLS-to-execution changes from the mnemonic (PERMANENT once broadcast), as ethstaker-deposit-cli generate-bls-to-execution-change')
    .option('--network <name>', 'mainnet, hoodi, sepolia or holesky')
    .option('--start-index <i>', 'key index of the first validator (m/12381/3600/i/0); key i+k changes the k-th validator', '0')
    .option('--validator-indices <list>', 'beacon-chain validator indices, comma-separated, in key order')
    .option('--bls-credentials <list>', 'each validator\'s current 0x00 withdrawal credentials, comma-separated, same order')
    .option('--withdrawal-address <0x…>', 'execution address for withdrawals (EIP-55); retyped on the terminal; asked twice when absent')
    .option('--out <dir>', 'new or empty directory for bls_to_execution_change-*.json')
    .option('--passphrase', 'the mnemonic has a BIP39 passphrase: read it too', false)
    .option('--language <lang>', 'mnemonic language (detected when absent)');
  addMnemonicFileOption(change);
  addAllowOnlineOption(change);
  addJsonOption(change).action(action((opts: ChangeOptions) => runChange(opts)));

  const ver = cred
    .command('verify')
    .description('verify a bls_to_execution_change file before broadcasting it')
    .argument('<file>', 'bls_to_execution_change-*.json')
    .option('--network <name>', 'mainnet, hoodi, sepolia or holesky (default: the network the file\'s metadata names)')
    .option('--withdrawal-address <0x…>', 'the address every change must pay withdrawals to')
    .option('--mnemonic-file <file>', 'also check each from_bls_pubkey is a withdrawal key of this mnemonic (- = standard input; airgap gate)')
    .option('--max-index <n>', `with --mnemonic-file: search key indices 0..N (default ${DEFAULT_SEARCH_MAX_INDEX})`)
    .option('--passphrase', 'the mnemonic has a BIP39 passphrase: read it too', false)
    .option('--language <lang>', 'mnemonic language (detected when absent)');
  addAllowOnlineOption(ver);
  addJsonOption(ver).action(action((file: string, opts: VerifyOptions) => runVerify(file, opts)));
}

export const credentialsCommand: CommandSpec = {
  group: 'airgapped',
  order: 6,
  usage: 'credentials change --network NET [--start-index I] --validator-indices N,… --bls-credentials 0x00…,… --withdrawal-address 0x… --out DIR',
  summary: 'sign 0x00 → 0x01 credential changes from the mnemonic (permanent once broadcast; ethstaker-deposit-cli compatible)',
  example: 'credentials change --network mainnet --validator-indices 5000 --bls-credentials 0x0049b6188ed20314309f617dd4030b8ddfac3c6e65759a03c226a13b2fe4cc72 --withdrawal-address 0x0f51bb10119727a7e5eA3538074fb341F56B09Ad --out ./changes',
  register: registerCredentials,
};

/** `credentials verify` in the help's "before broadcasting" group; registered with `credentials` above. */
export const credentialsVerifyCommand: CommandSpec = {
  group: 'broadcast',
  order: 2,
  usage: 'credentials verify FILE [--network NET] [--withdrawal-address 0x…] [--mnemonic-file F [--max-index N]]',
  summary: 'verify a bls_to_execution_change file: signatures, network, address, and the mnemonic\'s key',
  example: 'credentials verify changes/bls_to_execution_change-1700000000.json --withdrawal-address 0x0f51bb10119727a7e5eA3538074fb341F56B09Ad',
  register: () => {},
};
