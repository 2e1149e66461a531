/**
 * Which validator client a command line runs, and where it keeps its keys and data: the
 * `ExecStart=` of a unit unwrapped from `env`, `sh -c`, `sudo -u`, `docker run IMAGE …` and
 * `node …/lodestar`, then the client's own flags with their documented defaults (layouts and
 * versions in fixtures/host/PROVENANCE.md).
 */
import { joinPath } from '../airgap/fs.js';
import { splitWords } from './units.js';

export type ClientKind = 'lighthouse' | 'prysm' | 'teku' | 'nimbus' | 'lodestar' | 'web3signer';

export interface Mount {
  host: string;
  container: string;
}

export interface Invocation {
  kind: ClientKind;
  /** The program's name as run (`lighthouse`, `nimbus_validator_client`, …). */
  program: string;
  sub: string | undefined;
  /** Every positional argument (the subcommand first). */
  positionals: string[];
  /** Flag name (without dashes) → last value; `true` for a flag given without a value. */
  flags: Map<string, string | true>;
  /** Flag name → every value given, in order (repeatable flags). */
  all: Map<string, Array<string | true>>;
  /** Set when the client runs in a container: its mounts, `-e` variables and `--user`. */
  docker?: { mounts: Mount[]; env: Map<string, string>; user?: string; publishes: boolean };
  /** A user switched to by `sudo -u`, `runuser -u` or `setpriv --reuid`. */
  switchedUser?: string;
  /** True when the command went through a shell (`~` was expanded there). */
  viaShell: boolean;
}

const SUBCOMMANDS: Record<ClientKind, Set<string>> = {
  lighthouse: new Set(['bn', 'beacon_node', 'beacon', 'vc', 'validator_client', 'validator', 'account_manager', 'am', 'account', 'boot_node', 'db', 'validator_manager', 'vm', 'database_manager']),
  prysm: new Set(['accounts', 'wallet', 'slashing-protection-history', 'db', 'web', 'validator', 'beacon-chain']),
  teku: new Set(['validator-client', 'vc', 'voluntary-exit', 'slashing-protection', 'admin', 'debug-tools', 'transition', 'peer', 'validator', 'migrate-database']),
  nimbus: new Set(['deposits', 'wallets', 'record', 'web3', 'slashingdb', 'trustedNodeSync', 'noCommand']),
  lodestar: new Set(['beacon', 'validator', 'dev', 'bootnode', 'lightclient']),
  web3signer: new Set(['eth2', 'eth1']),
};

/** Basename without the path module. */
export function baseName(p: string): string {
  const i = p.lastIndexOf('/');
  return i >= 0 ? p.slice(i + 1) : p;
}

