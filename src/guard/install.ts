/**
 * The network guard. Imported first by the bundle's entry, so it runs before any other
 * module's top-level code, in the main thread and in every worker (workers run the same file).
 * Every Node network API is replaced by a function that throws synchronously, before any
 * socket, lookup or packet exists. The permission model (bin/coldstake) closes the
 * `process.binding` hole underneath; the guard also refuses the wrap bindings itself.
 *
 * Only node: builtins may be imported here.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import inspector from 'node:inspector';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

export const NETWORK_DISABLED_MESSAGE = 'network access is disabled in coldstake';

/** Thrown by every guarded API. */
export class NetworkDisabledError extends Error {
  readonly code = 'ERR_COLDSTAKE_NETWORK_DISABLED';
  constructor(api: string) {
    super(NETWORK_DISABLED_MESSAGE);
    this.name = 'NetworkDisabledError';
    // Which API was refused, for debugging; never part of the user-facing message.
    Object.defineProperty(this, 'api', { value: api, enumerable: false });
  }
}

type AnyObject = Record<string, unknown>;

const blockers = new Map<string, () => unknown>();
const targets: Array<{ api: string; holder: AnyObject; key: string }> = [];

function block(holder: unknown, key: string, api: string): void {
  if (holder === null || holder === undefined) return;
  const obj = holder as AnyObject;
  if (!(key in obj)) return;
  const blocker = function coldstakeNetworkBlocked(): never {
    throw new NetworkDisabledError(api);
  };
  try {
    Object.defineProperty(obj, key, { value: blocker, writable: false, configurable: false, enumerable: true });
  } catch {
    obj[key] = blocker;
  }
  blockers.set(api, blocker);
  targets.push({ api, holder: obj, key });
}

const DNS_FUNCTIONS = [
  'lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname',
  'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTxt', 'reverse',
  'setServers',
];

/** Binding names that open sockets or resolvers underneath the public APIs. */
const NETWORK_BINDINGS = new Set(['tcp_wrap', 'udp_wrap', 'pipe_wrap', 'tls_wrap', 'cares_wrap', 'stream_wrap', 'js_stream', 'inspector']);

let installed = false;

/** Install the guard (idempotent). Called at import time; exported for tests. */
export function installNetworkGuard(): void {
  if (installed) return;
  installed = true;

  block(net, 'connect', 'net.connect');
  block(net, 'createConnection', 'net.createConnection');
  block(net, 'createServer', 'net.createServer');
  block(net.Socket.prototype, 'connect', 'net.Socket.connect');
  block(net.Server.prototype, 'listen', 'net.Server.listen');

  block(tls, 'connect', 'tls.connect');
  block(tls, 'createServer', 'tls.createServer');

  for (const [name, mod] of [['http', http], ['https', https]] as const) {
    block(mod, 'request', `${name}.request`);
    block(mod, 'get', `${name}.get`);
    block(mod, 'createServer', `${name}.createServer`);
    block(mod.Agent.prototype, 'createConnection', `${name}.Agent.createConnection`);
  }

  block(http2, 'connect', 'http2.connect');
  block(http2, 'createServer', 'http2.createServer');
  block(http2, 'createSecureServer', 'http2.createSecureServer');

  for (const fn of DNS_FUNCTIONS) {
    block(dns, fn, `dns.${fn}`);
    block(dns.promises, fn, `dns.promises.${fn}`);
    block(dns.Resolver.prototype, fn, `dns.Resolver.${fn}`);
    block(dns.promises.Resolver.prototype, fn, `dns.promises.Resolver.${fn}`);
  }

  block(dgram, 'createSocket', 'dgram.createSocket');
  block(dgram.Socket.prototype, 'bind', 'dgram.Socket.bind');
  block(dgram.Socket.prototype, 'send', 'dgram.Socket.send');
  block(dgram.Socket.prototype, 'connect', 'dgram.Socket.connect');

  // The inspector: a debugger socket (or an in-process session) would let anyone run code in the
  // process that holds the mnemonic. `node:inspector/promises` shares `open` and inherits
  // `Session.prototype.connect`, so this covers it too. SIGUSR1 cannot be stopped from here on
  // Node 20: bin/coldstake runs every process under the permission model, which keeps it closed.
  block(inspector, 'open', 'inspector.open');
  block(inspector, 'waitForDebugger', 'inspector.waitForDebugger');
  block(inspector.Session.prototype, 'connect', 'inspector.Session.connect');
  block(inspector.Session.prototype, 'connectToMainThread', 'inspector.Session.connectToMainThread');

  const g = globalThis as AnyObject;
  for (const name of ['fetch', 'WebSocket', 'EventSource']) {
    // Define even when absent, so a later polyfill or a newer Node cannot bring it back.
    if (!(name in g)) g[name] = undefined;
    block(g, name, name);
  }

  const proc = process as unknown as AnyObject;
  const originalBinding = proc['binding'];
  if (typeof originalBinding === 'function') {
    const guardedBinding = function binding(this: unknown, name: string): unknown {
      if (NETWORK_BINDINGS.has(name)) throw new NetworkDisabledError(`process.binding(${name})`);
      return (originalBinding as (n: string) => unknown).call(this, name);
    };
    Object.defineProperty(proc, 'binding', { value: guardedBinding, writable: false, configurable: false });
    blockers.set('process.binding', guardedBinding as () => unknown);
    targets.push({ api: 'process.binding', holder: proc, key: 'binding' });
  }

  // Make `import { connect } from 'node:net'` in any later module see the guarded functions.
  syncBuiltinESMExports();
}

export interface GuardStatus {
  installed: boolean;
  /** Number of APIs guarded. */
  apis: number;
  /** APIs whose current value is no longer the guard's function (should be empty). */
  tampered: string[];
}

/** Check, without calling anything, that every guarded API still holds the guard's function. */
export function guardStatus(): GuardStatus {
  const tampered: string[] = [];
  for (const t of targets) {
    if (t.holder[t.key] !== blockers.get(t.api)) tampered.push(t.api);
  }
  return { installed, apis: targets.length, tampered };
}

installNetworkGuard();
