// Wall time of `coldstake --help` through the launcher (median of 10 runs), and bundle size.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const runs = [];
for (let i = 0; i < 11; i++) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, ['--help'], { stdio: 'ignore' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error('coldstake --help failed');
  if (i > 0) runs.push(ms); // the first run warms the page cache
}
runs.sort((a, b) => a - b);
const median = (runs[4] + runs[5]) / 2;
const size = fs.statSync(path.join(root, 'dist', 'coldstake.mjs')).size;
console.log(`coldstake --help: median ${median.toFixed(1)} ms over 10 runs (min ${runs[0].toFixed(1)}, max ${runs[9].toFixed(1)}); node ${process.versions.node}`);
console.log(`dist/coldstake.mjs: ${size} bytes (${(size / 1024).toFixed(0)} KiB)`);
