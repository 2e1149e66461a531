/**
 * `coldstake exit verify FILE… --network NET` with the validators' pubkeys from one source:
 * `--pubkey 0x…` (one file), `--validators FILE` (a beacon-API validators response or ethdo's
 * offline-preparation.json), `--keystores DIR --index-map FILE`, or the mnemonic
 * (`--validator-indices A,B,… [--start-index I]`, airgap gate).
 *
 * Story: check the flags → parse every file strictly → learn the pubkey of each file's validator
 * index from the source → verify every signature under the network's exit domain (Capella fork
 * version, EIP-7044) → for a failing one, whether it verifies for another network → report which
 * validator each file exits.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { isValidPublicKey, secretToPublicKey } from '../../core/eth/bls.js';
import { signingPath } from '../../core/eth/derivation.js';
import {
  exitEpochFinding,
  exitSigningRoot,
  MAX_EXIT_FILE_BYTES,
  otherNetworksSignedFor,
  parseSignedExit,
  parseUint64Decimal,
  voluntaryExitDomain,
  type SignedVoluntaryExit,
} from '../../core/eth/exits.js';
import { networkByGenesisValidatorsRoot, type Network } from '../../core/eth/networks.js';
import { MAX_VALIDATOR_SET_BYTES, ValidatorSetScanner, type ValidatorSet } from '../../core/eth/validator-set.js';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { action, addAllowOnlineOption, addJsonOption, addMnemonicFileOption, type CommandSpec } from '../common.js';
import { airgapGate } from '../gate.js';
import { loadKeystoreEntries } from '../io/keystore-files.js';
import { mnemonicToSeed, readMnemonicSecret } from '../io/mnemonic-input.js';
import { decodeUtf8, inputErrnoReason, MIB, readBoundedFile } from '../io/read-input.js';
import { assertStdinConsumed } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { verifyManySignatures } from '../signatures.js';
import { exitNetworkOption, forEachSigningKey, keyPlanOption } from './exit.js';

export interface ExitVerifyOptions {
  network?: string;
  pubkey?: string;
  validators?: string;
  keystores?: string;
  indexMap?: string;
  validatorIndices?: string;
  startIndex?: string;
  mnemonicFile?: string;
  passphrase: boolean;
  allowOnline: boolean;
  json: boolean;
}

/** Files checked in one run. */
export const MAX_EXIT_FILES = 10_000;
const MAX_INDEX_MAP_BYTES = MIB;
const INPUT_PROBLEMS = new Set(['exit-schema']);

type Source = 'pubkey' | 'validators' | 'keystores' | 'mnemonic';

interface KnownKey {
  /** Hex, lower case, no 0x. */
  pubkey: string;
  /** Where the pubkey came from: `--pubkey`, a keystore file, `validators.json`, `mnemonic key 3`. */
  from: string;
  status?: string;
}

function sourceOf(opts: ExitVerifyOptions, files: readonly string[]): Source {
  const given: Source[] = [];
  if (opts.pubkey !== undefined) given.push('pubkey');
  if (opts.validators !== undefined) given.push('validators');
  if (opts.keystores !== undefined || opts.indexMap !== undefined) given.push('keystores');
  if (opts.validatorIndices !== undefined || opts.mnemonicFile !== undefined || opts.startIndex !== undefined || opts.passphrase) given.push('mnemonic');
  if (given.length === 0) {
    throw new UsageError('a signed exit does not carry its validator\'s pubkey: say where to find it', 'give --pubkey 0x… (one file), --validators FILE, --keystores DIR --index-map FILE, or --validator-indices A,B,… with the mnemonic');
  }
  if (given.length > 1) throw new UsageError(`give one source of pubkeys, not ${given.length}: --pubkey, --validators, --keystores with --index-map, or the mnemonic (--validator-indices)`);
  const source = given[0]!;
  if (source === 'pubkey' && files.length !== 1) throw new UsageError(`--pubkey checks one file, got ${files.length}`, 'for several files give --validators FILE or --keystores DIR --index-map FILE');
  if (source === 'keystores' && (opts.keystores === undefined || opts.indexMap === undefined)) {
    throw new UsageError('--keystores and --index-map go together: the map says which keystore is which validator index', 'an index map has one line per validator: INDEX=KEYSTORE_FILE (relative to the --keystores directory)');
  }
  if (source === 'mnemonic' && opts.validatorIndices === undefined) throw new UsageError('from the mnemonic give --validator-indices A,B,… (and --start-index I): key start-index+k is the k-th validator');
  return source;
}

