/**
 * `coldstake exit sign` (airgap gate): pre-signed voluntary exits, byte-identical to
 * ethstaker-deposit-cli's `signed_exit_transaction-<index>-<unixtime>.json`, from the mnemonic
 * (key start+k exits the k-th validator index) or from one keystore.
 *
 * Story: check the flags → refuse an unusable --out → airgap gate → read the mnemonic (or the
 * keystore and its password) → sign each exit → read every text back with the strict parser of
 * `exit verify` and verify its signature → only then create --out and write (0600, exclusive,
 * atomic) → compare the files on disk with the verified texts → report.
 *
 * `coldstake exit verify FILE… --network NET` is in exit-verify.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { secretKeyFromScalar, secretToPublicKey } from '../../core/eth/bls.js';
import { COIN_TYPE, deriveChildSk, deriveMasterSk, MAX_INDEX, PURPOSE, signingPath } from '../../core/eth/derivation.js';
import {
  exitEpochFinding,
  exitFileName,
  exitSigningRoot,
  MAX_EXIT_FILE_BYTES,
  parseSignedExit,
  parseUint64Decimal,
  parseValidatorIndexList,
  serializeSignedExit,
  signVoluntaryExit,
  voluntaryExitDomain,
  type SignedVoluntaryExit,
} from '../../core/eth/exits.js';
import { knownNetwork, type Network } from '../../core/eth/networks.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { action, addAllowOnlineOption, addJsonOption, addMnemonicFileOption, addPasswordFileOption, parseIntOption, truncate, type CommandSpec } from '../common.js';
import { airgapGate } from '../gate.js';
import { onInterrupt } from '../interrupt.js';
import { readKeystoreSigningKey } from '../io/keystore-signing-key.js';
import { mnemonicToSeed, readMnemonicSecret } from '../io/mnemonic-input.js';
import { readBoundedFile } from '../io/read-input.js';
import { assertOutputDirUsable, prepareOutputDir, writeFileExclusive } from '../io/safe-write.js';
import { assertStdinConsumed } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { printReport } from '../output/report.js';
import { printable, styleFor } from '../output/style.js';
import { verifyManySignatures } from '../signatures.js';

/** Exits signed in one run from a mnemonic: each is three EIP-2333 derivations, a signature and its check, on one core. */
export const MAX_EXITS = 1000;

export const IRREVERSIBLE =
  'a signed exit is irreversible once broadcast: anyone who holds the file can exit the validator, at any time, for ever: store it like a secret (offline, encrypted), never on the validator machine';

export interface ExitSignOptions {
  network?: string;
  epoch: string;
  startIndex?: string;
  validatorIndices?: string;
  keystore?: string;
  validatorIndex?: string;
  out: string;
  mnemonicFile?: string;
  passwordFile?: string;
  passphrase: boolean;
  allowOnline: boolean;
  json: boolean;
}

/**
 * `--network` for exits: a built-in network (exits need its Capella fork version and genesis
 * validators root, which a devnet given by fork version does not have).
 * @throws {UsageError}
 */
export function exitNetworkOption(name: string | undefined): Network {
  if (name === undefined) throw new UsageError('--network is required', 'give --network mainnet|hoodi|sepolia|holesky');
  try {
    const n = knownNetwork(name);
    voluntaryExitDomain(n);
    return n;
  } catch (err) {
    throw new UsageError(`--network: ${(err as Error).message}`, 'exits are signed for mainnet, hoodi, sepolia or holesky (a devnet has no built-in Capella fork version and genesis validators root)');
  }
}

/** @throws {UsageError} */
export function uint64Option(flag: string, text: string): bigint {
  try {
    return parseUint64Decimal(text);
  } catch (err) {
    throw new UsageError(`${flag} ${(err as Error).message}, got '${truncate(text, 24)}'`);
  }
}

/**
 * `--start-index I --validator-indices A,B,…`: key I+k exits validator index k-th.
 * @throws {UsageError}
 */
