/**
 * Keystores on a validator machine: which derivation paths belong there (signing keys only),
 * duplicates, and withdrawal keys named by 0x00 withdrawal credentials.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';

/** What the separation check needs from an EIP-2335 keystore. Never the ciphertext. */
export interface KeystoreInfo {
  /** 48-byte BLS pubkey as lower-case hex without 0x, or '' when the keystore has none. */
  pubkey: string;
  /** The `path` field as written ('' when the key was not derived by EIP-2334). */
  path: string;
}

const HEX96 = /^(?:0x)?[0-9a-fA-F]{96}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Recognise an EIP-2335 keystore in parsed JSON: version 4, a `crypto` object with `kdf`,
 * `checksum` and `cipher` modules (each with a `function`), a string `path` and `uuid`.
 * Returns undefined for anything else. This is the one place to swap in the strict parser.
 */
export function recognizeKeystore(json: unknown): KeystoreInfo | undefined {
  if (!isObject(json) || json['version'] !== 4 || !isObject(json['crypto'])) return undefined;
  const c = json['crypto'];
  for (const m of ['kdf', 'checksum', 'cipher']) {
    const mod = c[m];
    if (!isObject(mod) || typeof mod['function'] !== 'string') return undefined;
  }
  if (typeof json['path'] !== 'string' || typeof json['uuid'] !== 'string') return undefined;
  const pk = json['pubkey'];
  let pubkey = '';
  if (typeof pk === 'string' && HEX96.test(pk)) pubkey = pk.replace(/^0x/, '').toLowerCase();
  return { pubkey, path: json['path'] };
}

export type PathKind = 'signing' | 'withdrawal' | 'other' | 'none';

const EIP2334 = /^m\/12381\/3600\/(\d+)\/0(\/0)?$/;

/**
 * Classify an EIP-2334 path: `m/12381/3600/i/0/0` is a signing key, `m/12381/3600/i/0` a
 * withdrawal key; any other path is neither; '' means the key was not derived by path.
 */
export function classifyPath(path: string): PathKind {
  if (path === '') return 'none';
  const m = EIP2334.exec(path);
  if (!m) return 'other';
  return m[2] ? 'signing' : 'withdrawal';
}

/** The 0x00 (BLS) withdrawal credential of a pubkey: sha256(pubkey) with byte 0 set to 0x00. */
export function blsWithdrawalCredential(pubkeyHex: string): string {
  const h = sha256(hexToBytes(pubkeyHex));
  h[0] = 0;
  return bytesToHex(h);
}

/** A deposit-data entry as the separation check uses it. */
export interface DepositCredential {
  /** Validator (signing) pubkey, lower-case hex without 0x. */
  pubkey: string;
  /** Withdrawal credentials, lower-case hex without 0x (32 bytes). */
  withdrawalCredentials: string;
}

/**
 * Index the 0x00 credentials of a deposit file: credential hex → the validator pubkeys using it.
 * Entries with 0x01/0x02 credentials (an execution address) are not indexed.
 */
export function blsCredentialIndex(entries: readonly DepositCredential[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const e of entries) {
    const wc = e.withdrawalCredentials.toLowerCase();
    if (!wc.startsWith('00')) continue;
    const list = index.get(wc) ?? [];
    list.push(e.pubkey);
    index.set(wc, list);
  }
  return index;
}