/** @throws {UsageError} */
function pubkeyOption(text: string): string {
  if (!/^0x[0-9a-fA-F]{96}$/.test(text)) throw new UsageError('--pubkey must be 0x followed by 96 hex digits (a validator\'s BLS public key)');
  const hex = text.slice(2).toLowerCase();
  if (!isValidPublicKey(hexToBytes(hex))) throw new UsageError('--pubkey is not a valid BLS public key (not a compressed point of the G1 subgroup)');
  return hex;
}

interface ParsedFile {
  file: string;
  exit: SignedVoluntaryExit | null;
}

function readExitFiles(files: readonly string[], findings: Finding[]): ParsedFile[] {
  if (files.length > MAX_EXIT_FILES) throw new UsageError(`${files.length} files, more than ${MAX_EXIT_FILES} in one run`);
  return files.map((file) => {
    const bytes = readBoundedFile(file, MAX_EXIT_FILE_BYTES);
    try {
      return { file, exit: parseSignedExit(bytes, file) };
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      const detail = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
      findings.push(finding('exit-schema', 'error', file, detail, { field: err.field ?? null }));
      return { file, exit: null };
    }
  });
}

/**
 * An index map: one `INDEX=KEYSTORE` per line (KEYSTORE relative to the --keystores directory),
 * blank lines and `#` comments ignored.
 * @throws {InputError} naming the line.
 */
export function parseIndexMap(text: string, file: string): Map<bigint, string> {
  const out = new Map<bigint, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const field = `line ${i + 1}`;
    const m = /^([^=]+)=(.+)$/.exec(line);
    if (!m) throw new InputError('must be INDEX=KEYSTORE_FILE', { file, field });
    let index: bigint;
    try {
      index = parseUint64Decimal(m[1]!.trim());
    } catch (err) {
      throw new InputError(`validator index ${(err as Error).message}`, { file, field });
    }
    if (out.has(index)) throw new InputError(`validator index ${index} is mapped twice`, { file, field });
    out.set(index, m[2]!.trim());
  });
  if (out.size === 0) throw new InputError('maps no validator index (lines INDEX=KEYSTORE_FILE)', { file });
  return out;
}

function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function keysFromKeystores(dir: string, mapFile: string): Map<bigint, KnownKey> {
  const map = parseIndexMap(decodeUtf8(readBoundedFile(mapFile, MAX_INDEX_MAP_BYTES), mapFile), mapFile);
  const entries = loadKeystoreEntries([dir]);
  const byPath = new Map(entries.map((e) => [realOrResolved(e.file), e]));
  const out = new Map<bigint, KnownKey>();
  for (const [index, rel] of map) {
    const e = byPath.get(realOrResolved(path.resolve(dir, rel)));
    if (e === undefined) throw new InputError(`validator ${index}: no keystore ${rel.slice(0, 80)} in ${dir}`, { file: mapFile });
    if (e.parsed === undefined || e.problem !== undefined) throw new InputError('is not a keystore coldstake can read (run coldstake keystore verify on it)', { file: e.file });
    if (e.parsed.keystore.pubkey === undefined) throw new InputError('has no pubkey member: its validator\'s pubkey cannot be known without decrypting it', { file: e.file, field: 'pubkey' });
    out.set(index, { pubkey: e.parsed.keystore.pubkey, from: e.file });
  }
  return out;
}