export function keyPlanOption(startIndex: string | undefined, indices: string): { startIndex: number; validatorIndices: bigint[] } {
  const start = parseIntOption('--start-index', startIndex ?? '0', 0, MAX_INDEX);
  let validatorIndices: bigint[];
  try {
    validatorIndices = parseValidatorIndexList(indices, MAX_EXITS);
  } catch (err) {
    throw new UsageError(`--validator-indices ${(err as Error).message}`, 'give the validators\' indices on the beacon chain, comma-separated: key start-index+k exits the k-th');
  }
  if (start + validatorIndices.length - 1 > MAX_INDEX) {
    throw new UsageError(`--start-index ${start} with ${validatorIndices.length} validator indices goes past the last key index 2^32-1 (${MAX_INDEX})`);
  }
  return { startIndex: start, validatorIndices };
}

/**
 * Call `fn` with the signing key (m/12381/3600/i/0/0) of each key index start..start+count-1, zeroed
 * after the call: the path down to m/12381/3600 is derived once.
 */
export function forEachSigningKey(seed: Uint8Array, start: number, count: number, fn: (sk: Uint8Array, keyIndex: number) => void): void {
  const coin = deriveChildSk(deriveChildSk(deriveMasterSk(seed), PURPOSE), COIN_TYPE);
  for (let k = 0; k < count; k++) {
    const sk = secretKeyFromScalar(deriveChildSk(deriveChildSk(deriveChildSk(coin, start + k), 0), 0));
    try {
      fn(sk, start + k);
    } finally {
      sk.fill(0);
    }
  }
}

interface SignedExit {
  keyIndex: number | null;
  path: string;
  pubkey: Uint8Array;
  signed: SignedVoluntaryExit;
  text: string;
  file: string;
}

function checkModeFlags(opts: ExitSignOptions): 'mnemonic' | 'keystore' {
  if (opts.keystore !== undefined) {
    const extra = [
      opts.validatorIndices !== undefined && '--validator-indices',
      opts.startIndex !== undefined && '--start-index',
      opts.mnemonicFile !== undefined && '--mnemonic-file',
      opts.passphrase && '--passphrase',
    ].filter(Boolean);
    if (extra.length > 0) throw new UsageError(`--keystore signs with one keystore: ${extra.join(', ')} belong to signing from the mnemonic`);
    if (opts.validatorIndex === undefined) throw new UsageError('--keystore needs --validator-index N: the index of its validator on the beacon chain');
    return 'keystore';
  }
  if (opts.validatorIndex !== undefined) throw new UsageError('--validator-index goes with --keystore; from the mnemonic give --start-index I --validator-indices A,B,…');
  if (opts.passwordFile !== undefined) throw new UsageError('--password-file goes with --keystore (from the mnemonic there is no keystore password)');
  if (opts.validatorIndices === undefined) throw new UsageError('give --validator-indices A,B,… (with --start-index, from the mnemonic) or --keystore FILE --validator-index N');
  return 'mnemonic';
}

async function signFromMnemonic(opts: ExitSignOptions, network: Network, epoch: bigint, out: string, unixtime: number): Promise<SignedExit[]> {
  const plan = keyPlanOption(opts.startIndex, opts.validatorIndices!);
  const secret = await readMnemonicSecret({ file: opts.mnemonicFile, passphrase: opts.passphrase });
  assertStdinConsumed();
  const seed = mnemonicToSeed(secret.mnemonic, secret.passphrase);
  const bar = progressBar('signing exits', plan.validatorIndices.length);
  const exits: SignedExit[] = [];
  try {
    forEachSigningKey(seed, plan.startIndex, plan.validatorIndices.length, (sk, keyIndex) => {
      const validatorIndex = plan.validatorIndices[keyIndex - plan.startIndex]!;
      const signed = signVoluntaryExit(sk, { epoch, validatorIndex }, network);
      const pubkey = secretToPublicKey(sk);
      exits.push({ keyIndex, path: signingPath(keyIndex), pubkey, signed, text: serializeSignedExit(signed), file: path.join(out, exitFileName(validatorIndex, unixtime)) });
      bar.tick();
    });
  } finally {
    bar.done();
    seed.fill(0);
  }
  return exits;
}