function parseFlags(kind: ClientKind, args: readonly string[]): { positionals: string[]; flags: Map<string, string | true>; all: Map<string, Array<string | true>> } {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  const all = new Map<string, Array<string | true>>();
  const set = (k: string, v: string | true) => {
    flags.set(k, v);
    all.set(k, [...(all.get(k) ?? []), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      positionals.push(a);
      continue;
    }
    const name = a.replace(/^--?/, '');
    const eq = name.indexOf('=');
    if (eq > 0) {
      set(name.slice(0, eq), name.slice(eq + 1));
      continue;
    }
    const next = args[i + 1];
    const nextIsSub = next !== undefined && positionals.length === 0 && SUBCOMMANDS[kind].has(next);
    if (next !== undefined && !next.startsWith('-') && !nextIsSub) {
      set(name, next);
      i++;
    } else set(name, true);
  }
  return { positionals, flags, all };
}

function make(kind: ClientKind, program: string, args: readonly string[], ctx: Ctx): Invocation {
  const { positionals, flags, all } = parseFlags(kind, args);
  const inv: Invocation = { kind, program, sub: positionals[0], positionals, flags, all, viaShell: ctx.viaShell };
  if (ctx.docker) inv.docker = ctx.docker;
  if (ctx.user !== undefined) inv.switchedUser = ctx.user;
  return inv;
}

interface Ctx {
  viaShell: boolean;
  user?: string;
  docker?: Invocation['docker'];
}

/** Recognise a client program by name; `args` follow it. */
function byProgram(program: string, args: readonly string[], ctx: Ctx): Invocation | undefined {
  const name = baseName(program);
  if (name === 'lighthouse') return make('lighthouse', name, args, ctx);
  if (name === 'validator') return make('prysm', name, ['validator', ...args], ctx);
  if (name === 'beacon-chain') return make('prysm', name, ['beacon-chain', ...args], ctx);
  if (name === 'prysm.sh' && (args[0] === 'validator' || args[0] === 'beacon-chain')) return make('prysm', args[0], args, ctx);
  if (name === 'teku' || name === 'teku.sh') return make('teku', 'teku', args, ctx);
  if (name === 'nimbus_beacon_node' || name === 'nimbus_validator_client') return make('nimbus', name, args, ctx);
  if (name === 'lodestar' || name === 'lodestar.js') return make('lodestar', 'lodestar', args, ctx);
  if (name === 'web3signer') return make('web3signer', name, args, ctx);
  return undefined;
}

const DOCKER_VALUE_OPTS = new Set([
  '-v', '--volume', '-e', '--env', '-u', '--user', '--name', '-p', '--publish', '--network', '--net', '--env-file', '--mount', '-w', '--workdir',
  '--entrypoint', '--restart', '--log-driver', '--log-opt', '--stop-timeout', '--pull', '-m', '--memory', '--cpus', '--ulimit', '-l', '--label',
  '-h', '--hostname', '--add-host', '--cap-add', '--cap-drop', '--device', '--security-opt', '--tmpfs', '--pid', '--ipc', '--platform',
  '--stop-signal', '--shm-size', '--group-add', '--dns', '--expose', '--cidfile', '--health-cmd', '--health-interval', '--userns', '--memory-swap',
]);

/** Image name → the program its entrypoint runs. */
function imageProgram(image: string): string | undefined {
  const repo = image.replace(/@sha256:[0-9a-f]+$/i, '').replace(/:[^/:]+$/, '').toLowerCase();
  const last = baseName(repo);
  if (last === 'lighthouse') return 'lighthouse';
  if (repo.includes('prysm') && last === 'validator') return 'validator';
  if (repo.includes('prysm') && last === 'beacon-chain') return 'beacon-chain';
  if (last === 'teku') return 'teku';
  if (last === 'nimbus-eth2') return 'nimbus_beacon_node';
  if (last === 'nimbus-validator-client') return 'nimbus_validator_client';
  if (last === 'lodestar') return 'lodestar';
  if (last === 'web3signer') return 'web3signer';
  return undefined;
}

function parseMount(spec: string): Mount | undefined {
  const parts = spec.split(':');
  if (parts.length < 2 || !parts[0]!.startsWith('/')) return undefined;
  return { host: parts[0]!, container: parts[1]! };
}

function dockerRun(args: readonly string[], ctx: Ctx): Invocation | undefined {
  const mounts: Mount[] = [];
  const env = new Map<string, string>();
  let user: string | undefined;
  let entrypoint: string | undefined;
  let publishes = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) break;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    let value: string | undefined;
    if (a.startsWith('--') && eq > 0) value = a.slice(eq + 1);
    else if (DOCKER_VALUE_OPTS.has(name)) value = args[++i];
    if (value === undefined) continue;
    if (name === '-v' || name === '--volume') {
      const m = parseMount(value);
      if (m) mounts.push(m);
    } else if (name === '--mount') {
      const kv = new Map(value.split(',').map((p) => [p.split('=')[0]!, p.slice(p.indexOf('=') + 1)] as const));
      const src = kv.get('source') ?? kv.get('src');
      const dst = kv.get('target') ?? kv.get('destination') ?? kv.get('dst');
      if (src?.startsWith('/') && dst) mounts.push({ host: src, container: dst });
    } else if (name === '-e' || name === '--env') {
      const e = value.indexOf('=');
      if (e > 0) env.set(value.slice(0, e), value.slice(e + 1));
    } else if (name === '-u' || name === '--user') user = value;
    else if (name === '--entrypoint') entrypoint = value;
    else if (name === '-p' || name === '--publish') publishes = true;
  }
  const image = args[i];
  if (image === undefined) return undefined;
  let rest = args.slice(i + 1);
  const docker: Invocation['docker'] = { mounts, env, publishes };
  if (user !== undefined) docker.user = user;
  const inner: Ctx = { ...ctx, docker };
  if (entrypoint !== undefined) return byProgram(entrypoint, rest, inner) ?? unwrap([entrypoint, ...rest], inner, 1);
  const program = imageProgram(image);
  if (program === undefined) return undefined;
  // Images whose command repeats the program name (`sigp/lighthouse lighthouse vc …`).
  if (rest[0] !== undefined && baseName(rest[0]) === program) rest = rest.slice(1);
  if (program === 'lodestar' && rest[0] !== undefined && /^(node|\.\/lodestar)$/.test(rest[0])) rest = rest.slice(1);
  return byProgram(program, rest, inner);
}

