/**
 * Where `keys new` runs its CPU-heavy tasks: a worker pool sized to the cores (the CLI), or the
 * current thread (tests of the pipeline with low-cost KDF parameters).
 */
import os from 'node:os';
import type { KdfChoice } from '../../core/eth/keystore-format.js';
import { createPool, defaultPoolSize, type Pool } from '../workers/pool.js';
import { kdfMemoryBytes, type KdfModule } from '../../core/eth/keystore.js';
import type { DecryptOutcome } from '../../core/eth/keystore-checks.js';
import { deriveKdfKey, openSealed, type SealedSecret } from '../workers/keystore-tasks.js';
import type { KdfSaltLayout, KeysRunner } from './generate.js';
import { buildValidator, decryptKeystoreText, type ValidatorJob, type ValidatorOutput } from './validator-task.js';

export const BUILD_TASK = 'keys-build-validator';
export const DECRYPT_TASK = 'keys-decrypt-keystore';

export function inProcessRunner(size = 1): KeysRunner {
  return {
    size,
    build: (job) => buildValidator(job),
    deriveKey: async (kdf, password) => deriveKdfKey(kdf, password),
    open: async (key, items) => Promise.all(items.map((item) => openSealed(key, item))),
    decrypt: (text, password) => decryptKeystoreText(text, password),
  };
}

export interface PoolRunner extends KeysRunner {
  close(): Promise<void>;
}

/** Bytes one KDF run holds (core's count of what OpenSSL's scrypt allocates), re-exported for the pool sizing. */
export { kdfMemoryBytes };

/** How many KDF threads half the free memory allows (a laptop with little RAM must not swap secrets to disk). */
function threadsByMemory(kdf: KdfChoice, freeMemory: number): number {
  const perWorker = kdfMemoryBytes(kdf) + 48 * 1024 * 1024; // plus a worker's own heap
  return Math.floor((freeMemory * 0.5) / perWorker);
}

/**
 * Workers for `jobs` keystores: the cores, at most one per job, and — when every keystore runs its own
 * KDF (per-keystore salts) — no more than the memory allows. With one KDF per batch the workers hold
 * no KDF memory while building, so only the cores count.
 */
export function keysPoolSize(jobs: number, kdf: KdfChoice, freeMemory = os.freemem(), layout: KdfSaltLayout = 'per-keystore'): number {
  if (layout === 'per-batch') return defaultPoolSize(jobs);
  return Math.max(1, Math.min(defaultPoolSize(jobs), threadsByMemory(kdf, freeMemory)));
}

/**
 * Whether the once-per-run full-KDF re-verification gets a thread of its own beside `poolSize`
 * workers: only if the memory allows one KDF more at once.
 *
 * Why a thread of its own: a run makes N + 1 KDF runs (N keystores, one re-verification). Queued
 * on the same `cores` workers, the last round runs one KDF on one core while the others idle (on
 * 2 cores and N = 16, nine rounds instead of eight and a half). On a thread of its own the OS
 * shares the cores among all N + 1 runs, and the run ends about half a KDF earlier.
 */
export function separateVerifyThread(poolSize: number, kdf: KdfChoice, freeMemory = os.freemem()): boolean {
  return threadsByMemory(kdf, freeMemory) >= poolSize + 1;
}

/**
 * A runner over a worker pool of `size` threads (default: `keysPoolSize`), plus one thread for the
 * full-KDF re-verification where the memory allows (`separateVerifyThread`).
 */
export function poolRunner(jobs: number, kdf: KdfChoice, opts: { size?: number; entry?: string; freeMemory?: number; layout?: KdfSaltLayout } = {}): PoolRunner {
  const freeMemory = opts.freeMemory ?? os.freemem();
  const layout = opts.layout ?? 'per-batch';
  const entry = opts.entry ? { entry: opts.entry } : {};
  const pool: Pool = createPool(opts.size ?? keysPoolSize(jobs, kdf, freeMemory, layout), entry);
  // One batch: the re-verification's KDF runs on the pool, between builds (a thread of its own would
  // cost a worker's memory — ~50 MiB — for no time saved: the batch has two KDF runs, not N + 1).
  const verifyPool: Pool | undefined = layout === 'per-keystore' && separateVerifyThread(pool.size, kdf, freeMemory) ? createPool(1, entry) : undefined;
  return {
    size: pool.size,
    build: (job: ValidatorJob) => pool.run<ValidatorOutput>(BUILD_TASK, job),
    deriveKey: (kdfModule: KdfModule, password: string, purpose: 'encrypt' | 'verify') => (purpose === 'verify' ? verifyPool ?? pool : pool).run<Uint8Array>('keystore-kdf', { kdf: kdfModule, password }),
    open: (key: Uint8Array, items: SealedSecret[]) => pool.run<DecryptOutcome[]>('keystore-open', { key, items }),
    decrypt: (text: string, password: string) => (verifyPool ?? pool).run<Uint8Array>(DECRYPT_TASK, { text, password }),
    close: async () => {
      await Promise.all([pool.close(), verifyPool?.close()]);
    },
  };
}
