/**
 * A worker-thread pool for CPU-heavy batches (scrypt, BLS). Workers run the same bundle file
 * as the CLI (so the network guard is installed in each before anything else) and dispatch
 * named tasks from `tasks.ts`. Task errors come back as their class name and a message that
 * never contains a secret (task code guarantees that).
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';

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
 * Start `size` workers running `entry` (default: the file that is running, i.e. the bundle).
 */
export function createPool(size: number, opts: { entry?: string; resourceLimits?: { maxOldGenerationSizeMb?: number } } = {}): Pool {
  const entry = opts.entry ?? fileURLToPath(import.meta.url);
  interface Slot { worker: Worker; busy: boolean }
  const slots: Slot[] = [];
  const queue: Array<{ req: WorkerRequest; transfer: readonly TransferListItem[]; resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  const inflight = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; slot: Slot }>();
  let nextId = 1;
  let closed = false;

  const pump = (): void => {
    for (const slot of slots) {
      if (slot.busy) continue;
      const job = queue.shift();
      if (!job) return;
      slot.busy = true;
      inflight.set(job.req.id, { resolve: job.resolve, reject: job.reject, slot });
      slot.worker.postMessage(job.req, job.transfer as TransferListItem[]);
    }
  };

  for (let i = 0; i < size; i++) {
    const worker = new Worker(entry, { workerData: { marker: WORKER_MARKER }, ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}) });
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
    worker.on('error', (err) => {
      for (const [id, job] of inflight) {
        if (job.slot === slot) {
          inflight.delete(id);
          job.reject(new WorkerTaskError('WorkerCrash', err.name));
        }
      }
    });
    worker.unref();
    slots.push(slot);
  }

  return {
    size,
    run<T>(task: string, payload: unknown, transfer: readonly TransferListItem[] = []): Promise<T> {
      if (closed) return Promise.reject(new Error('pool is closed'));
      return new Promise<T>((resolve, reject) => {
        for (const s of slots) s.worker.ref();
        queue.push({ req: { id: nextId++, task, payload }, transfer, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
    async close(): Promise<void> {
      closed = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
