/**
 * Keystores on a validator machine: which derivation paths belong there (signing keys only),
 * duplicates, and withdrawal keys named by 0x00 withdrawal credentials.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { kdfIdentity } from '../eth/keystore-checks.js';
import { blsWithdrawalCredentials } from '../eth/deposit.js';
import { classifyPath, parseKeystore, type PathKind } from '../eth/keystore.js';

export type { PathKind };

/** What the separation check needs from an EIP-2335 keystore. Never the ciphertext. */
export interface KeystoreInfo {
  /** 48-byte BLS pubkey as lower-case hex without 0x, or '' when the keystore has none. */
  pubkey: string;
  /** The `path` field as written ('' when the key was not derived by EIP-2334). */
  path: string;
  /** False when the file has a keystore's shape but fails the strict EIP-2335 parse. */
  strict: boolean;
  /** Top-level members that should never be in a keystore (`password`, `secret`, `mnemonic`, …). */
  secretLikeFields: string[];
  /**
   * SHA-256 (hex) of the encrypted secret's identity (KDF key identity, IV, ciphertext, checksum):
   * equal for copies of one keystore. Absent for files that fail the strict parse.
   */
  sealedId?: string;
}

const HEX96 = /^(?:0x)?[0-9a-fA-F]{96}$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Recognise an EIP-2335 keystore in parsed JSON with the strict parser of src/core/eth/keystore.ts.
 * A file with a keystore's shape (version 4, a `crypto` object, a string or absent `path`) that fails the
 * strict parse is still returned, with `strict: false`, so that a withdrawal key in a sloppy file
 * is not missed. Returns undefined for anything else.
 */
export function recognizeKeystore(json: unknown): KeystoreInfo | undefined {
  if (!isObject(json) || !isObject(json['crypto'])) return undefined;
  try {
    const parsed = parseKeystore(json);
    const c = parsed.keystore.crypto;
    const sealedId = bytesToHex(sha256(utf8ToBytes(`${kdfIdentity(parsed.keystore)}|${c.cipher.params.iv}|${c.cipher.message}|${c.checksum.message}`)));
    return { pubkey: parsed.keystore.pubkey ?? '', path: parsed.keystore.path, strict: true, secretLikeFields: parsed.secretLikeFields, sealedId };
  } catch {
    // ethdo/go-eth2-wallet accounts have no `path` when not derived: treat as an empty path.
    const path = json['path'] === undefined ? '' : json['path'];
    if (json['version'] !== 4 || typeof path !== 'string') return undefined;
    const pk = json['pubkey'];
    const pubkey = typeof pk === 'string' && HEX96.test(pk) ? pk.replace(/^0x/, '').toLowerCase() : '';
    return { pubkey, path, strict: false, secretLikeFields: [] };
  }
}

/**
 * Where an EIP-2334 path puts a key: `signing` (m/12381/3600/i/0/0), `withdrawal`
 * (m/12381/3600/i/0), `other`, or `none` (empty path).
 */
export function pathKind(path: string): PathKind {
  return classifyPath(path).kind;
}

/** The 0x00 (BLS) withdrawal credential of a pubkey (hex): sha256(pubkey) with byte 0 set to 0x00. */
export function blsWithdrawalCredential(pubkeyHex: string): string {
  return bytesToHex(blsWithdrawalCredentials(hexToBytes(pubkeyHex)));
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
