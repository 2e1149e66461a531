/**
 * The files one run of a writing command has created and not yet handed over to the user: removed
 * when the run fails, is interrupted (ctrl-c: the signal handler of src/cli/interrupt.ts runs the
 * rollback, since a signal's default action runs no 'exit' listener) or the process exits early.
 */
import fs from 'node:fs';
import { onInterrupt } from '../interrupt.js';

export class RunFiles {
  private readonly files = new Set<string>();
  private dir: string | undefined;
  private hooked = false;

  /** Start a run; `createdDir`, when this run made the output directory, is removed too (if empty). */
  begin(createdDir?: string): void {
    if (!this.hooked) {
      this.hooked = true;
      onInterrupt(this.rollback);
      process.on('exit', this.rollback);
    }
    this.dir = createdDir;
  }

  /** A file this run has just created. */
  add(file: string): void {
    this.files.add(file);
  }

  /** Success: the files are the user's now, nothing is removed any more. */
  keep(): void {
    this.files.clear();
    this.dir = undefined;
  }

  /** Remove every file of the run, then the directory it created. Never throws. */
  readonly rollback = (): void => {
    for (const f of this.files) {
      try { fs.unlinkSync(f); } catch { /* already gone */ }
    }
    this.files.clear();
    if (this.dir !== undefined) {
      try { fs.rmdirSync(this.dir); } catch { /* not empty or gone */ }
      this.dir = undefined;
    }
  };
}
