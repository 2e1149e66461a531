/**
 * Worker tasks for `keystore verify`, split so one KDF run opens every keystore that shares its key
 * (ethstaker-deposit-cli batches share one salt):
 * - `keystore-kdf`: derive the decryption key of one KDF module and password (the only
 *   memory-heavy step; the caller schedules it by `kdfMemoryBytes`);
 * - `keystore-open`: with a derived key, check each keystore's checksum, decrypt it and derive the
 *   pubkey of its secret. The secrets never leave the worker: the reply carries only the status and
 *   the derived pubkey.
 *
 * The KDFs are node:crypto's (OpenSSL) scrypt and pbkdf2, as @chainsafe/bls-keystore runs them
 * under Node, but scrypt gets `maxmem` equal to what it allocates (128·r·(n+p+2)), not 256·n·r: so
 * the memory the scheduler counts is the most it can take. Checksum and cipher are
 * @chainsafe/bls-keystore's modules.
 */
import { pbkdf2Sync, scryptSync } from 'node:crypto';
import { verifyChecksum } from '@chainsafe/bls-keystore/lib/checksum/index.js';
import { cipherDecrypt } from '@chainsafe/bls-keystore/lib/cipher/index.js';
import { normalizePassword } from '@chainsafe/bls-keystore/lib/password.js';
import { bls12_381, bls12_381_Fr } from '@noble/curves/bls12-381.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { assertKdfWithinBounds, scryptMemoryBytes, type KdfModule } from '../../core/eth/keystore.js';
import type { DecryptOutcome } from '../../core/eth/keystore-checks.js';

export interface KeystoreKdfPayload {
  kdf: KdfModule;
  password: string;
}

/** What `keystore-open` needs of one keystore (all public). */
export interface SealedSecret {
  checksum: string;
  iv: string;
  ciphertext: string;
}

export interface KeystoreOpenPayload {
  /** The derived key (dklen bytes); zeroed here after use. */
  key: Uint8Array;
  items: SealedSecret[];
}

export type KeystoreDecryptResult = DecryptOutcome;

/**
 * Derive a KDF module's key from a password (EIP-2335 password normalisation). KDF bounds are
 * re-checked here so no caller can skip them.
 * @throws {KeystoreError} keystore-kdf-bounds; never an error naming the password.
 */
export function deriveKdfKey(kdf: KdfModule, password: string): Uint8Array {
  assertKdfWithinBounds(kdf);
  const pw = normalizePassword(password);
  try {
    const salt = hexToBytes(kdf.params.salt);
    if (kdf.function === 'scrypt') {
      const { n, r, p, dklen } = kdf.params;
      return new Uint8Array(scryptSync(pw, salt, dklen, { N: n, r, p, maxmem: scryptMemoryBytes(n, r, p) }));
    }
    return new Uint8Array(pbkdf2Sync(pw, salt, kdf.params.c, kdf.params.dklen, 'sha256'));
  } finally {
    pw.fill(0);
  }
}

function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/** Checksum, decryption and secret → pubkey of one keystore under an already derived key. */
export async function openSealed(key: Uint8Array, item: SealedSecret): Promise<DecryptOutcome> {
  const ciphertext = hexToBytes(item.ciphertext);
  if (!(await verifyChecksum({ function: 'sha256', params: {}, message: item.checksum }, key, ciphertext))) return { status: 'wrong-password' };
  let secret: Uint8Array | undefined;
  try {
    secret = await cipherDecrypt({ function: 'aes-128-ctr', params: { iv: item.iv }, message: item.ciphertext }, key.slice(0, 16));
    const sk = bytesToBigInt(secret);
    if (secret.length !== 32 || sk === 0n || sk >= bls12_381_Fr.ORDER) return { status: 'invalid-secret' };
    return { status: 'ok', derivedPubkey: Buffer.from(bls12_381.longSignatures.getPublicKey(secret).toBytes(true)).toString('hex') };
  } finally {
    secret?.fill(0);
  }
}

export const KEYSTORE_TASKS = {
  'keystore-kdf': (payload: unknown): Uint8Array => {
    const { kdf, password } = payload as KeystoreKdfPayload;
    return deriveKdfKey(kdf, password);
  },
  'keystore-open': async (payload: unknown): Promise<DecryptOutcome[]> => {
    const { key, items } = payload as KeystoreOpenPayload;
    try {
      const out: DecryptOutcome[] = [];
      for (const item of items) {
        try {
          out.push(await openSealed(key, item));
        } catch {
          out.push({ status: 'failed' });
        }
      }
      return out;
    } finally {
      key.fill(0);
    }
  },
};
