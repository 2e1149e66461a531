/**
 * Argon2id for Zond keystores (src/core/zond/argon2.ts): the reference implementation's vectors, the
 * qrysm keystore vector (the one 256 MiB run of this file), agreement with @noble/hashes on random
 * small inputs, parameter checks, and the wasm backend inside an esbuild single-file bundle run under
 * the launcher's permission-model flags, in the main thread and in a worker thread.
 */
import { spawnSync } from 'node:child_process';
import * as nodeCrypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { argon2id as nobleArgon2id } from '@noble/hashes/argon2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argon2id, useNativeArgon2, type NativeArgon2 } from '../../../src/core/zond/argon2.js';
import { mkTmp, rmTmp, ROOT } from '../../helpers/cli.js';

interface RefVector { password: string; salt_ascii: string; m: number; t: number; p: number; dkLen: number; hash: string }
const V = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'zond', 'argon2-vectors.json'), 'utf8')) as {
  reference: { vectors: RefVector[] };
  rfc9106: { password: string; salt: string; secret: string; ad: string; m: number; t: number; p: number; dkLen: number; tag: string };
  qrysm_good: { password: string; kdf: { params: { dklen: number; m: number; p: number; salt: string; t: number } }; cipher: { params: { iv: string }; message: string }; plaintext: string };
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const unhex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));

describe('argon2id: vectors', () => {
  it.each(V.reference.vectors.map((v) => [`${v.password}/${v.salt_ascii} m=${v.m} t=${v.t} p=${v.p}`, v] as const))(
    'reference implementation %s',
    async (_name, v) => {
      const out = await argon2id(utf8(v.password), utf8(v.salt_ascii), { t: v.t, m: v.m, p: v.p, dkLen: v.dkLen });
      expect(hex(out)).toBe(v.hash);
    },
  );

  it('RFC 9106 §5.3 holds for the @noble/hashes oracle used below (it needs secret and AD, which this API does not take)', () => {
    const r = V.rfc9106;
    const out = nobleArgon2id(unhex(r.password), unhex(r.salt), { t: r.t, m: r.m, p: r.p, dkLen: r.dkLen, key: unhex(r.secret), personalization: unhex(r.ad) });
    expect(hex(out)).toBe(r.tag);
  });

  it('qrysm keystore "Good" (t=8, m=256 MiB, p=1): the derived key opens the AES-256-GCM message to the expected seed', async () => {
    const g = V.qrysm_good;
    const k = g.kdf.params;
    const key = await argon2id(utf8(g.password), unhex(k.salt), { t: k.t, m: k.m, p: k.p, dkLen: k.dklen });
    const msg = Buffer.from(g.cipher.message, 'hex');
    const decipher = nodeCrypto.createDecipheriv('aes-256-gcm', key, Buffer.from(g.cipher.params.iv, 'hex'));
    decipher.setAuthTag(msg.subarray(msg.length - 16));
    const seed = Buffer.concat([decipher.update(msg.subarray(0, msg.length - 16)), decipher.final()]);
    expect(seed.toString('hex')).toBe(g.plaintext);
  });
});

