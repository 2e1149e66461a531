/**
 * Q-addresses (go-qrllib v0.9.0 wallet/common/address.go): address = SHAKE256(01 00 00 ‖ pk, 64 bytes),
 * written "Q" + 128 hex digits with a mixed-case checksum: hex digit i (a-f only) is upper case when
 * nibble i of SHAKE256(ASCII of the 128 lower-case digits, 64 bytes) is ≥ 8. All-lower and all-upper
 * bodies carry no checksum and are accepted as such; a mixed-case body must match the checksum exactly.
 *
 * Earlier 2026 formats (20- and 48-byte addresses, "Z" Dilithium-era addresses) are refused by name.
 */
import { shake256 } from '@noble/hashes/sha3.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ZOND_ADDRESS_BYTES, ZOND_DESCRIPTOR, ZOND_PUBKEY_BYTES } from './format.js';

/** The 64-byte address of an ML-DSA-87 public key. */
export function zondAddressBytes(publicKey: Uint8Array): Uint8Array {
  if (publicKey.length !== ZOND_PUBKEY_BYTES) throw new RangeError('an ML-DSA-87 public key has 2592 bytes');
  return shake256(concatBytes(ZOND_DESCRIPTOR, publicKey), { dkLen: ZOND_ADDRESS_BYTES });
}

/** "Q" + the checksummed 128-digit hex form of a 64-byte address. */
export function formatZondAddress(address: Uint8Array): string {
  if (address.length !== ZOND_ADDRESS_BYTES) throw new RangeError('a Zond address has 64 bytes');
  const lower = bytesToHex(address);
  const h = shake256(utf8ToBytes(lower), { dkLen: ZOND_ADDRESS_BYTES });
  let out = 'Q';
  for (let i = 0; i < lower.length; i++) {
    const c = lower[i]!;
    const nibble = i % 2 === 0 ? h[i >> 1]! >> 4 : h[i >> 1]! & 15;
    out += c >= 'a' && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

export type ZondAddressProblem = 'older-format' | 'checksum' | 'malformed';

export class ZondAddressError extends RangeError {
  readonly problem: ZondAddressProblem;
  constructor(problem: ZondAddressProblem, message: string) {
    super(message);
    this.name = 'ZondAddressError';
    this.problem = problem;
  }
}

/**
 * Parse a typed Q-address.
 * @throws {ZondAddressError} `older-format` (20/48-byte or Z-address), `checksum` (mixed case that is
 *   not the checksum), `malformed`.
 */
export function parseZondAddress(text: string): Uint8Array {
  const t = text.trim();
  if (/^Z[0-9a-fA-F]{40}$/.test(t)) {
    throw new ZondAddressError('older-format', 'this is a Dilithium-era Z-address (20 bytes), not a pinned-format Q-address (64 bytes)');
  }
  const m = /^Q([0-9a-fA-F]*)$/.exec(t);
  if (!m) throw new ZondAddressError('malformed', 'a Zond address is "Q" followed by 128 hex digits');
  const body = m[1]!;
  if (body.length === 40 || body.length === 96) {
    throw new ZondAddressError('older-format', `this is a ${body.length / 2}-byte Q-address of an older Zond format; the pinned format uses 64-byte addresses (Q + 128 hex digits)`);
  }
  if (body.length !== 128) throw new ZondAddressError('malformed', `a Zond address is "Q" followed by 128 hex digits, not ${body.length}`);
  const lower = body.toLowerCase();
  const bytes = hexToBytes(lower);
  const mixed = body !== lower && body !== body.toUpperCase();
  if (mixed && formatZondAddress(bytes) !== t) {
    throw new ZondAddressError('checksum', 'the mixed-case checksum of this Q-address is wrong (a mistyped character?)');
  }
  return bytes;
}
