import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Most test files spend their time waiting for the real CLI they spawn (a launcher and a program
// process per run), so one file per core keeps a 2-core machine busy; Vitest's default (cores - 1)
// runs the files of a 2-core machine one at a time. Time bounds inside tests are CPU-time bounds or
// calibrated in the same run (test/helpers/cpu.ts), so the extra load cannot fail them; the
// timeouts below are hang guards only, generous for a loaded machine.
const cores = Math.max(1, os.availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: cores,
  },
});
