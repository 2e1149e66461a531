/**
 * The few SSZ hash_tree_root computations deposits need (consensus-specs phase0 beacon-chain.md and
 * ssz/simple-serialize.md): fixed-size containers of byte vectors and a uint64, merkleized with SHA-256.
 * Written out by hand because the shapes are fixed and tiny; every root is tested against the roots in
 * real deposit_data files.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { abytes, concatBytes } from '@noble/hashes/utils.js';

export const DOMAIN_DEPOSIT = Uint8Array.of(0x03, 0, 0, 0);
export const ZERO_ROOT = new Uint8Array(32);

const ZERO_CHUNK = new Uint8Array(32);

function hashPair(a: Uint8Array, b: Uint8Array): Uint8Array {
  return sha256(concatBytes(a, b));
}

/** merkleize(chunks) padded to the next power of two with zero chunks. */
function merkleize(chunks: Uint8Array[]): Uint8Array {
  let layer = chunks.slice();
  let width = 1;
  while (width < layer.length) width *= 2;
  while (layer.length < width) layer.push(ZERO_CHUNK);
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < layer.length; i += 2) next.push(hashPair(layer[i]!, layer[i + 1]!));
    layer = next;
  }
  return layer[0]!;
}

/** hash_tree_root of a ByteVector[N]: pack into 32-byte chunks (last one zero-padded), merkleize. */
export function byteVectorRoot(bytes: Uint8Array): Uint8Array {
  if (bytes.length <= 32) {
    const c = new Uint8Array(32);
    c.set(bytes);
    return c;
  }
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 32) {
    const c = new Uint8Array(32);
    c.set(bytes.subarray(i, Math.min(i + 32, bytes.length)));
    chunks.push(c);
  }
  return merkleize(chunks);
}

/**
 * hash_tree_root of a uint64 (little-endian, zero-padded to 32 bytes).
 * @throws {RangeError} when `value` is not in [0, 2^64).
 */
export function uint64Root(value: bigint): Uint8Array {
  if (value < 0n || value >= 1n << 64n) throw new RangeError('uint64 out of range');
  const c = new Uint8Array(32);
  let v = value;
  for (let i = 0; i < 8; i++) {
    c[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return c;
}

/** hash_tree_root of a container whose field roots are given in order. */
export function containerRoot(fieldRoots: Uint8Array[]): Uint8Array {
  return merkleize(fieldRoots);
}

/**
 * compute_fork_data_root(current_version, genesis_validators_root).
 * @throws {TypeError} on wrong lengths (4 and 32 bytes).
 */
export function computeForkDataRoot(forkVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  abytes(forkVersion, 4, 'fork version');
  abytes(genesisValidatorsRoot, 32, 'genesis validators root');
  return containerRoot([byteVectorRoot(forkVersion), genesisValidatorsRoot]);
}

/**
 * compute_domain(domain_type, fork_version, genesis_validators_root): domain_type || fork_data_root[:28].
 * Deposits use the genesis fork version and the zero root (valid across forks).
 * @throws {TypeError} on wrong lengths.
 */
export function computeDomain(domainType: Uint8Array, forkVersion: Uint8Array, genesisValidatorsRoot: Uint8Array): Uint8Array {
  abytes(domainType, 4, 'domain type');
  return concatBytes(domainType, computeForkDataRoot(forkVersion, genesisValidatorsRoot).subarray(0, 28));
}

/**
 * compute_signing_root(object_root, domain) = hash_tree_root(SigningData(object_root, domain)).
 * @throws {TypeError} on wrong lengths (32 and 32 bytes).
 */
export function computeSigningRoot(objectRoot: Uint8Array, domain: Uint8Array): Uint8Array {
  abytes(objectRoot, 32, 'object root');
  abytes(domain, 32, 'domain');
  return containerRoot([objectRoot, domain]);
}
