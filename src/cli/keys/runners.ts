/**
 * Where `keys new` runs its CPU-heavy tasks: a worker pool sized to the cores (the CLI), or the
 * current thread (tests of the pipeline with low-cost KDF parameters).
 */
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

/** A runner over a worker pool of `size` threads (default: the cores, at most one per job). */
export function poolRunner(jobs: number, opts: { size?: number; entry?: string } = {}): PoolRunner {
  const pool: Pool = createPool(opts.size ?? defaultPoolSize(jobs), opts.entry ? { entry: opts.entry } : {});
  return {
    size: pool.size,
    build: (job: ValidatorJob) => pool.run<ValidatorOutput>(BUILD_TASK, job),
    decrypt: (text: string, password: string) => pool.run<Uint8Array>(DECRYPT_TASK, { text, password }),
    close: () => pool.close(),
  };
}
