/**
 * EIP-2333 (BLS12-381 key derivation: HKDF_mod_r, Lamport-based parent → child) and EIP-2334
 * (paths m/12381/3600/i/0 for the withdrawal key, m/12381/3600/i/0/0 for the signing key), with
 * HKDF and SHA-256 from @noble/hashes. Tested against every ERC-2333 vector, including the
 * intermediate Lamport values.
 *
 * Secret keys are returned as 32-byte big-endian Uint8Arrays; callers zero them after use.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { expand, extract } from '@noble/hashes/hkdf.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { CURVE_ORDER, secretKeyFromScalar } from './bls.js';

const KEYGEN_SALT = utf8ToBytes('BLS-SIG-KEYGEN-SALT-');
const L = 48; // ceil((3 * ceil(log2(r))) / 16)
const LAMPORT_CHUNKS = 255;

export const PURPOSE = 12381;
export const COIN_TYPE = 3600;
export const MAX_INDEX = 0xffffffff;

function i2osp(value: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = v & 0xff;
    v = Math.floor(v / 256);
  }
  return out;
}

function os2ip(bytes: Uint8Array): bigint {
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  return x;
}

function assertIndex(index: number): void {
  if (!Number.isInteger(index) || index < 0 || index > MAX_INDEX) throw new RangeError('index must be an integer in [0, 2^32-1]');
}

/** HKDF_mod_r(IKM, key_info = ""): loops until a non-zero scalar comes out (never in practice). */
export function hkdfModR(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): bigint {
  let salt = KEYGEN_SALT;
  for (;;) {
    salt = sha256(salt);
    const prk = extract(sha256, concatBytes(ikm, i2osp(0, 1)), salt);
    const okm = expand(sha256, prk, concatBytes(keyInfo, i2osp(L, 2)), L);
    const sk = os2ip(okm) % CURVE_ORDER;
    prk.fill(0);
    okm.fill(0);
    if (sk !== 0n) return sk;
  }
}

/** IKM_to_lamport_SK: 255 chunks of 32 bytes. */
export function ikmToLamportSecret(ikm: Uint8Array, salt: Uint8Array): Uint8Array[] {
  const prk = extract(sha256, ikm, salt);
  const okm = expand(sha256, prk, new Uint8Array(0), 32 * LAMPORT_CHUNKS);
  prk.fill(0);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < LAMPORT_CHUNKS; i++) chunks.push(okm.slice(i * 32, (i + 1) * 32));
  okm.fill(0);
  return chunks;
}

/** The intermediate values of parent_SK_to_lamport_PK, exposed for the ERC's test vector. */
export interface LamportTrace {
  lamport0: Uint8Array[];
  lamport1: Uint8Array[];
  compressedLamportPublicKey: Uint8Array;
}

/** parent_SK_to_lamport_PK with its intermediate Lamport secrets. */
export function parentToLamportTrace(parentSk: bigint, index: number): LamportTrace {
  assertIndex(index);
  const salt = i2osp(index, 4);
  const ikm = secretKeyFromScalar(parentSk);
  const notIkm = ikm.map((b) => b ^ 0xff);
  const lamport0 = ikmToLamportSecret(ikm, salt);
  const lamport1 = ikmToLamportSecret(notIkm, salt);
  ikm.fill(0);
  notIkm.fill(0);
  const pk = new Uint8Array(32 * 2 * LAMPORT_CHUNKS);
  let off = 0;
  for (const chunk of [...lamport0, ...lamport1]) {
    pk.set(sha256(chunk), off);
    off += 32;
  }
  return { lamport0, lamport1, compressedLamportPublicKey: sha256(pk) };
}

/** parent_SK_to_lamport_PK(parent_SK, index): the 32-byte compressed Lamport public key. */
export function parentToLamportPublicKey(parentSk: bigint, index: number): Uint8Array {
  const t = parentToLamportTrace(parentSk, index);
  for (const c of t.lamport0) c.fill(0);
  for (const c of t.lamport1) c.fill(0);
  return t.compressedLamportPublicKey;
}

/**
 * derive_master_SK(seed).
 * @throws {RangeError} when the seed is shorter than 32 bytes (the ERC's requirement).
 */
