/**
 * Verify many BLS signatures: randomized batches (one multi-pairing each), spread over the
 * worker pool for large sets, one-by-one only inside a failing batch to locate the failures.
 */
import { randomBytes } from 'node:crypto';
import { verifySignatures, type SignedMessage } from '../core/eth/bls-batch.js';
import { progressBar } from './output/progress.js';
import { createPool, defaultPoolSize } from './workers/pool.js';

/** Below this many signatures, starting workers costs more than it saves. */
export const PARALLEL_THRESHOLD = 24;

/** Nonzero random 64-bit scalars (≥ 2^32) from the OS CSPRNG, unknown to whoever wrote the file. */
export function randomScalars(n: number): bigint[] {
  const out: bigint[] = [];
  while (out.length < n) {
    const r = randomBytes(8).readBigUInt64BE();
    if (r >= 2n ** 32n) out.push(r);
  }
  return out;
}

export interface VerifyOptions {
  /** Worker entry (tests pass the bundle); default: the running bundle. */
  entry?: string;
  /** Force the number of workers (0 = main thread only). */
  workers?: number;
  label?: string;
}

/** Per item, whether its signature is valid. */
export async function verifyManySignatures(items: readonly SignedMessage[], opts: VerifyOptions = {}): Promise<boolean[]> {
  const cores = opts.workers ?? (items.length < PARALLEL_THRESHOLD ? 0 : defaultPoolSize(Math.ceil(items.length / 8)));
  if (cores === 0) return verifySignatures(items, randomScalars(items.length));
  // Chunks of at most 64: a slow (shared) core does not hold the others back for long and the
  // progress bar moves; each chunk costs one extra MSM and final exponentiation (~10 ms).
  const size = Math.max(8, Math.min(64, Math.ceil(items.length / (cores * 2))));
  const chunks = Math.ceil(items.length / size);
  const pool = createPool(cores, opts.entry !== undefined ? { entry: opts.entry } : {});
  const bar = progressBar(opts.label ?? 'verifying signatures', items.length);
  try {
    const parts = await Promise.all(
      Array.from({ length: chunks }, async (_, c) => {
        const slice = items.slice(c * size, (c + 1) * size);
        if (slice.length === 0) return [];
        const r = await pool.run<boolean[]>('bls-verify-signatures', { items: slice, scalars: randomScalars(slice.length) });
        bar.tick(slice.length);
        return r;
      }),
    );
    return parts.flat();
  } finally {
    bar.done();
    await pool.close();
  }
}