describe('argon2id: agrees with @noble/hashes', () => {
  it('on random small inputs (m not a multiple of 4p, p up to 4, any dkLen, empty password)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 80 }),
        fc.uint8Array({ minLength: 8, maxLength: 48 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 200 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 4, max: 130 }),
        async (pw, salt, p, extra, t, dkLen) => {
          const m = 8 * p + extra;
          const ours = await argon2id(pw, salt, { t, m, p, dkLen });
          expect(hex(ours)).toBe(hex(nobleArgon2id(pw, salt, { t, m, p, dkLen })));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('concurrent calls each get their own answer (wasm runs are queued one at a time)', async () => {
    const cases = Array.from({ length: 6 }, (_, i) => ({ pw: utf8(`pw${i}`), salt: utf8(`salt-salt-${i}`), opts: { t: 1 + (i % 3), m: 64 + i * 8, p: 1 + (i % 2), dkLen: 32 } }));
    const outs = await Promise.all(cases.map((c) => argon2id(c.pw, c.salt, c.opts)));
    outs.forEach((o, i) => expect(hex(o)).toBe(hex(nobleArgon2id(cases[i]!.pw, cases[i]!.salt, cases[i]!.opts))));
  });

  const nativeArgon2 = (nodeCrypto as unknown as { argon2Sync?: (alg: string, p: object) => Buffer }).argon2Sync;
  it.skipIf(typeof nativeArgon2 !== 'function')('node:crypto argon2 (Node >= 24.7) gives the reference answer', () => {
    const v = V.reference.vectors[1]!;
    const out = nativeArgon2!('argon2id', { message: utf8(v.password), nonce: utf8(v.salt_ascii), parallelism: v.p, tagLength: 32, memory: v.m, passes: v.t });
    expect(out.toString('hex')).toBe(v.hash);
  });

  it('a native argon2 handed over with useNativeArgon2 is the one that runs, with the caller\'s parameters', async () => {
    const v = V.reference.vectors[1]!;
    const calls: object[] = [];
    // A stand-in for Node's crypto.argon2, computing with @noble/hashes: what it is given is checked.
    const fake: NativeArgon2 = (alg, p, cb) => {
      calls.push({ alg, parallelism: p.parallelism, tagLength: p.tagLength, memory: p.memory, passes: p.passes });
      cb(null, nobleArgon2id(p.message, p.nonce, { t: p.passes, m: p.memory, p: p.parallelism, dkLen: p.tagLength }));
    };
    useNativeArgon2(fake);
    try {
      const out = await argon2id(utf8(v.password), utf8(v.salt_ascii), { t: v.t, m: v.m, p: v.p, dkLen: 32 });
      expect(hex(out)).toBe(v.hash);
      expect(calls).toEqual([{ alg: 'argon2id', parallelism: v.p, tagLength: 32, memory: v.m, passes: v.t }]);
    } finally {
      useNativeArgon2(undefined);
    }
    // Back on the WebAssembly backend: same answer, no call to the stand-in.
    expect(hex(await argon2id(utf8(v.password), utf8(v.salt_ascii), { t: v.t, m: v.m, p: v.p, dkLen: 32 }))).toBe(v.hash);
    expect(calls).toHaveLength(1);
  });
});

describe('argon2id: parameters are checked before any work', () => {
  const pw = utf8('password');
  const salt = utf8('somesalt');
  const ok = { t: 1, m: 8, p: 1, dkLen: 32 };
  it.each([
    ['m above 1 GiB', { ...ok, m: 2 ** 20 + 1 }],
    ['m below 8·p', { ...ok, m: 15, p: 2 }],
    ['m fractional', { ...ok, m: 8.5 }],
    ['t zero', { ...ok, t: 0 }],
    ['t above 64', { ...ok, t: 65 }],
    ['t NaN', { ...ok, t: Number.NaN }],
    ['p zero', { ...ok, p: 0 }],
    ['p above 255', { ...ok, p: 256, m: 8 * 256 }],
    ['dkLen below 4', { ...ok, dkLen: 3 }],
    ['dkLen above 1024', { ...ok, dkLen: 1025 }],
  ])('%s: RangeError', async (_name, opts) => {
    await expect(argon2id(pw, salt, opts)).rejects.toThrow(RangeError);
  });
  it('salt shorter than 8 bytes or longer than 1 KiB, password over 64 KiB: RangeError', async () => {
    await expect(argon2id(pw, salt.subarray(0, 7), ok)).rejects.toThrow(RangeError);
    await expect(argon2id(pw, new Uint8Array(1025), ok)).rejects.toThrow(RangeError);
    await expect(argon2id(new Uint8Array(65537), salt, ok)).rejects.toThrow(RangeError);
  });
  it('wrong types: TypeError', async () => {
    await expect(argon2id('password' as unknown as Uint8Array, salt, ok)).rejects.toThrow(TypeError);
    await expect(argon2id(pw, [1, 2, 3, 4, 5, 6, 7, 8] as unknown as Uint8Array, ok)).rejects.toThrow(TypeError);
    await expect(argon2id(pw, salt, { ...ok, m: '8' as unknown as number })).rejects.toThrow(TypeError);
    await expect(argon2id(pw, salt, null as unknown as typeof ok)).rejects.toThrow(TypeError);
  });
});

describe('argon2id: single-file bundle under the permission model', () => {
  it('runs from an esbuild bundle with the launcher flags, in the main thread and in a worker thread (64 MiB of wasm memory beside a 32 MB heap limit)', async () => {
    const { build } = await import('esbuild');
    const dir = mkTmp('coldstake-argon2-bundle-');
    try {
      const entry = path.join(dir, 'entry.ts');
      const v = V.reference.vectors[0]!; // m = 64 MiB
      fs.writeFileSync(
        entry,
        [
          `import { argon2id } from ${JSON.stringify(path.join(ROOT, 'src', 'core', 'zond', 'argon2.ts'))};`,
          `import { Worker, isMainThread, parentPort } from 'node:worker_threads';`,
          `const run = async () => Buffer.from(await argon2id(new TextEncoder().encode(${JSON.stringify(v.password)}), new TextEncoder().encode(${JSON.stringify(v.salt_ascii)}), { t: ${v.t}, m: ${v.m}, p: ${v.p}, dkLen: 32 })).toString('hex');`,
          `if (isMainThread) {`,
          `  const main = await run();`,
          `  const w = new Worker(new URL(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 32 } });`,
          `  w.on('message', (h) => { console.log(JSON.stringify({ main, worker: h, permission: !!process.permission })); });`,
          `} else parentPort.postMessage(await run());`,
        ].join('\n'),
      );
      const out = path.join(dir, 'bundle.mjs');
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: out, logLevel: 'silent' });
      const text = fs.readFileSync(out, 'utf8');
      expect(text).not.toMatch(/readFileSync|\.wasm['"]/); // the wasm bytes are inside, not loaded from a path
      const stable = /^v(2[4-9]|[3-9]\d|23\.([5-9]|\d\d)|22\.(1[3-9]|[2-9]\d))\./.test(process.version);
      const r = spawnSync(process.execPath, [stable ? '--permission' : '--experimental-permission', `--allow-fs-read=${dir}`, '--allow-worker', '--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning', out], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout)).toEqual({ main: v.hash, worker: v.hash, permission: true });
    } finally {
      rmTmp(dir);
    }
  });
});
