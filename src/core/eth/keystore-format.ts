/**
 * The EIP-2335 keystore JSON and file names exactly as ethstaker-deposit-cli writes them
 * (key_handling/keystore.py: `json.dumps(asdict(keystore))` of a dataclass with the fields
 * crypto{kdf, checksum, cipher}, description, pubkey, path, uuid, version; Python's default
 * separators; kdf params in the order dklen, n, r, p, salt (scrypt) or c, dklen, prf, salt (pbkdf2),
 * the salt last because it is added when the key is derived; description ""; no trailing newline).
 * The encryption itself is done by @chainsafe/bls-keystore in src/cli/keys.
 */
import { bytesToHex } from '@noble/hashes/utils.js';

/** scrypt n=2^18, r=8, p=1 (EIP-2335 and ethstaker-deposit-cli default). */
export const DEFAULT_SCRYPT = { dklen: 32, n: 262144, r: 8, p: 1 } as const;
/** pbkdf2-hmac-sha256 c=2^18 (ethstaker-deposit-cli `--pbkdf2`). */
export const DEFAULT_PBKDF2 = { c: 262144, dklen: 32, prf: 'hmac-sha256' } as const;

export type KdfChoice =
  | { function: 'scrypt'; params: { dklen: number; n: number; r: number; p: number } }
  | { function: 'pbkdf2'; params: { c: number; dklen: number; prf: 'hmac-sha256' } };

export function defaultKdf(name: 'scrypt' | 'pbkdf2'): KdfChoice {
  return name === 'scrypt' ? { function: 'scrypt', params: { ...DEFAULT_SCRYPT } } : { function: 'pbkdf2', params: { ...DEFAULT_PBKDF2 } };
}

export interface KeystoreContent {
  kdf: KdfChoice;
  salt: Uint8Array;
  checksum: Uint8Array;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  pubkey: Uint8Array;
  path: string;
  uuid: string;
  description?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Serialise a keystore like ethstaker-deposit-cli.
 * @throws {RangeError} on wrong lengths, a non-v4 uuid or a non-ASCII path/description.
 */
export function serializeKeystore(k: KeystoreContent): string {
  if (k.salt.length !== 32) throw new RangeError('salt must be 32 bytes');
  if (k.iv.length !== 16) throw new RangeError('iv must be 16 bytes');
  if (k.checksum.length !== 32) throw new RangeError('checksum must be 32 bytes');
  if (k.ciphertext.length !== 32) throw new RangeError('ciphertext must be 32 bytes');
  if (k.pubkey.length !== 48) throw new RangeError('pubkey must be 48 bytes');
  if (!UUID_RE.test(k.uuid)) throw new RangeError('uuid must be a lower-case version 4 uuid');
  const str = (s: string) => {
    if (!/^[\x20-\x7e]*$/.test(s)) throw new RangeError('keystore strings must be printable ASCII');
    return JSON.stringify(s);
  };
  const salt = bytesToHex(k.salt);
  const kdfParams =
    k.kdf.function === 'scrypt'
      ? `{"dklen": ${int(k.kdf.params.dklen)}, "n": ${int(k.kdf.params.n)}, "r": ${int(k.kdf.params.r)}, "p": ${int(k.kdf.params.p)}, "salt": "${salt}"}`
      : `{"c": ${int(k.kdf.params.c)}, "dklen": ${int(k.kdf.params.dklen)}, "prf": "hmac-sha256", "salt": "${salt}"}`;
  return (
    `{"crypto": {` +
    `"kdf": {"function": "${k.kdf.function}", "params": ${kdfParams}, "message": ""}, ` +
    `"checksum": {"function": "sha256", "params": {}, "message": "${bytesToHex(k.checksum)}"}, ` +
    `"cipher": {"function": "aes-128-ctr", "params": {"iv": "${bytesToHex(k.iv)}"}, "message": "${bytesToHex(k.ciphertext)}"}}, ` +
    `"description": ${str(k.description ?? '')}, ` +
    `"pubkey": "${bytesToHex(k.pubkey)}", ` +
    `"path": ${str(k.path)}, ` +
    `"uuid": "${k.uuid}", ` +
    `"version": 4}`
  );
}

function int(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) throw new RangeError('kdf parameters must be positive integers');
  return String(n);
}

/** `keystore-m_12381_3600_{i}_0_0-{unixtime}.json` (the path with / replaced by _). */
export function keystoreFileName(path: string, unixtime: number): string {
  return `keystore-${path.replace(/\//g, '_')}-${Math.floor(unixtime)}.json`;
}

/** `deposit_data-{unixtime}.json`. */
export function depositDataFileName(unixtime: number): string {
  return `deposit_data-${Math.floor(unixtime)}.json`;
}
