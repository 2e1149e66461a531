/**
 * The `keys new` pipeline once every input is confirmed: derive each signing key, build keystores and
 * deposit entries in a worker pool, write them as they come (exclusive, atomic, keystores 0600), write
 * the deposit file, then re-verify everything on disk before reporting success. On any failure, or when
 * the process exits early (Ctrl-C), every file this run created is removed, and the output directory
 * too when this run created it.
 *
 * One KDF run per batch by default (as ethstaker-deposit-cli since its "re-use same decryption key
 * and salt" change): one fresh random salt, the key derived once in a worker, and every keystore
 * encrypted under it with its own fresh IV and uuid. `kdfSalt: 'per-keystore'` keeps one salt and one
 * KDF run per keystore.
 *
 * Re-verification before success:
 * - every keystore text was checked inside its task with the key it was encrypted under (checksum,
 *   decryption, pubkey), and each file on disk must equal that text byte for byte;
 * - one batch: the KDF key is derived again, from the KDF parameters and salt read from the first file
 *   on disk (a second, independent KDF run), and EVERY keystore is opened from its file with it:
 *   checksum, decryption, and the secret's pubkey equal to the keystore's; every file has the same KDF
 *   module. Per-keystore salts: one keystore is decrypted again from its file with the full KDF;
 * - IVs and uuids are distinct across the run (and salts too with per-keystore salts);
 * - every deposit entry's text was verified inside its task (strict parse, both roots, BLS signature),
 *   the deposit file on disk must equal those texts byte for byte, and it is re-read with the strict
 *   parser: roots recomputed, each entry matched to its keystore's pubkey, the credentials, amount and
 *   network. (The pairings run in the pool, so they add no serial tail.)
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { depositDataRoot, depositMessageRoot, equalBytes, parseDepositData } from '../../core/eth/deposit.js';
import { deriveChildSk, deriveMasterSk, COIN_TYPE, PURPOSE, signingPath } from '../../core/eth/derivation.js';
import { secretKeyFromScalar } from '../../core/eth/bls.js';
import { depositDataFileName, keystoreFileName, type KdfChoice } from '../../core/eth/keystore-format.js';
import { parseKeystore, type KdfModule } from '../../core/eth/keystore.js';
import { kdfIdentity, type DecryptOutcome } from '../../core/eth/keystore-checks.js';
import type { SealedSecret } from '../workers/keystore-tasks.js';
import type { Network } from '../../core/eth/networks.js';
import { UsageError } from '../../core/errors.js';
import { readBoundedFile, MIB, KIB } from '../io/read-input.js';
import { RunFiles } from '../io/run-files.js';
import { writeFileExclusive } from '../io/safe-write.js';
import type { Progress } from '../output/progress.js';
import { kdfModule, type ValidatorJob, type ValidatorOutput } from './validator-task.js';

/** Where the CPU-heavy work runs: a worker pool in the CLI, in-process in tests. */
export interface KeysRunner {
  readonly size: number;
  build(job: ValidatorJob): Promise<ValidatorOutput>;
  /** One KDF run. `verify`: the re-verification's (on a thread of its own where the memory allows). */
  deriveKey(kdf: KdfModule, password: string, purpose: 'encrypt' | 'verify'): Promise<Uint8Array>;
  /** With a derived key, open each keystore's sealed secret: status and the derived pubkey. */
  open(key: Uint8Array, items: SealedSecret[]): Promise<DecryptOutcome[]>;
  /** Full-KDF decryption of a keystore text; returns the pubkey of the decrypted secret. */
  decrypt(text: string, password: string): Promise<Uint8Array>;
}

/** One salt and one KDF run for the whole batch (default), or one per keystore. */
export type KdfSaltLayout = 'per-batch' | 'per-keystore';

export interface GenerateParams {
  /** BIP-39 seed (64 bytes). Not retained; the caller zeroes it. */
  seed: Uint8Array;
  startIndex: number;
  count: number;
  password: string;
  kdf: KdfChoice;
  withdrawalCredentials: Uint8Array;
  /** Gwei per validator. */
  amount: number;
  network: Network;
  depositCliVersion: string;
  outDir: string;
  /** Seconds since the epoch, used in every file name of the run (as ethstaker-deposit-cli does). */
  unixtime: number;
  /** Whether the caller created `outDir` for this run (then a failure removes it). */
  createdOutDir: boolean;
  /** Default `per-batch`. */
  kdfSalt?: KdfSaltLayout;
}

