#!/usr/bin/env node
// `npm run bench -- keystore-verify`: `coldstake keystore verify` on 16 keystores with the
// deposit-cli default KDF (scrypt n=2^18, r=8, p=1), against the ideal bound
// 16 × (one native scrypt) / cores measured in the same run. Ratio = bound / CLI time (target ≥ 90 %).
// The keystores are made once with @chainsafe/bls-keystore (password "bench password 123") and
// cached in the OS temp directory.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from '@chainsafe/bls-keystore';
import { bls12_381 } from '@noble/curves/bls12-381.js';

// BENCH_DIR=DIR BENCH_PASSWORD_FILE=F: verify an existing set instead (e.g. a 1,000-keystore batch
// written by `coldstake keys new`, one salt for all: one KDF run opens them all).
if (process.env.BENCH_DIR) {
  const t = performance.now();
  const r = spawnSync(path.join(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), 'bin', 'coldstake'), ['keystore', 'verify', process.env.BENCH_DIR, '--password-file', process.env.BENCH_PASSWORD_FILE ?? '', '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wall = performance.now() - t;
  const report = JSON.parse(r.stdout || '{}');
  const ok = (report.keystores ?? []).filter((k) => k.decrypted === 'ok').length;
  process.stdout.write(`keystore verify ${process.env.BENCH_DIR}: exit ${r.status}, ${ok}/${(report.keystores ?? []).length} decrypted, ${wall.toFixed(0)} ms, findings ${[...new Set((report.findings ?? []).map((f) => f.id))].join(', ')}\n`);
  process.exit(r.status === 0 ? 0 : 1);
}
const N = Number(process.env.BENCH_KEYSTORES ?? 16);
const PASSWORD = 'bench password 123';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const dir = path.join(os.tmpdir(), 'coldstake-bench-cache', `keystores-${N}`);

if (!fs.existsSync(path.join(dir, `keystore-m_12381_3600_${N - 1}_0_0-bench.json`))) {
  process.stdout.write(`making ${N} scrypt keystores (once, cached in ${dir})…\n`);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let i = 0; i < N; i++) {
    const sk = new Uint8Array(32); new DataView(sk.buffer).setUint32(28, 1000 + i);
    const pk = bls12_381.longSignatures.getPublicKey(sk).toBytes(true);
    const ks = await create(PASSWORD, sk, pk, `m/12381/3600/${i}/0/0`, null, {
      function: 'scrypt', params: { dklen: 32, n: 2 ** 18, r: 8, p: 1, salt: crypto.randomBytes(32).toString('hex') },
    });
    fs.writeFileSync(path.join(dir, `keystore-m_12381_3600_${i}_0_0-bench.json`), JSON.stringify(ks), { mode: 0o600 });
  }
}
const pwFile = path.join(dir, 'password.txt');
fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });

// One native scrypt with the same parameters, median of 3, in this process.
const times = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  crypto.scryptSync(PASSWORD, crypto.randomBytes(32), 32, { N: 2 ** 18, r: 8, p: 1, maxmem: 2 ** 29 });
  times.push(performance.now() - t);
}
const scryptMs = times.sort((a, b) => a - b)[1];
const cores = os.availableParallelism();
const bound = (N * scryptMs) / Math.min(cores, N);

// The same bound measured, not computed: N native scrypts, `cores` at a time (libuv threads),
// before and after the CLI run; on a shared machine this is the throughput actually available.
async function parallelScrypts() {
  const t = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < N) {
      next++;
      await new Promise((res, rej) => crypto.scrypt(PASSWORD, crypto.randomBytes(32), 32, { N: 2 ** 18, r: 8, p: 1, maxmem: 2 ** 29 }, (e) => (e ? rej(e) : res())));
    }
  };
  await Promise.all(Array.from({ length: Math.min(cores, N) }, lane));
  return performance.now() - t;
}

const load0 = os.loadavg()[0];
const measured0 = await parallelScrypts();
const t0 = performance.now();
const r = spawnSync(bin, ['keystore', 'verify', dir, '--password-file', pwFile, '--json'], { encoding: 'utf8' });
const wall = performance.now() - t0;
const measured1 = await parallelScrypts();
const measured = (measured0 + measured1) / 2;
const report = JSON.parse(r.stdout || '{}');
const decrypted = (report.keystores ?? []).filter((k) => k.decrypted === 'ok').length;
if (r.status !== 0 || decrypted !== N) { process.stderr.write(`bench: keystore verify failed (exit ${r.status}, ${decrypted} decrypted)\n${r.stderr}\n`); process.exit(1); }
process.stdout.write(
  [
    `keystores                ${N} (scrypt n=2^18 r=8 p=1)`,
    `cores                    ${cores} (load average before: ${load0.toFixed(2)}, after: ${os.loadavg()[0].toFixed(2)})`,
    `one scrypt (native)      ${scryptMs.toFixed(0)} ms (median of 3)`,
    `bound 16 × scrypt/cores  ${bound.toFixed(0)} ms`,
    `measured bound           ${measured.toFixed(0)} ms (${N} native scrypts ${Math.min(cores, N)} at a time, mean of before/after: ${measured0.toFixed(0)}, ${measured1.toFixed(0)})`,
    `keystore verify (CLI)    ${wall.toFixed(0)} ms (process start, parse, checks, decrypt + secret→pubkey in ${Math.min(cores, N)} workers)`,
    `ratio                    ${((bound / wall) * 100).toFixed(0)} % of the computed bound, ${((measured / wall) * 100).toFixed(0)} % of the measured bound (target >= 90 %)`,
    '',
  ].join('\n'),
);
