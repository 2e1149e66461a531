/**
 * Issue 14 point 4, keystore side, through the real binary: a set whose costly KDFs would together
 * cost more than KDF_SET_BUDGET_UNITS default keystores is refused for the dearest keystore
 * (keystore-kdf-bounds, exit 2) before its KDF runs, with what to do; the cheaper ones still run.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { HAS_GNU_TIME, runCliCpu } from '../helpers/cpu.js';
import { makeKeystore, TEST_PASSWORD, writeKeystore } from '../helpers/keystores.js';

let tmp: string;
beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

interface Json { findings: Array<{ id: string; subject: string; message: string }>; keystores: Array<{ file: string; decrypted: string }> }

describe('keystore verify: the set CPU budget', () => {
  it('a 1.5-unit pbkdf2 keystore runs; a scrypt one at the 2^26 cap no longer fits and is refused without its KDF', { timeout: 180_000 }, async () => {
    const dir = `${tmp}/set`;
    fs.mkdirSync(dir, { mode: 0o700 });
    // A: pbkdf2 c = 3·2^21 (1.5 units): c edited after creation, so the password no longer opens it, but its KDF runs.
    const a = await makeKeystore();
    a['crypto']['kdf']['params']['c'] = 3 * 2 ** 21;
    writeKeystore(dir, 'keystore-a.json', a);
    // B: scrypt n=2^17, r=8, p=64 (n·r·p = 2^26, 32 units, 128 MiB): within every per-keystore bound.
    const b = await makeKeystore();
    b['crypto']['kdf'] = { function: 'scrypt', params: { dklen: 32, n: 2 ** 17, r: 8, p: 64, salt: b['crypto']['kdf']['params']['salt'] }, message: '' };
    writeKeystore(dir, 'keystore-b.json', b);
    const pw = `${tmp}/pw`;
    fs.writeFileSync(pw, `${TEST_PASSWORD}\n`, { mode: 0o600 });
    const r = runCliCpu(['keystore', 'verify', dir, '--password-file', pw, '--json'], { timeoutMs: 170_000 });
    expect(r.code, r.stderr).toBe(2);
    const json = JSON.parse(r.stdout) as Json;
    const bounds = json.findings.filter((f) => f.id === 'keystore-kdf-bounds');
    expect(bounds.map((f) => f.subject.endsWith('keystore-b.json'))).toEqual([true]);
    expect(bounds[0]!.message).toMatch(/costs 32 default keystores' worth of CPU, and the costly KDFs of this set together would pass the 32-keystore budget \(about a minute of CPU\): verify it on its own/);
    expect(json.keystores.find((k) => k.file.endsWith('keystore-a.json'))?.decrypted).toBe('wrong-password');
    expect(r.stderr).toMatch(/^coldstake: error: /m);
    // Before: B's scrypt ran, 30–60 s of CPU on the bench machine. Now: A's pbkdf2 (~1 s) and start-up.
    if (HAS_GNU_TIME) expect(r.cpuMs!).toBeLessThan(15_000);
  });
});

describe('keystore verify --deposit-data: the deposit file budget and --max-entries', () => {
  it('more distinct entries than --max-entries: exit 2 naming keystore verify\'s own --max-entries', { timeout: 120_000 }, async () => {
    const dir = `${tmp}/dep`;
    fs.mkdirSync(dir, { mode: 0o700 });
    writeKeystore(dir, 'keystore-a.json', await makeKeystore());
    const src = path.join(FIXTURES, 'wild', 'deposit', 'sigp-lighthouse', 'mainnet_first_0_count_2_eth1_true-1715584107.json');
    const pw = `${tmp}/pw2`;
    fs.writeFileSync(pw, `${TEST_PASSWORD}\n`, { mode: 0o600 });
    const over = runCli(['keystore', 'verify', dir, '--deposit-data', src, '--network', 'mainnet', '--max-entries', '1', '--password-file', pw]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/has 2 distinct entries to check, more than the 1 checked without --max-entries/);
    expect(over.stderr).toMatch(/^coldstake: hint: to check it anyway give --max-entries 2 /m);
    const within = runCli(['keystore', 'verify', dir, '--deposit-data', src, '--network', 'mainnet', '--max-entries', '2', '--password-file', pw, '--json']);
    expect(within.stderr).not.toMatch(/--max-entries/);
    expect((JSON.parse(within.stdout) as { entries: unknown[] }).entries).toHaveLength(2);
  });
});
