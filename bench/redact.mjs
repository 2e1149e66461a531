// `coldstake redact` on a generated log (1 GiB by default; REDACT_BENCH_MB to change): the real
// client lines of fixtures/redact/lines.json (each with its keys, indices and addresses varied)
// mixed 1 : 9 with the lines a beacon node prints every slot (slot, epoch, roots, peers: nothing to
// redact), which is the make-up of a real day of logs. Measured by /usr/bin/time: wall, user+sys
// CPU and peak RSS of the whole CLI (launcher + bundle), output to /dev/null and with --out, next
// to `cat` (the I/O floor) and `sed -E` with one pubkey pattern (the hand-written baseline the
// issue names). The file is written to a temp directory and deleted afterwards.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const MB = Number(process.env.REDACT_BENCH_MB ?? 1024);
const lines = JSON.parse(fs.readFileSync(path.join(root, 'fixtures', 'redact', 'lines.json'), 'utf8')).map((c) => c.line);

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const hex = (n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rnd() * 16)]).join('');

function generate(file) {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  let parts = [];
  let slot = 9_000_000;
  while (written < MB * 1024 * 1024) {
    let l;
    if (rnd() < 0.1) {
      l = lines[Math.floor(rnd() * lines.length)].replace(/[0-9a-f]{12}/, hex(12)).replace(/213615|1058509|270069/, String(Math.floor(rnd() * 2e6)));
    } else {
      slot++;
      l = `Dec 06 10:11:${String(slot % 60).padStart(2, '0')}.${String(slot % 1000).padStart(3, '0')} INFO Synced                                  slot: ${slot}, block: 0x${hex(4)}…${hex(4)}, epoch: ${slot >> 5}, finalized_epoch: ${(slot >> 5) - 2}, finalized_root: 0x${hex(4)}…${hex(4)}, exec_hash: 0x${hex(4)}…${hex(4)} (verified), peers: ${slot % 100}, service: slot_notifier`;
    }
    parts.push(l, '\n');
    written += l.length + 1;
    if (parts.length > 20000) {
      fs.writeSync(fd, parts.join(''));
      parts = [];
    }
  }
  fs.writeSync(fd, parts.join(''));
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

function timed(label, cmd, args, bytes, stdoutFile = '/dev/null') {
  const fd = fs.openSync(stdoutFile, 'w');
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', cmd, ...args], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  fs.closeSync(fd);
  const last = r.stderr.trim().split('\n').pop();
  const [wall, user, sys, rssKiB] = last.split(' ').map(Number);
  const mb = bytes / 1e6;
  process.stdout.write(`${label.padEnd(34)} ${wall.toFixed(2).padStart(7)} s wall  ${(mb / wall).toFixed(1).padStart(6)} MB/s  ${(mb / (user + sys)).toFixed(1).padStart(6)} MB/CPU-s  peak RSS ${(rssKiB / 1024).toFixed(0)} MiB  exit ${r.status}\n`);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-redact-'));
try {
  const file = path.join(dir, 'beacon.log');
  const bytes = generate(file);
  process.stdout.write(`log: ${(bytes / 1e6).toFixed(0)} MB, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}\n`);
  timed('cat (I/O floor)', 'cat', [file], bytes);
  timed('sed -E, one pubkey pattern', 'sed', ['-E', 's/0x[0-9a-f]{96}/<pubkey>/g', file], bytes);
  timed('coldstake redact > /dev/null', bin, ['redact', file], bytes);
  timed('coldstake redact --out', bin, ['redact', file, '--out', path.join(dir, 'out.log')], bytes);
  timed('coldstake redact --check', bin, ['redact', '--check', file], bytes);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
