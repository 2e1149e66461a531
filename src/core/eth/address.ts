/**
 * Execution-layer addresses with the EIP-55 mixed-case checksum (keccak-256 from @noble/hashes).
 * An address in mixed case must match its checksum exactly; an all-lower-case or all-upper-case
 * address carries no checksum and is accepted with a warning (PRODUCT.md "Keys and deposit data").
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';

export type AddressCheck =
  | { ok: true; address: string; bytes: Uint8Array; checksummed: boolean }
  | { ok: false; reason: string };

/** The EIP-55 checksummed form of a 20-byte address (or of its hex, any case, with or without 0x). */
export function toChecksumAddress(address: Uint8Array | string): string {
  const lower = typeof address === 'string' ? address.replace(/^0x/i, '').toLowerCase() : bytesToHex(address);
  if (!/^[0-9a-f]{40}$/.test(lower)) throw new RangeError('address must be 20 bytes');
  const hash = bytesToHex(keccak_256(utf8ToBytes(lower)));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const c = lower[i]!;
    out += parseInt(hash[i]!, 16) >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * Check a user-supplied address: `0x` + 40 hex digits; mixed case must be a valid EIP-55 checksum.
 * Never throws; `reason` is lower case and does not quote more than the first characters of input.
 */
export function checkAddress(text: string): AddressCheck {
  if (typeof text !== 'string') return { ok: false, reason: 'address must be a string' };
  if (!text.startsWith('0x')) return { ok: false, reason: 'address must start with 0x' };
  const body = text.slice(2);
  if (body.length !== 40) return { ok: false, reason: `address must have 40 hex digits after 0x, got ${body.length}` };
  if (!/^[0-9a-fA-F]{40}$/.test(body)) return { ok: false, reason: 'address contains a character that is not a hex digit' };
  const checksummed = toChecksumAddress(body);
  const allLower = body === body.toLowerCase();
  const allUpper = body === body.toUpperCase();
  if (!allLower && !allUpper && text !== checksummed) {
    return { ok: false, reason: 'address checksum (EIP-55) does not match: a character has the wrong case, or the address has a typo' };
  }
  const isChecksummed = !allLower && !allUpper ? true : text === checksummed;
  return { ok: true, address: checksummed, bytes: hexToBytes(body.toLowerCase()), checksummed: isChecksummed };
}
