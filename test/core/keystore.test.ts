import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertKdfWithinBounds,
  classifyPath,
  kdfBounds,
  kdfStrength,
  KeystoreError,
  parseKeystore,
  type KdfModule,
} from '../../src/core/eth/keystore.js';
import { FIXTURES } from '../helpers/cli.js';
import { cpuMs } from '../helpers/cpu.js';

const DIR = path.join(FIXTURES, 'keystore');
const load = (name: string): Record<string, any> => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8'));
const VECTORS = ['scrypt_keystore.json', 'pbkdf2_keystore.json', 'pbkdf2-0.json', 'pbkdf2-1.json', 'scrypt-0.json', 'scrypt-1.json', 'keystore-m_12381_3600_0_0_0-ethdo-test.json'];

function problem(json: unknown): KeystoreError {
  try {
    const parsed = parseKeystore(json, 'k.json');
    assertKdfWithinBounds(parsed.keystore.crypto.kdf, 'k.json');
  } catch (err) {
    expect(err).toBeInstanceOf(KeystoreError);
    return err as KeystoreError;
  }
  throw new Error('expected a KeystoreError');
}

describe('parseKeystore on every vector', () => {
  for (const name of VECTORS) {
    it(name, () => {
      const json = load(name);
      const { keystore, unknownFields, secretLikeFields } = parseKeystore(json, name);
      expect(keystore.pubkey).toBe(String(json.pubkey).toLowerCase());
      expect(keystore.crypto.cipher.message).toBe(json.crypto.cipher.message);
      expect(kdfBounds(keystore.crypto.kdf)).toEqual([]);
      expect(kdfStrength(keystore.crypto.kdf).weak).toBe(false);
      // ChainSafe vectors carry their password and secret in the file; that must be noticed.
      expect(secretLikeFields.sort()).toEqual(name.includes('-') && !name.startsWith('keystore') ? ['password', 'secret'] : []);
      expect(unknownFields).toEqual(expect.arrayContaining(secretLikeFields));
    });
  }
});

