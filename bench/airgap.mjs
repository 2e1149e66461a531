// Wall time of `coldstake airgap` (median of 10 runs after one warm-up): live through the launcher,
// live with node on the bundle directly, on a fixture tree, and `--help` as the start-up baseline.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'coldstake');
const bundle = path.join(root, 'dist', 'coldstake.mjs');
const fixture = path.join(root, 'fixtures', 'airgap', 'laptop-wifi-up');

function measure(label, cmd, args, okCodes) {
  const runs = [];
  for (let i = 0; i < 11; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!okCodes.includes(r.status)) throw new Error(`${label}: exit ${r.status}`);
    if (i > 0) runs.push(ms); // the first run warms the page cache
  }
  runs.sort((a, b) => a - b);
  const median = (runs[4] + runs[5]) / 2;
  console.log(`${label.padEnd(44)} median ${median.toFixed(1).padStart(6)} ms (min ${runs[0].toFixed(1)}, max ${runs[9].toFixed(1)})`);
  return median;
}

console.log(`node ${process.versions.node}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const help = measure('coldstake --help (start-up baseline)', bin, ['--help'], [0]);
const live = measure('coldstake airgap --json (live, launcher)', bin, ['airgap', '--json'], [0, 1]);
measure('node dist/coldstake.mjs airgap --json (live)', process.execPath, [bundle, 'airgap', '--json'], [0, 1]);
measure('coldstake airgap --root laptop-wifi-up --json', bin, ['airgap', '--root', fixture, '--json'], [1]);
console.log(`airgap probes cost about ${(live - help).toFixed(1)} ms over start-up`);
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
