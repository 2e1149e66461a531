/**
 * Issue 14 point 4 through the real binary: an entry repeated verbatim is verified once, so a
 * 150-entry file of one entry repeated (one copy with a bad signature) costs about what a one-entry
 * file costs (CPU time of the child through /usr/bin/time, calibrated in the same run), and the bad
 * copy is still named.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, mkTmp, rmTmp, FIXTURES } from '../helpers/cli.js';

const SRC = path.join(FIXTURES, 'wild', 'deposit', 'sigp-lighthouse', 'mainnet_first_0_count_2_eth1_true-1715584107.json');
let tmp: string;
beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

function cpuRun(file: string): { code: number | null; cpu: number; json: { findings: Array<{ id: string; evidence: Record<string, unknown> }>; entries: Array<{ ok: boolean }> } } {
  const t = path.join(tmp, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', t, BIN, 'deposit', 'verify', file, '--network', 'mainnet', '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const cpu = fs.readFileSync(t, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x), 0);
  return { code: r.status, cpu, json: JSON.parse(r.stdout) };
}

describe.runIf(fs.existsSync('/usr/bin/time'))('deposit verify CPU budget', () => {
  it('150 verbatim copies of one entry, one with a bad signature: verified once each, bad copy named', { timeout: 300_000 }, () => {
    const [a, b] = JSON.parse(fs.readFileSync(SRC, 'utf8')) as Array<Record<string, unknown>>;
    const one = path.join(tmp, 'one.json');
    fs.writeFileSync(one, JSON.stringify([a]));
    const many = path.join(tmp, 'many.json');
    fs.writeFileSync(many, JSON.stringify(Array.from({ length: 150 }, (_, i) => (i === 75 ? { ...a, signature: b!['signature'] } : a))));
    const base = cpuRun(one);
    expect(base.code).toBe(0);
    const r = cpuRun(many);
    expect(r.code).toBe(1);
    const bad = r.json.findings.filter((f) => f.id === 'deposit-invalid-signature');
    expect(bad.map((f) => f.evidence['index'])).toEqual([75]);
    expect(r.json.entries).toHaveLength(150);
    // Before: 150 batch items and a one-by-one pass over a failing batch, about 10x a one-entry run.
    expect(r.cpu).toBeLessThan(base.cpu * 2.5 + 0.5);
  });
});

describe('entry bound', () => {
  it('more than 10,000 entries: exit 2 before any signature is checked', { timeout: 120_000 }, () => {
    const [a] = JSON.parse(fs.readFileSync(SRC, 'utf8')) as Array<Record<string, unknown>>;
    const f = path.join(tmp, 'too-many.json');
    fs.writeFileSync(f, JSON.stringify(Array.from({ length: 10_001 }, () => a)));
    const r = cpuRun(f);
    expect(r.code).toBe(2);
    expect(r.json.findings.map((x) => x.id)).toEqual(['deposit-schema']);
    expect(r.cpu).toBeLessThan(10);
  });
});
