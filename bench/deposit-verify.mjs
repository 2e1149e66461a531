#!/usr/bin/env node
// `npm run bench -- deposit-verify`: `coldstake deposit verify` on 1,000 deposit entries
// (randomized batch verification across cores), in ms per entry, and the ratio to plain
// one-by-one verification (noble, one core) measured in the same run.
// The 1,000-entry file is generated once (secret keys 1..1000, hoodi, 0x01 credentials) and cached
// in the OS temp directory; the CLI must accept every entry, which also checks the generator.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';

const N = Number(process.env.BENCH_ENTRIES ?? 1000);
const SAMPLE = Number(process.env.BENCH_SAMPLE ?? 100);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const DST = 'BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_';
const HOODI_DOMAIN = Buffer.from('03000000719103511efa4f1362ff2a50996cccf329cc84cb410c5e5c7d351d03', 'hex');
const ADDRESS = Buffer.from('0f51bb10119727a7e5ea3538074fb341f56b09ad', 'hex');
const sigs = bls12_381.longSignatures;

const cat = (...a) => Buffer.concat(a.map((x) => Buffer.from(x)));
const h = (...a) => sha256(cat(...a));
const zero = new Uint8Array(32);
const chunks = (b) => { const out = []; for (let i = 0; i < b.length; i += 32) { const c = new Uint8Array(32); c.set(b.subarray(i, i + 32)); out.push(c); } return out; };
const merkle4 = (l) => h(h(l[0], l[1] ?? zero), h(l[2] ?? zero, l[3] ?? zero));
const vecRoot = (b) => { const c = chunks(b); return c.length === 1 ? c[0] : c.length === 2 ? h(c[0], c[1]) : merkle4(c); };
const u64 = (n) => { const b = new Uint8Array(32); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; };
const hex = (b) => Buffer.from(b).toString('hex');

function generate(file) {
  const wc = new Uint8Array(32); wc[0] = 1; wc.set(ADDRESS, 12);
  const amount = 32_000_000_000;
  const entries = [];
  for (let i = 1; i <= N; i++) {
    const sk = new Uint8Array(32); new DataView(sk.buffer).setUint32(28, i * 7919 + 13);
    const pk = sigs.getPublicKey(sk).toBytes(true);
    const msgRoot = merkle4([vecRoot(pk), wc, u64(amount)]);
    const sig = sigs.Signature.toBytes(sigs.sign(sigs.hash(h(msgRoot, HOODI_DOMAIN), DST), sk));
    const dataRoot = merkle4([vecRoot(pk), wc, u64(amount), vecRoot(sig)]);
    entries.push({ pubkey: hex(pk), withdrawal_credentials: hex(wc), amount, signature: hex(sig), deposit_message_root: hex(msgRoot), deposit_data_root: hex(dataRoot), fork_version: '10000910', network_name: 'hoodi', deposit_cli_version: '1.0.0' });
  }
  fs.writeFileSync(file, JSON.stringify(entries));
  return entries;
}

const cacheDir = path.join(os.tmpdir(), 'coldstake-bench-cache');
fs.mkdirSync(cacheDir, { recursive: true });
const file = path.join(cacheDir, `deposit_data-bench-${N}.json`);
let entries;
if (fs.existsSync(file)) entries = JSON.parse(fs.readFileSync(file, 'utf8'));
else { process.stdout.write(`generating ${N} signed entries (once, cached in ${file})…\n`); entries = generate(file); }

const load0 = os.loadavg()[0];
// CPU time (user + system, all threads) through /usr/bin/time when present: on a shared machine
// it says what the work costs independently of how much of the cores other processes took.
const HAS_TIME = fs.existsSync('/usr/bin/time');
const timeFile = path.join(cacheDir, 'time.txt');
const cmd = HAS_TIME ? '/usr/bin/time' : bin;
const args = [...(HAS_TIME ? ['-f', '%U %S', '-o', timeFile, bin] : []), 'deposit', 'verify', file, '--network', 'hoodi', '--json'];
const t0 = performance.now();
const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const wall = performance.now() - t0;
const cpuMs = HAS_TIME ? fs.readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x) * 1000, 0) : NaN;
const report = JSON.parse(r.stdout);
if (r.status !== 0 || report.count !== N) { process.stderr.write(`bench: deposit verify failed (exit ${r.status})\n${r.stderr}\n`); process.exit(1); }

// One by one, one core, same machine, same run: decode (with subgroup checks), hash, verify.
const t1 = performance.now();
const c1 = process.cpuUsage();
for (let i = 0; i < SAMPLE; i++) {
  const e = entries[i];
  const pk = bls12_381.G1.Point.fromBytes(Buffer.from(e.pubkey, 'hex'));
  const sig = sigs.Signature.fromBytes(Buffer.from(e.signature, 'hex'));
  const msg = h(Buffer.from(e.deposit_message_root, 'hex'), HOODI_DOMAIN);
  if (!sigs.verify(sig, sigs.hash(msg, DST), pk)) { process.stderr.write('bench: one-by-one verification failed\n'); process.exit(1); }
}
const single = (performance.now() - t1) / SAMPLE;
const c2 = process.cpuUsage(c1);
const singleCpu = (c2.user + c2.system) / 1000 / SAMPLE;
const perEntry = wall / N;
const cores = os.availableParallelism();
process.stdout.write(
  [
    `entries                  ${N}`,
    `cores                    ${cores} (load average before: ${load0.toFixed(2)}, after: ${os.loadavg()[0].toFixed(2)})`,
    `deposit verify (CLI)     ${wall.toFixed(0)} ms total, ${perEntry.toFixed(2)} ms/entry (process start, parse, roots, batched signatures on ${cores} cores)`,
    `deposit verify CPU       ${(cpuMs / N).toFixed(2)} ms/entry of CPU time (all threads; /cores = ${(cpuMs / N / cores).toFixed(2)} ms/entry on idle cores)`,
    `one by one (1 core)      ${single.toFixed(2)} ms/entry wall, ${singleCpu.toFixed(2)} ms/entry CPU (noble verify, ${SAMPLE}-entry sample)`,
    `ratio (wall)             ${(perEntry / single).toFixed(2)} (CLI time per entry / one-by-one time per entry; ${(single / perEntry).toFixed(2)}x faster)`,
    `ratio (CPU)              ${(cpuMs / N / singleCpu).toFixed(2)} (CPU per entry, batch / one by one)`,
    `target                   <= 15 ms/entry on 2 cores: wall ${perEntry <= 15 ? 'met' : 'NOT met'} (load ${load0.toFixed(1)}), CPU/cores ${cpuMs / N / cores <= 15 ? 'met' : 'NOT met'}`,
    '',
  ].join('\n'),
);
