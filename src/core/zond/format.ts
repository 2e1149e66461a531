/**
 * The one Zond (QRL) format coldstake reads and writes, named in every Zond output and in
 * `coldstake version --json` (`zondFormat`). Formats changed several times in 2025-2026 (address
 * 20 → 48 → 64 bytes, signing context, Dilithium → ML-DSA-87, credentials renamed): files of any
 * other era are refused by name instead of guessed at.
 *
 * Sources: theQRL/qrysm @ dfc813be8bcb2caba923a483f87ab1a7cbedfea2 (2026-06-23, staking-deposit-cli),
 * read for facts only (GPL-3.0); theQRL/go-qrllib @ 6f9978367906233874b406bd5d55b0e8b8d01d9c (v0.9.0,
 * MIT) wallet rules. See README "Zond (QRL)".
 */
export const ZOND_FORMAT = {
  qrysmCommit: 'dfc813be8bcb2caba923a483f87ab1a7cbedfea2',
  goQrllib: 'v0.9.0',
  label: 'qrysm dfc813be (staking-deposit-cli format), go-qrllib v0.9.0 wallet rules',
} as const;

/** ML-DSA-87 sizes (FIPS 204). */
export const ZOND_PUBKEY_BYTES = 2592;
export const ZOND_SECRET_KEY_BYTES = 4896;
export const ZOND_SIGNATURE_BYTES = 4627;
/** The staking seed (and each per-validator child seed): 48 bytes. */
export const ZOND_SEED_BYTES = 48;
/** Descriptor of an ML-DSA-87 wallet: type 1, two zero bytes (go-qrllib wallet/common). */
export const ZOND_DESCRIPTOR = Uint8Array.of(0x01, 0x00, 0x00);
/** 64-byte addresses (go-qrllib since 2026-05): "Q" + 128 hex digits. */
export const ZOND_ADDRESS_BYTES = 64;