async function signFromKeystore(opts: ExitSignOptions, network: Network, epoch: bigint, out: string, unixtime: number): Promise<SignedExit[]> {
  const validatorIndex = uint64Option('--validator-index', opts.validatorIndex!);
  const key = await readKeystoreSigningKey(opts.keystore!, opts.passwordFile);
  try {
    assertStdinConsumed();
    const signed = signVoluntaryExit(key.secret, { epoch, validatorIndex }, network);
    return [{ keyIndex: null, path: key.path, pubkey: key.pubkey, signed, text: serializeSignedExit(signed), file: path.join(out, exitFileName(validatorIndex, unixtime)) }];
  } finally {
    key.secret.fill(0);
  }
}

/** The texts as `exit verify` reads them: same message, valid signature by the key that made it. */
async function selfCheck(exits: readonly SignedExit[], network: Network): Promise<void> {
  const domain = voluntaryExitDomain(network);
  const items = exits.map((e) => {
    const back = parseSignedExit(Buffer.from(e.text, 'utf8'), e.file);
    if (back.message.epoch !== e.signed.message.epoch || back.message.validatorIndex !== e.signed.message.validatorIndex) throw new Error('exit self-check: message changed on re-read');
    return { pubkey: e.pubkey, message: exitSigningRoot(back.message, domain), signature: back.signature };
  });
  const ok = await verifyManySignatures(items, { label: 'verifying signatures' });
  if (!ok.every(Boolean)) throw new Error('exit self-check: a signature does not verify');
}

/**
 * Create --out and write every file; on any failure or interrupt, remove what this run wrote (and
 * --out if this run created it): a partial set of exits is not left behind.
 */
function writeAll(exits: readonly SignedExit[], out: string, outExisted: boolean): void {
  const written: string[] = [];
  const rollback = (): void => {
    for (const f of written) {
      try { fs.unlinkSync(f); } catch { /* already gone */ }
    }
    if (!outExisted) {
      try { fs.rmdirSync(out); } catch { /* not empty or gone: leave it */ }
    }
  };
  prepareOutputDir(out, '--out ');
  const unregister = onInterrupt(rollback);
  try {
    for (const e of exits) {
      writeFileExclusive(e.file, e.text, { mode: 0o600 });
      written.push(e.file);
    }
    // What is on disk is what was verified, byte for byte.
    for (const e of exits) {
      if (!readBoundedFile(e.file, MAX_EXIT_FILE_BYTES).equals(Buffer.from(e.text, 'utf8'))) throw new Error('exit self-check: a file on disk differs from the verified text');
    }
  } catch (err) {
    rollback();
    throw err;
  } finally {
    unregister();
  }
}

