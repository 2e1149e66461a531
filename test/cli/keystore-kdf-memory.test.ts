/**
 * The scrypt memory bound counts what OpenSSL allocates, 128·r·(n + p + 2), and the decryption
 * scheduler keeps the KDFs in flight within it: two keystores at the worst in-bound memory run one
 * after the other, so the process tree peaks under the documented 1.5 GiB. And Ctrl-C in the middle
 * of such a KDF ends the run at once (exit 130), not when the KDF returns.
 *
 * The keystores are made with the wrong checksum on purpose: a wrong password still runs the full
 * KDF (the verdict is `keystore-wrong-password`), and no test-time KDF is needed to build them.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KDF_LIMITS, scryptMemoryBytes } from '../../src/core/eth/keystore.js';
import { BIN, mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';
import { writeKeystore } from '../helpers/keystores.js';

/** n = 2, p = 1 and the largest r in bound: memory at the bound with the least CPU (work n·r·p ≈ 2^21.7). */
const N = 2;
const P = 1;
const R = Math.floor(KDF_LIMITS.scryptMaxMemoryBytes / (128 * (N + P + 2)));
const GIB = 2 ** 30;

let tmp: string;
let pwFile: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-kdfmem-');
  pwFile = path.join(tmp, 'pw');
  fs.writeFileSync(pwFile, 'some password\n', { mode: 0o600 });
});
afterAll(() => rmTmp(tmp));

function heavyKeystore(salt: string, params: { n: number; r: number; p: number } = { n: N, r: R, p: P }): Record<string, unknown> {
  return {
    crypto: {
      kdf: { function: 'scrypt', params: { dklen: 32, ...params, salt }, message: '' },
      checksum: { function: 'sha256', params: {}, message: '00'.repeat(32) },
      cipher: { function: 'aes-128-ctr', params: { iv: salt.slice(0, 32) }, message: '11'.repeat(32) },
    },
    description: '',
    pubkey: '8'.padEnd(96, '0'),
    path: 'm/12381/3600/0/0/0',
    uuid: '6a5c1ec3-5f1e-4a26-9d35-3c9e6f2d3b11',
    version: 4,
  };
}

const hasGnuTime = fs.existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;

describe('scrypt memory: the real allocation is bounded and scheduled', () => {
  it('the worst in-bound parameters allocate at most the bound; what 128·n·r undercounted is refused (exit 2)', () => {
    expect(scryptMemoryBytes(N, R, P)).toBeLessThanOrEqual(KDF_LIMITS.scryptMaxMemoryBytes);
    expect(scryptMemoryBytes(N, R, P)).toBeGreaterThan(KDF_LIMITS.scryptMaxMemoryBytes - 1024 * 1024);
    // n = 4, r = 2^21, p = 2: 128·n·r is exactly 1 GiB, but OpenSSL allocates 2 GiB.
    const d = fs.mkdtempSync(path.join(tmp, 'refused-'));
    writeKeystore(d, 'keystore-a.json', heavyKeystore('ab'.repeat(32), { n: 4, r: 2 ** 21, p: 2 }));
    const r = runCli(['keystore', 'verify', d, '--password-file', pwFile, '--json']);
    expect(r.code).toBe(2);
    const f = JSON.parse(r.stdout).findings[0];
    expect(f.id).toBe('keystore-kdf-bounds');
    expect(f.message).toMatch(/2 GiB of memory \(128·r·\(n\+p\+2\)\)/);
  });

  it.skipIf(!hasGnuTime)('two keystores at the worst in-bound memory run one at a time: peak RSS of the whole run ≤ 1.5 GiB', () => {
    const d = fs.mkdtempSync(path.join(tmp, 'worst-'));
    writeKeystore(d, 'keystore-a.json', heavyKeystore('a1'.repeat(32)));
    writeKeystore(d, 'keystore-b.json', heavyKeystore('b2'.repeat(32)));
    // GNU time's %M is the largest RSS of the launcher and every process it waited for (the program).
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss_kib=%M', BIN, 'keystore', 'verify', d, '--password-file', pwFile, '--json'], { encoding: 'utf8', timeout: 300_000 });
    const json = JSON.parse(r.stdout);
    expect(json.keystores.map((k: { decrypted: string }) => k.decrypted)).toEqual(['wrong-password', 'wrong-password']);
    const kib = Number(/maxrss_kib=(\d+)/.exec(r.stderr)?.[1]);
    expect(kib * 1024).toBeGreaterThan(0.9 * GIB); // the KDF really ran at full size
    expect(kib * 1024).toBeLessThanOrEqual(1.5 * GIB);
  }, 300_000);
});

/** The pids of the launcher's children (the program), from /proc. */
function childPids(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

describe.skipIf(!fs.existsSync('/proc/self/task'))('Ctrl-C during a long KDF', () => {
  it('keystore verify stops at once with exit 130, not when the KDF returns', async () => {
    // How long starting a small command takes right now: the bound scales with the machine's load.
    const t0 = performance.now();
    runCli(['--help']);
    const startupMs = performance.now() - t0;

    const d = fs.mkdtempSync(path.join(tmp, 'sigint-'));
    writeKeystore(d, 'keystore-a.json', heavyKeystore('c3'.repeat(32)));
    const child = spawnCli(['keystore', 'verify', d, '--password-file', pwFile]);
    let stderr = '';
    child.stderr.on('data', (b) => { stderr += String(b); });
    const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
    // Wait until the program is inside the KDF: its RSS passes 300 MB (it will reach ~1 GiB).
    const deadline = Date.now() + 120_000;
    let inKdf = false;
    while (Date.now() < deadline && !inKdf) {
      inKdf = childPids(child.pid!).some((p) => rssBytes(p) > 300 * 1024 * 1024);
      if (!inKdf) await new Promise((r) => setTimeout(r, 20));
    }
    expect(inKdf).toBe(true);
    const sent = performance.now();
    process.kill(-child.pid!, 'SIGINT');
    const { code, at } = await exited;
    expect(code).toBe(130);
    expect(stderr).toMatch(/^coldstake: error: interrupted \(sigint\)/m);
    // One second on a quiet machine; on a loaded one no more than two program start-ups measured now.
    expect(at - sent).toBeLessThan(Math.max(1000, 2 * startupMs));
  }, 180_000);
});
