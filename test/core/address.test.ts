import { describe, expect, it } from 'vitest';
import { checkAddress, toChecksumAddress } from '../../src/core/eth/address.js';

// Test cases from EIP-55 (ethereum/EIPs EIPS/eip-55.md, "Test Cases"), CC0-1.0.
const MIXED = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];
const ALL_CAPS = ['0x52908400098527886E0F7030069857D2E4169EE7', '0x8617E340B3D01FA5F11F306F4090FD50E238070D'];
const ALL_LOWER = ['0xde709f2102306220921060314715629080e2fb77', '0x27b1fdb04752bbc536007a920d24acb045561c26'];

describe('EIP-55', () => {
  it('checksums the EIP test cases', () => {
    for (const a of [...MIXED, ...ALL_CAPS, ...ALL_LOWER]) expect(toChecksumAddress(a.toLowerCase())).toBe(a);
  });
  it('accepts valid mixed-case addresses as checksummed', () => {
    for (const a of MIXED) expect(checkAddress(a)).toMatchObject({ ok: true, address: a, checksummed: true });
  });
  it('rejects a single flipped case', () => {
    for (const a of MIXED) {
      const i = [...a].findIndex((c, j) => j > 1 && /[a-fA-F]/.test(c));
      const flipped = a.slice(0, i) + (a[i] === a[i]!.toUpperCase() ? a[i]!.toLowerCase() : a[i]!.toUpperCase()) + a.slice(i + 1);
      const r = checkAddress(flipped);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/checksum/);
    }
  });
  it('accepts all-lower or all-upper case without a checksum (a warning for the caller)', () => {
    expect(checkAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed')).toMatchObject({ ok: true, checksummed: false, address: MIXED[0] });
    expect(checkAddress('0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED')).toMatchObject({ ok: true, checksummed: false, address: MIXED[0] });
    // Where the checksum happens to be all upper case, the all-caps form is the checksummed form.
    expect(checkAddress(ALL_CAPS[0]!)).toMatchObject({ ok: true, checksummed: true });
  });
  it('rejects bad lengths, prefixes and characters', () => {
    const cases: Array<[string, RegExp]> = [
      ['5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', /start with 0x/],
      ['0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', /start with 0x/],
      ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe', /40 hex digits.*39/],
      ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAedd', /40 hex digits.*41/],
      ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg', /not a hex digit/],
      ['0x', /40 hex digits/],
      ['', /start with 0x/],
    ];
    for (const [a, re] of cases) {
      const r = checkAddress(a);
      expect(r.ok, a).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(re);
    }
  });
  it('returns the 20 address bytes', () => {
    const r = checkAddress(MIXED[0]!);
    expect(r.ok && Buffer.from(r.bytes).toString('hex')).toBe(MIXED[0]!.slice(2).toLowerCase());
  });
});
