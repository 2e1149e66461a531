import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import * as bip39 from 'bip39';
import { describe, expect, it } from 'vitest';
import { secretToPublicKey } from '../../src/core/eth/bls.js';
import {
  deriveChildSk,
  deriveMasterSk,
  deriveSkAtPath,
  deriveValidatorKeys,
  parentToLamportTrace,
  parsePath,
  signingPath,
  signingPathIndex,
  withdrawalPath,
  withdrawalPathIndex,
} from '../../src/core/eth/derivation.js';
import { FIXTURES } from '../helpers/cli.js';

const read = (f: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keys', f), 'utf8'));
const v2333 = read('eip2333.json');
const v2334 = read('eip2334.json');
const signing = read('lighthouse_derived_signing.json');

describe('EIP-2333', () => {
  for (const tc of v2333.test_cases) {
    it(`${tc.name}: master and child keys`, () => {
      const master = deriveMasterSk(hexToBytes(tc.seed.toLowerCase()));
      expect(master.toString()).toBe(tc.master_SK);
      expect(deriveChildSk(master, tc.child_index).toString()).toBe(tc.child_SK);
    });
  }

  it('intermediate values: lamport_0, lamport_1, compressed Lamport PK', () => {
    const iv = v2333.intermediate;
    const master = deriveMasterSk(hexToBytes(iv.seed));
    expect(master.toString()).toBe(iv.master_SK);
    const t = parentToLamportTrace(master, iv.child_index);
    expect(t.lamport0.length).toBe(255);
    expect(t.lamport0.map(bytesToHex)).toEqual(iv.lamport_0.map((s: string) => s.replace(/^0x/, '')));
    expect(t.lamport1.map(bytesToHex)).toEqual(iv.lamport_1.map((s: string) => s.replace(/^0x/, '')));
    expect(bytesToHex(t.compressedLamportPublicKey)).toBe(iv.compressed_lamport_PK.replace(/^0x/, ''));
    expect(deriveChildSk(master, iv.child_index).toString()).toBe(iv.child_SK);
  });

  it('test case 0 seed is BIP-39 of its mnemonic with passphrase TREZOR', () => {
    const b = v2333.bip39_for_test_case_0;
    const seed = bip39.mnemonicToSeedSync(b.mnemonic, b.passphrase);
    expect(bytesToHex(seed)).toBe(v2333.test_cases[0].seed);
  });

  it('refuses short seeds and out-of-range indices', () => {
    expect(() => deriveMasterSk(new Uint8Array(31))).toThrow(RangeError);
    expect(() => deriveChildSk(1n, -1)).toThrow(RangeError);
    expect(() => deriveChildSk(1n, 2 ** 32)).toThrow(RangeError);
    expect(() => deriveChildSk(1n, 1.5)).toThrow(RangeError);
  });
});

describe('EIP-2334', () => {
  it('templates', () => {
    for (const ex of v2334.examples_from_spec) {
      expect(withdrawalPath(ex.validator_index)).toBe(ex.withdrawal_key_path);
      expect(signingPath(ex.validator_index)).toBe(ex.signing_key_path);
      expect(signingPathIndex(ex.signing_key_path)).toBe(ex.validator_index);
      expect(withdrawalPathIndex(ex.withdrawal_key_path)).toBe(ex.validator_index);
      expect(signingPathIndex(ex.withdrawal_key_path)).toBeNull();
      expect(withdrawalPathIndex(ex.signing_key_path)).toBeNull();
    }
    expect(signingPath(4294967295)).toBe('m/12381/3600/4294967295/0/0');
    expect(() => signingPath(4294967296)).toThrow(RangeError);
    expect(signingPathIndex('m/12381/3600/4294967296/0/0')).toBeNull();
    expect(signingPathIndex('m/12381/3600/01/0/0')).toBeNull();
  });

  it('path parsing cases from ethstaker-deposit-cli', () => {
    for (const c of v2334.path_parsing_cases.cases) {
      if (c.valid) expect(parsePath(c.path)).toEqual([12381, 3600, 0, 0, 0]);
      else expect(() => parsePath(c.path)).toThrow(RangeError);
    }
  });

  it('path rules: purpose, depth, no hardening, decimal in range', () => {
    expect(() => parsePath('m/12381/3600/0')).toThrow(/at least 4 levels/);
    expect(() => parsePath("m/12381'/3600/0/0")).toThrow(/hardened/);
    expect(() => parsePath('m/44/3600/0/0')).toThrow(/purpose/);
    expect(() => parsePath('m/12381/3600/-1/0')).toThrow(/not a decimal/);
    expect(() => parsePath('m/12381/3600/4294967296/0')).toThrow(/larger/);
    expect(() => parsePath('m/12381/3600//0')).toThrow(/not a decimal/);
    expect(parsePath('m/12381/60/3141592653/589793238')).toEqual([12381, 60, 3141592653, 589793238]);
  });

  for (const c of v2334.mnemonic_path_to_key_vectors.cases) {
    it(`mnemonic → ${c.path} (${c.bip39_passphrase ? 'with' : 'no'} passphrase)`, () => {
      const seed = bip39.mnemonicToSeedSync(c.mnemonic, c.bip39_passphrase);
      const sk = deriveSkAtPath(seed, c.path);
      const skHex = sk.toString(16).padStart(64, '0');
      const expectedSk = c.secret_key ?? c.secret_key_computed_here;
      expect(`0x${skHex}`).toBe(expectedSk);
      expect(`0x${bytesToHex(secretToPublicKey(hexToBytes(skHex)))}`).toBe(c.pubkey ?? c.pubkey_computed_here);
    });
  }

  it('deriveValidatorKeys gives the Lighthouse pubkeys for "test … waste"', () => {
    const seed = bip39.mnemonicToSeedSync(signing.mnemonic, signing.bip39_passphrase);
    const seen = new Map<number, string>();
    for (const e of signing.entries) seen.set(e.validator_index, e.pubkey);
    expect(seen.size).toBeGreaterThanOrEqual(8);
    for (const [index, pubkey] of seen) {
      const k = deriveValidatorKeys(seed, index);
      expect(k.signingPath).toBe(`m/12381/3600/${index}/0/0`);
      expect(bytesToHex(secretToPublicKey(k.signingSk))).toBe(pubkey);
      expect(bytesToHex(k.signingSk)).toBe(deriveSkAtPath(seed, k.signingPath).toString(16).padStart(64, '0'));
    }
  });
});
