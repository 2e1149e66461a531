/**
 * argon2id for Zond keystores (m in KiB). This is the pure-JS baseline (@noble/hashes
 * `argon2idAsync`, audited, yields to the event loop); a faster implementation with the same
 * signature may replace this file.
 */
import { argon2idAsync } from '@noble/hashes/argon2.js';

/**
 * @throws {RangeError|TypeError} from @noble/hashes on parameters it does not accept.
 */
export async function argon2id(password: Uint8Array, salt: Uint8Array, opts: { t: number; m: number; p: number; dkLen: number }): Promise<Uint8Array> {
  return argon2idAsync(password, salt, { t: opts.t, m: opts.m, p: opts.p, dkLen: opts.dkLen });
}