/** Stream the validators file in 1 MiB chunks, keeping the indices asked for. */
function readValidatorSet(file: string, wanted: ReadonlySet<bigint>): ValidatorSet {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    throw new InputError(inputErrnoReason((err as NodeJS.ErrnoException).code, 'cannot access'), { file });
  }
  if (!st.isFile()) throw new InputError('not a regular file', { file });
  if (st.size > MAX_VALIDATOR_SET_BYTES) throw new InputError(`file is ${st.size} bytes, more than the ${MAX_VALIDATOR_SET_BYTES}-byte limit`, { file });
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new InputError(inputErrnoReason((err as NodeJS.ErrnoException).code, 'cannot open'), { file });
  }
  const scanner = new ValidatorSetScanner(wanted, file);
  const bar = progressBar('reading validators (bytes)', st.size);
  const buf = Buffer.alloc(MIB);
  try {
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch {
        throw new InputError('cannot read', { file });
      }
      if (n === 0) break;
      scanner.write(buf.subarray(0, n));
      bar.tick(n);
    }
  } finally {
    bar.done();
    fs.closeSync(fd);
  }
  return scanner.end();
}

function keysFromValidatorSet(set: ValidatorSet, file: string): Map<bigint, KnownKey> {
  const out = new Map<bigint, KnownKey>();
  for (const [index, r] of set.found) out.set(index, { pubkey: r.pubkey, from: file, status: r.status });
  return out;
}

async function keysFromMnemonic(opts: ExitVerifyOptions, findings: Finding[]): Promise<{ keys: Map<bigint, KnownKey>; airgap: { airgapped: boolean; allowed_online: boolean } }> {
  const plan = keyPlanOption(opts.startIndex, opts.validatorIndices!);
  const gate = await airgapGate('exit verify', { allowOnline: opts.allowOnline, json: opts.json });
  if (gate.allowedOnline) findings.push(finding('exit-mnemonic-online', 'warning', 'machine', 'the mnemonic was read on a machine that is not airgapped (--allow-online)', {}));
  const secret = await readMnemonicSecret({ file: opts.mnemonicFile, passphrase: opts.passphrase });
  assertStdinConsumed();
  const seed = mnemonicToSeed(secret.mnemonic, secret.passphrase);
  const keys = new Map<bigint, KnownKey>();
  const bar = progressBar('deriving keys', plan.validatorIndices.length);
  try {
    forEachSigningKey(seed, plan.startIndex, plan.validatorIndices.length, (sk, keyIndex) => {
      keys.set(plan.validatorIndices[keyIndex - plan.startIndex]!, { pubkey: bytesToHex(secretToPublicKey(sk)), from: `mnemonic key ${keyIndex} (${signingPath(keyIndex)})` });
      bar.tick();
    });
  } finally {
    bar.done();
    seed.fill(0);
  }
  return { keys, airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline } };
}

/** Statuses of a validator whose exit is already under way or done: broadcasting another does nothing. */
const EXITING = /^(active_exiting|active_slashed|exited_|withdrawal_)/;

interface Verdict {
  file: string;
  validator_index: string | null;
  epoch: string | null;
  pubkey: string | null;
  pubkey_from: string | null;
  status: string | null;
  ok: boolean;
  errors: string[];
}

