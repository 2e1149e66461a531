/**
 * ML-DSA-87 signatures as Zond makes them (go-qrllib v0.9.0 wallet/common/context.go): pure
 * ML-DSA-87 (FIPS 204) with context "ZOND" ‖ 0x01 ‖ descriptor 01 00 00. Signing is hedged
 * (random), so two signatures of one message differ; verify, never compare bytes.
 *
 * Until 2026-06 qrysm signed with context "ZOND" alone: such a signature is an OLDER format, never
 * "tampered" (`verifiesUnderOlderContext`).
 */
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { ZOND_PUBKEY_BYTES, ZOND_SECRET_KEY_BYTES, ZOND_SIGNATURE_BYTES } from './format.js';

/** "ZOND" ‖ 01 ‖ 01 00 00. */
export const ZOND_SIGNING_CONTEXT = Uint8Array.of(0x5a, 0x4f, 0x4e, 0x44, 0x01, 0x01, 0x00, 0x00);
/** The context of qrysm before the pinned format: "ZOND". */
export const ZOND_OLDER_CONTEXT = Uint8Array.of(0x5a, 0x4f, 0x4e, 0x44);

/**
 * Sign `message` (hedged: fresh randomness from the library's CSPRNG).
 * @throws {RangeError} on a secret key of the wrong size.
 */
export function zondSign(message: Uint8Array, secretKey: Uint8Array): Uint8Array {
  if (secretKey.length !== ZOND_SECRET_KEY_BYTES) throw new RangeError('an ML-DSA-87 secret key has 4896 bytes');
  return ml_dsa87.sign(message, secretKey, { context: ZOND_SIGNING_CONTEXT });
}

/** Whether `signature` is a valid pinned-format signature of `message` by `publicKey` (false on wrong sizes). */
export function zondVerify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ZOND_SIGNATURE_BYTES || publicKey.length !== ZOND_PUBKEY_BYTES) return false;
  try {
    return ml_dsa87.verify(signature, message, publicKey, { context: ZOND_SIGNING_CONTEXT });
  } catch {
    return false;
  }
}

/** Whether the signature verifies under the older "ZOND"-only context (qrysm before the pin). */
export function verifiesUnderOlderContext(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ZOND_SIGNATURE_BYTES || publicKey.length !== ZOND_PUBKEY_BYTES) return false;
  try {
    return ml_dsa87.verify(signature, message, publicKey, { context: ZOND_OLDER_CONTEXT });
  } catch {
    return false;
  }
}