async function run(opts: ExitSignOptions): Promise<number> {
  const mode = checkModeFlags(opts);
  const network = exitNetworkOption(opts.network);
  const epoch = uint64Option('--epoch', opts.epoch);
  if (mode === 'mnemonic') keyPlanOption(opts.startIndex, opts.validatorIndices!);
  else uint64Option('--validator-index', opts.validatorIndex!);
  // A non-empty, unsafe or missing-parent --out is refused before any secret is asked for.
  const outExisted = assertOutputDirUsable(opts.out, '--out ');
  const gate = await airgapGate('exit sign', { allowOnline: opts.allowOnline, json: opts.json });
  const findings: Finding[] = [];
  if (gate.allowedOnline) findings.push(finding('exit-signed-online', 'warning', 'machine', 'exits were signed on a machine that is not airgapped (--allow-online)', {}));

  const unixtime = Math.floor(Date.now() / 1000);
  const exits = mode === 'mnemonic' ? await signFromMnemonic(opts, network, epoch, opts.out, unixtime) : await signFromKeystore(opts, network, epoch, opts.out, unixtime);
  await selfCheck(exits, network);

  writeAll(exits, opts.out, outExisted);

  findings.push(finding('exit-outputs-verified', 'info', opts.out, `${exits.length} signed exit${exits.length === 1 ? '' : 's'} re-read and verified against ${exits.length === 1 ? 'its' : 'their'} validator's pubkey before and after writing`, { count: exits.length, created_out_dir: !outExisted }));
  const future = exitEpochFinding(epoch, network, opts.out, Date.now() / 1000);
  if (future) findings.push(future);
  findings.push(finding('exit-irreversible', 'warning', opts.out, IRREVERSIBLE, {}));
  const report: Report = {
    ok: passes(findings),
    command: 'exit sign',
    findings,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: network.name,
    epoch: epoch.toString(),
    out_dir: opts.out,
    exits: exits.map((e) => ({
      file: e.file,
      validator_index: e.signed.message.validatorIndex.toString(),
      epoch: e.signed.message.epoch.toString(),
      pubkey: `0x${Buffer.from(e.pubkey).toString('hex')}`,
      key_index: e.keyIndex,
      path: e.path,
    })),
  };
  printReport(report, { json: opts.json, header: renderSigned(exits, network, epoch) });
  return report.ok ? 0 : 1;
}

function renderSigned(exits: readonly SignedExit[], network: Network, epoch: bigint): string {
  const s = styleFor(process.stdout);
  const rows = exits.map((e) => `  ${e.signed.message.validatorIndex.toString().padEnd(10)} 0x${Buffer.from(e.pubkey).toString('hex').slice(0, 16)}…  ${printable(path.basename(e.file))}`);
  return [
    s.bold(`signed ${exits.length} voluntary exit${exits.length === 1 ? '' : 's'} for ${network.name}, valid from epoch ${epoch}`),
    `  ${'validator'.padEnd(10)} ${'pubkey'.padEnd(19)}  file (mode 0600)`,
    ...rows,
    '',
  ].join('\n');
}

export const exitSignCommand: CommandSpec = {
  group: 'airgapped',
  order: 6,
  usage: 'exit sign --network NET (--validator-indices A,B,… [--start-index I] | --keystore FILE --validator-index N) [--epoch E] --out DIR',
  summary: 'pre-signed voluntary exits (ethstaker-deposit-cli compatible); irreversible once broadcast',
  example: 'exit sign --network mainnet --start-index 0 --validator-indices 1000,1001 --out ./exits',
  register(program: Command) {
    const exit = program.commands.find((c) => c.name() === 'exit') ?? program.command('exit').description('sign and verify voluntary exits');
    const cmd = exit
      .command('sign')
      .description('sign voluntary exits from the mnemonic or a keystore (files byte-identical to ethstaker-deposit-cli\'s), re-verified before success')
      .option('--network <name>', 'mainnet, hoodi, sepolia or holesky')
      .option('--epoch <e>', 'earliest epoch the exit can be included (0: any time, as ethstaker-deposit-cli)', '0')
      .option('--start-index <i>', 'key index of the first validator (EIP-2334 m/12381/3600/i/0/0), default 0')
      .option('--validator-indices <list>', 'the validators\' indices on the beacon chain, comma-separated: key start-index+k exits the k-th')
      .option('--keystore <file>', 'sign with this keystore instead of the mnemonic')
      .option('--validator-index <n>', 'with --keystore: its validator\'s index on the beacon chain')
      .requiredOption('--out <dir>', 'new or empty directory for the signed_exit_transaction-*.json files')
      .option('--passphrase', 'the mnemonic has a BIP39 passphrase: read it too', false);
    addMnemonicFileOption(cmd);
    addPasswordFileOption(cmd);
    addAllowOnlineOption(cmd);
    addJsonOption(cmd).action(action((opts: ExitSignOptions) => run(opts)));
  },
};