describe('schema errors name the field', () => {
  const base = () => load('pbkdf2_keystore.json');
  const cases: Array<[string, (j: any) => void, string, string]> = [
    ['version 3', (j) => { j.version = 3; }, 'keystore-version', 'version'],
    ['version string', (j) => { j.version = '4'; }, 'keystore-version', 'version'],
    ['version missing', (j) => { delete j.version; }, 'keystore-version', 'version'],
    ['crypto missing', (j) => { delete j.crypto; }, 'keystore-schema', 'crypto'],
    ['kdf function', (j) => { j.crypto.kdf.function = 'argon2'; }, 'keystore-schema', 'crypto.kdf.function'],
    ['prf', (j) => { j.crypto.kdf.params.prf = 'hmac-sha512'; }, 'keystore-schema', 'crypto.kdf.params.prf'],
    ['c float', (j) => { j.crypto.kdf.params.c = 1.5; }, 'keystore-schema', 'crypto.kdf.params.c'],
    ['c string', (j) => { j.crypto.kdf.params.c = '262144'; }, 'keystore-schema', 'crypto.kdf.params.c'],
    ['c zero', (j) => { j.crypto.kdf.params.c = 0; }, 'keystore-schema', 'crypto.kdf.params.c'],
    ['kdf message', (j) => { j.crypto.kdf.message = 'x'; }, 'keystore-schema', 'crypto.kdf.message'],
    ['extra kdf param', (j) => { j.crypto.kdf.params.n = 2; }, 'keystore-schema', 'crypto.kdf.params.n'],
    ['salt odd', (j) => { j.crypto.kdf.params.salt += 'a'; }, 'keystore-schema', 'crypto.kdf.params.salt'],
    ['salt not hex', (j) => { j.crypto.kdf.params.salt = 'zz'; }, 'keystore-schema', 'crypto.kdf.params.salt'],
    ['checksum fn', (j) => { j.crypto.checksum.function = 'keccak256'; }, 'keystore-schema', 'crypto.checksum.function'],
    ['checksum short', (j) => { j.crypto.checksum.message = j.crypto.checksum.message.slice(2); }, 'keystore-schema', 'crypto.checksum.message'],
    ['checksum params', (j) => { j.crypto.checksum.params = { a: 1 }; }, 'keystore-schema', 'crypto.checksum.params'],
    ['cipher fn', (j) => { j.crypto.cipher.function = 'aes-256-gcm'; }, 'keystore-schema', 'crypto.cipher.function'],
    ['iv long', (j) => { j.crypto.cipher.params.iv += '00'; }, 'keystore-schema', 'crypto.cipher.params.iv'],
    ['cipher message long', (j) => { j.crypto.cipher.message += '00'; }, 'keystore-schema', 'crypto.cipher.message'],
    ['pubkey 47 bytes', (j) => { j.pubkey = j.pubkey.slice(2); }, 'keystore-schema', 'pubkey'],
    ['pubkey number', (j) => { j.pubkey = 5; }, 'keystore-schema', 'pubkey'],
    ['path number', (j) => { j.path = 0; }, 'keystore-schema', 'path'],
    ['pubkey null', (j) => { j.pubkey = null; }, 'keystore-schema', 'pubkey'],
    ['uuid number', (j) => { j.uuid = 7; }, 'keystore-schema', 'uuid'],
    ['uuid', (j) => { j.uuid = 'not-a-uuid'; }, 'keystore-schema', 'uuid'],
    ['description', (j) => { j.description = 1; }, 'keystore-schema', 'description'],
    ['array root', (j) => { Object.setPrototypeOf(j, Array.prototype); }, 'keystore-schema', '(root)'],
    ['dklen 64', (j) => { j.crypto.kdf.params.dklen = 64; }, 'keystore-kdf-bounds', 'crypto.kdf.params.dklen'],
    ['c huge', (j) => { j.crypto.kdf.params.c = 2 ** 40; }, 'keystore-kdf-bounds', 'crypto.kdf.params.c'],
    ['c 1e300', (j) => { j.crypto.kdf.params.c = 1e300; }, 'keystore-kdf-bounds', 'crypto.kdf.params.c'],
  ];
  for (const [name, mutate, id, field] of cases) {
    it(name, () => {
      const j = name === 'array root' ? [] : base();
      if (name !== 'array root') mutate(j);
      const e = problem(j);
      expect(e.id).toBe(id);
      expect(e.field).toBe(field);
      expect(e.message.startsWith(`k.json: ${field}: `)).toBe(true);
      expect(e.detail).not.toMatch(/\.$/);
    });
  }
});

describe('KDF bombs are refused without running the KDF', () => {
  const scrypt = (n: number, r: number, p: number, dklen = 32): KdfModule => ({ function: 'scrypt', params: { n, r, p, dklen, salt: '00'.repeat(32) }, message: '' });
  it.each([
    ['1 TiB of memory', scrypt(2 ** 33, 1, 1), 'crypto.kdf.params.n'],
    ['huge r', scrypt(2 ** 18, 2 ** 20, 1), 'crypto.kdf.params.n'],
    ['huge p', scrypt(2 ** 18, 8, 2 ** 20), 'crypto.kdf.params.p'],
    ['n not a power of two', scrypt(262143, 8, 1), 'crypto.kdf.params.n'],
    ['n = 1', scrypt(1, 8, 1), 'crypto.kdf.params.n'],
    ['dklen 2^31', scrypt(2 ** 18, 8, 1, 2 ** 31), 'crypto.kdf.params.dklen'],
    ['n beyond 2^53', scrypt(2 ** 60, 8, 1), 'crypto.kdf.params.n'],
  ])('%s', (_name, kdf, field) => {
    // CPU time, not wall time: a loaded machine's wait for a core is not work done.
    const { value: v, ms } = cpuMs(() => kdfBounds(kdf));
    expect(ms).toBeLessThan(200);
    expect(v.length).toBeGreaterThan(0);
    expect(v[0]!.field).toBe(field);
    expect(() => assertKdfWithinBounds(kdf)).toThrow(KeystoreError);
  });
  it('a 1 GiB scrypt (n=2^20, r=8) is within the memory bound', () => {
    expect(kdfBounds(scrypt(2 ** 20, 8, 1))).toEqual([]);
    expect(kdfBounds(scrypt(2 ** 20, 9, 1))[0]!.detail).toMatch(/memory/);
  });
  it('weak KDF classification', () => {
    expect(kdfStrength(scrypt(2 ** 14, 8, 1)).weak).toBe(true);
    expect(kdfStrength(scrypt(2 ** 17, 8, 1)).weak).toBe(false);
    expect(kdfStrength({ function: 'pbkdf2', params: { c: 2 ** 18 - 1, dklen: 32, prf: 'hmac-sha256', salt: '00'.repeat(32) }, message: '' }).weak).toBe(true);
    expect(kdfStrength({ function: 'pbkdf2', params: { c: 2 ** 18, dklen: 32, prf: 'hmac-sha256', salt: '00'.repeat(8) }, message: '' }).reasons).toEqual(['salt is 8 bytes, below 16']);
  });
});

