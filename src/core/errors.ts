/**
 * Errors that end a command with a documented exit code (PRODUCT.md "Exit codes").
 * Messages are lower case, without a final period, and never contain a secret.
 */

export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  refused: 3,
  internal: 70,
  /** Ctrl-C at a prompt, or SIGINT: the shell's convention (128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Base class: an expected failure with an exit code and an optional hint line. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  constructor(message: string, exitCode: ExitCode, hint?: string) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.hint = hint;
  }
}

/** Exit 2: bad flags, or an input that is unreadable or malformed. */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
    this.name = 'UsageError';
  }
}

/** Exit 2: an input file that cannot be parsed or violates its schema; names the file and field. */
export class InputError extends CliError {
  readonly file: string | undefined;
  readonly field: string | undefined;
  constructor(message: string, opts: { file?: string; field?: string; hint?: string } = {}) {
    const where = [opts.file, opts.field].filter(Boolean).join(': ');
    super(where ? `${where}: ${message}` : message, EXIT.usage, opts.hint);
    this.name = 'InputError';
    this.file = opts.file;
    this.field = opts.field;
  }
}

/** Exit 3: refused for safety (not airgapped, secret on argv, would overwrite, secret to a non-terminal). */
export class SafetyRefusal extends CliError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.refused, hint);
    this.name = 'SafetyRefusal';
  }
}

/** Exit 130: the user pressed Ctrl-C at a prompt (the shell's convention for SIGINT). */
export class Interrupted extends CliError {
  constructor(message = 'interrupted') {
    super(message, EXIT.interrupted);
    this.name = 'Interrupted';
  }
}
