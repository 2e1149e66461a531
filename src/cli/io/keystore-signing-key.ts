/**
 * The secret key inside one EIP-2335 keystore, for a command that signs with it (`exit sign
 * --keystore`): read and parse the file strictly (size, schema, KDF bounds before the KDF), ask the
 * password (file, or terminal with up to three tries), decrypt, and check the secret derives the
 * keystore's pubkey. KDF, checksum and cipher are the ones `keystore verify` runs.
 */
import { verifyChecksum } from '@chainsafe/bls-keystore/lib/checksum/index.js';
import { cipherDecrypt } from '@chainsafe/bls-keystore/lib/cipher/index.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { CURVE_ORDER, secretToPublicKey } from '../../core/eth/bls.js';
import { assertKdfWithinBounds, type Keystore } from '../../core/eth/keystore.js';
import { InputError, UsageError } from '../../core/errors.js';
import { deriveKdfKey } from '../workers/keystore-tasks.js';
import { readKeystoreFile } from './keystore-files.js';
import { hasTerminal, readSecret } from './secrets.js';

export interface KeystoreSigningKey {
  /** 32-byte secret key: the caller zeroes it. */
  secret: Uint8Array;
  /** 48-byte public key derived from `secret`. */
  pubkey: Uint8Array;
  /** The keystore's EIP-2334 path ("" when it has none). */
  path: string;
}

/** The secret under `password`, or null when the checksum says the password is wrong. */
async function open(ks: Keystore, password: string): Promise<Uint8Array | null> {
  const key = deriveKdfKey(ks.crypto.kdf, password);
  try {
    const ciphertext = hexToBytes(ks.crypto.cipher.message);
    if (!(await verifyChecksum({ function: 'sha256', params: {}, message: ks.crypto.checksum.message }, key, ciphertext))) return null;
    return await cipherDecrypt({ function: 'aes-128-ctr', params: { iv: ks.crypto.cipher.params.iv }, message: ks.crypto.cipher.message }, key.slice(0, 16));
  } finally {
    key.fill(0);
  }
}

/**
 * @throws {InputError} unreadable or malformed keystore, a secret that is not a BLS key, or one whose
 *   pubkey is not the keystore's; {UsageError} a wrong password (from a file, or three times typed).
 */
export async function readKeystoreSigningKey(file: string, passwordFile: string | undefined): Promise<KeystoreSigningKey> {
  const r = readKeystoreFile({ file, certain: true });
  if (r === null || !r.ok) {
    throw new InputError(r === null ? 'not a keystore' : r.detail, { file, ...(r !== null && r.field !== undefined ? { field: r.field } : {}) });
  }
  const ks = r.keystore;
  // A KDF bomb is refused before the password is asked for.
  assertKdfWithinBounds(ks.crypto.kdf, file);
  const tries = passwordFile === undefined && hasTerminal() ? 3 : 1;
  for (let attempt = 1; ; attempt++) {
    const password = await readSecret({ what: 'keystore password', flag: '--password-file', file: passwordFile, prompt: 'keystore password (not shown): ', echo: false });
    const secret = await open(ks, password);
    if (secret !== null) {
      let bad = secret.length !== 32;
      let x = 0n;
      for (const b of secret) x = (x << 8n) | BigInt(b);
      bad ||= x === 0n || x >= CURVE_ORDER;
      if (bad) {
        secret.fill(0);
        throw new InputError('decrypts to something that is not a BLS secret key', { file });
      }
      const pubkey = secretToPublicKey(secret);
      if (ks.pubkey !== undefined && ks.pubkey !== Buffer.from(pubkey).toString('hex')) {
        secret.fill(0);
        throw new InputError('its secret key does not derive its pubkey member: the file was altered', { file, field: 'pubkey' });
      }
      return { secret, pubkey, path: ks.path };
    }
    if (attempt >= tries) {
      throw new UsageError(`the password ${passwordFile !== undefined ? `in ${passwordFile === '-' ? 'standard input' : '--password-file'} ` : ''}does not open ${file}`, 'it is the keystore password, not the mnemonic passphrase');
    }
    process.stderr.write('coldstake: error: wrong password, try again\n');
  }
}
