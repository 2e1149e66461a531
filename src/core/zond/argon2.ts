/**
 * Argon2id (RFC 9106, version 0x13), the KDF of Zond keystores (qrysm: t=8, m=262144 KiB, p=1, dkLen 32).
 *
 * Backends, fastest first, all computing the same function (test/core/zond/argon2.test.ts checks each
 * against the reference implementation's vectors and against each other):
 * - Node's own `crypto.argon2` (OpenSSL, Node >= 24.7) when the running Node has it: native speed, and it
 *   runs on libuv's thread pool instead of blocking this thread.
 * - hash-wasm 4.12.0 (MIT, zero dependencies): the reference C code compiled to WebAssembly, the wasm
 *   bytes embedded in its JavaScript, so it works inside the single-file bundle and under the permission
 *   model (WebAssembly is allowed there, in workers too; WASI and addons are not). About 3× faster than
 *   pure JavaScript: one qrysm KDF takes ~3.7 s of CPU instead of ~12 (bench/RESULTS.md). It refuses an
 *   empty password, so that one case goes to:
 * - @noble/hashes (audited pure JavaScript): slow (~12 s of CPU for a qrysm KDF) but takes any input.
 *
 * Core does not look for the native function itself (no node:*, no process here): the CLI hands it
 * over with `useNativeArgon2` at start-up (src/cli/io/native-argon2.ts), in every thread.
 *
 * Memory: m KiB (256 MiB for qrysm) is allocated for each run. Runs on the WebAssembly backend are done one
 * at a time in a thread (they block it anyway), so concurrent callers in one thread never hold more than
 * one m at once; native runs are as concurrent as the caller makes them. The WebAssembly memory holds
 * password-derived blocks until it is garbage-collected: hash-wasm offers no way to wipe it.
 */
import { argon2idAsync as nobleArgon2id } from '@noble/hashes/argon2.js';
import { argon2id as wasmArgon2id } from 'hash-wasm';

/**
 * Ceilings checked before anything is allocated. m ≤ 1 GiB (4× qrysm's 256 MiB); t ≤ 64 (8× qrysm's
 * 8: callers that read parameters from files bound the product t·m more tightly); p ≤ 255; salt 8 to
 * 1024 bytes (RFC 9106 recommends 16; the reference implementation and Node require at least 8);
 * password ≤ 64 KiB; dkLen 4 to 1024 bytes.
 */
const LIMITS = {
  maxMemoryKiB: 1 << 20,
  maxTime: 64,
  maxParallelism: 255,
  minSalt: 8,
  maxSalt: 1024,
  maxPassword: 1 << 16,
  minDkLen: 4,
  maxDkLen: 1024,
} as const;

interface NativeArgon2Params {
  message: Uint8Array;
  nonce: Uint8Array;
  parallelism: number;
  tagLength: number;
  memory: number;
  passes: number;
}
/** The shape of Node's `crypto.argon2` (Node >= 24.7). */
export type NativeArgon2 = (algorithm: 'argon2id', params: NativeArgon2Params, cb: (err: Error | null, key: Uint8Array) => void) => void;

let native: NativeArgon2 | undefined;

/** Run every later argon2id on `fn` (Node's `crypto.argon2`), or on the WebAssembly backend again with undefined. */
export function useNativeArgon2(fn: NativeArgon2 | undefined): void {
  native = fn;
}

function checkBytes(name: string, v: unknown, min: number, max: number): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) throw new TypeError(`argon2id: ${name} must be a Uint8Array`);
  if (v.length < min || v.length > max) throw new RangeError(`argon2id: ${name} must be ${min} to ${max} bytes, got ${v.length}`);
}

function checkInt(name: string, v: unknown, min: number, max: number): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`argon2id: ${name} must be a number`);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`argon2id: ${name} must be an integer from ${min} to ${max}, got ${v}`);
}

// One WebAssembly run at a time in this thread (see the memory note above).
let wasmQueue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(run: () => Promise<T>): Promise<T> {
  const result = wasmQueue.then(run, run);
  wasmQueue = result.catch(() => undefined);
  return result;
}

function runNative(fn: NativeArgon2, password: Uint8Array, salt: Uint8Array, opts: { t: number; m: number; p: number; dkLen: number }): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    fn('argon2id', { message: password, nonce: salt, parallelism: opts.p, tagLength: opts.dkLen, memory: opts.m, passes: opts.t }, (err, key) => {
      if (err) {
        reject(err);
        return;
      }
      const out = Uint8Array.from(key);
      key.fill(0);
      resolve(out);
    });
  });
}

/**
 * Argon2id of `password` and `salt` with t passes over m KiB in p lanes, dkLen bytes out.
 * Throws TypeError for a wrong type, RangeError for a value outside the RFC or the ceilings above
 * (m must also be at least 8·p), before any memory is allocated.
 */
export async function argon2id(password: Uint8Array, salt: Uint8Array, opts: { t: number; m: number; p: number; dkLen: number }): Promise<Uint8Array> {
  checkBytes('password', password, 0, LIMITS.maxPassword);
  checkBytes('salt', salt, LIMITS.minSalt, LIMITS.maxSalt);
  if (typeof opts !== 'object' || opts === null) throw new TypeError('argon2id: opts must be an object');
  const { t, m, p, dkLen } = opts;
  checkInt('t', t, 1, LIMITS.maxTime);
  checkInt('p', p, 1, LIMITS.maxParallelism);
  checkInt('m', m, 8 * p, LIMITS.maxMemoryKiB);
  checkInt('dkLen', dkLen, LIMITS.minDkLen, LIMITS.maxDkLen);
  const params = { t, m, p, dkLen };
  if (native) return runNative(native, password, salt, params);
  if (password.length === 0) {
    return nobleArgon2id(password, salt, { t, m, p, dkLen, maxmem: LIMITS.maxMemoryKiB * 1024, asyncTick: 50 });
  }
  return oneAtATime(async () => {
    // hash-wasm keeps a reference to the arrays it is given: hand it copies, wiped afterwards.
    const pw = Uint8Array.from(password);
    const s = Uint8Array.from(salt);
    try {
      return await wasmArgon2id({ password: pw, salt: s, iterations: t, memorySize: m, parallelism: p, hashLength: dkLen, outputType: 'binary' });
    } finally {
      pw.fill(0);
    }
  });
}
