/**
 * Named tasks a worker can run. Each takes structured-cloneable data and returns it.
 * Task code must never put a secret into an error message.
 */
import { guardStatus } from '../../guard/install.js';
import { BLS_TASKS } from './bls-tasks.js';
import { buildValidator, decryptKeystoreText, type ValidatorJob } from '../keys/validator-task.js';
import { KEYSTORE_TASKS } from './keystore-tasks.js';
import { OWNERSHIP_TASKS } from './ownership-tasks.js';

export type TaskHandler = (payload: unknown) => unknown;

export const TASKS: Record<string, TaskHandler> = {
  /** Report the network guard's state inside this worker (used by `coldstake version`). */
  'guard-status': () => guardStatus(),
  /** `keys new`: one validator's keystore (KDF, encryption, self-check) and signed deposit entry. */
  'keys-build-validator': async (payload) => {
    const job = payload as ValidatorJob;
    try {
      return await buildValidator(job);
    } finally {
      job.batch?.key.fill(0); // this worker's copy of the batch key
    }
  },
  /** `keys new` re-verification: decrypt a keystore text with its full KDF, return the pubkey. */
  'keys-decrypt-keystore': (payload) => {
    const { text, password } = payload as { text: string; password: string };
    return decryptKeystoreText(text, password);
  },
  ...KEYSTORE_TASKS,
  ...BLS_TASKS,
  ...OWNERSHIP_TASKS,
};