export async function verifyExits(files: readonly string[], opts: ExitVerifyOptions): Promise<{ report: Report; malformed: boolean }> {
  const network = exitNetworkOption(opts.network);
  const source = sourceOf(opts, files);
  const givenPubkey = source === 'pubkey' ? pubkeyOption(opts.pubkey!) : null;
  if (source === 'mnemonic') keyPlanOption(opts.startIndex, opts.validatorIndices!);
  const findings: Finding[] = [];
  const parsed = readExitFiles(files, findings);
  const wanted = new Set(parsed.flatMap((p) => (p.exit ? [p.exit.message.validatorIndex] : [])));

  let keys = new Map<bigint, KnownKey>();
  let airgap: { airgapped: boolean; allowed_online: boolean } | undefined;
  let validatorSet: Record<string, unknown> | undefined;
  if (givenPubkey !== null) {
    for (const i of wanted) keys.set(i, { pubkey: givenPubkey, from: '--pubkey' });
  } else if (source === 'keystores') {
    keys = keysFromKeystores(opts.keystores!, opts.indexMap!);
  } else if (source === 'validators') {
    const set = readValidatorSet(opts.validators!, wanted);
    keys = keysFromValidatorSet(set, opts.validators!);
    validatorSet = { file: opts.validators, format: set.format, validators: set.count, ...(set.epoch !== null ? { epoch: set.epoch.toString() } : {}) };
    if (set.genesisValidatorsRoot !== null) {
      const theirs = networkByGenesisValidatorsRoot(set.genesisValidatorsRoot);
      const ours = bytesToHex(network.genesisValidatorsRoot!);
      if (set.genesisValidatorsRoot !== ours) {
        findings.push(finding('exit-validators-other-network', 'error', opts.validators!, `the validators file is for ${theirs ?? 'an unknown network'} (genesis validators root 0x${set.genesisValidatorsRoot.slice(0, 8)}…), not ${network.name}: its pubkeys are another chain's`, { genesis_validators_root: `0x${set.genesisValidatorsRoot}`, network: theirs ?? null }));
      }
    }
  } else {
    ({ keys, airgap } = await keysFromMnemonic(opts, findings));
  }

  // Every signature with a known pubkey, in one randomized batch.
  const domain = voluntaryExitDomain(network);
  const checkable = parsed.filter((p) => p.exit !== null && keys.has(p.exit.message.validatorIndex));
  const sigOk = await verifyManySignatures(checkable.map((p) => ({
    pubkey: hexToBytes(keys.get(p.exit!.message.validatorIndex)!.pubkey),
    message: exitSigningRoot(p.exit!.message, domain),
    signature: p.exit!.signature,
  })));
  const okByFile = new Map(checkable.map((p, i) => [p, sigOk[i]!]));

  const now = Date.now() / 1000;
  const perValidator = new Map<bigint, string[]>();
  for (const p of parsed) {
    if (p.exit === null) continue;
    const index = p.exit.message.validatorIndex;
    perValidator.set(index, [...(perValidator.get(index) ?? []), p.file]);
    const key = keys.get(index);
    const ev = { validator_index: index.toString(), epoch: p.exit.message.epoch.toString() };
    if (key === undefined) {
      findings.push(finding('exit-validator-unknown', 'error', p.file, `no pubkey known for validator ${index}, so its signature cannot be checked`, ev, source === 'mnemonic' ? 'add its index to --validator-indices at its key\'s position' : source === 'keystores' ? 'add a line for it to the --index-map file' : 'save a validators file that includes it'));
      continue;
    }
    const pk = `0x${key.pubkey}`;
    if (okByFile.get(p) !== true) {
      const others = otherNetworksSignedFor(p.exit, hexToBytes(key.pubkey), network);
      if (others.length > 0) {
        findings.push(finding('exit-other-network', 'error', p.file, `signed for ${others.join(', ')}, not ${network.name}: ${network.name}'s beacon nodes reject it`, { ...ev, pubkey: pk, signed_for: others }, `verify it with --network ${others[0]}, or sign again for ${network.name}`));
      } else {
        findings.push(finding('exit-signature-invalid', 'error', p.file, `the signature is not validator ${index}'s (${pk.slice(0, 14)}…) over this validator index and epoch on ${network.name}: the file was changed, or signed by another key`, { ...ev, pubkey: pk, pubkey_from: key.from }, 'do not broadcast it; sign the exit again'));
      }
    }
    if (key.status !== undefined && EXITING.test(key.status)) {
      findings.push(finding('exit-validator-already-exiting', 'warning', p.file, `validator ${index} is already ${key.status.replace(/_/g, ' ')} in the validators file: this exit changes nothing`, { ...ev, status: key.status }));
    }
    const future = exitEpochFinding(p.exit.message.epoch, network, p.file, now);
    if (future) findings.push(future);
  }
  for (const [index, fs_] of perValidator) {
    if (fs_.length > 1) findings.push(finding('exit-duplicate-validator', 'warning', `validator ${index}`, `${fs_.length} files exit validator ${index}`, { validator_index: index.toString(), files: fs_ }));
  }

  const verdicts: Verdict[] = parsed.map((p) => {
    const index = p.exit?.message.validatorIndex;
    const key = index !== undefined ? keys.get(index) : undefined;
    const errors = findings.filter((f) => f.severity === 'error' && (f.subject === p.file || (f.id === 'exit-validators-other-network' && p.exit !== null))).map((f) => f.id);
    return {
      file: p.file,
      validator_index: index !== undefined ? index.toString() : null,
      epoch: p.exit ? p.exit.message.epoch.toString() : null,
      pubkey: key ? `0x${key.pubkey}` : null,
      pubkey_from: key ? key.from : null,
      status: key?.status ?? null,
      ok: errors.length === 0,
      errors,
    };
  });
  const report: Report = {
    ok: passes(findings),
    command: 'exit verify',
    findings,
    network: network.name,
    pubkey_source: source,
    ...(airgap ? { airgap } : {}),
    ...(validatorSet ? { validators_file: validatorSet } : {}),
    count: parsed.length,
    exits: verdicts,
  };
  return { report, malformed: findings.some((f) => INPUT_PROBLEMS.has(f.id)) };
}

