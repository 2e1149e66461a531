/**
 * Batch BLS verification by random linear combination (the technique beacon clients use for
 * blocks): with fresh random nonzero 64-bit scalars r_i,
 *
 *   e(G1, Σ r_i·sig_i) == Π e(r_i·pk_i, H(m_i))
 *
 * holds for all valid triples, and for any set containing an invalid one it holds only with
 * probability about 2^-64 over the choice of the r_i. It costs one Miller loop per entry plus
 * one final exponentiation, against two Miller loops and a final exponentiation each one by one.
 * When the batch fails, it is bisected to say which entries failed.
 *
 * Each item is decoded, subgroup-checked, hashed to G2 and multiplied by its scalar once; the
 * pairing library caches a point's successful validity check, so the sub-batches of a bisection and
 * the one-by-one checks reuse those points and pay only Miller loops and final exponentiations.
 *
 * The scalars are injected (the CLI draws them from node:crypto); they must be secret from
 * whoever wrote the file, uniformly random and nonzero, or the batch check means nothing.
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { hashToG2, parsePublicKey, parseSignature, verify } from './bls.js';

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
 * An item decoded once (subgroup-checked points, message hashed to G2, the public key times the
 * item's scalar), for repeated batch checks.
 */
interface Prepared {
  pk: InstanceType<typeof G1>;
  sig: InstanceType<typeof G2>;
  h: InstanceType<typeof G2>;
  /** r·pk, computed once so that every batch containing the item reuses it (and its validity check). */
  rpk: InstanceType<typeof G1>;
}

/** -G1: the generator negated once, for one-by-one checks. */
const NEG_G1 = G1.BASE.negate();

/** Decode and hash one item as `verify` does; null when an encoding is invalid (the signature fails). */
function prepare(it: SignedMessage, r: bigint): Prepared | null {
  try {
    const pk = parsePublicKey(it.pubkey);
    return { pk, sig: parseSignature(it.signature) as InstanceType<typeof G2>, h: hashToG2(it.message) as InstanceType<typeof G2>, rpk: pk.multiplyUnsafe(r) };
  } catch {
    return null;
  }
}

/**
 * One signature from its decoded points: CoreVerify's e(pk, H(m)) · e(-G1, sig) == 1, the
 * equation noble's `verify` checks (it negates pk instead of G1, which gives the same product).
 */
function verifyPrepared(p: Prepared): boolean {
  try {
    return Fp12.eql(bls12_381.pairingBatch([{ g1: p.pk, g2: p.h }, { g1: NEG_G1, g2: p.sig }]), Fp12.ONE);
  } catch {
    return false;
  }
}

/** The randomized batch equation over `idx` (all prepared, non-null). */
function batchPrepared(ps: readonly (Prepared | null)[], idx: readonly number[], scalars: readonly bigint[]): boolean {
  if (idx.length === 1) return verifyPrepared(ps[idx[0]!]!);
  const pairs: Array<{ g1: InstanceType<typeof G1>; g2: InstanceType<typeof G2> }> = idx.map((i) => ({ g1: ps[i]!.rpk, g2: ps[i]!.h }));
  const aggregate = pippenger(G2, idx.map((i) => ps[i]!.sig), idx.map((i) => scalars[i]!));
  // A zero aggregate (probability ~2^-255 over the scalars) cannot be paired: "not shown valid", so the
  // caller bisects down to one-by-one checks, which decide.
  if (aggregate.is0()) return false;
  pairs.push({ g1: NEG_G1, g2: aggregate });
  try {
    return Fp12.eql(bls12_381.pairingBatch(pairs), Fp12.ONE);
  } catch {
    return false;
  }
}

function checkScalars(n: number, scalars: readonly bigint[]): void {
  if (scalars.length < n) throw new RangeError('one random scalar per signature is needed');
  for (let i = 0; i < n; i++) {
    const r = scalars[i]!;
    if (r < MIN_SCALAR || r >= bls12_381.fields.Fr.ORDER) throw new RangeError('random scalars must be at least 32 bits and below the group order');
  }
}

/**
 * True only when every signature is valid (encodings checked as `verify` does: compressed,
 * on the curve, in the subgroup, not infinity). An empty batch is valid.
 * @throws {RangeError} when `scalars` are too few, zero or small.
 */
export function verifyBatchRandomized(items: readonly SignedMessage[], scalars: readonly bigint[]): boolean {
  if (items.length === 0) return true;
  checkScalars(items.length, scalars);
  if (items.length === 1) return verify(items[0]!.pubkey, items[0]!.message, items[0]!.signature);
  const ps = items.map((it, i) => prepare(it, scalars[i]!));
  if (ps.some((p) => p === null)) return false;
  return batchPrepared(ps, ps.map((_, i) => i), scalars);
}

/**
 * Which signatures are valid. Each item is decoded and hashed once; one batch check, and when it
 * fails the batch is bisected: a half that passes is valid, a failing half is split again, so one
 * bad signature among 64 costs about two batches' pairings instead of 64 verifications. When both
 * halves fail (many bad signatures) their items are verified one by one, which bounds the work
 * at one batch plus one-by-one verification. An entry is only ever reported valid by a passing
 * batch equation or its own verification.
 * @returns per item, true when its signature is valid.
 * @throws {RangeError} when `scalars` are too few, zero or small.
 */
export function verifySignatures(items: readonly SignedMessage[], scalars: readonly bigint[]): boolean[] {
  checkScalars(items.length, scalars);
  const ps = items.map((it, i) => prepare(it, scalars[i]!));
  const out = items.map(() => false);
  const mark = (idx: readonly number[]) => { for (const i of idx) out[i] = true; };
  const oneByOne = (idx: readonly number[]) => { for (const i of idx) out[i] = verifyPrepared(ps[i]!); };
  // `idx` is known to fail as a batch.
  const bisect = (idx: readonly number[]): void => {
    if (idx.length <= 2) return oneByOne(idx);
    const a = idx.slice(0, idx.length >> 1);
    const b = idx.slice(idx.length >> 1);
    if (batchPrepared(ps, a, scalars)) {
      mark(a);
      return bisect(b);
    }
    if (batchPrepared(ps, b, scalars)) {
      mark(b);
      return bisect(a);
    }
    oneByOne(a);
    oneByOne(b);
  };
  const valid = ps.flatMap((p, i) => (p === null ? [] : [i]));
  if (valid.length === 0) return out;
  if (batchPrepared(ps, valid, scalars)) mark(valid);
  else bisect(valid);
  return out;
}
