#!/usr/bin/env node
// `npm run bench -- NAME…` runs bench/NAME.mjs for each NAME (all of them when none is given).
// Benchmarks use the built bundle: run `npm run build` first. Results are written up in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .map((f) => f.slice(0, -4))
  .sort();
const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!available.includes(name)) {
    process.stderr.write(`bench: unknown benchmark '${name}'; available: ${available.join(', ')}\n`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(here, '..', 'dist', 'coldstake.mjs'))) {
  process.stderr.write('bench: dist/coldstake.mjs is missing: run npm run build first\n');
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : available) {
  process.stdout.write(`\n== bench ${name}\n`);
  const r = spawnSync(process.execPath, [path.join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
