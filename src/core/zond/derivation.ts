/**
 * Zond validator keys as qrysm's deposit CLI derives them (qrysm dfc813be
 * cmd/staking-deposit-cli: credential.go, keyderivation/path.go; go-qrllib v0.9.0
 * wallet/ml_dsa_87/wallet.go):
 * - child seed i = SHAKE256(seed48 ‖ ASCII("m/12381/238/" + i + "/0"), 48 bytes). The path is a label
 *   hashed into the seed, NOT a BIP32/EIP-2333 path: Ethereum path-role rules never apply to it;
 * - keypair = ML-DSA-87 KeyGen(xi = SHA-256(seed48)) (FIPS 204), for the wallet seed and each child
 *   seed alike. The keystore stores the child seed (48 bytes), not the 4896-byte secret key.
 * Checked against go-qrllib's wallet vectors (pk and sk byte for byte) in test/core/zond/.
 */
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { shake256 } from '@noble/hashes/sha3.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ZOND_SEED_BYTES } from './format.js';

/** Largest validator index accepted (as for Ethereum keys: uint32). */
export const ZOND_MAX_INDEX = 2 ** 32 - 1;

/** The label qrysm writes as the keystore `path` and hashes into child seed i. */
export function zondValidatorPath(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0 || index > ZOND_MAX_INDEX) throw new RangeError('validator index out of range');
  return `m/12381/238/${index}/0`;
}

const PATH_RE = /^m\/12381\/238\/(0|[1-9]\d{0,9})\/0$/;

/** The index in a pinned-format keystore path `m/12381/238/i/0`, or undefined for any other text. */
export function zondPathIndex(path: string): number | undefined {
  const m = PATH_RE.exec(path);
  if (!m) return undefined;
  const i = Number(m[1]);
  return i <= ZOND_MAX_INDEX ? i : undefined;
}

function checkSeed(seed: Uint8Array): void {
  if (!(seed instanceof Uint8Array)) throw new TypeError('seed must be a Uint8Array');
  if (seed.length !== ZOND_SEED_BYTES) throw new RangeError('a Zond seed has 48 bytes');
}

/**
 * Child seed of validator `index`. The caller zeroes it.
 * @throws {TypeError|RangeError} on a seed that is not 48 bytes or a bad index.
 */
export function deriveZondChildSeed(seed: Uint8Array, index: number): Uint8Array {
  checkSeed(seed);
  const input = concatBytes(seed, utf8ToBytes(zondValidatorPath(index)));
  try {
    return shake256(input, { dkLen: ZOND_SEED_BYTES });
  } finally {
    input.fill(0);
  }
}

export interface ZondKeypair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/**
 * ML-DSA-87 keypair of a 48-byte seed: KeyGen(SHA-256(seed)). The caller zeroes `secretKey`.
 * @throws {TypeError|RangeError} on a seed that is not 48 bytes.
 */
export function zondKeypair(seed: Uint8Array): ZondKeypair {
  checkSeed(seed);
  const xi = sha256(seed);
  try {
    const kp = ml_dsa87.keygen(xi);
    return { publicKey: kp.publicKey, secretKey: kp.secretKey };
  } finally {
    xi.fill(0);
  }
}

/** The public key of a 48-byte seed (the secret key is zeroed before returning). */
export function zondPublicKey(seed: Uint8Array): Uint8Array {
  const kp = zondKeypair(seed);
  kp.secretKey.fill(0);
  return kp.publicKey;
}
