/**
 * The Zond `keys new` pipeline once every input is confirmed: for each validator, the child seed
 * and ML-DSA-87 keypair (qrysm's derivation), a keystore in qrysm's deposit-CLI shape and a signed
 * deposit entry; files written exclusive, atomic, 0600; then everything re-verified from disk before
 * success. On failure or an early exit every file this run created is removed (and the output
 * directory when this run created it).
 *
 * One KDF run per batch by default, as the Ethereum keys do: one fresh salt, the argon2id key derived
 * once, every keystore sealed under it with its own fresh 12-byte IV and uuid (`per-keystore`: one
 * salt and one KDF run each). Re-verification derives the key AGAIN from the first file's parameters
 * (a second, independent KDF run) and opens every keystore file with it: the decrypted seed must give
 * the file's pubkey. The deposit file is re-read with the strict parser and every check of `deposit
 * verify` (roots, signature, network, amount, address) must pass, each entry matching its keystore.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { deriveZondChildSeed, zondKeypair, zondPublicKey, zondValidatorPath } from '../../core/zond/derivation.js';
import { parseZondDepositData, zondDepositFileText, zondDepositMessageRoot, zondDepositSigningRoot, type ZondDepositFields } from '../../core/zond/deposit.js';
import { zondDepositFindings } from '../../core/zond/deposit-checks.js';
import { deriveZondKeystoreKey, openZondKeystore, parseZondKeystore, sealZondKeystore, zondDepositFileName, zondKdfIdentity, zondKeystoreFileName, type ZondKdfParams } from '../../core/zond/keystore.js';
import type { ZondNetwork } from '../../core/zond/networks.js';
import { zondSign, zondVerify } from '../../core/zond/signing.js';
import { readBoundedFile, MIB, KIB } from '../io/read-input.js';
import { RunFiles } from '../io/run-files.js';
import { writeFileExclusive } from '../io/safe-write.js';
import type { Progress } from '../output/progress.js';
import { VerificationError, type KdfSaltLayout } from './generate.js';

export interface ZondGenerateParams {
  /** The 48-byte staking seed. Not retained; the caller zeroes it. */
  seed: Uint8Array;
  startIndex: number;
  count: number;
  password: string;
  kdf: { t: number; m: number; p: number };
  kdfSalt: KdfSaltLayout;
  /** The 64-byte withdrawal address. */
  withdrawalAddress: Uint8Array;
  amount: number;
  network: ZondNetwork;
  outDir: string;
  unixtime: number;
  createdOutDir: boolean;
}

export interface ZondGenerated {
  index: number;
  path: string;
  pubkey: string;
  keystoreFile: string;
}

export interface ZondGenerateResult {
  validators: ZondGenerated[];
  depositFile: string;
  depositFileSha256: string;
  kdfRuns: number;
  verified: { keystoresByteIdentical: number; keystoresFullKdf: number; depositEntries: number };
}

/** Files this process created and has not yet handed over: removed on failure or early exit. */
const run = new RunFiles();

function newKdf(p: ZondGenerateParams): ZondKdfParams {
  return { ...p.kdf, dklen: 32, salt: bytesToHex(randomBytes(32)) };
}

/**
 * Run the pipeline.
 * @throws {UsageError} a file cannot be written; {VerificationError} an output does not re-verify
 *   (nothing is left behind in either case).
 */
