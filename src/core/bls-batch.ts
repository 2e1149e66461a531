/**
 * Batch BLS verification by random linear combination (the technique beacon clients use for
 * blocks): with fresh random nonzero 64-bit scalars r_i,
 *
 *   e(G1, Σ r_i·sig_i) == Π e(r_i·pk_i, H(m_i))
 *
 * holds for all valid triples, and for any set containing an invalid one it holds only with
 * probability about 2^-64 over the choice of the r_i. It costs one Miller loop per entry plus
 * one final exponentiation, against two Miller loops and a final exponentiation each one by one.
 * When the batch fails, entries are verified one by one only to say which failed.
 *
 * The scalars are injected (the CLI draws them from node:crypto); they must be secret from
 * whoever wrote the file, uniformly random and nonzero, or the batch check means nothing.
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { parsePublicKey, parseSignature, POP_DST, verify } from './bls.js';

const sigs = bls12_381.longSignatures;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const Fp12 = bls12_381.fields.Fp12;

export interface SignedMessage {
  pubkey: Uint8Array;
  message: Uint8Array;
  signature: Uint8Array;
}

/** Scalars below this are refused: the batch check's soundness rests on their size. */
const MIN_SCALAR = 2n ** 32n;

/**
 * True only when every signature is valid (encodings checked as `verify` does: compressed,
 * on the curve, in the subgroup, not infinity). An empty batch is valid.
 * @throws {RangeError} when `scalars` are too few, zero or small.
 */
export function verifyBatchRandomized(items: readonly SignedMessage[], scalars: readonly bigint[]): boolean {
  if (items.length === 0) return true;
  if (scalars.length < items.length) throw new RangeError('one random scalar per signature is needed');
  for (let i = 0; i < items.length; i++) {
    const r = scalars[i]!;
    if (r < MIN_SCALAR || r >= bls12_381.fields.Fr.ORDER) throw new RangeError('random scalars must be at least 32 bits and below the group order');
  }
  if (items.length === 1) return verify(items[0]!.pubkey, items[0]!.message, items[0]!.signature);
  const pairs: Array<{ g1: InstanceType<typeof G1>; g2: InstanceType<typeof G2> }> = [];
  const sigPoints: Array<InstanceType<typeof G2>> = [];
  try {
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      const pk = parsePublicKey(it.pubkey);
      sigPoints.push(parseSignature(it.signature) as InstanceType<typeof G2>);
      const h = sigs.hash(it.message, POP_DST) as InstanceType<typeof G2>;
      pairs.push({ g1: pk.multiplyUnsafe(scalars[i]!), g2: h });
    }
  } catch {
    return false;
  }
  const aggregate = pippenger(G2, sigPoints, scalars.slice(0, items.length) as bigint[]);
  pairs.push({ g1: G1.BASE.negate(), g2: aggregate });
  return Fp12.eql(bls12_381.pairingBatch(pairs), Fp12.ONE);
}

/**
 * Which signatures are valid: one batch check, and one-by-one verification only when it fails.
 * @returns per item, true when its signature is valid.
 */
export function verifySignatures(items: readonly SignedMessage[], scalars: readonly bigint[]): boolean[] {
  if (verifyBatchRandomized(items, scalars)) return items.map(() => true);
  return items.map((it) => verify(it.pubkey, it.message, it.signature));
}
