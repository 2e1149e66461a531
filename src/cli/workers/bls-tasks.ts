/**
 * Worker tasks for BLS signature batches (deposit verification). Public data only.
 */
import { verifySignatures, type SignedMessage } from '../../core/eth/bls-batch.js';

export interface VerifySignaturesPayload {
  items: SignedMessage[];
  /** One random scalar per item, drawn by the main thread from node:crypto. */
  scalars: bigint[];
}

export const BLS_TASKS = {
  'bls-verify-signatures': (payload: unknown): boolean[] => {
    const p = payload as VerifySignaturesPayload;
    return verifySignatures(p.items, p.scalars);
  },
};
