/**
 * A worker-thread pool for CPU-heavy batches (scrypt, BLS). Workers run the same bundle file
 * as the CLI (so the network guard is installed in each before anything else) and dispatch
 * named tasks from `tasks.ts`. Task errors come back as their class name and a message that
 * never contains a secret (task code guarantees that).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import { embeddedCode, isStandalone } from '../standalone.js';

export const WORKER_MARKER = 'coldstake-worker';

export interface WorkerRequest {
  id: number;
  task: string;
  payload: unknown;
}

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; name: string; message: string };

/** Error re-created in the main thread from a worker's failure. */
export class WorkerTaskError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export interface Pool {
  readonly size: number;
  run<T>(task: string, payload: unknown, transfer?: readonly TransferListItem[]): Promise<T>;
  close(): Promise<void>;
}

/** Worker count: the usable cores, capped by the number of jobs. */
export function defaultPoolSize(jobs: number): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, jobs));
}

/**
 * A worker died (an uncaught exception, running out of memory, `process.exit`) or the pool
 * was closed with jobs still pending. The message names no input and no secret.
 */
export class WorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerCrash';
  }
}

/**
 * Start `size` workers running `entry` (default: the file that is running, i.e. the bundle; in the
 * standalone executable, the embedded code itself, as there is no file to point a worker at).
 *
 * A worker that dies fails the whole pool: its job, every other job in flight and every queued
 * job are rejected with a `WorkerCrashError` (main reports it as an internal error, exit 70),
 * the other workers are stopped and later `run` calls reject. No promise is left pending.
 */
export function createPool(size: number, opts: { entry?: string; resourceLimits?: { maxOldGenerationSizeMb?: number } } = {}): Pool {
  const standalone = opts.entry === undefined && isStandalone();
  const entry = opts.entry ?? (standalone ? embeddedCode() : fileURLToPath(import.meta.url));
  interface Slot { worker: Worker; busy: boolean }
  interface Job { resolve: (v: unknown) => void; reject: (e: Error) => void }
  const slots: Slot[] = [];
  const queue: Array<Job & { req: WorkerRequest; transfer: readonly TransferListItem[] }> = [];
  const inflight = new Map<number, Job & { slot: Slot }>();
  let nextId = 1;
  let closed = false;
  let failure: WorkerCrashError | undefined;

  /** Reject everything pending with `err`; stop the workers still running. */
  const failAll = (err: WorkerCrashError): void => {
    const pending: Job[] = [...inflight.values(), ...queue];
    inflight.clear();
    queue.length = 0;
    for (const job of pending) job.reject(err);
    for (const s of slots) void s.worker.terminate().catch(() => { /* already gone */ });
  };

  const crash = (message: string): void => {
    if (failure !== undefined || closed) return;
    failure = new WorkerCrashError(message);
    failAll(failure);
  };

  const pump = (): void => {
    for (const slot of slots) {
      if (slot.busy) continue;
      const job = queue.shift();
      if (!job) return;
      slot.busy = true;
      inflight.set(job.req.id, { resolve: job.resolve, reject: job.reject, slot });
      try {
        slot.worker.postMessage(job.req, job.transfer as TransferListItem[]);
      } catch (err) {
        // A payload that cannot be cloned: that job's fault, not the worker's.
        inflight.delete(job.req.id);
        slot.busy = false;
        job.reject(err instanceof Error ? err : new Error('worker message could not be sent'));
      }
    }
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(entry, { eval: standalone, workerData: { marker: WORKER_MARKER }, ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
    const slot: Slot = { worker, busy: false };
    worker.on('message', (reply: WorkerReply) => {
      const job = inflight.get(reply.id);
      if (!job) return;
      inflight.delete(reply.id);
      slot.busy = false;
      if (reply.ok) job.resolve(reply.result);
      else job.reject(new WorkerTaskError(reply.name, reply.message));
      pump();
    });
    // Only the error's class name and code: its message may quote data the worker was handling.
    worker.on('error', (err: unknown) => {
      const code = (err as { code?: unknown } | null)?.code;
      const what = err instanceof Error ? err.name : typeof err;
      crash(`a worker thread failed (${typeof code === 'string' && /^[A-Z0-9_]{1,64}$/.test(code) ? `${what} ${code}` : what})`);
    });
    worker.on('messageerror', () => crash('a worker reply could not be read'));
    worker.on('exit', (code) => crash(`a worker thread exited unexpectedly (code ${code})`));
    worker.unref();
    slots.push(slot);
  }

  return {
    size,
    run<T>(task: string, payload: unknown, transfer: readonly TransferListItem[] = []): Promise<T> {
      if (failure !== undefined) return Promise.reject(failure);
      if (closed) return Promise.reject(new Error('pool is closed'));
      return new Promise<T>((resolve, reject) => {
        for (const s of slots) s.worker.ref();
        queue.push({ req: { id: nextId++, task, payload }, transfer, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      // Jobs still pending when the pool is closed would otherwise never settle.
      if (inflight.size > 0 || queue.length > 0) failAll(new WorkerCrashError('the worker pool was closed with jobs pending'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
