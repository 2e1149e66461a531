/**
 * A fingerprint that identifies a seed without revealing it, to keep next to the plate and
 * compare after restoring: the first 8 bytes of validator 0's signing public key
 * (EIP-2334 path m/12381/3600/0/0/0) and the 4-byte BIP32 master key fingerprint
 * (HASH160 of the master public key, what wallets show as "master fingerprint").
 */
import { HDKey } from '@scure/bip32';

export const VALIDATOR0_SIGNING_PATH = 'm/12381/3600/0/0/0';

export interface BackupFingerprint {
  /** First 8 bytes of validator 0's BLS signing public key, hex, no 0x. */
  validator0_pubkey_prefix: string;
  /** BIP32 master key fingerprint, 8 hex digits. */
  bip32_master_fingerprint: string;
}

/** The line printed on the sheet, stating that it is public. */
export const FINGERPRINT_LABEL = 'FINGERPRINT (public, not a secret: it identifies the seed but cannot restore it)';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** BIP32 master key fingerprint of a BIP39 seed, as 8 hex digits. */
export function bip32MasterFingerprint(seed: Uint8Array): string {
  const master = HDKey.fromMasterSeed(seed);
  try {
    return master.fingerprint.toString(16).padStart(8, '0');
  } finally {
    master.wipePrivateData();
  }
}

/**
 * The fingerprint of a BIP39 seed. `validator0Pubkey` derives the 48-byte signing public key
 * at m/12381/3600/0/0/0 (EIP-2333/2334); it is injected so this module stays free of BLS.
 * @throws {RangeError} when the derived key is not 48 bytes.
 */
export function backupFingerprint(seed: Uint8Array, validator0Pubkey: (seed: Uint8Array) => Uint8Array): BackupFingerprint {
  const pubkey = validator0Pubkey(seed);
  if (pubkey.length !== 48) throw new RangeError('validator public key must be 48 bytes');
  return {
    validator0_pubkey_prefix: hex(pubkey.subarray(0, 8)),
    bip32_master_fingerprint: bip32MasterFingerprint(seed),
  };
}
