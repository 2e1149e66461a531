import fs from 'node:fs';
import path from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { CURVE_ORDER, parsePublicKey, parseSignature, POP_DST, secretKeyFromScalar, secretToPublicKey, sign, verify } from '../../src/core/eth/bls.js';
import { FIXTURES } from '../helpers/cli.js';

const KEYS = path.join(FIXTURES, 'keys');
const v2335 = JSON.parse(fs.readFileSync(path.join(KEYS, 'eip2335', 'vectors.json'), 'utf8'));
const scryptKs = JSON.parse(fs.readFileSync(path.join(KEYS, 'eip2335', 'scrypt_keystore.json'), 'utf8'));
const derived = JSON.parse(fs.readFileSync(path.join(KEYS, 'lighthouse_derived_signing.json'), 'utf8'));

function findEntry() {
  const e = derived.entries[0];
  const dir = path.join(KEYS, path.dirname(e.file));
  const file = fs.readdirSync(dir)[0]!;
  const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  return { signingRoot: hexToBytes(e.signing_root), pubkey: hexToBytes(e.pubkey), signature: hexToBytes(data[0].signature) };
}

/** A compressed G1 encoding of a point on the curve but outside the prime-order subgroup. */
function nonSubgroupG1(): Uint8Array {
  const Fp = bls12_381.fields.Fp;
  for (let x = 1n; ; x++) {
    const y2 = Fp.add(Fp.mul(Fp.mul(x, x), x), 4n);
    let y: bigint;
    try {
      y = Fp.sqrt(y2);
    } catch {
      continue;
    }
    const P = bls12_381.G1.Point.fromAffine({ x, y });
    if (P.isTorsionFree()) continue;
    const out = new Uint8Array(48);
    let v = x;
    for (let i = 47; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
    out[0]! |= 0x80;
    return out;
  }
}

describe('bls', () => {
  it('SkToPk on the EIP-2335 vector secret', () => {
    expect(bytesToHex(secretToPublicKey(hexToBytes(v2335.cases[0].secret)))).toBe(scryptKs.pubkey);
  });

  it('verifies a real deposit signature with the POP DST and rejects it under NUL', () => {
    const { signingRoot, pubkey, signature } = findEntry();
    expect(verify(pubkey, signingRoot, signature)).toBe(true);
    const sigs = bls12_381.longSignatures;
    const nul = sigs.hash(signingRoot); // noble's default DST is the _NUL_ suite
    expect(sigs.verify(signature, nul, pubkey)).toBe(false);
    expect(sigs.verify(signature, sigs.hash(signingRoot, POP_DST), pubkey)).toBe(true);
  });

  it('sign is deterministic and verifies; a different message or key fails', () => {
    const sk = secretKeyFromScalar(123456789n);
    const msg = new Uint8Array(32).fill(7);
    const s1 = sign(sk, msg);
    expect(s1.length).toBe(96);
    expect(bytesToHex(sign(sk, msg))).toBe(bytesToHex(s1));
    const pk = secretToPublicKey(sk);
    expect(verify(pk, msg, s1)).toBe(true);
    expect(verify(pk, new Uint8Array(32).fill(8), s1)).toBe(false);
    expect(verify(secretToPublicKey(secretKeyFromScalar(2n)), msg, s1)).toBe(false);
  });

  it('refuses secret keys 0, r and wrong lengths', () => {
    expect(() => secretToPublicKey(new Uint8Array(32))).toThrow(RangeError);
    const r = new Uint8Array(32);
    let v = CURVE_ORDER;
    for (let i = 31; i >= 0; i--) { r[i] = Number(v & 0xffn); v >>= 8n; }
    expect(() => secretToPublicKey(r)).toThrow(RangeError);
    expect(() => sign(r, new Uint8Array(32))).toThrow(RangeError);
    expect(() => secretToPublicKey(new Uint8Array(31))).toThrow(TypeError);
  });

  it('strict public key decoding: infinity, uncompressed flag, off-curve, outside the subgroup', () => {
    const inf = new Uint8Array(48);
    inf[0] = 0xc0;
    expect(() => parsePublicKey(inf)).toThrow(/infinity|valid/);
    const { pubkey, signature, signingRoot } = findEntry();
    const unflagged = pubkey.slice();
    unflagged[0]! &= 0x7f;
    expect(() => parsePublicKey(unflagged)).toThrow(/compressed/);
    const offCurve = pubkey.slice();
    offCurve[47]! ^= 1;
    // flipping a bit gives either an x with no y on the curve or a point outside G1: both refused
    expect(() => parsePublicKey(offCurve)).toThrow(RangeError);
    const bad = nonSubgroupG1();
    expect(() => parsePublicKey(bad)).toThrow(/not a valid G1 point/);
    expect(verify(bad, signingRoot, signature)).toBe(false);
    expect(() => parsePublicKey(new Uint8Array(47))).toThrow(TypeError);
  });

  it('strict signature decoding and verify never throws on garbage', () => {
    const { pubkey, signature, signingRoot } = findEntry();
    const inf = new Uint8Array(96);
    inf[0] = 0xc0;
    expect(() => parseSignature(inf)).toThrow(RangeError);
    expect(verify(pubkey, signingRoot, inf)).toBe(false);
    const flipped = signature.slice();
    flipped[95]! ^= 1;
    expect(verify(pubkey, signingRoot, flipped)).toBe(false);
    expect(verify(pubkey, signingRoot, new Uint8Array(96).fill(0xff))).toBe(false);
    expect(verify(new Uint8Array(48), signingRoot, signature)).toBe(false);
    expect(() => parseSignature(new Uint8Array(95))).toThrow(TypeError);
  });
});
