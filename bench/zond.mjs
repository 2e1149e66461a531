#!/usr/bin/env node
// Zond baseline costs (issue 17): pure-JS argon2id (@noble/hashes) at qrysm's default parameters
// (t=8, m=256 MiB, p=1) and at --lightkdf (m=4 MiB); ML-DSA-87 keygen, sign and verify
// (@noble/post-quantum); and `keys new --network zond-testnet --light-kdf` through the built CLI.
// The fast argon2id path for Node 20 is measured separately (its own bench). Results: bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { argon2idAsync } from '@noble/hashes/argon2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const line = (name, v) => process.stdout.write(`${name.padEnd(46)} ${v}\n`);
line('machine', `${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}, node ${process.versions.node}`);

const pw = new TextEncoder().encode('correct horse battery staple');
const salt = new Uint8Array(32).fill(7);
for (const [label, m, runs] of [['argon2id noble t=8 m=4 MiB (--lightkdf)', 4096, 5], ['argon2id noble t=8 m=256 MiB (qrysm default)', 262144, 1]]) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    await argon2idAsync(pw, salt, { t: 8, m, p: 1, dkLen: 32 });
    times.push(ms(t0));
  }
  line(label, `${(median(times) / 1000).toFixed(2)} s median of ${runs}`);
}

const keygen = [];
const sign = [];
const verify = [];
const ctx = Uint8Array.of(0x5a, 0x4f, 0x4e, 0x44, 1, 1, 0, 0);
const msg = new Uint8Array(32).fill(1);
for (let i = 0; i < 10; i++) {
  let t0 = process.hrtime.bigint();
  const kp = ml_dsa87.keygen(sha256(Uint8Array.of(i)));
  keygen.push(ms(t0));
  t0 = process.hrtime.bigint();
  const sig = ml_dsa87.sign(msg, kp.secretKey, { context: ctx });
  sign.push(ms(t0));
  t0 = process.hrtime.bigint();
  ml_dsa87.verify(sig, msg, kp.publicKey, { context: ctx });
  verify.push(ms(t0));
}
line('ML-DSA-87 keygen / sign / verify (median of 10)', `${median(keygen).toFixed(1)} / ${median(sign).toFixed(1)} / ${median(verify).toFixed(1)} ms`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-zond-'));
try {
  const wallet = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', 'zond', 'wallet_vectors.json'), 'utf8'));
  const address = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', 'zond', 'address_vectors.json'), 'utf8')).checksum_parity[1].checksummed;
  const input = `${wallet.cases[0].mnemonic}\nbench-password-2026\n`;
  for (const count of [1, 8]) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(path.join(root, 'bin', 'coldstake'), ['keys', 'new', '--network', 'zond-testnet', '--count', String(count), '--withdrawal-address', address, '--out', path.join(tmp, `o${count}`), '--mnemonic-file', '-', '--password-file', '-', '--allow-online', '--light-kdf'], { input, encoding: 'utf8', detached: true });
    if (r.status !== 0) throw new Error(`keys new failed: ${r.stderr}`);
    line(`keys new zond-testnet --light-kdf --count ${count}`, `${(ms(t0) / 1000).toFixed(2)} s wall (2 KDF runs: batch + re-verification)`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