export async function generateZondKeys(p: ZondGenerateParams, progress: Progress): Promise<ZondGenerateResult> {
  run.begin(p.createdOutDir ? p.outDir : undefined);
  let batchKey: Uint8Array | undefined;
  try {
    let kdfRuns = 0;
    let batchKdf: ZondKdfParams | undefined;
    if (p.kdfSalt === 'per-batch') {
      batchKdf = newKdf(p);
      batchKey = await deriveZondKeystoreKey(batchKdf, p.password);
      kdfRuns++;
    }
    const texts = new Map<number, string>();
    const files = new Map<number, string>();
    const pubkeys = new Map<number, Uint8Array>();
    const entries: ZondDepositFields[] = [];
    const ivs = new Set<string>();
    for (let k = 0; k < p.count; k++) {
      const index = p.startIndex + k;
      const child = deriveZondChildSeed(p.seed, index);
      const kp = zondKeypair(child);
      let key = batchKey;
      let kdf = batchKdf;
      try {
        if (!key || !kdf) {
          kdf = newKdf(p);
          key = await deriveZondKeystoreKey(kdf, p.password);
          kdfRuns++;
        }
        const iv = randomBytes(12);
        ivs.add(bytesToHex(iv));
        const text = sealZondKeystore(key, child, { kdf, iv, pubkey: kp.publicKey, path: zondValidatorPath(index), uuid: randomUUID() });
        // Checked in place with the key it was sealed under: it opens to this child seed.
        const parsed = parseZondKeystore(JSON.parse(text) as unknown);
        const opened = parsed.kind === 'validator-keystore' ? openZondKeystore(key, parsed.keystore) : null;
        if (!opened || bytesToHex(opened) !== bytesToHex(child)) throw new VerificationError(`keystore ${index} does not open to its seed`);
        opened.fill(0);
        const messageRoot = zondDepositMessageRoot(kp.publicKey, p.withdrawalAddress, p.amount);
        const signingRoot = zondDepositSigningRoot(messageRoot, p.network.depositDomain);
        const signature = zondSign(signingRoot, kp.secretKey);
        if (!zondVerify(signature, signingRoot, kp.publicKey)) throw new VerificationError(`the deposit signature of validator ${index} does not verify`);
        const file = path.join(p.outDir, zondKeystoreFileName(index, p.unixtime));
        writeFileExclusive(file, text, { mode: 0o600 });
        run.add(file);
        texts.set(index, text);
        files.set(index, file);
        pubkeys.set(index, kp.publicKey);
        entries.push({ pubkey: kp.publicKey, withdrawalCredentials: p.withdrawalAddress, amount: p.amount, signature, forkVersion: p.network.genesisForkVersion, networkName: p.network.networkName });
      } finally {
        child.fill(0);
        kp.secretKey.fill(0);
        if (key !== batchKey) key?.fill(0);
      }
      progress.tick();
    }
    batchKey?.fill(0);
    batchKey = undefined;
    if (ivs.size !== p.count) throw new VerificationError('two keystores share an IV');
    const depositFile = path.join(p.outDir, zondDepositFileName(p.unixtime));
    const depositText = zondDepositFileText(entries);
    writeFileExclusive(depositFile, depositText, { mode: 0o600 });
    run.add(depositFile);
    progress.done();

    // Re-verification from disk.
    const indices = [...files.keys()];
    for (const i of indices) {
      const onDisk = Buffer.from(readBoundedFile(files.get(i)!, 64 * KIB)).toString('utf8');
      if (onDisk !== texts.get(i)) throw new VerificationError(`${path.basename(files.get(i)!)} on disk differs from what was written`);
    }
    let verifyKey: Uint8Array | undefined;
    let verifyKdf = '';
    let full = 0;
    try {
      for (const i of indices) {
        const parsed = parseZondKeystore(JSON.parse(texts.get(i)!) as unknown, files.get(i));
        if (parsed.kind !== 'validator-keystore') throw new VerificationError('not a validator keystore');
        const ks = parsed.keystore;
        const id = zondKdfIdentity(ks.kdf);
        if (!verifyKey || id !== verifyKdf) {
          // Per batch: one independent KDF run for all; per keystore: the first one only.
          if (verifyKey && p.kdfSalt === 'per-keystore') break;
          verifyKey?.fill(0);
          verifyKey = await deriveZondKeystoreKey(ks.kdf, p.password);
          verifyKdf = id;
          kdfRuns++;
        }
        const seed = openZondKeystore(verifyKey, ks);
        if (!seed) throw new VerificationError(`${path.basename(files.get(i)!)} does not open with the re-derived key`);
        const pk = zondPublicKey(seed);
        seed.fill(0);
        if (bytesToHex(pk) !== ks.pubkey || ks.pubkey !== bytesToHex(pubkeys.get(i)!)) throw new VerificationError(`${path.basename(files.get(i)!)} decrypts to another key than its pubkey`);
        full++;
      }
    } finally {
      verifyKey?.fill(0);
    }
    const depositBytes = readBoundedFile(depositFile, 64 * MIB);
    if (Buffer.from(depositBytes).toString('utf8') !== depositText) throw new VerificationError('the deposit file on disk differs from what was written');
    const reread = parseZondDepositData(depositText, depositFile);
    const checks = zondDepositFindings(depositFile, reread, { network: p.network, withdrawalAddress: p.withdrawalAddress });
    const bad = checks.findings.filter((f) => f.severity !== 'info');
    if (bad.length > 0) throw new VerificationError(`the deposit file does not verify (${bad.map((f) => f.id).join(', ')})`);
    reread.forEach((e, k) => {
      if (bytesToHex(e.pubkey) !== bytesToHex(pubkeys.get(indices[k]!)!)) throw new VerificationError(`deposit entry ${k} is not its keystore's key`);
    });
    const result: ZondGenerateResult = {
      validators: indices.map((i) => ({ index: i, path: zondValidatorPath(i), pubkey: bytesToHex(pubkeys.get(i)!), keystoreFile: files.get(i)! })),
      depositFile,
      depositFileSha256: createHash('sha256').update(depositBytes).digest('hex'),
      kdfRuns,
      verified: { keystoresByteIdentical: indices.length, keystoresFullKdf: full, depositEntries: reread.length },
    };
    run.keep();
    return result;
  } catch (err) {
    progress.done();
    batchKey?.fill(0);
    run.rollback();
    throw err;
  }
}
