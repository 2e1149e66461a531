// The standalone executable against the bundle (issue 21), from release/ (`npm run release` first):
// the size of each file, start-up (`--help`, wall, median of 10 pairs run alternately, so drift in the
// machine's load hits both), and peak RSS of `keys new` N=16 (scrypt, the CLI default) both ways,
// measured by /usr/bin/time (the largest single process: the program, not the launcher).
// Usage: node bench/release.mjs   (npm run bench -- release)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const rel = path.join(root, 'release');
const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const exe = path.join(rel, `coldstake-${version}-linux-${process.arch}`);
const bin = path.join(root, 'bin', 'coldstake');
if (!fs.existsSync(exe)) {
  console.log(`skipped: ${path.relative(root, exe)} is missing (run npm run release first)`);
  process.exit(0);
}
const MNEMONIC = 'test test test test test test test test test test test waste';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';

for (const f of fs.readdirSync(rel).sort()) {
  const p = path.join(rel, f);
  if (fs.statSync(p).isFile()) console.log(`${f}: ${fs.statSync(p).size} bytes (${(fs.statSync(p).size / 2 ** 20).toFixed(1)} MiB)`);
}
console.log(`dist/coldstake.mjs: ${fs.statSync(path.join(root, 'dist', 'coldstake.mjs')).size} bytes; load before: ${os.loadavg()[0].toFixed(2)}`);

const wall = (cmd) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, ['--help'], { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} --help failed`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const a = [];
const b = [];
wall(exe);
wall(bin);
for (let i = 0; i < 10; i++) {
  a.push(wall(exe));
  b.push(wall(bin));
}
const median = (xs) => { const s = [...xs].sort((x, y) => x - y); return (s[4] + s[5]) / 2; };
console.log(`--help: executable median ${median(a).toFixed(1)} ms, bundle (bin/coldstake) median ${median(b).toFixed(1)} ms, difference ${(median(a) - median(b)).toFixed(1)} ms (bound: +50 ms)`);

const hasTime = fs.existsSync('/usr/bin/time');
for (const [name, cmd] of [['executable', exe], ['bundle', bin]]) {
  if (!hasTime) { console.log('peak RSS: /usr/bin/time missing'); break; }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-release-'));
  const r = spawnSync('/usr/bin/time', ['-f', '%M %e %U %S', cmd, 'keys', 'new', '--network', 'hoodi', '--count', '16', '--withdrawal-address', ADDRESS,
    '--out', path.join(out, 'k'), '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { input: `${MNEMONIC}\nbench-password-1234\n`, encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [kib, e, u, s] = last.split(' ').map(Number);
  console.log(`keys new N=16 (${name}): exit ${r.status}, peak RSS ${(kib / 1024).toFixed(0)} MiB, wall ${e} s, CPU ${(u + s).toFixed(2)} s`);
  fs.rmSync(out, { recursive: true, force: true });
}
console.log(`load after: ${os.loadavg()[0].toFixed(2)}`);
