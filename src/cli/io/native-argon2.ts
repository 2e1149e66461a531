/**
 * Hands Node's own `crypto.argon2` (Node >= 24.7: native speed, off the main thread) to the Zond KDF in
 * core, which looks for nothing itself. On Node 20 there is none and core keeps its WebAssembly backend.
 */
import crypto from 'node:crypto';
import { useNativeArgon2, type NativeArgon2 } from '../../core/zond/argon2.js';

/** Install the native argon2 where this Node has it; call once per thread, before any KDF runs. */
export function installNativeArgon2(): void {
  const fn = (crypto as unknown as { argon2?: unknown }).argon2;
  if (typeof fn === 'function') useNativeArgon2(fn as NativeArgon2);
}