export function deriveMasterSk(seed: Uint8Array): bigint {
  if (!(seed instanceof Uint8Array) || seed.length < 32) throw new RangeError('seed must be at least 32 bytes');
  return hkdfModR(seed);
}

/**
 * derive_child_SK(parent_SK, index).
 * @throws {RangeError} for an index outside [0, 2^32-1].
 */
export function deriveChildSk(parentSk: bigint, index: number): bigint {
  return hkdfModR(parentToLamportPublicKey(parentSk, index));
}

/**
 * Parse an EIP-2334 path "m/12381/3600/…" into its indices (after `m`).
 * Rules: starts with `m`, at least 4 levels below it, decimal integers in [0, 2^32-1] without
 * leading zeros or signs, no hardened marker ('), purpose 12381.
 * @throws {RangeError} with a reason on any violation.
 */
export function parsePath(path: string): number[] {
  if (typeof path !== 'string' || path.length > 200) throw new RangeError('path must be a string of at most 200 characters');
  const parts = path.split('/');
  if (parts[0] !== 'm') throw new RangeError("path must start with 'm'");
  const nodes = parts.slice(1);
  const indices = nodes.map((p) => {
    if (p.includes("'")) throw new RangeError('hardened path elements are not allowed in EIP-2334 paths');
    if (!/^(0|[1-9][0-9]{0,9})$/.test(p)) throw new RangeError(`path element '${p.slice(0, 12)}' is not a decimal integer`);
    const n = Number(p);
    if (n > MAX_INDEX) throw new RangeError(`path element ${p} is larger than 2^32-1`);
    return n;
  });
  if (indices.length < 4) throw new RangeError('path must have at least 4 levels below m');
  if (indices[0] !== PURPOSE) throw new RangeError(`path purpose must be ${PURPOSE}`);
  return indices;
}

/** Derive the secret key at `path` from a seed: master key, then each child index in turn. */
export function deriveSkAtPath(seed: Uint8Array, path: string): bigint {
  const indices = parsePath(path);
  let sk = deriveMasterSk(seed);
  for (const i of indices) sk = deriveChildSk(sk, i);
  return sk;
}

/** m/12381/3600/{i}/0 */
export function withdrawalPath(index: number): string {
  assertIndex(index);
  return `m/${PURPOSE}/${COIN_TYPE}/${index}/0`;
}

/** m/12381/3600/{i}/0/0 */
export function signingPath(index: number): string {
  assertIndex(index);
  return `m/${PURPOSE}/${COIN_TYPE}/${index}/0/0`;
}

/** The validator index of a signing path m/12381/3600/i/0/0, or null for any other path. */
export function signingPathIndex(path: string): number | null {
  const m = /^m\/12381\/3600\/(0|[1-9][0-9]{0,9})\/0\/0$/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  return i <= MAX_INDEX ? i : null;
}

/** The validator index of a withdrawal path m/12381/3600/i/0, or null for any other path. */
export function withdrawalPathIndex(path: string): number | null {
  const m = /^m\/12381\/3600\/(0|[1-9][0-9]{0,9})\/0$/.exec(path);
  if (!m) return null;
  const i = Number(m[1]);
  return i <= MAX_INDEX ? i : null;
}

export interface ValidatorKeys {
  index: number;
  signingPath: string;
  withdrawalPath: string;
  /** 32-byte big-endian secret keys: zero them after use. */
  signingSk: Uint8Array;
  withdrawalSk: Uint8Array;
}

/**
 * The withdrawal and signing keys of validator `index`, sharing the derivation down to
 * m/12381/3600/i (the signing key is child 0 of the withdrawal key).
 */
export function deriveValidatorKeys(seed: Uint8Array, index: number): ValidatorKeys {
  assertIndex(index);
  const master = deriveMasterSk(seed);
  const account = deriveChildSk(deriveChildSk(deriveChildSk(master, PURPOSE), COIN_TYPE), index);
  const withdrawal = deriveChildSk(account, 0);
  const signing = deriveChildSk(withdrawal, 0);
  return {
    index,
    signingPath: signingPath(index),
    withdrawalPath: withdrawalPath(index),
    signingSk: secretKeyFromScalar(signing),
    withdrawalSk: secretKeyFromScalar(withdrawal),
  };
}
