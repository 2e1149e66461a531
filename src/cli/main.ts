/**
 * The bundle's entry. The network guard is the first import, so it runs before any other
 * module's code, here and in every worker thread (workers run this same file).
 */
import '../guard/install.js';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, workerData } from 'node:worker_threads';
import { Command, CommanderError } from 'commander';
import { secretOnArgv } from '../core/argv-secrets.js';
import { CliError, EXIT } from '../core/errors.js';
import { COMMANDS } from './commands/index.js';
import { topLevelHelp } from './help.js';
import { dieBySignal, runInterruptCleanups } from './interrupt.js';
import { installNativeArgon2 } from './io/native-argon2.js';
import { removePendingTempFiles } from './io/safe-write.js';
import { relaunchProtected, unprotected } from './relaunch.js';
import { printError, printHint } from './output/diagnostics.js';
import { VERSION } from './self.js';
import { isStandalone, startupNodeVariables } from './standalone.js';
import { closestCommand, firstUnknownOption, peerCommandHint, resolveCommand } from './suggest.js';
import { WORKER_MARKER } from './workers/pool.js';
import { runWorker } from './workers/worker.js';

const debug = (): boolean => process.env['COLDSTAKE_DEBUG'] === '1';

/** The one error handler: a CliError is expected (exit 2/3 with its hint); anything else is a bug (70). */
export function handleError(err: unknown): number {
  if (err instanceof CliError) {
    printError(err.message);
    if (err.hint) printHint(err.hint);
    if (debug() && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  // Never print an unknown error's message: it may quote input (V8's JSON errors do).
  const name = err instanceof Error ? err.name : typeof err;
  printError(`internal error (${name})`);
  printHint('this is a bug in coldstake: please report it; COLDSTAKE_DEBUG=1 shows the details');
  if (debug()) process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  return EXIT.internal;
}

function buildProgram(): Command {
  const program = new Command('coldstake');
  program
    .version(VERSION, '-V, --version-number', 'print the version number')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      // Commander writes to stderr only help shown for an error (a parent command without its
      // subcommand); handleCommanderError says what is missing in our grammar instead.
      writeErr: () => {},
      outputError: () => {
        /* printed by handleCommanderError in our grammar */
      },
    });
  program.helpInformation = () => topLevelHelp(COMMANDS);
  for (const spec of COMMANDS) spec.register(program);
  // Subcommands inherit exit override and output configuration.
  const configure = (cmd: Command): void => {
    cmd.exitOverride().configureOutput({ writeErr: () => {}, outputError: () => {} }).showSuggestionAfterError(true);
    cmd.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/** Quote a value the user typed only when it is short and plain: it might be a secret typed in the wrong place. */
function echoArg(value: string): string {
  return /^[\w./@+-]{1,32}$/u.test(value) && secretOnArgv([value]) === null ? `'${value}'` : '(not repeated: it is long or unusual)';
}

/** An unknown command: ours for another tool's name, else the closest of ours. */
function unknownCommand(typed: string, parent: Command, next: string | undefined): number {
  printError(`unknown command ${echoArg(typed)}`);
  const peer = parent.parent === null ? peerCommandHint(typed) : undefined;
  const near = closestCommand(parent, typed);
  // `keystor verify`: name the whole command when the next word is one of its subcommands.
  const sub = near !== undefined && next !== undefined && parent.commands.find((c) => c.name() === near)?.commands.some((c) => c.name() === next) ? next : undefined;
  if (peer) printHint(peer);
  else if (near) printHint(`did you mean '${[...commandPath(parent), near, ...(sub ? [sub] : [])].join(' ')}'?`);
  else printHint("run 'coldstake --help' for the commands and their options");
  return EXIT.usage;
}

function commandPath(cmd: Command): string[] {
  const names: string[] = [];
  for (let c: Command | null = cmd; c !== null; c = c.parent) names.unshift(c.name());
  return names;
}

function handleCommanderError(err: CommanderError, args: readonly string[], program: Command): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
  const { cmd, rest } = resolveCommand(program, args);
  // A mistyped option explains a "required option not specified" that follows from it: say it first.
  if (err.code === 'commander.unknownOption' || err.code === 'commander.missingMandatoryOptionValue' || err.code === 'commander.optionMissingArgument') {
    const unknown = firstUnknownOption(cmd, rest, cmd === program);
    if (unknown) {
      printError(`unknown option ${echoArg(unknown.typed)}${unknown.suggestion ? ` (did you mean ${unknown.suggestion}?)` : ''}`);
      printHint(`run '${commandPath(cmd).join(' ')} --help' for its options`);
      return EXIT.usage;
    }
  }
  if (err.code === 'commander.unknownCommand' && rest[0] !== undefined && !rest[0].startsWith('-')) return unknownCommand(rest[0], cmd, rest[1]);
  // `coldstake mnemonic` without its subcommand shows that command's help on stderr: a usage error.
  if (err.code === 'commander.help') {
    if (err.exitCode === 0) return EXIT.ok;
    const parent = program.commands.find((c) => c.name() === args[0]);
    if (parent !== undefined && parent.commands.length > 0) {
      const subs = parent.commands.map((c) => c.name());
      printError(`'${parent.name()}' needs a subcommand: ${subs.join(', ')}`);
      printHint(`run 'coldstake ${parent.name()} --help' for what each does`);
      return EXIT.usage;
    }
    return unknownCommand(args[1] ?? '', parent ?? program, args[2]);
  }
  let message = err.message.replace(/^error:\s*/, '');
  const quoted = /'([^']*)'/.exec(message);
  if (err.code === 'commander.unknownCommand' && quoted) {
    message = `unknown command ${echoArg(quoted[1] ?? '')}`;
  } else if (err.code === 'commander.unknownOption' && quoted) {
    const suggestion = /\(Did you mean (.*)\?\)/.exec(message);
    message = `unknown option ${echoArg(quoted[1] ?? '')}${suggestion ? ` (did you mean ${suggestion[1]}?)` : ''}`;
  } else if (err.code === 'commander.invalidArgument') {
    // Commander: "option '--from <form>' argument 'x' is invalid. Allowed choices are a, b." (or a
    // parser's own reason after the first sentence); in our grammar, lower case, the value quoted only when plain.
    const opt = /^option '(\S+)[^']*' argument '([\s\S]*)' is invalid\.\s*([\s\S]*)$/.exec(message);
    const arg = /^command-argument value '([\s\S]*)' is invalid for argument '([^']*)'\.\s*([\s\S]*)$/.exec(message);
    const lower = (why: string): string => (why === '' ? '' : `: ${why[0]!.toLowerCase()}${why.slice(1)}`);
    if (opt) message = `invalid ${opt[1]} ${echoArg(opt[2] ?? '')}${lower(opt[3] ?? '')}`;
    else if (arg) message = `invalid ${arg[2]} ${echoArg(arg[1] ?? '')}${lower(arg[3] ?? '')}`;
  } else if (err.code === 'commander.excessArguments') {
    const m = /for '([^']*)'\. Expected (\d+) arguments? but got (\d+)/.exec(message);
    if (m) message = `too many arguments for '${m[1]}': it takes ${m[2]}, got ${m[3]}`;
  }
  message = message.replace(/\.$/, '');
  printError(message);
  printHint("run 'coldstake --help' for the commands and their options");
  return EXIT.usage;
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = argv.slice(2);
  const secretReason = secretOnArgv(args);
  if (secretReason) {
    printError(`refusing to run: ${secretReason}`);
    printHint('secrets are read from the terminal or from --mnemonic-file/--password-file (- = stdin); clear this line from your shell history');
    return EXIT.refused;
  }
  if (args.length === 0) {
    process.stdout.write(topLevelHelp(COMMANDS));
    return EXIT.ok;
  }
  // `--version` as other tools spell it: the version number (`coldstake version` is the full report,
  // `-V`/`--version-number` Commander's spelling of this).
  if (args.length === 1 && args[0] === '--version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return handleCommanderError(err, args, program);
    return handleError(err);
  }
}

