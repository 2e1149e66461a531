/**
 * The worker side: receive named tasks, run them, reply. Runs inside the bundle, after the guard.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest } from './pool.js';
import { TASKS } from './tasks.js';

export function runWorker(): void {
  const port = parentPort;
  if (!port) return;
  port.on('message', async (req: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const handler = TASKS[req.task];
      if (!handler) throw new Error(`unknown worker task ${req.task}`);
      reply = { id: req.id, ok: true, result: await handler(req.payload) };
    } catch (err) {
      const e = err instanceof Error ? err : new Error('non-error thrown');
      reply = { id: req.id, ok: false, name: e.name, message: e.message };
    }
    port.postMessage(reply);
  });
}
