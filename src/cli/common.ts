/**
 * What every command shares: its catalogue entry, common options, and the action wrapper
 * that turns a command's result into an exit code.
 */
import { Command, Option } from 'commander';
import { InputError, UsageError, type ExitCode } from '../core/errors.js';
import { finding } from '../core/findings.js';
import { printJson } from './output/report.js';

/** The jobs of PRODUCT.md, in the order an operator meets them. */
export type CommandGroup = 'airgapped' | 'broadcast' | 'validator' | 'machine' | 'trust';

export const GROUP_TITLES: Record<CommandGroup, string> = {
  airgapped: 'On the airgapped laptop',
  broadcast: 'Before broadcasting',
  validator: 'Before importing keys into a validator client',
  machine: 'On the validator machine',
  trust: 'Before trusting the tool itself',
};

export interface CommandSpec {
  group: CommandGroup;
  /** Position within the group (the order an operator runs them). */
  order: number;
  /** The command line as the help shows it, without the `coldstake ` prefix. */
  usage: string;
  summary: string;
  /** One runnable example, without the `coldstake ` prefix. */
  example: string;
  /** Add the command (and its subcommands) to the program. */
  register(program: Command): void;
}

/** `--json`: machine-readable result on stdout, nothing else on stdout. */
export function addJsonOption(cmd: Command): Command {
  return cmd.option('--json', 'print the result as JSON on stdout', false);
}

/** `--allow-online`: run a secret-handling command on a machine that is not airgapped. */
export function addAllowOnlineOption(cmd: Command): Command {
  return cmd.addOption(new Option('--allow-online', 'run even if this machine is not airgapped (loud warning)').default(false));
}

export function addMnemonicFileOption(cmd: Command): Command {
  return cmd.option('--mnemonic-file <file>', 'read the mnemonic from FILE (- = standard input) instead of the terminal');
}

export function addPasswordFileOption(cmd: Command): Command {
  return cmd.option('--password-file <file>', 'read the password from FILE (- = standard input) instead of the terminal');
}

/**
 * Wrap a command implementation: it returns its exit code (0, 1) or throws a CliError
 * (2, 3), which the one error handler in main.ts prints.
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<ExitCode | number> | ExitCode | number) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await fn(...args);
      process.exitCode = code;
    } catch (err) {
      // With --json every exit path but a usage error prints one report on stdout: an input that
      // cannot be read or parsed (exit 2) is a report too, with the same one line on stderr.
      if (err instanceof InputError && jsonRequested(args)) {
        printJson({ ok: false, command: commandPath(args), findings: [finding('input-unreadable', 'error', err.file ?? 'input', err.message, { file: err.file ?? null, field: err.field ?? null })] });
      }
      throw err;
    }
  };
}

/** Commander passes (...arguments, options, command): was `--json` given? */
function jsonRequested(args: readonly unknown[]): boolean {
  const opts = args[args.length - 2];
  return typeof opts === 'object' && opts !== null && (opts as { json?: unknown }).json === true;
}

/** "deposit verify" for the subcommand `verify` of `deposit`. */
function commandPath(args: readonly unknown[]): string {
  const names: string[] = [];
  for (let c = args[args.length - 1] as Command | null | undefined; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Parse a decimal integer option within [min, max].
 * @throws {UsageError}
 */
export function parseIntOption(name: string, value: string, min: number, max: number): number {
  if (!/^\d{1,16}$/.test(value)) throw new UsageError(`${name} must be a whole number, got '${truncate(value)}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`${name} must be between ${min} and ${max}, got ${truncate(value)}`);
  }
  return n;
}

/** Shorten a user value for an error message (never used on secrets). */
export function truncate(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
