/**
 * Worker task for `ownership check`: derive the signing and withdrawal pubkeys of a range of
 * validator indices below the m/12381/3600 node. The node's secret key arrives as 32 bytes and
 * is zeroed here after use; only public keys are returned.
 */
import { secretKeyFromScalar, secretToPublicKey } from '../../core/eth/bls.js';
import { deriveChildSk } from '../../core/eth/derivation.js';

export interface DeriveRangePayload {
  /** Secret key of m/12381/3600 (32 bytes, big-endian). */
  coinSk: Uint8Array;
  start: number;
  /** Exclusive. */
  end: number;
}

export interface DerivedPubkeys {
  index: number;
  signingPubkey: Uint8Array;
  withdrawalPubkey: Uint8Array;
}

function toScalar(b: Uint8Array): bigint {
  let x = 0n;
  for (const v of b) x = (x << 8n) | BigInt(v);
  return x;
}

function pubkeyOf(sk: bigint): Uint8Array {
  const bytes = secretKeyFromScalar(sk);
  try {
    return secretToPublicKey(bytes);
  } finally {
    bytes.fill(0);
  }
}

export function deriveRange(payload: unknown): DerivedPubkeys[] {
  const p = payload as DeriveRangePayload;
  try {
    const coin = toScalar(p.coinSk);
    const out: DerivedPubkeys[] = [];
    for (let i = p.start; i < p.end; i++) {
      const withdrawal = deriveChildSk(deriveChildSk(coin, i), 0);
      const signing = deriveChildSk(withdrawal, 0);
      out.push({ index: i, signingPubkey: pubkeyOf(signing), withdrawalPubkey: pubkeyOf(withdrawal) });
    }
    return out;
  } finally {
    p.coinSk.fill(0);
  }
}

export const OWNERSHIP_TASKS = {
  'derive-validator-pubkeys': deriveRange,
};
