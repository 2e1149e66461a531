/**
 * Issue 14 point 4 through the real binary: an entry repeated verbatim is verified once, so a
 * 150-entry file of one entry repeated (one copy with a bad signature) costs about what a one-entry
 * file costs (CPU time of the child through /usr/bin/time, calibrated in the same run), and the bad
 * copy is still named. The CPU budget: more distinct entries than --max-entries (default 800) are
 * refused with exit 2 before any signature is checked, saying what it would cost and how to ask.
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

function cpuRun(file: string, extra: string[] = []): { code: number | null; cpu: number; json: { findings: Array<{ id: string; evidence: Record<string, unknown> }>; entries: Array<{ ok: boolean }> }; stderr: string } {
  const t = path.join(tmp, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', t, BIN, 'deposit', 'verify', file, '--network', 'mainnet', ...extra, '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
  const cpu = fs.readFileSync(t, 'utf8').trim().split(/\s+/).slice(-2).reduce((a, x) => a + Number(x), 0);
  return { code: r.status, cpu, json: JSON.parse(r.stdout), stderr: r.stderr };
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

/** `n` distinct entries: the first entry with its amount raised by k gwei (roots change, so the signatures fail). */
function distinct(n: number): Array<Record<string, unknown>> {
  const [a] = JSON.parse(fs.readFileSync(SRC, 'utf8')) as Array<Record<string, unknown>>;
  return Array.from({ length: n }, (_, k) => ({ ...a, amount: (a!['amount'] as number) + k }));
}

describe('CPU budget: distinct entries beyond --max-entries', () => {
  it('801 distinct entries: exit 2 before any signature is checked, naming the count, the cost and --max-entries', { timeout: 120_000 }, () => {
    const f = path.join(tmp, 'over-budget.json');
    fs.writeFileSync(f, JSON.stringify(distinct(801)));
    const r = cpuRun(f);
    expect(r.code).toBe(2);
    expect(r.json.findings.map((x) => x.id)).toEqual(['input-unreadable']);
    expect(r.stderr).toMatch(/^coldstake: error: .*has 801 distinct entries to check, more than the 800 checked without --max-entries: each costs up to 60 ms of CPU, so this file could take up to 49 s of CPU$/m);
    expect(r.stderr).toMatch(/^coldstake: hint: to check it anyway give --max-entries 801 \(at most 10000\), or split the file$/m);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    // Checking them would cost about 801 × 25–60 ms; the refusal costs parsing only.
    expect(r.cpu).toBeLessThan(10);
  });

  it('verbatim repeats count once against --max-entries', { timeout: 120_000 }, () => {
    const two = distinct(2);
    const f = path.join(tmp, 'repeats.json');
    fs.writeFileSync(f, JSON.stringify([...two, ...two, ...two]));
    const ok = cpuRun(f, ['--max-entries', '2']);
    expect(ok.code).toBe(1); // the raised amounts break the signatures and roots: findings, not a refusal
    expect(ok.json.entries).toHaveLength(6);
    const over = cpuRun(f, ['--max-entries', '1']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/has 2 distinct entries to check \(6 in all\), more than the 1 checked without --max-entries/);
    expect(over.stderr).toMatch(/give --max-entries 2 /);
  });

  it('--max-entries outside 1–10,000 or not a number: usage error, exit 2', { timeout: 60_000 }, () => {
    const f = path.join(tmp, 'small.json');
    fs.writeFileSync(f, JSON.stringify(distinct(1)));
    for (const v of ['0', '10001', 'all']) {
      const r = spawnSync(BIN, ['deposit', 'verify', f, '--network', 'mainnet', '--max-entries', v], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      expect(r.status, v).toBe(2);
      expect(r.stderr).toMatch(/^coldstake: error: --max-entries must be (between 1 and 10000|a whole number)/m);
    }
  });
});