export interface GeneratedValidator {
  index: number;
  path: string;
  pubkey: string;
  withdrawalCredentials: string;
  keystoreFile: string;
}

export interface GenerateResult {
  validators: GeneratedValidator[];
  depositFile: string;
  depositFileSha256: string;
  /** KDF runs made: one per keystore plus the re-verification's. */
  kdfRuns: number;
  verified: { keystoresByteIdentical: number; keystoresFullKdf: number; depositEntries: number };
}

/** Thrown when re-verification finds a mismatch: a bug or failing hardware (exit 70 via main's handler). */
export class VerificationError extends Error {
  constructor(what: string) {
    super(`re-verification failed: ${what}`);
    this.name = 'VerificationError';
  }
}

const KEYSTORE_READ_LIMIT = 64 * KIB;
const DEPOSIT_READ_LIMIT = 16 * MIB;

/** Files this process created and has not yet handed over: removed on failure or early exit. */
const run = new RunFiles();

/**
 * Run the pipeline. Secrets derived here are zeroed once handed to a task.
 * @throws {UsageError} when a file cannot be written (disk full, permissions): nothing is left behind.
 * @throws {VerificationError} when an output does not re-verify: nothing is left behind.
 */
export async function generateKeys(p: GenerateParams, runner: KeysRunner, progress: Progress): Promise<GenerateResult> {
  run.begin(p.createdOutDir ? p.outDir : undefined);
  const indices = Array.from({ length: p.count }, (_, i) => p.startIndex + i);
  const outputs = new Map<number, ValidatorOutput>();
  const files = new Map<number, string>();
  const perBatch = (p.kdfSalt ?? 'per-batch') === 'per-batch';
  let fullKdfCheck: Promise<void> | undefined;
  /** The re-verification's own KDF key (one batch), derived from the first file on disk. */
  let verifyKey: Promise<Uint8Array> | undefined;
  let kdfRuns = 0;
  let batch: { key: Uint8Array; salt: Uint8Array } | undefined;

  // m/12381/3600 is shared by every validator: derive it once.
  let coinSk: bigint | undefined = deriveChildSk(deriveChildSk(deriveMasterSk(p.seed), PURPOSE), COIN_TYPE);
  const jobFor = (index: number): ValidatorJob => {
    const withdrawal = deriveChildSk(deriveChildSk(coinSk!, index), 0);
    const signing = deriveChildSk(withdrawal, 0);
    return {
      index,
      path: signingPath(index),
      signingSk: secretKeyFromScalar(signing),
      password: p.password,
      kdf: p.kdf,
      withdrawalCredentials: p.withdrawalCredentials,
      amount: p.amount,
      network: { name: p.network.name, genesisForkVersion: p.network.genesisForkVersion, depositDomain: p.network.depositDomain },
      depositCliVersion: p.depositCliVersion,
      ...(batch ? { batch } : {}),
    };
  };

  const onOutput = (out: ValidatorOutput): void => {
    outputs.set(out.index, out);
    const file = path.join(p.outDir, keystoreFileName(signingPath(out.index), p.unixtime));
    writeFileExclusive(file, out.keystoreJson, { mode: 0o600 });
    run.add(file);
    files.set(out.index, file);
    progress.tick();
    if (fullKdfCheck === undefined && verifyKey === undefined) {
      // Once per run, and early, so it overlaps the remaining keystores.
      const text = readBack(file, KEYSTORE_READ_LIMIT);
      kdfRuns++;
      if (perBatch) {
        // The KDF parameters and salt as the file on disk has them: an independent second KDF run.
        verifyKey = runner.deriveKey(parseKeystore(JSON.parse(text) as unknown, file).keystore.crypto.kdf, p.password, 'verify');
        verifyKey.catch(() => { /* observed below */ });
      } else {
        fullKdfCheck = runner.decrypt(text, p.password).then((pk) => {
          if (!equalBytes(pk, out.pubkey)) throw new VerificationError(`${path.basename(file)} decrypts to another key`);
        });
        fullKdfCheck.catch(() => { /* observed below */ });
      }
    }
  };

  try {
    if (perBatch) {
      const salt = new Uint8Array(randomBytes(32));
      kdfRuns++;
      batch = { key: await runner.deriveKey(kdfModule(p.kdf, salt) as KdfModule, p.password, 'encrypt'), salt };
    }
    // Keep the pool busy with at most 2 jobs per worker in flight, so few keys are held at once.
    let next = 0;
    let failure: unknown;
    const inflight = new Set<Promise<void>>();
    const launch = (): void => {
      const index = indices[next++]!;
      const job = jobFor(index);
      const sk = job.signingSk;
      const task: Promise<void> = runner.build(job).then(
        (out) => {
          sk.fill(0);
          if (failure === undefined) onOutput(out);
        },
        (err: unknown) => {
          sk.fill(0);
          failure ??= err;
        },
      ).then(
        () => { inflight.delete(task); },
        (err: unknown) => { failure ??= err; inflight.delete(task); },
      );
      inflight.add(task);
    };
    while (failure === undefined && (next < indices.length || inflight.size > 0)) {
      while (failure === undefined && next < indices.length && inflight.size < runner.size * 2) launch();
      if (inflight.size > 0) await Promise.race(inflight);
    }
    if (failure !== undefined) {
      await Promise.allSettled(inflight);
      throw failure;
    }
    coinSk = undefined;
    batch?.key.fill(0);

    // The deposit file, in index order.
    const depositFile = path.join(p.outDir, depositDataFileName(p.unixtime));
    const depositText = `[${indices.map((i) => outputs.get(i)!.depositJson).join(', ')}]`;
    writeFileExclusive(depositFile, depositText, { mode: 0o600 }); // owner-only, as ethstaker-deposit-cli (0400)
    run.add(depositFile);
    progress.done();

    const verified = verifyOnDisk(p, indices, outputs, files, depositFile, depositText, perBatch);
    await fullKdfCheck;
    const keystoresFullKdf = verifyKey ? await openEveryKeystore(runner, await verifyKey, indices, outputs, files) : 1;
    const depositBytes = readBack(depositFile, DEPOSIT_READ_LIMIT);
    const result: GenerateResult = {
      validators: indices.map((i) => {
        const o = outputs.get(i)!;
        return {
          index: i,
          path: signingPath(i),
          pubkey: bytesToHex(o.pubkey),
          withdrawalCredentials: bytesToHex(p.withdrawalCredentials),
          keystoreFile: files.get(i)!,
        };
      }),
      depositFile,
      depositFileSha256: createHash('sha256').update(depositBytes).digest('hex'),
      kdfRuns: perBatch ? kdfRuns : indices.length + kdfRuns,
      verified: { ...verified, keystoresFullKdf },
    };
    // Success: the files are the user's now.
    run.keep();
    return result;
  } catch (err) {
    progress.done();
    batch?.key.fill(0);
    if (fullKdfCheck) await fullKdfCheck.catch(() => {});
    if (verifyKey) await verifyKey.then((k) => k.fill(0), () => {});
    run.rollback();
    // CliErrors (disk full, permissions) keep their exit code; anything else is a bug (exit 70).
    throw err;
  }
}

