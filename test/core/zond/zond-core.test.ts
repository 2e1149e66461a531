/**
 * Zond core against other people's vectors: go-qrllib v0.9.0 wallet, address and mnemonic vectors,
 * qrysm dfc813be password-normalisation vectors (fixtures/zond, MIT). Fast: no 256 MiB argon2 here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { ml_dsa87 } from '@noble/post-quantum/ml-dsa.js';
import { formatZondAddress, parseZondAddress, zondAddressBytes, ZondAddressError } from '../../../src/core/zond/address.js';
import { deriveZondChildSeed, zondKeypair, zondPathIndex, zondValidatorPath } from '../../../src/core/zond/derivation.js';
import { bytesToQrlWords, parseZondSeed, qrlWordsToBytes, QrlWordError, seedToExtendedMnemonic, seedToMnemonic } from '../../../src/core/zond/mnemonic.js';
import { alternateZondPassword, normaliseZondPassword, zondPasswordNeedsNormalising } from '../../../src/core/zond/password.js';
import { verifiesUnderOlderContext, ZOND_SIGNING_CONTEXT, zondSign, zondVerify } from '../../../src/core/zond/signing.js';
import { resolveZondNetwork } from '../../../src/core/zond/networks.js';

const fx = (f: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/zond/${f}`, import.meta.url), 'utf8'));
const wallet = fx('wallet_vectors.json') as { cases: Array<{ name: string; message: string; extended_seed: string; mnemonic: string; address: string; pk: string; sk: string; signature: string }> };
const addr = fx('address_vectors.json');
const helper = fx('mnemonic_helper_vectors.json') as { vectors: Array<{ hex: string; mnemonic: string }> };
const ks = fx('keystore_vectors.json');

describe('go-qrllib wallet vectors', () => {
  for (const c of wallet.cases) {
    it(`${c.name}: mnemonic, pk, sk, address, signature`, () => {
      const ext = hexToBytes(c.extended_seed);
      expect(bytesToQrlWords(ext).join(' ')).toBe(c.mnemonic);
      expect(bytesToHex(qrlWordsToBytes(c.mnemonic.split(' ')))).toBe(c.extended_seed);
      const parsed = parseZondSeed(c.mnemonic);
      expect(parsed.form).toBe('mnemonic-34');
      expect(bytesToHex(parsed.seed)).toBe(c.extended_seed.slice(6));
      expect(seedToExtendedMnemonic(parsed.seed)).toBe(c.mnemonic);
      // The 32-word form is the last 32 words of the 34-word form.
      expect(seedToMnemonic(parsed.seed)).toBe(c.mnemonic.split(' ').slice(2).join(' '));
      expect(bytesToHex(parseZondSeed(`0x${c.extended_seed.slice(6)}`).seed)).toBe(c.extended_seed.slice(6));
      expect(parseZondSeed(c.extended_seed.toUpperCase()).form).toBe('hex-extended-seed');
      const kp = zondKeypair(parsed.seed);
      expect(bytesToHex(kp.publicKey)).toBe(c.pk);
      expect(bytesToHex(kp.secretKey)).toBe(c.sk);
      const address = zondAddressBytes(kp.publicKey);
      expect(`Q${bytesToHex(address)}`).toBe(`Q${c.address.slice(1).toLowerCase()}`);
      const msg = utf8ToBytes(c.message);
      const sig = hexToBytes(c.signature);
      expect(zondVerify(sig, msg, kp.publicKey)).toBe(true);
      expect(verifiesUnderOlderContext(sig, msg, kp.publicKey)).toBe(false);
      const tampered = sig.slice();
      tampered[100] = tampered[100]! ^ 1;
      expect(zondVerify(tampered, msg, kp.publicKey)).toBe(false);
      // Deterministic signing reproduces the stored signature: our context is go-qrllib's.
      expect(bytesToHex(ml_dsa87.sign(msg, kp.secretKey, { context: ZOND_SIGNING_CONTEXT, extraEntropy: false }))).toBe(c.signature);
      // Our hedged signatures verify and differ.
      const s1 = zondSign(msg, kp.secretKey);
      expect(zondVerify(s1, msg, kp.publicKey)).toBe(true);
    });
  }
});

describe('Q-address checksum (go-qrllib parity and regression vectors)', () => {
  for (const v of addr.checksum_parity as Array<{ name: string; lower: string; checksummed: string }>) {
    it(v.name, () => {
      const bytes = hexToBytes(v.lower.slice(1));
      expect(formatZondAddress(bytes)).toBe(v.checksummed);
      expect(bytesToHex(parseZondAddress(v.checksummed))).toBe(v.lower.slice(1));
      expect(bytesToHex(parseZondAddress(v.lower))).toBe(v.lower.slice(1));
      expect(bytesToHex(parseZondAddress(`Q${v.lower.slice(1).toUpperCase()}`))).toBe(v.lower.slice(1));
      // Flip the case of one letter of a checksummed form: refused as a checksum error.
      const i = v.checksummed.slice(1).search(/[a-fA-F]/) + 1;
      if (i > 0 && v.checksummed.slice(1) !== v.checksummed.slice(1).toLowerCase() && v.checksummed.slice(1) !== v.checksummed.slice(1).toUpperCase()) {
        const ch = v.checksummed[i]!;
        const flipped = v.checksummed.slice(0, i) + (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase()) + v.checksummed.slice(i + 1);
        expect(() => parseZondAddress(flipped)).toThrow(ZondAddressError);
      }
    });
  }
  it('derivation regression (pk = 0x42 × 2592)', () => {
    const r = addr.derivation_regression as { pk: string; address: string };
    expect(r.pk).toBe('42 repeated 2592 times');
    const got = formatZondAddress(zondAddressBytes(new Uint8Array(2592).fill(0x42)));
    expect(got.slice(1).toLowerCase()).toBe(r.address.slice(1).toLowerCase());
  });
  it('older address formats are refused by name', () => {
    expect(() => parseZondAddress(`Q${'ab'.repeat(20)}`)).toThrow(/20-byte Q-address of an older Zond format/);
    expect(() => parseZondAddress(`Q${'ab'.repeat(48)}`)).toThrow(/48-byte/);
    expect(() => parseZondAddress(`Z${'ab'.repeat(20)}`)).toThrow(/Dilithium-era/);
    expect(() => parseZondAddress(`q${'ab'.repeat(64)}`)).toThrow(/"Q" followed by 128/);
  });
});

describe('QRL mnemonic codec', () => {
  it('go-qrllib helper vectors (encoding only)', () => {
    for (const v of helper.vectors) {
      expect(bytesToQrlWords(hexToBytes(v.hex)).join(' ')).toBe(v.mnemonic);
      expect(bytesToHex(qrlWordsToBytes(v.mnemonic.split(' ')))).toBe(v.hex);
    }
  });
  it('refuses wrong counts, unknown words by position only, and non-ML-DSA descriptors', () => {
    const words = wallet.cases[0]!.mnemonic.split(' ');
    expect(() => parseZondSeed(words.slice(0, 24).join(' '))).toThrow(/32 words .* or 34 words/);
    const bad = words.slice(2);
    bad[4] = 'notaword';
    try {
      parseZondSeed(bad.join(' '));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(QrlWordError);
      expect((e as Error).message).toBe('word 5 is not on the QRL word list');
    }
    expect(() => parseZondSeed(helper.vectors[0]!.mnemonic)).toThrow(/descriptor is not ML-DSA-87/);
    expect(() => parseZondSeed('ab'.repeat(40))).toThrow(/96 digits .* 102 digits/);
    // Case and whitespace are forgiven (as wallet.js does).
    expect(parseZondSeed(`  ${words.slice(2).join('\n').toUpperCase()} `).form).toBe('mnemonic-32');
  });
});

describe('per-validator child seed (qrysm label, not an Ethereum path)', () => {
  it('child 0 of go-qrllib case 1 is SHAKE256(seed ‖ "m/12381/238/0/0")', () => {
    const seed = hexToBytes(wallet.cases[0]!.extended_seed.slice(6));
    const child = deriveZondChildSeed(seed, 0);
    // Research note §3 [C]: be727685675214dd…f8ffc477e6 (cross-checked with Python hashlib there).
    expect(bytesToHex(child).startsWith('be727685675214dd')).toBe(true);
    expect(bytesToHex(child).endsWith('f8ffc477e6')).toBe(true);
    expect(bytesToHex(deriveZondChildSeed(seed, 1))).not.toBe(bytesToHex(child));
    expect(zondValidatorPath(7)).toBe('m/12381/238/7/0');
    expect(zondPathIndex('m/12381/238/7/0')).toBe(7);
    expect(zondPathIndex('m/12381/3600/7/0/0')).toBeUndefined();
    expect(() => deriveZondChildSeed(seed.subarray(0, 32), 0)).toThrow(RangeError);
  });
});

describe('password normalisation (qrysm norm_internal_test vectors)', () => {
  const hex = (s: string) => Buffer.from(s, 'hex').toString('utf8');
  for (const v of ks.password_normalisation.primary_normPassphrase as Array<{ name: string; input_hex: string; output_hex: string }>) {
    it(`primary ${v.name}`, () => expect(Buffer.from(normaliseZondPassword(hex(v.input_hex))).toString('hex')).toBe(v.output_hex));
  }
  for (const v of ks.password_normalisation.fallback_altNormPassphrase as Array<{ name: string; input_hex: string; output_hex: string }>) {
    it(`fallback ${v.name}`, () => expect(Buffer.from(alternateZondPassword(hex(v.input_hex))).toString('hex')).toBe(v.output_hex));
  }
  it('flags passwords whose raw and normalised forms differ', () => {
    expect(zondPasswordNeedsNormalising('correct horse battery')).toBe(false);
    expect(zondPasswordNeedsNormalising('müller-2026')).toBe(true);
    expect(zondPasswordNeedsNormalising('tab\there')).toBe(true);
  });
});

describe('Zond networks', () => {
  it('testnet and betanet share the fork version; devnets need one; mainnet refused', () => {
    const t = resolveZondNetwork('zond-testnet');
    const b = resolveZondNetwork('Zond-Betanet');
    expect(bytesToHex(t.genesisForkVersion)).toBe('20000089');
    expect(bytesToHex(t.depositDomain)).toBe('03000000e4b3c03845c9cd15780441feed2a67053b9cc4ae1547af5747433120');
    expect(bytesToHex(b.depositDomain)).toBe(bytesToHex(t.depositDomain));
    expect(b.networkName).toBe('betanet');
    const d = resolveZondNetwork('zond-dev', '0x10000038');
    expect(bytesToHex(d.depositDomain)).toBe('030000000b41be4cdb34d183dddca5398337626dcdcfaf1720c1202d3b95f84e');
    expect(d.networkName).toBe('dev');
    expect(() => resolveZondNetwork('zond-dev')).toThrow(/devnet takes/);
    expect(() => resolveZondNetwork('zond-mainnet')).toThrow(/placeholder/);
    expect(() => resolveZondNetwork('zond-testnet', '0x10000038')).toThrow(/not zond-testnet's/);
  });
});
