#!/usr/bin/env node
// `npm run bench -- cpu-budget`: the worst inputs within the CPU budget (issue 14 point 4), each
// run once through bin/coldstake under /usr/bin/time (CPU = user + system of launcher, program and
// workers). `node bench/cpu-budget.mjs --make DIR` only writes the inputs into DIR and prints the
// commands, so they can be timed with any whole-process timer (and A/B against another build).
//
// Deposit inputs are made from the real 2,962-entry LUKSO file (fixtures/wild, its first 800 distinct
// pubkeys — the default --max-entries; BENCH_ENTRIES=N for another count, given as --max-entries N:
// real, valid entries), so every signature decodes, is on the curve and in G2:
//   valid      800 distinct entries, every signature valid (a genuine large file at the default bound)
//   invalid    the same with the signatures rotated by one: every signature well formed but wrong
//              (both halves of every batch fail, then every entry is checked alone)
//   sparse     one wrong signature in every 64 entries (every batch fails and is bisected)
//   repeats    10,000 entries (the entry bound): the invalid file's entries repeated verbatim, so the
//              signature work is the invalid file's and the rest (parsing, roots, 10,000 verdicts
//              with duplicate and signature findings) is at its largest
//   lukso      the whole real file with --max-entries 2962 (2,662 distinct)
// Keystore inputs (pbkdf2 keystores from @chainsafe/bls-keystore, KDF swapped, so the password no
// longer opens them but every KDF runs in full):
//   cap1       one scrypt keystore at the per-keystore cap (n=2^20, r=8, p=8: n·r·p = 2^26, 1 GiB)
//   cap8       eight of them, distinct salts (one runs, seven are refused by the set budget)
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { create } from '@chainsafe/bls-keystore';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.env.COLDSTAKE_BIN ?? path.join(root, 'bin', 'coldstake');
const LUKSO = path.join(root, 'fixtures', 'wild', 'deposit', 'lukso-network-multinet', 'deposit_data-b3abb1d-2962entries.json');
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 800);
const SECRET = Buffer.from('000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f', 'hex');
const PUBKEY = Buffer.from('9612d7a727c9d0a22e185a1c768478dfe919cada9266988cb32359c11f2b7b27f4ae4040902382ae2910c15e2b420d07', 'hex');

async function make(dir) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const all = JSON.parse(fs.readFileSync(LUKSO, 'utf8'));
  const seen = new Set();
  const distinct = all.filter((e) => !seen.has(e.pubkey) && seen.add(e.pubkey)).slice(0, ENTRIES);
  const write = (name, entries) => fs.writeFileSync(path.join(dir, name), JSON.stringify(entries));
  write('valid.json', distinct);
  write('invalid.json', distinct.map((e, i) => ({ ...e, signature: distinct[(i + 1) % distinct.length].signature })));
  write('sparse.json', distinct.map((e, i) => (i % 64 === 37 ? { ...e, signature: distinct[(i + 1) % distinct.length].signature } : e)));
  const invalid = distinct.map((e, i) => ({ ...e, signature: distinct[(i + 1) % distinct.length].signature }));
  write('repeats.json', Array.from({ length: 10_000 }, (_, i) => invalid[i % invalid.length]));
  const pw = path.join(dir, 'password.txt');
  fs.writeFileSync(pw, 'bench password\n', { mode: 0o600 });
  const base = JSON.parse(JSON.stringify(await create('bench password', SECRET, PUBKEY, 'm/12381/3600/0/0/0', null, { function: 'pbkdf2', params: { dklen: 32, c: 2 ** 18, prf: 'hmac-sha256', salt: randomBytes(32).toString('hex') } }, { function: 'sha256' }, { function: 'aes-128-ctr', params: { iv: randomBytes(16).toString('hex') } })));
  for (const [set, count] of [['cap1', 1], ['cap8', 8]]) {
    const d = path.join(dir, set);
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    for (let i = 0; i < count; i++) {
      const ks = structuredClone(base);
      ks.crypto.kdf = { function: 'scrypt', params: { dklen: 32, n: 2 ** 20, r: 8, p: 8, salt: randomBytes(32).toString('hex') }, message: '' };
      fs.writeFileSync(path.join(d, `keystore-${i}.json`), JSON.stringify(ks), { mode: 0o600 });
    }
  }
  return {
    valid: ['deposit', 'verify', path.join(dir, 'valid.json'), '--network', 'mainnet', '--max-entries', String(ENTRIES), '--json'],
    invalid: ['deposit', 'verify', path.join(dir, 'invalid.json'), '--network', 'mainnet', '--max-entries', String(ENTRIES), '--json'],
    sparse: ['deposit', 'verify', path.join(dir, 'sparse.json'), '--network', 'mainnet', '--max-entries', String(ENTRIES), '--json'],
    repeats: ['deposit', 'verify', path.join(dir, 'repeats.json'), '--network', 'mainnet', '--max-entries', String(ENTRIES), '--json'],
    lukso: ['deposit', 'verify', LUKSO, '--network', 'mainnet', '--max-entries', '2962', '--json'],
    cap1: ['keystore', 'verify', path.join(dir, 'cap1'), '--password-file', pw, '--json'],
    cap8: ['keystore', 'verify', path.join(dir, 'cap8'), '--password-file', pw, '--json'],
  };
}

const makeOnly = process.argv[2] === '--make';
const dir = makeOnly ? path.resolve(process.argv[3] ?? 'cpu-budget-inputs') : fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-cpu-budget-'));
const cases = await make(dir);
if (makeOnly) {
  for (const [name, args] of Object.entries(cases)) process.stdout.write(`${name}\t${args.join(' ')}\n`);
  process.exit(0);
}
const only = process.env.BENCH_CASES ? process.env.BENCH_CASES.split(',') : Object.keys(cases);
const timeFile = path.join(dir, 'time.txt');
process.stdout.write(`case     exit  CPU s   wall s  peak RSS MiB  (load average ${os.loadavg()[0].toFixed(1)}, ${os.availableParallelism()} cores)\n`);
for (const name of only) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, bin, ...cases[name]], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  const [u, s, m] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  process.stdout.write(`${name.padEnd(8)} ${String(r.status).padEnd(5)} ${(u + s).toFixed(1).padStart(6)}  ${wall.toFixed(1).padStart(6)}  ${(m / 1024).toFixed(0).padStart(12)}\n`);
}
fs.rmSync(dir, { recursive: true, force: true });