/** Keystores per `open` call: spreads the BLS sk → pk work of a large batch over the workers. */
const OPEN_CHUNK = 32;

/**
 * Open every keystore file with the re-derived batch key: each must have the first file's KDF module,
 * pass its checksum and decrypt to a secret whose pubkey is the keystore's. Zeroes the key.
 * @returns how many keystores were opened this way.
 */
async function openEveryKeystore(runner: KeysRunner, key: Uint8Array, indices: number[], outputs: Map<number, ValidatorOutput>, files: Map<number, string>): Promise<number> {
  try {
    const parsed = indices.map((i) => ({ i, ks: parseKeystore(JSON.parse(outputs.get(i)!.keystoreJson) as unknown, files.get(i)).keystore }));
    const kdf = kdfIdentity(parsed[0]!.ks);
    const size = Math.max(1, Math.min(OPEN_CHUNK, Math.ceil(parsed.length / runner.size)));
    const chunks: Array<typeof parsed> = [];
    for (let k = 0; k < parsed.length; k += size) chunks.push(parsed.slice(k, k + size));
    await Promise.all(chunks.map(async (chunk) => {
      const items = chunk.map(({ ks }) => ({ checksum: ks.crypto.checksum.message, iv: ks.crypto.cipher.params.iv, ciphertext: ks.crypto.cipher.message }));
      const outcomes = await runner.open(key, items);
      chunk.forEach(({ i, ks }, k) => {
        const name = path.basename(files.get(i)!);
        if (kdfIdentity(ks) !== kdf) throw new VerificationError(`${name} has another KDF module than the batch`);
        const o = outcomes[k];
        if (o?.status !== 'ok' || o.derivedPubkey !== bytesToHex(outputs.get(i)!.pubkey) || ks.pubkey !== o.derivedPubkey) {
          throw new VerificationError(`${name} does not decrypt to its key with the re-derived batch key`);
        }
      });
    }));
    return parsed.length;
  } finally {
    key.fill(0);
  }
}