describe('classifyPath', () => {
  it.each([
    ['m/12381/3600/0/0/0', 'signing', 0],
    ['m/12381/3600/17/0/0', 'signing', 17],
    ['m/12381/3600/5/0', 'withdrawal', 5],
    ['m/12381/60/0/0', 'other', undefined],
    ['m/12381/3600/0/0/1', 'other', undefined],
    ['', 'none', undefined],
  ])('%s', (p, kind, index) => {
    const c = classifyPath(p);
    expect(c.kind).toBe(kind);
    expect(c.index).toBe(index);
  });
});

describe('members decryption does not need', () => {
  const base = () => load('pbkdf2_keystore.json');
  it('absent pubkey, path, uuid parse (listed in missing), never malformed', () => {
    const j = base();
    delete j.pubkey; delete j.path; delete j.uuid;
    const p = parseKeystore(j, 'k.json');
    expect(p.missing).toEqual(['pubkey', 'path', 'uuid']);
    expect(p.keystore.pubkey).toBeUndefined();
    expect(p.keystore.uuid).toBeUndefined();
    expect(p.keystore.path).toBe('');
  });
  it('any string path is kept; an index ≥ 2^32 is flagged, not malformed', () => {
    const j = base();
    j.path = "m/12381/3600/0'/0/0";
    expect(parseKeystore(j).pathIndexTooLarge).toBe(false);
    expect(classifyPath(j.path).kind).toBe('other');
    j.path = 'm/12381/60/3141592653589793238/4626433832795028841';
    expect(parseKeystore(j).pathIndexTooLarge).toBe(true);
    j.path = 'm/12381/3600/4294967295/0/0';
    expect(parseKeystore(j).pathIndexTooLarge).toBe(false);
  });
  it('pubkey spelling is recorded', () => {
    const j = base();
    j.pubkey = `0x${String(j.pubkey).toUpperCase()}`;
    expect(parseKeystore(j).pubkeyForm).toEqual({ prefixed: true, uppercase: true });
  });
  it('foreign formats are named: ethdo/Dirk accounts, Prysm wallet store, Nimbus network key', () => {
    const dirk = base(); dirk.encryptor = 'keystore'; dirk.participants = { 1: 'a:1' };
    expect(problem(dirk).id).toBe('keystore-foreign-format');
    expect(problem(dirk).detail).toMatch(/Dirk distributed-account/);
    const ethdo = base(); ethdo.encryptor = 'keystore';
    expect(problem(ethdo).detail).toMatch(/ethdo .* account file/);
    const prysm = base(); delete prysm.pubkey; delete prysm.path; prysm.crypto.cipher.message += 'ab'.repeat(40);
    expect(problem(prysm).detail).toMatch(/prysm validator accounts backup/);
    const net = base(); net.pubkey = '08021221031873e6f4e1bf837b93493d570653cb219743d4fab0ff468d4e005e1679730b0b';
    expect(problem(net).detail).toMatch(/network-key/);
    // A BLS pubkey never starts with 0x08: a real keystore is not mistaken for one.
    expect(parseKeystore(base()).keystore.pubkey).toMatch(/^[89ab]/);
  });
});