/** Strip systemd's `ExecStart=` prefixes (`@-:+!`); with `@`, the second word is only argv[0]. */
function stripPrefixes(argv: readonly string[]): string[] {
  if (argv.length === 0) return [];
  const m = /^([-@:+!]*)([\s\S]*)$/.exec(argv[0]!)!;
  const first = m[2]!;
  if (m[1]!.includes('@')) return [first, ...argv.slice(2)];
  return [first, ...argv.slice(1)];
}

function unwrap(argv: readonly string[], ctx: Ctx, depth: number): Invocation | undefined {
  if (depth > 8 || argv.length === 0) return undefined;
  let i = 0;
  while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)) i++;
  const args = argv.slice(i);
  if (args.length === 0) return undefined;
  const prog = baseName(args[0]!);
  const rest = args.slice(1);
  if (prog === 'exec') return unwrap(rest, ctx, depth + 1);
  if (prog === 'env') {
    let j = 0;
    while (j < rest.length && (rest[j]!.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[j]!))) j += rest[j] === '-u' || rest[j] === '-C' ? 2 : 1;
    return unwrap(rest.slice(j), ctx, depth + 1);
  }
  if (prog === 'sudo' || prog === 'runuser' || prog === 'setpriv' || prog === 'nice' || prog === 'ionice' || prog === 'nohup' || prog === 'chrt' || prog === 'taskset') {
    let j = 0;
    let user = ctx.user;
    while (j < rest.length && rest[j]!.startsWith('-')) {
      const o = rest[j]!;
      if (o === '--') {
        j++;
        break;
      }
      if ((o === '-u' || o === '--user') && rest[j + 1] !== undefined) {
        user = rest[j + 1]!;
        j += 2;
        continue;
      }
      const reuid = /^--(?:reuid|user)=(.+)$/.exec(o);
      if (reuid) user = reuid[1]!;
      j += (o === '-n' || o === '-c' || o === '-g' || o === '-p') && !o.includes('=') ? 2 : 1;
    }
    if (prog === 'taskset' && rest[j] !== undefined && /^[0-9a-fx,-]+$/i.test(rest[j]!)) j++;
    const next: Ctx = { ...ctx };
    if (user !== undefined) next.user = user;
    return unwrap(rest.slice(j), next, depth + 1);
  }
  if (prog === 'sh' || prog === 'bash' || prog === 'dash') {
    const c = rest.indexOf('-c');
    if (c < 0 || rest[c + 1] === undefined) return undefined;
    for (const segment of rest[c + 1]!.split(/&&|\|\||;|\n/)) {
      const r = unwrap(splitWords(segment.trim()), { ...ctx, viaShell: true }, depth + 1);
      if (r) return r;
    }
    return undefined;
  }
  if (prog === 'docker' || prog === 'podman') {
    if (rest[0] === 'run') return dockerRun(rest.slice(1), ctx);
    if (rest[0] === 'container' && rest[1] === 'run') return dockerRun(rest.slice(2), ctx);
    return undefined;
  }
  if (prog === 'node' || prog === 'nodejs') {
    let j = 0;
    while (j < rest.length && rest[j]!.startsWith('-')) j += rest[j] === '-r' || rest[j] === '--require' ? 2 : 1;
    const script = rest[j];
    if (script !== undefined && /(^|\/)lodestar(\.js)?$|\/bin\/lodestar(\.js)?$/.test(script)) return byProgram('lodestar', rest.slice(j + 1), ctx);
    return undefined;
  }
  return byProgram(args[0]!, rest, ctx);
}

/** Recognise the validator client (or signer) a command line runs, or undefined. */
export function recognize(argv: readonly string[]): Invocation | undefined {
  return unwrap(stripPrefixes(argv), { viaShell: false }, 0);
}

export interface Roles {
  beacon: boolean;
  /** Signs with validator keys (a validator client, or a beacon node that loads keys itself). */
  validator: boolean;
  /** A remote signer holding keys (Web3Signer). */
  signer: boolean;
}

