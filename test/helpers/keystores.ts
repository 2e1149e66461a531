/**
 * Low-cost EIP-2335 keystores made at test time with @chainsafe/bls-keystore (the library the
 * CLI decrypts with), so CLI tests need not run scrypt at n=2^18. The secrets are public test
 * values: the ERC-2335 vector secret and the ethdo test secret (fixtures/keystore/PROVENANCE.md),
 * with their pubkeys computed by @noble/curves.
 */
import fs from 'node:fs';
import path from 'node:path';
import { create } from '@chainsafe/bls-keystore';
import { bls12_381 } from '@noble/curves/bls12-381.js';

export const TEST_PASSWORD = 'correct horse battery staple';
export const SECRETS = [
  '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  '6d1e7aee0944afde71b6f2f8ab5884408aff451795759b4b8aed0b7145dea7ab',
] as const;

export function pubkeyOf(secretHex: string): string {
  return Buffer.from(bls12_381.longSignatures.getPublicKey(Buffer.from(secretHex, 'hex')).toBytes(true)).toString('hex');
}

export interface MakeKeystoreOptions {
  secret?: string;
  path?: string;
  password?: string;
  /** pbkdf2 iterations (default 2^18: not weak, ~0.1 s natively). */
  c?: number;
  salt?: string;
  iv?: string;
}

/** A pbkdf2 keystore object. */
export async function makeKeystore(o: MakeKeystoreOptions = {}): Promise<Record<string, any>> {
  const secret = o.secret ?? SECRETS[0];
  const salt = o.salt ?? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
  const iv = o.iv ?? Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
  const ks = await create(
    o.password ?? TEST_PASSWORD,
    Buffer.from(secret, 'hex'),
    Buffer.from(pubkeyOf(secret), 'hex'),
    o.path ?? 'm/12381/3600/0/0/0',
    null,
    { function: 'pbkdf2', params: { dklen: 32, c: o.c ?? 2 ** 18, prf: 'hmac-sha256', salt } },
    { function: 'sha256' },
    { function: 'aes-128-ctr', params: { iv } },
  );
  return JSON.parse(JSON.stringify(ks));
}

/** Write a keystore object as `name` in `dir` with mode 0600 (unless given). */
export function writeKeystore(dir: string, name: string, ks: unknown, mode = 0o600): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${JSON.stringify(ks, null, 2)}\n`, { mode });
  fs.chmodSync(file, mode);
  return file;
}

/** The Lighthouse test mnemonic behind fixtures/deposit (fixtures/deposit/PROVENANCE.md). */
export const LIGHTHOUSE_MNEMONIC = 'test test test test test test test test test test test waste';
