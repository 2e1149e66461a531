/**
 * Open one keystore to sign with it (`deposit top-up`): read and parse the file strictly (size, schema
 * and KDF bounds before any KDF runs), derive the key from the password with the same KDF code
 * `keystore verify` uses, check the EIP-2335 checksum, decrypt, and check the secret against the
 * file's pubkey. The caller zeroes the returned secret.
 */
import { verifyChecksum } from '@chainsafe/bls-keystore/lib/checksum/index.js';
import { cipherDecrypt } from '@chainsafe/bls-keystore/lib/cipher/index.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { CURVE_ORDER, secretToPublicKey } from '../../core/eth/bls.js';
import { KEYSTORE_MAX_BYTES, KeystoreError, parseKeystore, type ParsedKeystore } from '../../core/eth/keystore.js';
import { InputError, UsageError } from '../../core/errors.js';
import { deriveKdfKey } from '../workers/keystore-tasks.js';
import { decodeUtf8, parseJsonText, readBoundedFile } from './read-input.js';

/**
 * Read and validate a keystore file (no password needed).
 * @throws {InputError} unreadable, not JSON, not an EIP-2335 keystore, or KDF parameters out of bounds.
 */
export function readKeystoreForSigning(file: string): ParsedKeystore {
  const json = parseJsonText(decodeUtf8(readBoundedFile(file, KEYSTORE_MAX_BYTES), file), file);
  try {
    return parseKeystore(json, file);
  } catch (err) {
    if (err instanceof KeystoreError) throw new InputError(`not a keystore coldstake can open (${err.id}): ${err.detail}`, { file, ...(err.field ? { field: err.field } : {}) });
    throw err;
  }
}

/**
 * The 32-byte secret of `parsed` under `password`, and its pubkey.
 * @throws {UsageError} when the password does not open it; {InputError} when it decrypts to something
 *   that is not a BLS secret key, or to another key than the file's pubkey.
 */
export async function unlockKeystore(parsed: ParsedKeystore, password: string, file: string): Promise<{ secret: Uint8Array; pubkey: Uint8Array }> {
  const { crypto } = parsed.keystore;
  const key = deriveKdfKey(crypto.kdf, password);
  let secret: Uint8Array | undefined;
  try {
    const ciphertext = hexToBytes(crypto.cipher.message);
    if (!(await verifyChecksum(crypto.checksum, key, ciphertext))) {
      throw new UsageError(`the password does not open ${file}`, 'check the password (EIP-2335 passwords are case-sensitive; control characters are ignored)');
    }
    secret = await cipherDecrypt(crypto.cipher, key.slice(0, 16));
    let x = 0n;
    for (const b of secret) x = (x << 8n) | BigInt(b);
    if (secret.length !== 32 || x === 0n || x >= CURVE_ORDER) throw new InputError('decrypts to something that is not a BLS secret key', { file });
    const pubkey = secretToPublicKey(secret);
    const stated = parsed.keystore.pubkey;
    if (stated !== undefined && stated !== Buffer.from(pubkey).toString('hex')) {
      throw new InputError('the decrypted secret is not the key of the file\'s pubkey member: the keystore is corrupt or was altered', { file, field: 'pubkey' });
    }
    const out = secret;
    secret = undefined;
    return { secret: out, pubkey };
  } finally {
    key.fill(0);
    secret?.fill(0);
  }
}
