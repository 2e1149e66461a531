/**
 * Where `keys new` runs its CPU-heavy tasks: a worker pool sized to the cores (the CLI), or the
 * current thread (tests of the pipeline with low-cost KDF parameters).
 */
import os from 'node:os';
import type { KdfChoice } from '../../core/keystore-format.js';
import { createPool, defaultPoolSize, type Pool } from '../workers/pool.js';
import type { KeysRunner } from './generate.js';
import { buildValidator, decryptKeystoreText, type ValidatorJob, type ValidatorOutput } from './validator-task.js';

export const BUILD_TASK = 'keys-build-validator';
export const DECRYPT_TASK = 'keys-decrypt-keystore';

export function inProcessRunner(size = 1): KeysRunner {
  return {
    size,
    build: (job) => buildValidator(job),
    decrypt: (text, password) => decryptKeystoreText(text, password),
  };
}

export interface PoolRunner extends KeysRunner {
  close(): Promise<void>;
}

/** Bytes one KDF run holds: scrypt needs 128·n·r (256 MiB at n=2^18, r=8); pbkdf2 next to nothing. */
export function kdfMemoryBytes(kdf: KdfChoice): number {
  return kdf.function === 'scrypt' ? 128 * kdf.params.n * kdf.params.r : 0;
}

/**
 * Workers for `jobs` keystores: the cores, at most one per job, and no more than half the free
 * memory allows (a many-core laptop with little RAM must not swap secrets to disk).
 */
export function keysPoolSize(jobs: number, kdf: KdfChoice, freeMemory = os.freemem()): number {
  const perWorker = kdfMemoryBytes(kdf) + 48 * 1024 * 1024; // plus a worker's own heap
  const byMemory = Math.max(1, Math.floor((freeMemory * 0.5) / perWorker));
  return Math.max(1, Math.min(defaultPoolSize(jobs), byMemory));
}

/** A runner over a worker pool of `size` threads (default: `keysPoolSize`). */
export function poolRunner(jobs: number, kdf: KdfChoice, opts: { size?: number; entry?: string } = {}): PoolRunner {
  const pool: Pool = createPool(opts.size ?? keysPoolSize(jobs, kdf), opts.entry ? { entry: opts.entry } : {});
  return {
    size: pool.size,
    build: (job: ValidatorJob) => pool.run<ValidatorOutput>(BUILD_TASK, job),
    decrypt: (text: string, password: string) => pool.run<Uint8Array>(DECRYPT_TASK, { text, password }),
    close: () => pool.close(),
  };
}
