/**
 * Named tasks a worker can run. Each takes structured-cloneable data and returns it.
 * Task code must never put a secret into an error message.
 */
import { guardStatus } from '../../guard/install.js';
import { BLS_TASKS } from './bls-tasks.js';
import { KEYSTORE_TASKS } from './keystore-tasks.js';
import { OWNERSHIP_TASKS } from './ownership-tasks.js';

export type TaskHandler = (payload: unknown) => unknown;

export const TASKS: Record<string, TaskHandler> = {
  /** Report the network guard's state inside this worker (used by `coldstake version`). */
  'guard-status': () => guardStatus(),
  ...KEYSTORE_TASKS,
  ...BLS_TASKS,
  ...OWNERSHIP_TASKS,
};
