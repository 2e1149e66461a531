#!/usr/bin/env node
// `npm run bench -- separation`: scan a generated tree of mostly-text files with
// `coldstake separation check --json` and report files/s and MB/s (tree generation excluded).
// Default 10,000 files / ~100 MB; SEPARATION_BENCH_FULL=1 for 100,000 files / ~1 GB;
// SEPARATION_BENCH_FILES=N overrides the file count. The tree is deleted afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const bip39 = require('bip39');

const FULL = process.env.SEPARATION_BENCH_FULL === '1';
const FILES = Number(process.env.SEPARATION_BENCH_FILES ?? (FULL ? 100_000 : 10_000));
const AVG = 10_000; // bytes per file on average: 100,000 files ≈ 1 GB
const PLANTED = 5;

// Deterministic PRNG (xorshift32) so every run generates the same tree.
let seed = 0x2545f491;
const rnd = () => {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
};
const pick = (a) => a[Math.floor(rnd() * a.length)];
// Zipf-like pick (rank r with weight 1/r), as word frequencies in ordinary text.
const zipfPick = (a) => {
  const h = Math.log(a.length + 1);
  return a[Math.min(a.length - 1, Math.floor(Math.exp(rnd() * h)) - 1)];
};
const english = bip39.wordlists.english;
// Ordinary English: the most frequent words in frequency order (function words included), drawn
// with Zipf weights, plus 3% random BIP39 words.
const prose = ('the of and to a in is that for it with as on be at by this had not are but from or have an they which one you were her all she there would their we him been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long get here between both life being under never day same another know while last might us great old year off come since against go came right used take three validator client beacon node epoch slot attestation proposal sync committee').split(' ');
const code = ['const', 'return', 'function', 'if', '(', ')', '{', '}', '=>', 'await', 'import', 'export', 'let', 'x', 'y', '=', '+', ';', '.', 'value', 'result', 'config'];

function textBlock(bytes) {
  const parts = [];
  let n = 0;
  const kind = rnd();
  while (n < bytes) {
    let line;
    if (kind < 0.4) line = `2024-05-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}T12:00:00Z INFO validator attested slot=${Math.floor(rnd() * 1e7)} epoch=${Math.floor(rnd() * 3e5)} root=0x${Math.floor(rnd() * 2 ** 32).toString(16)}`;
    else if (kind < 0.7) line = `${Array.from({ length: 8 + Math.floor(rnd() * 10) }, () => (rnd() < 0.03 ? pick(english) : zipfPick(prose))).join(' ')}.`;
    else line = Array.from({ length: 10 + Math.floor(rnd() * 10) }, () => pick(code)).join(' ');
    parts.push(line);
    n += line.length + 1;
  }
  return `${parts.join('\n')}\n`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-sep-'));
try {
  const t0 = Date.now();
  let bytes = 0;
  const planted = new Set();
  while (planted.size < PLANTED) planted.add(Math.floor(rnd() * FILES));
  const plantedFiles = new Set();
  for (let i = 0; i < FILES; i++) {
    const d = path.join(dir, `d${Math.floor(i / 1000)}`, `e${Math.floor((i % 1000) / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(d, { recursive: true });
    const size = Math.floor(AVG * (0.2 + 1.6 * rnd()));
    let text = textBlock(size);
    if (planted.has(i)) {
      const ent = Buffer.from(Array.from({ length: 32 }, () => Math.floor(rnd() * 256)));
      text += `\n${bip39.entropyToMnemonic(ent)}\n`;
    }
    const file = path.join(d, `f${i}.${pick(['txt', 'log', 'md', 'js', 'json'])}`);
    if (planted.has(i)) plantedFiles.add(file);
    fs.writeFileSync(file, text);
    bytes += Buffer.byteLength(text);
  }
  // A few binaries so the binary path is exercised too.
  for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, `blob${i}.bin`), Buffer.alloc(64 * 1024, i));
  const genSeconds = (Date.now() - t0) / 1000;

  // Children's CPU time from /proc (Linux), to separate our work from the machine's load.
  const childCpu = () => {
    try {
      const f = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
      return (Number(f[13]) + Number(f[14])) / 100; // cutime + cstime, clock ticks (100/s)
    } catch {
      return NaN;
    }
  };
  const cpu0 = childCpu();
  const start = process.hrtime.bigint();
  const r = spawnSync(path.join(root, 'bin', 'coldstake'), ['separation', 'check', dir, '--json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = childCpu() - cpu0;
  if (r.status !== 1) throw new Error(`expected exit 1 (planted mnemonics), got ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const hits = out.findings.filter((f) => f.id === 'separation-mnemonic');
  const found = [...plantedFiles].filter((f) => hits.some((h) => h.subject === f)).length;
  const chance = hits.filter((h) => !plantedFiles.has(h.subject)).length;
  const warnings = out.findings.filter((f) => f.severity === 'warning').length;
  const s = out.summary;
  const mb = s.bytes_read / 1e6;
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  process.stdout.write(
    [
      `tree: ${FILES} text files + 20 binaries, ${(bytes / 1e6).toFixed(0)} MB (generated in ${genSeconds.toFixed(1)}s, not counted)`,
      `scan: ${seconds.toFixed(2)}s wall for ${s.files_scanned} files, ${mb.toFixed(0)} MB read`,
      `      ${(s.files_scanned / seconds).toFixed(0)} files/s, ${(mb / seconds).toFixed(1)} MB/s (wall)`,
      `      ${cpu.toFixed(1)}s CPU (user+sys): ${(s.files_scanned / cpu).toFixed(0)} files/s, ${(mb / cpu).toFixed(1)} MB/s per CPU-second`,
      `found ${found}/${PLANTED} planted mnemonics; chance "mnemonic" errors elsewhere: ${chance}; warnings: ${warnings}`,
      `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load} (shared with other jobs), node ${process.versions.node}`,
      '',
    ].join('\n'),
  );
  if (found !== PLANTED) process.exitCode = 1;
} finally {
  if (process.env.SEPARATION_BENCH_KEEP) process.stdout.write(`kept ${dir}\n`); else fs.rmSync(dir, { recursive: true, force: true });
}
