/**
 * `keystore verify` on Zond keystores through the real binary: qrysm's own keystore vector (the ONE
 * slow test of the Zond work: argon2id m=256 MiB in pure JS, ~30 s), a mixed Ethereum/Zond/gqrl
 * directory, a keystore only the raw (not NFKD) password opens, tampering, and files of other eras
 * or with hostile KDF parameters refused before any KDF runs. Crafted keystores use m=64 KiB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveZondChildSeed, zondPublicKey, zondValidatorPath } from '../../src/core/zond/derivation.js';
import { deriveZondKeystoreKey, sealZondKeystore } from '../../src/core/zond/keystore.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const ZFX = path.join(FIXTURES, 'zond');
const wallet = JSON.parse(fs.readFileSync(path.join(ZFX, 'wallet_vectors.json'), 'utf8'));
const SEED = hexToBytes((wallet.cases[1].extended_seed as string).slice(6));

let tmp: string;
beforeAll(() => { tmp = mkTmp('coldstake-zond-ks-'); });
afterAll(() => rmTmp(tmp));

async function craft(dir: string, name: string, index: number, password: string, opts: { salt?: string; iv?: string; pubkeyOf?: number } = {}): Promise<string> {
  // A tiny argon2id (t=2, m=64 KiB): these tests are about recognition and verdicts, not KDF strength.
  const kdf = { t: 2, m: 64, p: 1, dklen: 32 as const, salt: opts.salt ?? bytesToHex(crypto.getRandomValues(new Uint8Array(32))) };
  const key = await deriveZondKeystoreKey(kdf, password);
  const child = deriveZondChildSeed(SEED, index);
  const text = sealZondKeystore(key, child, { kdf, iv: opts.iv ? hexToBytes(opts.iv) : crypto.getRandomValues(new Uint8Array(12)), pubkey: zondPublicKey(deriveZondChildSeed(SEED, opts.pubkeyOf ?? index)), path: zondValidatorPath(index), uuid: crypto.randomUUID() });
  const file = path.join(dir, name);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

function verify(args: string[], password: string) {
  const pw = path.join(tmp, `pw-${Math.random().toString(16).slice(2)}`);
  fs.writeFileSync(pw, `${password}\n`, { mode: 0o600 });
  const r = runCli(['keystore', 'verify', ...args, '--password-file', pw, '--json'], { timeoutMs: 170_000 });
  assertCleanStderr(r.stderr);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}
const ids = (report: { findings: Array<{ id: string; subject: string }> }, file?: string) => report.findings.filter((f) => file === undefined || f.subject === file).map((f) => f.id).sort();

describe('keystore verify: Zond', () => {
  it('SLOW (argon2id m=256 MiB): qrysm\'s "Good" keystore vector decrypts to the seed of its pubkey', () => {
    const file = path.join(tmp, 'qrysm-good.json');
    fs.copyFileSync(path.join(ZFX, 'qrysm-keystore-good-validator-shape.json'), file);
    fs.chmodSync(file, 0o600);
    const r = verify([file], '1234567890');
    expect(r.code).toBe(0);
    const k = r.report.keystores[0];
    expect(k).toMatchObject({ family: 'zond', kind: 'validator-keystore', ok: true, shape: 'validator', decrypted: 'ok', password_form: 'normalised', kdf: { function: 'argon2id', t: 8, m: 262144, p: 1 } });
    const good = JSON.parse(fs.readFileSync(path.join(ZFX, 'keystore_vectors.json'), 'utf8')).decrypt.find((c: { name: string }) => c.name === 'Good');
    expect(k.pubkey).toBe(`0x${bytesToHex(zondPublicKey(hexToBytes(good.plaintext)))}`);
    expect(ids(r.report)).toEqual(['zond-format-pinned']);
  });

  it('a mixed directory: Ethereum and Zond keystores and a go-qrl account file, one password read', async () => {
    const dir = path.join(tmp, 'mixed');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(FIXTURES, 'keystore', 'keystore-m_12381_3600_0_0_0-ethdo-test.json'), path.join(dir, 'keystore-eth.json'));
    fs.chmodSync(path.join(dir, 'keystore-eth.json'), 0o600);
    const z0 = await craft(dir, 'keystore-m_12381_238_0_0-1.json', 0, 'testtest');
    const z1 = await craft(dir, 'keystore-m_12381_238_1_0-1.json', 1, 'testtest', { pubkeyOf: 2 });
    const acct = path.join(dir, 'UTC--2025-11-06T07-34-54Z--Q31fec69e.json');
    fs.copyFileSync(path.join(ZFX, 'real', 'keystores', 'goqrl-2026-02-06-aba0a074-UTC--2025-11-06T07-34-54.273240000Z--Q31fec69ece96b8cdac5814.json'), acct);
    fs.chmodSync(acct, 0o644);
    const r = verify([dir], 'testtest');
    expect(r.code).toBe(1);
    const families = r.report.keystores.map((k: { family?: string; file: string }) => `${path.basename(k.file)}:${k.family ?? 'eth'}`).sort();
    expect(families).toEqual(['UTC--2025-11-06T07-34-54Z--Q31fec69e.json:zond', 'keystore-eth.json:eth', 'keystore-m_12381_238_0_0-1.json:zond', 'keystore-m_12381_238_1_0-1.json:zond']);
    expect(r.report.keystores.find((k: { file: string }) => k.file.endsWith('keystore-eth.json')).decrypted).toBe('ok');
    expect(ids(r.report, z0)).toEqual(['zond-keystore-weak-kdf']);
    expect(ids(r.report, z1)).toEqual(['zond-keystore-pubkey-mismatch', 'zond-keystore-weak-kdf']);
    expect(ids(r.report, acct)).toEqual(['zond-keystore-account-file']);
    expect(r.report.findings.find((f: { id: string }) => f.id === 'zond-keystore-account-file').message).toMatch(/wallet ACCOUNT keystore .*not a validator keystore/);
  });

  it('flags a keystore only the raw password opens, IV reuse and duplicates', async () => {
    const dir = path.join(tmp, 'raw');
    fs.mkdirSync(dir);
    const raw = 'Müller-password-2026';
    const a = await craft(dir, 'keystore-a.json', 0, raw.normalize('NFC'));
    const salt = 'cd'.repeat(32);
    const b = await craft(dir, 'keystore-b.json', 1, raw, { salt, iv: '11'.repeat(12) });
    const c = await craft(dir, 'keystore-c.json', 1, raw, { salt, iv: '11'.repeat(12) });
    const d = await craft(dir, 'keystore-d.json', 2, raw, { salt, iv: '11'.repeat(12) });
    const r = verify([dir], raw);
    expect(r.code).toBe(1);
    expect(ids(r.report, a)).toEqual(['zond-keystore-raw-password-only', 'zond-keystore-weak-kdf']);
    expect(r.report.keystores.find((k: { file: string }) => k.file === a).password_form).toBe('raw-only');
    // b and c: copies of one key under one salt and IV: a duplicate; d: another seed under the same
    // key and IV: GCM nonce reuse.
    expect(ids(r.report).filter((id: string) => id.startsWith('zond-keystore-d') || id.startsWith('zond-keystore-iv'))).toEqual(['zond-keystore-duplicate-pubkey', 'zond-keystore-iv-reuse']);
    expect([b, c]).toContain(r.report.findings.find((f: { id: string }) => f.id === 'zond-keystore-duplicate-pubkey').subject);
    expect(r.report.findings.find((f: { id: string }) => f.id === 'zond-keystore-iv-reuse').evidence.files).toEqual(expect.arrayContaining([b, c, d]));
  });

  it('refuses other eras and hostile KDF parameters with exit 2, before any KDF', () => {
    const dir = path.join(tmp, 'hostile');
    fs.mkdirSync(dir);
    const good = JSON.parse(fs.readFileSync(path.join(ZFX, 'qrysm-keystore-good-validator-shape.json'), 'utf8'));
    const bomb = structuredClone(good);
    bomb.crypto.kdf.params.m = 4 * 1024 * 1024;
    fs.writeFileSync(path.join(dir, 'keystore-bomb.json'), JSON.stringify(bomb), { mode: 0o600 });
    const older = { crypto: { kdf: { function: 'custom', params: { dklen: 32, salt: 'aa'.repeat(32) }, message: '' }, checksum: { function: 'sha256', params: {}, message: '' }, cipher: { function: 'aes-128-ctr', params: { iv: 'bb'.repeat(16) }, message: 'cc'.repeat(48) } }, description: '', pubkey: good.pubkey, path: 'm/12381/238/0/0/0', uuid: good.uuid, version: 4 };
    fs.writeFileSync(path.join(dir, 'keystore-older.json'), JSON.stringify(older), { mode: 0o600 });
    const t0 = Date.now();
    const r = verify([dir], 'irrelevant-password');
    expect(r.code).toBe(2);
    expect(Date.now() - t0).toBeLessThan(60_000);
    expect(ids(r.report)).toEqual(['zond-format-pinned', 'zond-keystore-kdf-bounds', 'zond-keystore-older-format']);
    expect(r.report.findings.find((f: { id: string }) => f.id === 'zond-keystore-older-format').message).toMatch(/older Zond keystore format .*qrysm before 2025-07-11/);
    expect(r.report.findings.find((f: { id: string }) => f.id === 'zond-keystore-kdf-bounds').message).toMatch(/above the 1 GiB limit/);
  });
});
