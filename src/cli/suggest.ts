/**
 * Finding your way after a typo: the closest option or command to what was typed, and the
 * coldstake command (or the honest "not here") for the commands of the tools operators already know
 * (staking-deposit-cli / ethstaker-deposit-cli).
 */
import type { Command, Option } from 'commander';
import { editDistance } from '../core/mnemonic/diagnose.js';

/** The closest of `candidates` to `typed`: at most 2 edits, and fewer edits than half its length. */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(typed, c, 2);
    if (d < bestD && d * 2 < Math.max(typed.length, 1)) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Other tools' command names, and what a coldstake user runs instead. */
const PEER_COMMANDS: Readonly<Record<string, string>> = {
  'new-mnemonic': "coldstake makes the mnemonic and the keys in two steps: 'coldstake mnemonic new', then 'coldstake keys new'",
  'existing-mnemonic': "use 'coldstake keys new': it asks for your existing mnemonic (or reads --mnemonic-file)",
  'test-keystore': "use 'coldstake keystore verify DIR': it checks keystores and, with their password, that they decrypt",
  'exit-transaction-mnemonic': "use 'coldstake exit sign --network NET --start-index I --validator-indices A,B,… --out DIR': it reads the mnemonic (or --mnemonic-file), then check the files with 'coldstake exit verify'",
  'exit-transaction-keystore': "use 'coldstake exit sign --network NET --keystore FILE --validator-index N --out DIR', then check the file with 'coldstake exit verify'",
  'generate-bls-to-execution-change': "use 'coldstake credentials change' on the airgapped machine, then 'coldstake credentials verify' before broadcasting",
  'partial-deposit': "use 'coldstake deposit top-up --keystore FILE --amount ETH', then 'coldstake deposit verify --top-up'",
};

/** The hint for another tool's command name, or undefined. */
export function peerCommandHint(name: string): string | undefined {
  const key = name.toLowerCase().replace(/_/g, '-');
  return Object.prototype.hasOwnProperty.call(PEER_COMMANDS, key) ? PEER_COMMANDS[key] : undefined;
}

/** The command `args` name (descending through subcommands), and the arguments after its name. */
export function resolveCommand(program: Command, args: readonly string[]): { cmd: Command; rest: readonly string[]; path: string[] } {
  let cmd = program;
  const path: string[] = [];
  let i = 0;
  while (i < args.length) {
    const a = args[i] as string;
    const sub = cmd.commands.find((c) => c.name() === a || c.aliases().includes(a));
    if (!sub) break;
    cmd = sub;
    path.push(sub.name());
    i++;
  }
  return { cmd, rest: args.slice(i), path };
}

function longFlags(cmd: Command, topLevel: boolean): string[] {
  const flags = cmd.options.map((o: Option) => o.long).filter((l): l is string => typeof l === 'string');
  flags.push('--help');
  if (topLevel) flags.push('--version');
  return flags;
}

/**
 * The first `--option` in `rest` that `cmd` does not know, with the closest one it does (Commander
 * reports a missing required option before an unknown one: `keys new --netwrok hoodi` would
 * otherwise say "--network not specified" and leave the typo unexplained).
 */
export function firstUnknownOption(cmd: Command, rest: readonly string[], topLevel: boolean): { typed: string; suggestion: string | undefined } | undefined {
  const known = longFlags(cmd, topLevel);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === '--') break;
    if (!a.startsWith('--')) continue;
    const name = a.split('=')[0] as string;
    const opt = cmd.options.find((o: Option) => o.long === name);
    if (opt) {
      if ((opt.required || opt.optional) && !a.includes('=')) i++;
      continue;
    }
    if (known.includes(name)) continue;
    return { typed: name, suggestion: closest(name, known) };
  }
  return undefined;
}

/** The closest subcommand name of `cmd` to `typed`. */
export function closestCommand(cmd: Command, typed: string): string | undefined {
  return closest(typed, cmd.commands.map((c) => c.name()));
}
