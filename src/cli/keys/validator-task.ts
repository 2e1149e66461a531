/**
 * One validator's outputs, built where the CPU is (a worker thread, or in-process in tests):
 * the deposit entry (BLS-signed, then verified from its JSON text) and the EIP-2335 keystore, encrypted with @chainsafe/bls-keystore's
 * KDF, cipher and checksum modules (under the batch's KDF key when one is given, so no KDF runs here). The task keeps the KDF output (the decryption key) long enough
 * to check the serialised keystore text the way a client will read it: parse it back, verify the
 * checksum, decrypt, and derive the pubkey from the decrypted secret. So no keystore text leaves this
 * function unless it decrypts to the right key, and the KDF runs once per keystore.
 *
 * Secrets (the signing key, the password, the decryption key) are zeroed where we own the bytes and
 * never appear in an error message.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { checksum as keystoreChecksum, verifyChecksum } from '@chainsafe/bls-keystore/lib/checksum/index.js';
import { cipherDecrypt, cipherEncrypt } from '@chainsafe/bls-keystore/lib/cipher/index.js';
import { kdf as runKdf } from '@chainsafe/bls-keystore/lib/kdf/index.js';
import { normalizePassword } from '@chainsafe/bls-keystore/lib/password.js';
import { decrypt, type IKdfModule, type IKeystore } from '@chainsafe/bls-keystore';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { secretToPublicKey } from '../../core/eth/bls.js';
import { buildDepositEntry, checkDepositEntry, equalBytes, parseDepositData, serializeDepositEntry, type DepositEntry } from '../../core/eth/deposit.js';
import { serializeKeystore, type KdfChoice } from '../../core/eth/keystore-format.js';

export interface ValidatorJob {
  index: number;
  path: string;
  /** 32-byte signing key; the task zeroes its copy. */
  signingSk: Uint8Array;
  password: string;
  kdf: KdfChoice;
  withdrawalCredentials: Uint8Array;
  amount: number;
  network: { name: string; genesisForkVersion: Uint8Array; depositDomain: Uint8Array };
  depositCliVersion: string;
  /**
   * The batch's KDF key and salt (one KDF run per batch, as ethstaker-deposit-cli): the task then
   * runs no KDF and uses this key; it zeroes only its own copy. Absent: a fresh salt and a KDF run.
   */
  batch?: { key: Uint8Array; salt: Uint8Array };
}

export interface ValidatorOutput {
  index: number;
  pubkey: Uint8Array;
  /** The deposit entry's JSON text as it goes into the deposit_data array. */
  depositJson: string;
  keystoreJson: string;
}

/** Raised when a freshly built keystore or deposit entry does not read back: a bug or broken hardware, never user error. */
export class KeystoreSelfCheckError extends Error {
  constructor(what: string) {
    super(`keystore self-check failed: ${what}`);
    this.name = 'KeystoreSelfCheckError';
  }
}

export interface Randomness {
  bytes(n: number): Uint8Array;
  uuid(): string;
}

export const nodeRandomness: Randomness = {
  bytes: (n) => new Uint8Array(randomBytes(n)),
  uuid: () => randomUUID(),
};

/** The EIP-2335 KDF module of a KDF choice and a salt. */
export function kdfModule(kdf: KdfChoice, salt: Uint8Array): IKdfModule {
  const saltHex = bytesToHex(salt);
  return kdf.function === 'scrypt'
    ? { function: 'scrypt', params: { ...kdf.params, salt: saltHex }, message: '' }
    : { function: 'pbkdf2', params: { ...kdf.params, salt: saltHex }, message: '' };
}

/**
 * Build and self-check one validator's keystore and deposit entry.
 * @throws {KeystoreSelfCheckError} when the keystore text does not decrypt to the signing key.
 */