/** What the invocation does; `undefined` when it is a one-off tool run (`lighthouse account …`). */
export function rolesOf(inv: Invocation, hasKeys: boolean): Roles | undefined {
  const sub = inv.sub;
  switch (inv.kind) {
    case 'lighthouse':
      if (sub === 'bn' || sub === 'beacon_node' || sub === 'beacon') return { beacon: true, validator: false, signer: false };
      if (sub === 'vc' || sub === 'validator_client' || sub === 'validator') return { beacon: false, validator: true, signer: false };
      return undefined;
    case 'prysm':
      if (sub === 'beacon-chain') return { beacon: true, validator: false, signer: false };
      // `validator accounts import`, `validator wallet create`…: one-off tools, not the client.
      if (sub === 'validator' && inv.positionals[1] !== undefined && SUBCOMMANDS.prysm.has(inv.positionals[1])) return undefined;
      if (sub === 'validator') return { beacon: false, validator: true, signer: false };
      return undefined;
    case 'teku':
      if (sub === 'validator-client' || sub === 'vc') return { beacon: false, validator: true, signer: false };
      if (sub === undefined) return { beacon: true, validator: hasKeys, signer: false };
      return undefined;
    case 'nimbus':
      if (inv.program === 'nimbus_validator_client') return { beacon: false, validator: true, signer: false };
      if (sub === undefined || sub === 'noCommand') return { beacon: true, validator: hasKeys, signer: false };
      return undefined;
    case 'lodestar':
      if (sub === 'beacon') return { beacon: true, validator: false, signer: false };
      if (sub === 'validator') return { beacon: false, validator: true, signer: false };
      if (sub === 'dev') return { beacon: true, validator: true, signer: false };
      return undefined;
    case 'web3signer':
      return sub === 'eth1' ? undefined : { beacon: false, validator: false, signer: true };
  }
}

/** A boolean flag's value as the clients read it. */
export function flagOn(v: string | true | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === true) return true;
  if (/^(true|yes|on|1|enabled)$/i.test(v)) return true;
  if (/^(false|no|off|0|disabled)$/i.test(v)) return false;
  return undefined;
}

/** Options of a client from its flags, then (Teku) environment and config file. */
export interface OptionSource {
  get(name: string): { value: string | true; from: 'flag' | 'env' | 'config' } | undefined;
  /** Every value of a repeatable option (flags first; comma-separated values are split). */
  list(name: string): string[];
}

/** Teku: `--name`, then `TEKU_NAME` in the environment, then the `--config-file` YAML (CLI > env > file). */
export function tekuOptions(inv: Invocation, env: ReadonlyMap<string, string>, config: ReadonlyMap<string, string[]>): OptionSource {
  const envName = (n: string) => `TEKU_${n.toUpperCase().replace(/-/g, '_')}`;
  const get = (name: string) => {
    const f = inv.flags.get(name);
    if (f !== undefined) return { value: f, from: 'flag' as const };
    const e = inv.docker?.env.get(envName(name)) ?? env.get(envName(name));
    if (e !== undefined) return { value: e, from: 'env' as const };
    const c = config.get(name);
    if (c !== undefined && c.length > 0) return { value: c[c.length - 1]!, from: 'config' as const };
    return undefined;
  };
  return {
    get,
    list(name: string) {
      const flags = (inv.all.get(name) ?? []).filter((v): v is string => typeof v === 'string');
      const from = flags.length > 0 ? flags : (() => {
        const e = inv.docker?.env.get(envName(name)) ?? env.get(envName(name));
        if (e !== undefined) return [e];
        return config.get(name) ?? [];
      })();
      return from.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
    },
  };
}

/** Flat YAML of a Teku config file: `key: value`, `key: [a, b]`, or a `- item` list under a key. */
export function parseFlatYaml(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let listKey: string | undefined;
  const unquote = (v: string) => v.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line)) continue;
    const item = /^\s+-\s+(.*)$/.exec(line) ?? /^-\s+(.*)$/.exec(line);
    if (item && listKey !== undefined) {
      out.get(listKey)!.push(unquote(item[1]!.replace(/\s+#.*$/, '')));
      continue;
    }
    const kv = /^([A-Za-z0-9_.-]+)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    const key = kv[1]!;
    const value = kv[2]!.replace(/\s+#.*$/, '').trim();
    if (value === '') {
      listKey = key;
      out.set(key, []);
      continue;
    }
    listKey = undefined;
    const arr = /^\[(.*)\]$/.exec(value);
    out.set(key, arr ? arr[1]!.split(',').map(unquote).filter((v) => v.length > 0) : [unquote(value)]);
  }
  return out;
}

/** Map a path the client sees to the host: through the container's mounts, or as is. Undefined when it lives only inside a container. */
export function hostPath(inv: Invocation, p: string, cwd: string): string | undefined {
  const abs = p.startsWith('/') ? p : joinPath(cwd, p);
  if (!inv.docker) return abs;
  let best: Mount | undefined;
  for (const m of inv.docker.mounts) {
    const c = m.container.replace(/\/+$/, '') || '/';
    if ((abs === c || abs.startsWith(`${c}/`) || c === '/') && (!best || c.length > best.container.length)) best = m;
  }
  if (!best) return undefined;
  const c = best.container.replace(/\/+$/, '');
  return joinPath(best.host, abs.slice(c.length));
}

export function str(v: string | true | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
