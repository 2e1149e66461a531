/**
 * Stopping on Ctrl-C (SIGINT), SIGTERM or SIGHUP within a second, whatever is running.
 *
 * A worker thread inside a native KDF (OpenSSL scrypt can run for tens of seconds on a hostile
 * keystore) cannot be interrupted, and `process.exit()` joins every worker thread and the libuv
 * thread pool before the process ends: Ctrl-C would wait for the KDF. So on a signal the program
 * runs its cleanups (temp files, the files of an unfinished `keys new` run), prints one line, and
 * then lets the signal's default action end the process at once (the kernel stops every thread).
 * bin/coldstake turns "ended by SIGINT/SIGTERM/SIGHUP" into exit 130/143/129.
 */

const cleanups = new Set<() => void>();

/** Run `fn` (synchronous, must not throw) when the program is stopped by a signal. Returns an unregister function. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Run every registered cleanup once (each guarded: one failing does not stop the others). */
export function runInterruptCleanups(): void {
  for (const fn of [...cleanups]) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      /* best effort: the next cleanup still runs */
    }
  }
}

/**
 * End the process by `signal`'s default action, now: no thread is joined. Falls back to
 * `process.exit(code)` if the signal did not end it (it always does on Linux and macOS).
 */
export function dieBySignal(signal: NodeJS.Signals, code: number): never {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  setTimeout(() => process.exit(code), 1000);
  // Never reached in practice; `kill` ends the process before this returns control to JS.
  return undefined as never;
}