export async function buildValidator(job: ValidatorJob, rng: Randomness = nodeRandomness): Promise<ValidatorOutput> {
  const password = normalizePassword(job.password);
  let dk: Uint8Array | undefined;
  let decrypted: Uint8Array | undefined;
  try {
    const deposit: DepositEntry = buildDepositEntry({
      signingSk: job.signingSk,
      withdrawalCredentials: job.withdrawalCredentials,
      amount: job.amount,
      network: job.network,
      depositCliVersion: job.depositCliVersion,
    });
    const pubkey = deposit.pubkey;
    // The deposit entry as it will be written, read back strictly and verified (roots and BLS
    // signature): done here so the pairings run in parallel; the file on disk is later compared
    // byte for byte with these verified texts.
    const depositJson = serializeDepositEntry(deposit);
    const [parsed] = parseDepositData(`[${depositJson}]`, 'deposit entry');
    const check = checkDepositEntry(parsed!, job.network.depositDomain);
    if (!check.messageRootOk || !check.dataRootOk || !check.signatureOk || !equalBytes(parsed!.pubkey, pubkey)) {
      throw new KeystoreSelfCheckError('deposit entry');
    }
    // A fresh IV and uuid for every keystore, always (TOB-ETHSTAKER-6 was one IV across a batch that
    // shared its KDF key). The salt and key are the batch's, or fresh for this keystore.
    const salt = job.batch?.salt ?? rng.bytes(32);
    const iv = rng.bytes(16);
    const kdfMod = kdfModule(job.kdf, salt);
    dk = job.batch ? job.batch.key.slice() : await runKdf(kdfMod, password);
    const cipherMod = { function: 'aes-128-ctr' as const, params: { iv: bytesToHex(iv) }, message: '' };
    const ciphertext = await cipherEncrypt(cipherMod, dk.slice(0, 16), job.signingSk);
    const checksum = await keystoreChecksum({ function: 'sha256', params: {}, message: '' }, dk, ciphertext);
    const keystoreJson = serializeKeystore({ kdf: job.kdf, salt, checksum, iv, ciphertext, pubkey, path: job.path, uuid: rng.uuid() });

    // Read the text back as a validator client would, with the key we already derived.
    const ks = JSON.parse(keystoreJson) as IKeystore;
    if (ks.pubkey !== bytesToHex(pubkey) || ks.path !== job.path || ks.version !== 4) throw new KeystoreSelfCheckError('metadata');
    if (JSON.stringify(ks.crypto.kdf.params) !== JSON.stringify(kdfMod.params) || ks.crypto.kdf.function !== kdfMod.function) {
      throw new KeystoreSelfCheckError('kdf parameters');
    }
    if (!(await verifyChecksum(ks.crypto.checksum, dk, hexToBytes(ks.crypto.cipher.message)))) throw new KeystoreSelfCheckError('checksum');
    decrypted = await cipherDecrypt(ks.crypto.cipher, dk.slice(0, 16));
    // The decrypted secret is the signing key byte for byte, and `pubkey` (the keystore's pubkey field,
    // checked above) was derived from that key when the deposit was built: so the decrypted secret
    // derives the keystore's pubkey without a second scalar multiplication.
    if (!equalBytes(decrypted, job.signingSk)) throw new KeystoreSelfCheckError('decryption');
    return { index: job.index, pubkey, depositJson, keystoreJson };
  } finally {
    password.fill(0);
    dk?.fill(0);
    decrypted?.fill(0);
    job.signingSk.fill(0);
  }
}

/**
 * Decrypt a keystore's text with @chainsafe/bls-keystore's `decrypt`, running the full KDF from the
 * file's own parameters (the once-per-batch check that parameters and encodings round-trip), and
 * return the pubkey of the decrypted secret. The caller has bounded the text; it is our own output.
 * @throws {KeystoreSelfCheckError} when the password does not open it.
 */
export async function decryptKeystoreText(text: string, password: string): Promise<Uint8Array> {
  const ks = JSON.parse(text) as IKeystore;
  let secret: Uint8Array | undefined;
  try {
    secret = await decrypt(ks, password);
  } catch {
    throw new KeystoreSelfCheckError('the password does not open the keystore on re-read');
  }
  try {
    return secretToPublicKey(secret);
  } finally {
    secret.fill(0);
  }
}
