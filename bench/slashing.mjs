// `coldstake slashing verify` on a generated 100,000-validator EIP-3076 interchange file (pretty-
// printed, 3 blocks and 8 attestations per validator, every entry with a signing root): wall time
// and peak RSS of the whole CLI process (launcher + bundle), measured by /usr/bin/time -v when
// present, else by process.resourceUsage() in a child. A second file repeats 1% of the pubkeys in
// a second section, which makes the verifier read the file twice to merge them. The files are
// written to a temp directory and deleted afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const VALIDATORS = Number(process.env.SLASHING_BENCH_VALIDATORS ?? 100_000);
const MAINNET_GVR = '0x4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95';

const hex = (n, bytes) => n.toString(16).padStart(bytes * 2, '0').slice(-bytes * 2);
const pubkey = (i) => `0x${hex(i + 1, 8).repeat(6)}`;
const root32 = (i, k) => `0x${hex(i, 4)}${hex(k, 4)}${'5a'.repeat(24)}`;

function record(i) {
  const blocks = [];
  for (let k = 0; k < 3; k++) blocks.push(`      {\n        "slot": "${9_000_000 + i * 3 + k}",\n        "signing_root": "${root32(i, k)}"\n      }`);
  const atts = [];
  for (let k = 0; k < 8; k++) {
    const target = 280_000 + k;
    atts.push(`      {\n        "source_epoch": "${target - 1}",\n        "target_epoch": "${target}",\n        "signing_root": "${root32(i, 100 + k)}"\n      }`);
  }
  return `  {\n    "pubkey": "${pubkey(i)}",\n    "signed_blocks": [\n${blocks.join(',\n')}\n    ],\n    "signed_attestations": [\n${atts.join(',\n')}\n    ]\n  }`;
}

/** Write the file in pieces (never the whole document in memory). */
function generate(file, { duplicates }) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `{\n  "metadata": {\n    "interchange_format_version": "5",\n    "genesis_validators_root": "${MAINNET_GVR}"\n  },\n  "data": [\n`);
  let parts = [];
  const flush = () => {
    fs.writeSync(fd, parts.join(''));
    parts = [];
  };
  const total = duplicates ? VALIDATORS + Math.floor(VALIDATORS / 100) : VALIDATORS;
  for (let n = 0; n < total; n++) {
    const i = n < VALIDATORS ? n : (n - VALIDATORS) * 100; // the extra sections repeat every 100th pubkey
    parts.push(`${n === 0 ? '' : ',\n'}${record(i)}`);
    if (parts.length >= 1000) flush();
  }
  flush();
  fs.writeSync(fd, '\n  ]\n}\n');
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function measure(file, json) {
  const args = ['slashing', 'verify', file, '--network', 'mainnet', ...(json ? ['--json'] : [])];
  const out = path.join(path.dirname(file), 'out.txt');
  const t0 = process.hrtime.bigint();
  let r;
  let rssKiB = null;
  const outFd = fs.openSync(out, 'w');
  if (fs.existsSync('/usr/bin/time')) {
    r = spawnSync('/usr/bin/time', ['-v', bin, ...args], { stdio: ['ignore', outFd, 'pipe'], encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
    if (m) rssKiB = Number(m[1]);
  } else {
    const probe = `const {spawnSync}=require('node:child_process');const fs=require('node:fs');const r=spawnSync(${JSON.stringify(bin)},${JSON.stringify(args)},{stdio:['ignore',fs.openSync(${JSON.stringify(out)},'w'),'inherit']});process.stderr.write('RSS '+process.resourceUsage().maxRSS+' '+r.status+'\\n');process.exit(r.status??70)`;
    r = spawnSync(process.execPath, ['-e', probe], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const m = /RSS (\d+)/.exec(r.stderr ?? '');
    if (m) rssKiB = Number(m[1]);
  }
  fs.closeSync(outFd);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const outBytes = fs.statSync(out).size;
  if (r.status !== 0) throw new Error(`slashing verify exited ${r.status}: ${String(r.stderr).slice(0, 400)}`);
  return { ms, rssKiB, outBytes };
}

/** Worst cases for memory (SLASHING_BENCH_WORST=1): the most records, and every pubkey split in two. */
function generateWorst(file, kind) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, `{"metadata":{"interchange_format_version":"5","genesis_validators_root":"${MAINNET_GVR}"},"data":[`);
  let parts = [];
  let n = 0;
  const add = (i, pass) => {
    const blocks = kind === 'split' ? `{"slot":"${pass + 1}","signing_root":"0x${'ab'.repeat(32)}"}` : '';
    parts.push(`${n++ ? ',' : ''}{"pubkey":"0x${i.toString(16).padStart(96, '0')}","signed_blocks":[${blocks}],"signed_attestations":[{"source_epoch":"${pass}","target_epoch":"${pass + 1}"}]}`);
    if (parts.length >= 10_000) {
      fs.writeSync(fd, parts.join(''));
      parts = [];
    }
  };
  if (kind === 'records') for (let i = 0; i < 1_000_000; i++) add(i, 0);
  else for (let pass = 0; pass < 2; pass++) for (let i = 0; i < 420_000; i++) add(i, pass);
  fs.writeSync(fd, `${parts.join('')}]}`);
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-slashing-'));
try {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; load average before: ${load}; node ${process.versions.node}`);
  for (const duplicates of [false, true]) {
    const file = path.join(dir, duplicates ? 'history-dup.json' : 'history.json');
    const t0 = process.hrtime.bigint();
    const size = generate(file, { duplicates });
    const genMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const label = duplicates ? `${VALIDATORS} validators + ${Math.floor(VALIDATORS / 100)} duplicate sections (two reads)` : `${VALIDATORS} validators`;
    console.log(`${label}: ${(size / 2 ** 20).toFixed(1)} MiB file (generated in ${(genMs / 1000).toFixed(1)} s)`);
    for (const json of [false, true]) {
      const m = measure(file, json);
      console.log(
        `  slashing verify${json ? ' --json' : '       '}: ${(m.ms / 1000).toFixed(2)} s, ${((size / 2 ** 20) / (m.ms / 1000)).toFixed(0)} MiB/s, peak RSS ${m.rssKiB === null ? '?' : `${(m.rssKiB / 1024).toFixed(0)} MiB`}, output ${(m.outBytes / 2 ** 20).toFixed(1)} MiB`,
      );
    }
    fs.rmSync(file);
  }
  if (process.env.SLASHING_BENCH_WORST === '1') {
    for (const kind of ['records', 'split']) {
      const file = path.join(dir, `worst-${kind}.json`);
      const size = generateWorst(file, kind);
      const label = kind === 'records' ? '1,000,000 records (the limit), 1 attestation each' : '420,000 pubkeys, each in two sections (two reads, all merged)';
      console.log(`${label}: ${(size / 2 ** 20).toFixed(1)} MiB file`);
      for (const json of [false, true]) {
        const m = measure(file, json);
        console.log(`  slashing verify${json ? ' --json' : '       '}: ${(m.ms / 1000).toFixed(2)} s, peak RSS ${m.rssKiB === null ? '?' : `${(m.rssKiB / 1024).toFixed(0)} MiB`}, output ${(m.outBytes / 2 ** 20).toFixed(1)} MiB`);
      }
      fs.rmSync(file);
    }
  }
  console.log(`load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
