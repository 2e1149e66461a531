/**
 * The worker pool when a worker dies: every pending promise rejects promptly (none is left
 * waiting forever), with an error main reports as an internal error (exit 70).
 * The workers here run small stand-in entries written to a temp directory.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addressWithdrawalCredentials } from '../../../src/core/eth/deposit.js';
import { CliError } from '../../../src/core/errors.js';
import { mnemonicToSeed } from '../../../src/core/mnemonic/mnemonic.js';
import { knownNetwork } from '../../../src/core/eth/networks.js';
import { generateKeys } from '../../../src/cli/keys/generate.js';
import { poolRunner } from '../../../src/cli/keys/runners.js';
import { createPool, WorkerCrashError, WorkerTaskError } from '../../../src/cli/workers/pool.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

/** A worker that echoes, fails a task, or dies in the ways a real one can. */
const ECHO_OR_DIE = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', (req) => {
  if (req.task === 'exit') process.exit(7);
  if (req.task === 'throw') setTimeout(() => { throw new Error('secret words in a message'); }, 0);
  else if (req.task === 'fail') parentPort.postMessage({ id: req.id, ok: false, name: 'RangeError', message: 'bad payload' });
  else if (req.task === 'slow') setTimeout(() => parentPort.postMessage({ id: req.id, ok: true, result: req.payload }), 200);
  else parentPort.postMessage({ id: req.id, ok: true, result: req.payload });
});
`;
/** A worker whose module throws before it can take any job. */
const THROWS_AT_LOAD = `throw new Error('module failed to load');\n`;
/** A worker that exits on its first job (a `keys new` build task, say). */
const EXITS_ON_JOB = `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', () => process.exit(3));
`;

let dir: string;
const entry = (name: string): string => path.join(dir, name);
beforeAll(() => {
  dir = mkTmp('coldstake-pool-');
  fs.writeFileSync(entry('echo-or-die.mjs'), ECHO_OR_DIE);
  fs.writeFileSync(entry('throws-at-load.mjs'), THROWS_AT_LOAD);
  fs.writeFileSync(entry('exits-on-job.mjs'), EXITS_ON_JOB);
});
afterAll(() => rmTmp(dir));

/** Hang guard (ms) for pool operations that take milliseconds on an idle machine. */
const HANG = 30_000;

/**
 * Settle within `ms` or fail the test as a hang. A hang guard, not a speed bound: long enough that
 * starting worker threads on a loaded 2-core machine never reaches it (HANG).
 */
function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`hung: not settled within ${ms} ms`)), ms);
  });
  return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

/** The settled state of each promise, in order. */
function states(ps: readonly Promise<unknown>[]): Promise<PromiseSettledResult<unknown>[]> {
  return within(HANG, Promise.allSettled(ps));
}

function expectCrash(r: PromiseSettledResult<unknown>): void {
  expect(r.status).toBe('rejected');
  const reason = (r as PromiseRejectedResult).reason as Error;
  expect(reason).toBeInstanceOf(WorkerCrashError);
  expect(reason.name).toBe('WorkerCrash');
  // Not an expected (CliError) failure: main's handler reports it as an internal error, exit 70.
  expect(reason).not.toBeInstanceOf(CliError);
  expect(reason.message).not.toMatch(/secret/);
}

describe('worker pool', () => {
  it('runs jobs and passes task failures back as their class name', async () => {
    const pool = createPool(2, { entry: entry('echo-or-die.mjs') });
    try {
      expect(await within(HANG, Promise.all([1, 2, 3, 4, 5].map((n) => pool.run<number>('echo', n))))).toEqual([1, 2, 3, 4, 5]);
      const err = await within(HANG, pool.run('fail', 0).catch((e: unknown) => e));
      expect(err).toBeInstanceOf(WorkerTaskError);
      expect((err as Error).name).toBe('RangeError');
      // A failed task is not a crash: the pool keeps working.
      expect(await within(HANG, pool.run<number>('echo', 6))).toBe(6);
    } finally {
      await pool.close();
    }
  });

  it('a worker calling process.exit mid-job: its job and every queued job reject, later runs too', async () => {
    const pool = createPool(1, { entry: entry('echo-or-die.mjs') });
    try {
      const jobs = [pool.run('exit', 0), pool.run('echo', 1), pool.run('echo', 2), pool.run('echo', 3)];
      const settled = await states(jobs);
      settled.forEach(expectCrash);
      expect(((settled[0] as PromiseRejectedResult).reason as Error).message).toMatch(/exited unexpectedly \(code 7\)/);
      const after = await states([pool.run('echo', 4)]);
      expectCrash(after[0]!);
    } finally {
      await within(HANG, pool.close());
    }
  });

  it('an uncaught exception in a worker: the whole batch rejects, its message is not repeated', async () => {
    const pool = createPool(2, { entry: entry('echo-or-die.mjs') });
    try {
      const jobs = [pool.run('throw', 0), pool.run('slow', 1), pool.run('echo', 2), pool.run('echo', 3), pool.run('echo', 4)];
      const settled = await states(jobs);
      expectCrash(settled[0]!);
      expect(((settled[0] as PromiseRejectedResult).reason as Error).message).toBe('a worker thread failed (Error)');
      // Whatever had not finished when the worker died is rejected too; nothing stays pending.
      for (const r of settled.slice(1)) if (r.status === 'rejected') expectCrash(r);
    } finally {
      await within(HANG, pool.close());
    }
  });

  it('a worker whose module throws at load: queued jobs reject instead of waiting forever', async () => {
    const pool = createPool(1, { entry: entry('throws-at-load.mjs') });
    try {
      const settled = await states([pool.run('echo', 1), pool.run('echo', 2)]);
      settled.forEach(expectCrash);
    } finally {
      await within(HANG, pool.close());
    }
  });

  it('a worker bundle that is missing (deleted mid-run): jobs reject, the error code is kept', async () => {
    const pool = createPool(1, { entry: entry('no-such-bundle.mjs') });
    try {
      const settled = await states([pool.run('echo', 1)]);
      expectCrash(settled[0]!);
      expect(((settled[0] as PromiseRejectedResult).reason as Error).message).toMatch(/^a worker thread failed \(Error (ERR_)?MODULE_NOT_FOUND\)$/);
    } finally {
      await within(HANG, pool.close());
    }
  });

  it('closing the pool with jobs pending rejects them', async () => {
    const pool = createPool(1, { entry: entry('echo-or-die.mjs') });
    const settled = states([pool.run('slow', 1), pool.run('echo', 2)]);
    await within(HANG, pool.close());
    (await settled).forEach(expectCrash);
  });

  it('`keys new` on a one-worker pool whose worker dies fails instead of waiting forever', async () => {
    const tmp = mkTmp('coldstake-pool-keys-');
    const runner = poolRunner(4, { function: 'pbkdf2', params: { c: 16, dklen: 32, prf: 'hmac-sha256' } }, { size: 1, entry: entry('exits-on-job.mjs') });
    try {
      const outDir = path.join(tmp, 'out');
      fs.mkdirSync(outDir);
      const run = generateKeys(
        {
          seed: mnemonicToSeed('test test test test test test test test test test test waste'),
          startIndex: 0,
          count: 4,
          password: 'correct horse battery',
          kdf: { function: 'pbkdf2', params: { c: 16, dklen: 32, prf: 'hmac-sha256' } },
          withdrawalCredentials: addressWithdrawalCredentials(hexToBytes('0f51bb10119727a7e5ea3538074fb341f56b09ad'), false),
          amount: 32_000_000_000,
          network: knownNetwork('hoodi'),
          depositCliVersion: '1.3.0',
          outDir,
          unixtime: 1785211442,
          createdOutDir: false,
        },
        runner,
        { tick() {}, done() {} },
      );
      const err = await within(2 * HANG, run.then(() => undefined, (e: unknown) => e));
      expect(err).toBeInstanceOf(WorkerCrashError);
      // Nothing left behind.
      expect(fs.readdirSync(outDir)).toEqual([]);
    } finally {
      await within(HANG, runner.close());
      rmTmp(tmp);
    }
  });
});