/**
 * Started by bin/coldstake: stop when the launcher is gone (killed with SIGKILL, say), so the
 * program never runs on detached from the terminal and the user's view of it.
 */
function watchLauncher(): void {
  const launcher = Number(process.env['COLDSTAKE_LAUNCHER_PID']);
  if (!Number.isSafeInteger(launcher) || launcher <= 0 || process.ppid !== launcher) return;
  setInterval(() => {
    if (process.ppid !== launcher) {
      removePendingTempFiles();
      process.exit(129);
    }
  }, 250).unref();
}

function installSignalHandlers(): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    // The same Ctrl-C can arrive twice (from the terminal and forwarded by the launcher).
    if (stopping) return;
    stopping = true;
    removePendingTempFiles();
    runInterruptCleanups();
    printError(`interrupted (${signal.toLowerCase()}): temporary files removed`);
    // Not process.exit(): it would wait for a worker stuck in a native KDF (see interrupt.ts).
    dieBySignal(signal, signal === 'SIGINT' ? 130 : signal === 'SIGHUP' ? 129 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // A closed pipe (`coldstake ... | head`) is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

// Main thread and workers alike (a worker runs this same file): the Zond KDF's native backend.
installNativeArgon2();

const isWorker = !isMainThread && (workerData as { marker?: string } | null)?.marker === WORKER_MARKER;
/** True when this file is the program node was asked to run (not imported by a test or a worker). */
function isProgramEntry(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return fs.realpathSync(script) === fs.realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}
const isEntry = isProgramEntry();

if (isWorker) {
  runWorker();
} else if (isEntry && unprotected()) {
  // Run directly (not through bin/coldstake): run again under the permission model, and wait.
  process.exitCode = relaunchProtected(process.argv[1]!, process.argv.slice(2));
} else if (isEntry && isStandalone() && startupNodeVariables().length > 0) {
  // bin/coldstake drops every NODE_* variable before Node starts; the executable's Node has already
  // read them (NODE_DEBUG, NODE_ICU_DATA, ...) by the time coldstake runs, so it stops instead.
  const names = startupNodeVariables();
  printError(`refusing to run: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} set, and the standalone executable's Node has already read ${names.length === 1 ? 'it' : 'them'}`);
  printHint(`start it without: env ${names.map((n) => `-u ${n}`).join(' ')} ./coldstake-... (NODE_OPTIONS is ignored and may stay)`);
  process.exitCode = EXIT.refused;
} else if (isEntry) {
  installSignalHandlers();
  watchLauncher();
  process.on('uncaughtException', (err) => {
    process.exitCode = handleError(err);
    process.exit();
  });
  process.on('unhandledRejection', (err) => {
    process.exitCode = handleError(err);
    process.exit();
  });
  main(process.argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.exitCode = handleError(err);
    },
  );
}
