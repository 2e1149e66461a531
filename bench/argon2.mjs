// Zond keystore KDF: argon2id t=8, m=262144 KiB (256 MiB), p=1, dkLen 32 (qrysm's parameters), one
// distinct KDF per process, through each backend of src/core/zond/argon2.ts and the pure-JS baseline:
//   noble   @noble/hashes argon2id (the pure JavaScript it replaces)
//   coldstake  src/core/zond/argon2.ts as the CLI bundles it (native crypto.argon2 on Node >= 24.7,
//           else hash-wasm's WebAssembly), run under the permission model like bin/coldstake
//   native  node:crypto argon2 (only where the running Node has it)
// Each is a fresh process measured by /usr/bin/time (wall, CPU, peak RSS), alternately A B A B, so a
// change of machine load hits all alike; medians are printed. Also three distinct KDFs in one process
// (peak RSS must stay near one KDF's: the WebAssembly memory is released between runs).
// Usage: node bench/argon2.mjs [ROUNDS]   (npm run bench -- argon2; default 3 rounds)
//        node bench/argon2.mjs --one BACKEND [COUNT]   (one child: COUNT KDFs, prints the key of the first)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const PARAMS = { t: 8, m: 262144, p: 1, dkLen: 32 };

if (process.argv[2] === '--one') {
  const backend = process.argv[3];
  const count = Number(process.argv[4] ?? 1);
  const pw = new TextEncoder().encode('1234567890');
  let fn;
  if (backend === 'noble') {
    const { argon2idAsync } = await import('@noble/hashes/argon2.js');
    fn = (salt) => argon2idAsync(pw, salt, { ...PARAMS, asyncTick: 50 });
  } else if (backend === 'native') {
    const { argon2Sync } = await import('node:crypto');
    fn = async (salt) => argon2Sync('argon2id', { message: pw, nonce: salt, parallelism: 1, tagLength: 32, memory: PARAMS.m, passes: PARAMS.t });
  } else {
    const { argon2id } = await import(process.argv[5]);
    fn = (salt) => argon2id(pw, salt, PARAMS);
  }
  const salts = Array.from({ length: count }, (_, i) => new Uint8Array(32).fill(i + 1));
  let first;
  for (const salt of salts) {
    const k = await fn(salt);
    first ??= Buffer.from(k).toString('hex');
  }
  console.log(first);
  process.exit(0);
}

const rounds = Number(process.argv[2] ?? 3);
const haveTime = fs.existsSync('/usr/bin/time');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-argon2-'));
// The module as the CLI bundles it (tsup is esbuild underneath): one file, wasm bytes inside.
const bundle = path.join(dir, 'argon2.mjs');
const { build } = await import('esbuild');
await build({ entryPoints: [path.join(root, 'src', 'core', 'zond', 'argon2.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'silent' });

const v = process.versions.node.split('.').map(Number);
const permFlag = v[0] > 23 || (v[0] === 23 && v[1] >= 5) || (v[0] === 22 && v[1] >= 13) ? '--permission' : '--experimental-permission';
const hasNative = typeof (await import('node:crypto')).argon2Sync === 'function';
const backends = ['noble', 'coldstake', ...(hasNative ? ['native'] : [])];

function runOne(backend, count = 1) {
  const nodeArgs = backend === 'coldstake' ? [permFlag, '--allow-fs-read=*', '--disable-warning=ExperimentalWarning'] : [];
  const args = [...nodeArgs, fileURLToPath(import.meta.url), '--one', backend, String(count), bundle];
  const timeFile = path.join(dir, 'time');
  const [cmd, argv] = haveTime ? ['/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${backend}: exit ${r.status}: ${r.stderr}`);
  let cpu = Number.NaN;
  let rssMiB = Number.NaN;
  if (haveTime) {
    const [, u, s, m] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = u + s;
    rssMiB = m / 1024;
  }
  return { key: r.stdout.trim(), wall, cpu, rssMiB };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const load0 = os.loadavg()[0];
const results = Object.fromEntries(backends.map((b) => [b, []]));
for (let i = 0; i < rounds; i++) for (const b of backends) results[b].push(runOne(b));
const keys = new Set(Object.values(results).flat().map((r) => r.key));
if (keys.size !== 1) throw new Error(`backends disagree: ${[...keys].join(', ')}`);
const three = runOne('coldstake', 3);
const load1 = os.loadavg()[0];
fs.rmSync(dir, { recursive: true, force: true });

const fmt = (x, unit, d = 2) => (Number.isFinite(x) ? `${x.toFixed(d)} ${unit}` : 'n/a');
console.log(`argon2id t=8 m=256 MiB p=1 (qrysm keystore KDF), node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'}, ${os.availableParallelism()} cores`);
console.log(`load average (1 min) before / after: ${load0.toFixed(2)} / ${load1.toFixed(2)}; ${rounds} rounds, medians; all backends gave the same key`);
console.log('| backend | wall | cpu (user+sys) | peak rss | cpu vs noble |\n|---|---|---|---|---|');
const nobleCpu = median(results.noble.map((r) => r.cpu));
for (const b of backends) {
  const rs = results[b];
  const cpu = median(rs.map((r) => r.cpu));
  console.log(`| ${b} | ${fmt(median(rs.map((r) => r.wall)), 's')} | ${fmt(cpu, 's')} | ${fmt(median(rs.map((r) => r.rssMiB)), 'MiB', 0)} | ${fmt(cpu / nobleCpu, '×')} |`);
}
console.log(`| coldstake, 3 distinct KDFs in one process | ${fmt(three.wall, 's')} | ${fmt(three.cpu, 's')} | ${fmt(three.rssMiB, 'MiB', 0)} | — |`);
