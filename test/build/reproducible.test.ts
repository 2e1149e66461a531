/**
 * Reproducible build: two builds of the same source from different directories, time zones,
 * umasks and clocks give byte-identical dist/coldstake.mjs, equal to the one under test.
 * The copies share node_modules content (hard links), as `npm ci` from one lock file would.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, mkTmp, rmTmp, ROOT } from '../helpers/cli.js';

const SOURCE_ENTRIES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsup.config.ts', 'src'];
const hasFaketime = spawnSync('faketime', ['2031-03-04 05:06:07', 'true']).status === 0;

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function copySource(dest: string): void {
  fs.mkdirSync(dest, { recursive: true });
  for (const e of SOURCE_ENTRIES) fs.cpSync(path.join(ROOT, e), path.join(dest, e), { recursive: true });
  const r = spawnSync('cp', ['-al', path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules')]);
  if (r.status !== 0) fs.cpSync(path.join(ROOT, 'node_modules'), path.join(dest, 'node_modules'), { recursive: true, verbatimSymlinks: true });
}

function build(dir: string, tz: string, umask: string, clock: string | null): string {
  const tsup = path.join(dir, 'node_modules', '.bin', 'tsup');
  const cmd = `umask ${umask} && ${clock && hasFaketime ? `faketime '${clock}' ` : ''}${JSON.stringify(tsup)}`;
  const r = spawnSync('sh', ['-c', cmd], { cwd: dir, encoding: 'utf8', env: { ...process.env, TZ: tz, LC_ALL: 'C' } });
  if (r.status !== 0) throw new Error(`build failed in ${dir}: ${r.stderr}`);
  return sha256(path.join(dir, 'dist', 'coldstake.mjs'));
}

describe('reproducible build', () => {
  it('two builds on different paths, time zones, umasks and clocks give identical bytes', () => {
    const a = mkTmp('coldstake-build-a-');
    const b = mkTmp('coldstake-build-b-');
    try {
      const dirA = path.join(a, 'x');
      const dirB = path.join(b, 'some', 'deeper', 'checkout');
      copySource(dirA);
      copySource(dirB);
      const hashA = build(dirA, 'UTC', '022', null);
      const hashB = build(dirB, 'Pacific/Kiritimati', '077', '2031-03-04 05:06:07');
      console.log(`build A ${hashA}\nbuild B ${hashB}${hasFaketime ? '' : ' (faketime missing: same clock)'}`);
      expect(hashA).toMatch(/^[0-9a-f]{64}$/);
      expect(hashB).toBe(hashA);
      expect(sha256(BUNDLE)).toBe(hashA);
    } finally {
      rmTmp(a);
      rmTmp(b);
    }
  }, 120_000);

  it('the bundle imports nothing but node: builtins and carries no source map', () => {
    const text = fs.readFileSync(BUNDLE, 'utf8');
    const specifiers = [...text.matchAll(/^\s*import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(0);
    for (const s of specifiers) expect(s).toMatch(/^node:/);
    expect(text).not.toMatch(/\bimport\(\s*["'](?!node:)/);
    expect(text).not.toContain('sourceMappingURL');
  });
});
