/**
 * The keys pipeline in-process with low-cost KDF parameters injected (the CLI always uses the
 * EIP-2335 defaults; the one slow end-to-end test is in test/cli/keys.test.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { decrypt } from '@chainsafe/bls-keystore';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretToPublicKey } from '../../../src/core/eth/bls.js';
import { addressWithdrawalCredentials, checkDepositEntry, parseDepositData } from '../../../src/core/eth/deposit.js';
import { UsageError } from '../../../src/core/errors.js';
import { serializeKeystore, type KdfChoice } from '../../../src/core/eth/keystore-format.js';
import { mnemonicToSeed } from '../../../src/core/mnemonic/mnemonic.js';
import { knownNetwork, resolveNetwork } from '../../../src/core/eth/networks.js';
import { generateKeys, VerificationError, type GenerateParams, type KeysRunner } from '../../../src/cli/keys/generate.js';
import { inProcessRunner } from '../../../src/cli/keys/runners.js';
import { buildValidator, KeystoreSelfCheckError } from '../../../src/cli/keys/validator-task.js';
import { FIXTURES, mkTmp, rmTmp } from '../../helpers/cli.js';

const KEYS = path.join(FIXTURES, 'keys');
const MNEMONIC = 'test test test test test test test test test test test waste';
const ADDRESS = hexToBytes('0f51bb10119727a7e5ea3538074fb341f56b09ad');
const PASSWORD = 'correct horse battery';
const CHEAP_SCRYPT: KdfChoice = { function: 'scrypt', params: { dklen: 32, n: 16, r: 8, p: 1 } };
const CHEAP_PBKDF2: KdfChoice = { function: 'pbkdf2', params: { c: 16, dklen: 32, prf: 'hmac-sha256' } };
const NO_PROGRESS = { tick() {}, done() {} };

let tmp: string;
beforeEach(() => { tmp = mkTmp('coldstake-keys-'); });
afterEach(() => rmTmp(tmp));

function params(over: Partial<GenerateParams> = {}): GenerateParams {
  return {
    seed: mnemonicToSeed(MNEMONIC),
    startIndex: 0,
    count: 2,
    password: PASSWORD,
    kdf: CHEAP_SCRYPT,
    withdrawalCredentials: addressWithdrawalCredentials(ADDRESS, false),
    amount: 32_000_000_000,
    network: knownNetwork('hoodi'),
    depositCliVersion: '1.3.0',
    outDir: path.join(tmp, 'out'),
    unixtime: 1785211442,
    createdOutDir: true,
    ...over,
  };
}

function vector(dir: string): string {
  const d = path.join(KEYS, 'lighthouse_edc', dir);
  return fs.readFileSync(path.join(d, fs.readdirSync(d)[0]!), 'utf8');
}

describe('generateKeys', () => {
  it('writes ethstaker-identical deposit data and decryptable 0600 keystores', async () => {
    const p = params();
    fs.mkdirSync(p.outDir);
    const r = await generateKeys(p, inProcessRunner(2), NO_PROGRESS);
    const names = fs.readdirSync(p.outDir).sort();
    expect(names).toEqual(['deposit_data-1785211442.json', 'keystore-m_12381_3600_0_0_0-1785211442.json', 'keystore-m_12381_3600_1_0_0-1785211442.json']);
    // The same bytes as ethstaker-deposit-cli 1.3.0's file for this mnemonic (version pinned to 1.3.0 here).
    expect(fs.readFileSync(r.depositFile, 'utf8')).toBe(vector('hoodi_first_0_count_2_prefix_0x01_eth1_true'));
    expect(r.depositFileSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(r.depositFile).mode & 0o777).toBe(0o600);
    // One KDF for the batch, one for the re-verification, which opens every keystore from disk.
    expect(r.kdfRuns).toBe(2);
    expect(r.verified).toEqual({ keystoresByteIdentical: 2, keystoresFullKdf: 2, depositEntries: 2 });
    const salts = new Set<string>();
    const ivs = new Set<string>();
    const uuids = new Set<string>();
    for (const v of r.validators) {
      const st = fs.statSync(v.keystoreFile);
      expect(st.mode & 0o777).toBe(0o600);
      const text = fs.readFileSync(v.keystoreFile, 'utf8');
      const ks = JSON.parse(text);
      expect(Object.keys(ks)).toEqual(['crypto', 'description', 'pubkey', 'path', 'uuid', 'version']);
      expect(Object.keys(ks.crypto.kdf.params)).toEqual(['dklen', 'n', 'r', 'p', 'salt']);
      expect(ks.path).toBe(`m/12381/3600/${v.index}/0/0`);
      expect(ks.description).toBe('');
      expect(ks.pubkey).toBe(v.pubkey);
      salts.add(ks.crypto.kdf.params.salt);
      ivs.add(ks.crypto.cipher.params.iv);
      uuids.add(ks.uuid);
      // File by file with @chainsafe/bls-keystore, as a client would.
      const secret = await decrypt(ks, PASSWORD);
      expect(bytesToHex(secretToPublicKey(secret))).toBe(v.pubkey);
      await expect(decrypt(ks, 'wrong password!!')).rejects.toThrow();
    }
    expect([salts.size, ivs.size, uuids.size]).toEqual([1, 2, 2]);
  });

  it('--kdf-salt per-keystore: one salt and one KDF run per keystore, one re-derived from disk', async () => {
    const p = params({ count: 3, kdfSalt: 'per-keystore' });
    fs.mkdirSync(p.outDir);
    const r = await generateKeys(p, inProcessRunner(2), NO_PROGRESS);
    expect(r.kdfRuns).toBe(4);
    expect(r.verified).toEqual({ keystoresByteIdentical: 3, keystoresFullKdf: 1, depositEntries: 3 });
    const kss = r.validators.map((v) => JSON.parse(fs.readFileSync(v.keystoreFile, 'utf8')));
    expect(new Set(kss.map((k) => k.crypto.kdf.params.salt)).size).toBe(3);
    for (const [k, ks] of kss.entries()) expect(bytesToHex(secretToPublicKey(await decrypt(ks, PASSWORD)))).toBe(r.validators[k]!.pubkey);
  });

  it('a batch of 40 (more than one open chunk per worker): one salt, every keystore opened by the re-derived key', async () => {
    const p = params({ count: 40, kdf: CHEAP_PBKDF2 });
    fs.mkdirSync(p.outDir);
    let opened = 0;
    const base = inProcessRunner(2);
    const runner: KeysRunner = { ...base, open: async (key, items) => { opened += items.length; return base.open(key, items); } };
    const r = await generateKeys(p, runner, NO_PROGRESS);
    expect(opened).toBe(40);
    expect(r.verified.keystoresFullKdf).toBe(40);
    const salts = new Set(r.validators.map((v) => JSON.parse(fs.readFileSync(v.keystoreFile, 'utf8')).crypto.kdf.params.salt));
    expect(salts.size).toBe(1);
  }, 120_000);

  it('0x02 with a start index and pbkdf2, matching the mainnet compounding vector', async () => {
    const p = params({ network: knownNetwork('mainnet'), kdf: CHEAP_PBKDF2, withdrawalCredentials: addressWithdrawalCredentials(ADDRESS, true), unixtime: 1785211397 });
    fs.mkdirSync(p.outDir);
    const r = await generateKeys(p, inProcessRunner(1), NO_PROGRESS);
    expect(fs.readFileSync(r.depositFile, 'utf8')).toBe(vector('mainnet_first_0_count_2_prefix_0x02_eth1_true'));
    const ks = JSON.parse(fs.readFileSync(r.validators[1]!.keystoreFile, 'utf8'));
    expect(ks.crypto.kdf.function).toBe('pbkdf2');
    expect(Object.keys(ks.crypto.kdf.params)).toEqual(['c', 'dklen', 'prf', 'salt']);
    const p2 = params({ startIndex: 4294967294, count: 2, outDir: path.join(tmp, 'high') });
    fs.mkdirSync(p2.outDir);
    const r2 = await generateKeys(p2, inProcessRunner(2), NO_PROGRESS);
    expect(r2.validators.map((v) => v.path)).toEqual(['m/12381/3600/4294967294/0/0', 'm/12381/3600/4294967295/0/0']);
  });

  it('a devnet from --fork-version: its name and fork version in every entry, signed for its domain', async () => {
    const network = resolveNetwork('kurtosis', '0x10000038');
    const p = params({ network, count: 1 });
    fs.mkdirSync(p.outDir);
    const r = await generateKeys(p, inProcessRunner(1), NO_PROGRESS);
    const [e] = parseDepositData(fs.readFileSync(r.depositFile, 'utf8'), r.depositFile);
    expect(e!.networkName).toBe('kurtosis');
    expect(bytesToHex(e!.forkVersion)).toBe('10000038');
    expect(checkDepositEntry(e!, network.depositDomain).signatureOk).toBe(true);
    expect(checkDepositEntry(e!, knownNetwork('hoodi').depositDomain).signatureOk).toBe(false);
  });

  it('a failing task leaves nothing behind and removes the directory it created', async () => {
    const p = params({ count: 4 });
    const base = inProcessRunner(2);
    let n = 0;
    const runner: KeysRunner = { ...base, build: (job) => (++n === 3 ? Promise.reject(new KeystoreSelfCheckError('test')) : base.build(job)) };
    fs.mkdirSync(p.outDir);
    await expect(generateKeys(p, runner, NO_PROGRESS)).rejects.toThrow(KeystoreSelfCheckError);
    expect(fs.existsSync(p.outDir)).toBe(false);
  });

  it('keeps a directory the user made, but empties it, on failure', async () => {
    const p = params({ count: 3, createdOutDir: false });
    fs.mkdirSync(p.outDir);
    const base = inProcessRunner(1);
    // The re-verification's key opens a keystore to another pubkey.
    const runner: KeysRunner = { ...base, open: async (key, items) => (await base.open(key, items)).map((o, k) => (k === 0 ? { ...o, derivedPubkey: 'aa'.repeat(48) } : o)) };
    await expect(generateKeys(p, runner, NO_PROGRESS)).rejects.toThrow(VerificationError);
    expect(fs.readdirSync(p.outDir)).toEqual([]);
    // Per-keystore salts: the one full-KDF decryption finds the wrong key.
    const perKeystore: KeysRunner = { ...base, decrypt: async () => new Uint8Array(48) };
    await expect(generateKeys({ ...p, kdfSalt: 'per-keystore' }, perKeystore, NO_PROGRESS)).rejects.toThrow(VerificationError);
    expect(fs.readdirSync(p.outDir)).toEqual([]);
  });

  it('a deposit entry that does not match its keystore or parameters fails re-verification', async () => {
    const p = params({ count: 2 });
    fs.mkdirSync(p.outDir);
    const base = inProcessRunner(1);
    const runner: KeysRunner = {
      ...base,
      build: async (job) => {
        const out = await base.build(job);
        return job.index === 1 ? { ...out, depositJson: out.depositJson.replace('"amount": 32000000000', '"amount": 31000000000') } : out;
      },
    };
    await expect(generateKeys(p, runner, NO_PROGRESS)).rejects.toThrow(/deposit entry 1 has a wrong root/);
    expect(fs.existsSync(p.outDir)).toBe(false);
  });

  it('a keystore changed on disk after writing fails re-verification', async () => {
    const p = params({ count: 2 });
    fs.mkdirSync(p.outDir);
    let tampered = false;
    // Simulate corruption between the task's check and the disk: the progress tick comes right after a
    // keystore is written, so the first tick changes that file (the on-disk comparison must catch it).
    // Deterministic whatever order the jobs finish in.
    const progress = {
      tick() {
        if (tampered) return;
        tampered = true;
        const f = fs.readdirSync(p.outDir).find((n) => n.startsWith('keystore-'))!;
        fs.chmodSync(path.join(p.outDir, f), 0o600);
        fs.appendFileSync(path.join(p.outDir, f), ' ');
      },
      done() {},
    };
    await expect(generateKeys(p, inProcessRunner(1), progress)).rejects.toThrow(/differs from what was checked|re-verification/);
    expect(tampered).toBe(true);
    expect(fs.existsSync(p.outDir)).toBe(false);
  });

  it('a disk that fills up gives one usage error and leaves nothing', async (ctx) => {
    const mnt = path.join(tmp, 'small');
    fs.mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      ctx.skip(); // mount needs root and a kernel that allows it here
      return;
    }
    try {
      const p = params({ count: 4, outDir: path.join(mnt, 'out') });
      fs.mkdirSync(p.outDir);
      const err = await generateKeys(p, inProcessRunner(2), NO_PROGRESS).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/no space left on device/);
      expect(fs.existsSync(p.outDir)).toBe(false);
      expect(fs.readdirSync(mnt)).toEqual([]);
    } finally {
      execFileSync('umount', [mnt], { stdio: 'ignore' });
    }
  });
});

describe('buildValidator', () => {
  it('serialises keystores byte for byte like deposit-cli (ethdo test keystore round-trip)', async () => {
    // The ethdo test keystore was written by deposit-cli: our serialiser reproduces its bytes from its fields.
    const text = fs.readFileSync(path.join(KEYS, 'ethdo', 'keystore-m_12381_3600_0_0_0-ethdo-test.json'), 'utf8').trimEnd();
    const ks = JSON.parse(text);
    expect(
      serializeKeystore({
        kdf: { function: 'scrypt', params: { dklen: 32, n: ks.crypto.kdf.params.n, r: 8, p: 1 } },
        salt: hexToBytes(ks.crypto.kdf.params.salt),
        checksum: hexToBytes(ks.crypto.checksum.message),
        iv: hexToBytes(ks.crypto.cipher.params.iv),
        ciphertext: hexToBytes(ks.crypto.cipher.message),
        pubkey: hexToBytes(ks.pubkey),
        path: ks.path,
        uuid: ks.uuid,
      }),
    ).toBe(text);
  });

  it('zeroes the signing key it was given', async () => {
    const sk = new Uint8Array(32);
    sk[31] = 5;
    const job = {
      index: 0, path: 'm/12381/3600/0/0/0', signingSk: sk, password: PASSWORD, kdf: CHEAP_SCRYPT,
      withdrawalCredentials: addressWithdrawalCredentials(ADDRESS, false), amount: 32_000_000_000,
      network: knownNetwork('hoodi'), depositCliVersion: '0.1.0',
    };
    const out = await buildValidator(job);
    expect(sk.every((b) => b === 0)).toBe(true);
    expect(JSON.parse(out.keystoreJson).pubkey).toBe(bytesToHex(out.pubkey));
  });
});

describe('keysPoolSize', () => {
  it('is bounded by jobs and by half the free memory', async () => {
    const { keysPoolSize, kdfMemoryBytes } = await import('../../../src/cli/keys/runners.js');
    const scrypt: KdfChoice = { function: 'scrypt', params: { dklen: 32, n: 262144, r: 8, p: 1 } };
    expect(kdfMemoryBytes(scrypt)).toBe(256 * 1024 * 1024 + 3 * 1024); // OpenSSL's 128·r·(n+p+2)
    expect(keysPoolSize(1, scrypt, 64 * 2 ** 30)).toBe(1);
    expect(keysPoolSize(1000, scrypt, 100 * 2 ** 20)).toBe(1); // too little memory: still one worker
    expect(keysPoolSize(1000, scrypt, 700 * 2 ** 20)).toBe(1); // 350 MiB usable / 304 MiB per worker
    expect(keysPoolSize(1000, CHEAP_PBKDF2, 700 * 2 ** 20)).toBeGreaterThanOrEqual(1);
    // One KDF per batch: the workers hold no KDF memory while building, so only the cores count.
    expect(keysPoolSize(1000, scrypt, 100 * 2 ** 20, 'per-batch')).toBe(keysPoolSize(1000, CHEAP_PBKDF2, 64 * 2 ** 30));
  });

  it('gives the re-verification a thread of its own only when the memory allows one KDF more', async () => {
    const { separateVerifyThread } = await import('../../../src/cli/keys/runners.js');
    const scrypt: KdfChoice = { function: 'scrypt', params: { dklen: 32, n: 262144, r: 8, p: 1 } };
    // 304 MiB + 3 KiB per scrypt thread, half the free memory usable.
    const perThread = 304 * 2 ** 20 + 3 * 1024;
    expect(separateVerifyThread(2, scrypt, 2 * 3 * perThread)).toBe(true);
    expect(separateVerifyThread(2, scrypt, 2 * 3 * perThread - 1)).toBe(false);
    expect(separateVerifyThread(1, scrypt, 700 * 2 ** 20)).toBe(false);
    expect(separateVerifyThread(8, CHEAP_PBKDF2, 2 ** 30)).toBe(true);
  });
});