function readBack(file: string, limit: number): string {
  try {
    return readBoundedFile(file, limit).toString('utf8');
  } catch {
    throw new UsageError(`cannot read back ${file} to verify it`);
  }
}

function verifyOnDisk(
  p: GenerateParams,
  indices: number[],
  outputs: Map<number, ValidatorOutput>,
  files: Map<number, string>,
  depositFile: string,
  depositText: string,
  perBatch: boolean,
): { keystoresByteIdentical: number; depositEntries: number } {
  const salts = new Set<string>();
  const ivs = new Set<string>();
  const uuids = new Set<string>();
  for (const i of indices) {
    const file = files.get(i)!;
    const text = readBack(file, KEYSTORE_READ_LIMIT);
    if (text !== outputs.get(i)!.keystoreJson) throw new VerificationError(`${path.basename(file)} on disk differs from what was checked`);
    const ks = JSON.parse(text) as { crypto: { kdf: { params: { salt: string } }; cipher: { params: { iv: string } } }; uuid: string };
    salts.add(ks.crypto.kdf.params.salt);
    ivs.add(ks.crypto.cipher.params.iv);
    uuids.add(ks.uuid);
  }
  if (salts.size !== (perBatch ? 1 : indices.length) || ivs.size !== indices.length || uuids.size !== indices.length) {
    throw new VerificationError(perBatch ? 'the batch has more than one salt, or an iv or uuid repeats' : 'a salt, iv or uuid repeats across the keystores');
  }
  const onDisk = readBack(depositFile, DEPOSIT_READ_LIMIT);
  if (onDisk !== depositText) throw new VerificationError('the deposit file on disk differs from what was written');
  const entries = parseDepositData(onDisk, depositFile);
  if (entries.length !== indices.length) throw new VerificationError('the deposit file has the wrong number of entries');
  entries.forEach((e, k) => {
    const out = outputs.get(indices[k]!)!;
    if (!equalBytes(depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount), e.depositMessageRoot)
      || !equalBytes(depositDataRoot(e.pubkey, e.withdrawalCredentials, e.amount, e.signature), e.depositDataRoot)) {
      throw new VerificationError(`deposit entry ${k} has a wrong root`);
    }
    if (!equalBytes(e.pubkey, out.pubkey)) throw new VerificationError(`deposit entry ${k} is not for keystore ${indices[k]}`);
    if (!equalBytes(e.withdrawalCredentials, p.withdrawalCredentials)) throw new VerificationError(`deposit entry ${k} has other withdrawal credentials`);
    if (e.amount !== p.amount) throw new VerificationError(`deposit entry ${k} has another amount`);
    if (!equalBytes(e.forkVersion, p.network.genesisForkVersion) || e.networkName !== p.network.name) {
      throw new VerificationError(`deposit entry ${k} is for another network`);
    }
  });
  return { keystoresByteIdentical: indices.length, depositEntries: entries.length };
}
