import { describe, expect, it } from 'vitest';
import { backupFingerprint, bip32MasterFingerprint } from '../../src/core/backup/fingerprint.js';

const hexToBytes = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => parseInt(b, 16)));

describe('fingerprint', () => {
  it('BIP32 test vectors 1 and 2: master key identifiers 3442193e…, bd16bee5…', () => {
    expect(bip32MasterFingerprint(hexToBytes('000102030405060708090a0b0c0d0e0f'))).toBe('3442193e');
    expect(bip32MasterFingerprint(hexToBytes('fffcf9f6f3f0edeae7e4e1dedbd8d5d2cfccc9c6c3c0bdbab7b4b1aeaba8a5a29f9c999693908d8a8784817e7b7875726f6c696663605d5a5754514e4b484542'))).toBe('bd16bee5');
  });

  it('takes the first 8 bytes of the injected validator 0 pubkey and refuses a wrong length', () => {
    const pk = Uint8Array.from({ length: 48 }, (_, i) => i);
    const seed = new Uint8Array(64).fill(7);
    expect(backupFingerprint(seed, () => pk).validator0_pubkey_prefix).toBe('0001020304050607');
    expect(() => backupFingerprint(seed, () => new Uint8Array(32))).toThrow(RangeError);
  });
});