function renderVerdicts(report: Report): string {
  const s = styleFor(process.stdout);
  const lines = (report['exits'] as Verdict[]).map((v) => {
    const mark = v.ok ? s.green(MARK.ok) : s.red(MARK.fail);
    const what = v.validator_index === null ? '' : `  exits validator ${v.validator_index}${v.pubkey ? ` (${v.pubkey.slice(0, 14)}…)` : ''} from epoch ${v.epoch}`;
    return `${mark} ${printable(v.file)}${what}${v.ok ? '' : `  ${printable(v.errors.join(', '))}`}`;
  });
  lines.unshift(`${report['count'] as number} signed exit${report['count'] === 1 ? '' : 's'} for ${printable(String(report['network']))}`);
  return `${lines.join('\n')}\n`;
}

async function run(files: string[], opts: ExitVerifyOptions): Promise<number> {
  const { report, malformed } = await verifyExits(files, opts);
  printReport(report, { json: opts.json, header: renderVerdicts(report) });
  return exitCodeWithInputProblems(report, malformed, (f) => INPUT_PROBLEMS.has(f.id));
}

export function registerExitVerify(exit: Command): void {
  const cmd = exit
    .command('verify')
    .description('verify signed exits before broadcasting them: strict format, network, signature, and which validator each exits')
    .argument('<file...>', 'signed_exit_transaction-*.json files')
    .option('--network <name>', 'mainnet, hoodi, sepolia or holesky')
    .option('--pubkey <0x…>', 'the validator\'s pubkey (one file)')
    .option('--validators <file>', 'a beacon-API /eth/v1/beacon/states/{state}/validators response or ethdo\'s offline-preparation.json')
    .option('--keystores <dir>', 'keystores of the validators (pubkeys only, no password), with --index-map')
    .option('--index-map <file>', 'lines INDEX=KEYSTORE_FILE: which keystore in --keystores is which validator index')
    .option('--validator-indices <list>', 'from the mnemonic: the validators\' indices, comma-separated; key start-index+k is the k-th')
    .option('--start-index <i>', 'from the mnemonic: key index of the first validator, default 0')
    .option('--passphrase', 'the mnemonic has a BIP39 passphrase: read it too', false);
  addMnemonicFileOption(cmd);
  addAllowOnlineOption(cmd);
  addJsonOption(cmd).action(action((files: string[], opts: ExitVerifyOptions) => run(files, opts)));
}

export const exitVerifyCommand: CommandSpec = {
  group: 'broadcast',
  order: 1,
  usage: 'exit verify FILE… --network NET (--pubkey 0x… | --validators FILE | --keystores DIR --index-map FILE | --validator-indices A,B,… [--start-index I])',
  summary: 'verify signed exits before broadcasting: which validator each exits, network, signature',
  example: 'exit verify exits/*.json --network mainnet --validators validators.json',
  register(program: Command) {
    const exit = program.commands.find((c) => c.name() === 'exit') ?? program.command('exit').description('sign and verify voluntary exits');
    registerExitVerify(exit);
  },
};
