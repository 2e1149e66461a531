/**
 * BLS12-381 as Ethereum's consensus layer uses it: public keys in G1 (48 bytes compressed),
 * signatures in G2 (96 bytes compressed), hash-to-curve with the proof-of-possession ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (consensus-specs phase0 "BLS signatures").
 *
 * A thin wrapper over @noble/curves: noble's default DST for long signatures is the `_NUL_` suite,
 * which would produce signatures no beacon node accepts, so every hash passes the POP DST explicitly.
 * Inputs read from files (pubkeys, signatures) are decoded strictly: compressed form only, on the
 * curve, in the prime-order subgroup, not the point at infinity (KeyValidate in the IETF draft).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';

export const POP_DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';

export const SECRET_KEY_LENGTH = 32;
export const PUBKEY_LENGTH = 48;
export const SIGNATURE_LENGTH = 96;

/** Order r of the BLS12-381 prime subgroup; secret keys live in [1, r-1]. */
export const CURVE_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

const sigs = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;

/**
 * hash_to_curve(message) with the POP DST, remembering the last message: `keys new` signs a
 * signing root and then verifies the same root read back from JSON, and hashing to G2 is a fifth
 * of the cost of each. Messages are public (signing roots); the cache compares them byte for byte.
 */
let lastHashed: { message: Uint8Array; point: ReturnType<typeof sigs.hash> } | undefined;
export function hashToG2(message: Uint8Array): ReturnType<typeof sigs.hash> {
  if (lastHashed && lastHashed.message.length === message.length && lastHashed.message.every((b, i) => b === message[i])) {
    return lastHashed.point;
  }
  const point = sigs.hash(message, POP_DST);
  lastHashed = { message: message.slice(), point };
  return point;
}

/** A secret key as a bigint; throws if outside [1, r-1]. */
function secretScalar(secretKey: Uint8Array): bigint {
  if (!(secretKey instanceof Uint8Array) || secretKey.length !== SECRET_KEY_LENGTH) {
    throw new TypeError(`secret key must be ${SECRET_KEY_LENGTH} bytes`);
  }
  let x = 0n;
  for (const b of secretKey) x = (x << 8n) | BigInt(b);
  if (x === 0n || x >= CURVE_ORDER) throw new RangeError('secret key is not in [1, r-1]');
  return x;
}

/** Encode a scalar in [1, r-1] as the 32-byte big-endian secret key. */
export function secretKeyFromScalar(x: bigint): Uint8Array {
  if (x <= 0n || x >= CURVE_ORDER) throw new RangeError('secret key is not in [1, r-1]');
  const out = new Uint8Array(SECRET_KEY_LENGTH);
  let v = x;
  for (let i = SECRET_KEY_LENGTH - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * SkToPk: the 48-byte compressed G1 public key of a 32-byte big-endian secret key.
 * @throws {TypeError} wrong length; {RangeError} key 0 or ≥ r (noble would silently reduce it).
 */
export function secretToPublicKey(secretKey: Uint8Array): Uint8Array {
  secretScalar(secretKey);
  return sigs.getPublicKey(secretKey).toBytes(true);
}

/**
 * Sign `message` (for deposits: the 32-byte signing root) with the POP ciphersuite.
 * Deterministic: the same key and message always give the same 96 bytes.
 * @throws {TypeError|RangeError} on a malformed secret key.
 */
export function sign(secretKey: Uint8Array, message: Uint8Array): Uint8Array {
  secretScalar(secretKey);
  return sigs.Signature.toBytes(sigs.sign(hashToG2(message), secretKey));
}

/**
 * Decode and validate a public key: 48 bytes, compressed, on the curve, in G1, not infinity.
 * @throws {TypeError} wrong type or length; {RangeError} anything else.
 */
export function parsePublicKey(bytes: Uint8Array) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PUBKEY_LENGTH) throw new TypeError(`public key must be ${PUBKEY_LENGTH} bytes`);
  if ((bytes[0]! & 0x80) === 0) throw new RangeError('public key is not in compressed form');
  let p;
  try {
    p = G1.fromBytes(bytes);
    p.assertValidity();
  } catch {
    throw new RangeError('public key is not a valid G1 point');
  }
  if (p.is0()) throw new RangeError('public key is the point at infinity');
  return p;
}

/**
 * Decode and validate a signature: 96 bytes, compressed, on the curve, in G2, not infinity.
 * @throws {TypeError} wrong type or length; {RangeError} anything else.
 */
export function parseSignature(bytes: Uint8Array) {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SIGNATURE_LENGTH) throw new TypeError(`signature must be ${SIGNATURE_LENGTH} bytes`);
  if ((bytes[0]! & 0x80) === 0) throw new RangeError('signature is not in compressed form');
  let s;
  try {
    s = sigs.Signature.fromBytes(bytes);
    s.assertValidity();
  } catch {
    throw new RangeError('signature is not a valid G2 point');
  }
  if (s.is0()) throw new RangeError('signature is the point at infinity');
  return s;
}

/** True when `bytes` is a valid public key (see parsePublicKey). */
export function isValidPublicKey(bytes: Uint8Array): boolean {
  try {
    parsePublicKey(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * CoreVerify with the POP ciphersuite. Returns false (never throws) for an invalid public key or
 * signature encoding, a point outside its subgroup, or a signature that does not match.
 */
export function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  let pk;
  let sig;
  try {
    pk = parsePublicKey(publicKey);
    sig = parseSignature(signature);
  } catch {
    return false;
  }
  try {
    return sigs.verify(sig, hashToG2(message), pk);
  } catch {
    return false;
  }
}
