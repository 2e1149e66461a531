/**
 * Worker tasks for `keystore verify`: decrypt one keystore and derive its pubkey. The secret
 * key never leaves the worker: the reply carries only the status and the derived pubkey.
 */
import { decrypt } from '@chainsafe/bls-keystore';
import { bls12_381, bls12_381_Fr } from '@noble/curves/bls12-381.js';
import { assertKdfWithinBounds, type Keystore } from '../../core/keystore.js';
import type { DecryptOutcome } from '../../core/keystore-checks.js';

export interface KeystoreDecryptPayload {
  keystore: Keystore;
  password: string;
}

export interface KeystoreDecryptResult extends DecryptOutcome {
  /** Wall time of the task in this worker (KDF dominates), for the progress ETA and the bench. */
  ms: number;
}

function bytesToBigInt(b: Uint8Array): bigint {
  let n = 0n;
  for (const x of b) n = (n << 8n) | BigInt(x);
  return n;
}

/**
 * Decrypt with @chainsafe/bls-keystore (native scrypt/pbkdf2 under Node), check the checksum,
 * and derive the pubkey of the secret. KDF bounds are re-checked here so no caller can skip them.
 */
export async function keystoreDecrypt(payload: unknown): Promise<KeystoreDecryptResult> {
  const { keystore, password } = payload as KeystoreDecryptPayload;
  assertKdfWithinBounds(keystore.crypto.kdf);
  const t0 = performance.now();
  let secret: Uint8Array | undefined;
  try {
    try {
      secret = await decrypt(keystore as never, password);
    } catch (err) {
      if (err instanceof Error && err.message === 'Invalid password') return { status: 'wrong-password', ms: performance.now() - t0 };
      throw new Error('keystore decryption failed');
    }
    const sk = bytesToBigInt(secret);
    if (secret.length !== 32 || sk === 0n || sk >= bls12_381_Fr.ORDER) return { status: 'invalid-secret', ms: performance.now() - t0 };
    const pubkey = Buffer.from(bls12_381.longSignatures.getPublicKey(secret).toBytes(true)).toString('hex');
    return { status: 'ok', derivedPubkey: pubkey, ms: performance.now() - t0 };
  } finally {
    secret?.fill(0);
  }
}

export const KEYSTORE_TASKS = {
  'keystore-decrypt': keystoreDecrypt,
};
