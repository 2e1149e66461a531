/**
 * The network guard, exercised in a child process that loads the real bundle: every API
 * must throw `network access is disabled in coldstake`, and a loopback server run by the
 * test itself must see no connection at all.
 */
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLE } from '../helpers/cli.js';

let server: net.Server;
let port = 0;
let connections = 0;
let udp: dgram.Socket;
let udpPort = 0;
let datagrams = 0;

beforeAll(async () => {
  server = net.createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
  udp = dgram.createSocket('udp4');
  udp.on('message', () => datagrams++);
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  udpPort = udp.address().port;
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  udp.close();
});

/** Each probe is a JS expression run after the bundle is imported; it must throw synchronously or reject. */
function probes(p: number, u: number): Record<string, string> {
  const url = `http://127.0.0.1:${p}/`;
  return {
    'net.connect': `net.connect(${p}, '127.0.0.1')`,
    'net.createConnection': `net.createConnection({port: ${p}, host: '127.0.0.1'})`,
    'net.Socket#connect': `new net.Socket().connect(${p}, '127.0.0.1')`,
    'net.createServer': `net.createServer()`,
    'net.Server#listen': `new net.Server().listen(0, '127.0.0.1')`,
    'tls.connect': `tls.connect(${p}, '127.0.0.1')`,
    'http.get': `http.get('${url}')`,
    'http.request': `http.request('${url}')`,
    'https.get': `https.get('https://127.0.0.1:${p}/')`,
    'http.Agent#createConnection': `new http.Agent().createConnection({port: ${p}, host: '127.0.0.1'})`,
    'http2.connect': `http2.connect('http://127.0.0.1:${p}')`,
    'dns.lookup': `dns.lookup('localhost', () => {})`,
    'dns.resolve4': `dns.resolve4('example.org', () => {})`,
    'dns.Resolver#resolve4': `new dns.Resolver().resolve4('example.org', () => {})`,
    'dns.promises.lookup': `dns.promises.lookup('localhost')`,
    'dns.promises.Resolver#resolve4': `new dns.promises.Resolver().resolve4('example.org')`,
    'dns/promises named import': `dnsPromises.lookup('localhost')`,
    'dgram.createSocket': `dgram.createSocket('udp4')`,
    'dgram.Socket#send': `new dgram.Socket('udp4').send('x', ${u}, '127.0.0.1')`,
    'named ESM import of net.connect': `netConnect(${p}, '127.0.0.1')`,
    fetch: `fetch('${url}')`,
    WebSocket: `new WebSocket('ws://127.0.0.1:${p}/')`,
    EventSource: `new EventSource('${url}')`,
    "process.binding('tcp_wrap')": `process.binding('tcp_wrap')`,
    "process.binding('cares_wrap')": `process.binding('cares_wrap')`,
  };
}

function childScript(p: number, u: number): string {
  return `
    await import(${JSON.stringify(BUNDLE)});
    const net = (await import('node:net')).default;
    const { connect: netConnect } = await import('node:net');
    const tls = (await import('node:tls')).default;
    const http = (await import('node:http')).default;
    const https = (await import('node:https')).default;
    const http2 = (await import('node:http2')).default;
    const dns = (await import('node:dns')).default;
    const dnsPromises = await import('node:dns/promises');
    const dgram = (await import('node:dgram')).default;
    const probes = ${JSON.stringify(probes(p, u))};
    const results = {};
    for (const [name, expr] of Object.entries(probes)) {
      try {
        const v = eval(expr);
        if (v && typeof v.then === 'function') await v;
        results[name] = 'not blocked';
      } catch (e) {
        results[name] = e && e.message;
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    process.stdout.write(JSON.stringify(results));
  `;
}

function runChild(script: string, extraArgs: string[] = []) {
  return spawnSync(process.execPath, [...extraArgs, '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
}

describe('network guard', () => {
  it('blocks every network API in the main thread and nothing reaches a loopback server', () => {
    const r = runChild(childScript(port, udpPort));
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as Record<string, string>;
    expect(Object.keys(results)).toHaveLength(Object.keys(probes(port, udpPort)).length);
    for (const [name, msg] of Object.entries(results)) {
      expect({ name, msg }).toEqual({ name, msg: 'network access is disabled in coldstake' });
    }
    expect(connections).toBe(0);
    expect(datagrams).toBe(0);
  });

  it('blocks the network inside a worker thread that runs the bundle', () => {
    const script = `
      const { Worker } = await import('node:worker_threads');
      const code = ${JSON.stringify(`
        const { parentPort } = require('node:worker_threads');
        import(${JSON.stringify(BUNDLE)}).then(async () => {
          const out = {};
          try { await fetch('http://127.0.0.1:${port}/'); out.fetch = 'not blocked'; } catch (e) { out.fetch = e.message; }
          try { require('node:net').connect(${port}, '127.0.0.1'); out.net = 'not blocked'; } catch (e) { out.net = e.message; }
          try { require('node:dns').lookup('localhost', () => {}); out.dns = 'not blocked'; } catch (e) { out.dns = e.message; }
          parentPort.postMessage(out);
        });
      `)};
      const w = new Worker(code, { eval: true, execArgv: [] });
      w.on('message', (m) => { process.stdout.write(JSON.stringify(m)); w.terminate(); });
    `;
    const r = runChild(script);
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as Record<string, string>;
    expect(out).toEqual({
      fetch: 'network access is disabled in coldstake',
      net: 'network access is disabled in coldstake',
      dns: 'network access is disabled in coldstake',
    });
    expect(connections).toBe(0);
  });

  it('runs before any other module: nothing but declarations precedes the guard in the bundle', async () => {
    const fs = await import('node:fs');
    const lines = fs.readFileSync(BUNDLE, 'utf8').split('\n');
    const guardStart = lines.indexOf('// src/guard/install.ts');
    expect(guardStart).toBeGreaterThan(0);
    // Top-level statements before the guard may only declare (lazy module wrappers, helpers, bindings).
    const statement = /^(var|let|const|class)\s|^[A-Za-z_$][\w$.]*\s*\(/;
    const declaration = [
      /^var [\w$]+ = (__commonJS|__esm)\(\{/,
      /^var __[\w$]+ = /,
      /^__export\([\w$]+, \{/,
      /^var [\w$]+ = \{\};$/,
      /^var [\w$]+(, [\w$]+)*;$/,
      /^const require = __coldstakeCreateRequire\(import\.meta\.url\);$/,
    ];
    const executing = lines.slice(0, guardStart).filter((l) => statement.test(l) && !declaration.some((d) => d.test(l)));
    expect(executing).toEqual([]);
  });
});
