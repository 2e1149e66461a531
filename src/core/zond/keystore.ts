/**
 * Zond validator keystores in the pinned format (qrysm dfc813be; facts only), recognised by
 * STRUCTURE (argon2id + aes-256-gcm + a 2592-byte ML-DSA-87 pubkey): `version` cannot tell formats
 * apart (the deposit CLI writes 0, the validator 1).
 *
 * - deposit-CLI shape, written by `keys new`, compact JSON in this member order:
 *   {"crypto":{"kdf":{"function":"argon2id","params":{"dklen":32,"m":…,"p":1,"salt":…,"t":…},"message":""},
 *    "checksum":null,"cipher":{"function":"aes-256-gcm","params":{"iv":…},"message":…}},
 *    "description":"","pubkey":"0x…","path":"m/12381/238/i/0","uuid":…,"version":0}
 * - validator shape (export/backup): same crypto without `checksum` and kdf `message`, `version` 1,
 *   `description` "keystore", pubkey as bare hex, path "".
 * The secret is the 48-byte child seed; `message` = AES-256-GCM(seed) ‖ 16-byte tag, no AAD; the tag
 * is the password check (there is no checksum module).
 *
 * Also recognised, to be named rather than called "not a keystore": go-qrl (gqrl) ACCOUNT keystores
 * (`address`, string `kdf` with `kdfparams`, `ciphertext`): a wallet account file that can move funds,
 * not a validator keystore; and older qrysm keystores (custom KDF + aes-128-ctr, …/i/0/0 paths).
 */
import { gcm } from '@noble/ciphers/aes.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InputError } from '../errors.js';
import { argon2id } from './argon2.js';
import { zondPathIndex } from './derivation.js';
import { ZOND_FORMAT, ZOND_PUBKEY_BYTES, ZOND_SEED_BYTES } from './format.js';

export const ZOND_KEYSTORE_MAX_BYTES = 64 * 1024;

/** qrysm's defaults (t=8, m=256 MiB, p=1) and its `--lightkdf` memory (4 MiB). */
export const ZOND_KDF_DEFAULT = { t: 8, m: 262144, p: 1 } as const;
export const ZOND_KDF_LIGHT = { t: 8, m: 4096, p: 1 } as const;

/**
 * Bounds checked BEFORE any KDF runs (a keystore is attacker-controlled):
 * - memory m ≤ 1 GiB (1,048,576 KiB);
 * - work m·t ≤ 4× qrysm's default (262,144 KiB × 8 passes), so at most about 4× a normal keystore's
 *   time; t ≤ 64, p ≤ 16 and m ≥ 8·p (argon2's own minimum);
 * - dklen 32, salt 16-64 bytes, IV 12 bytes, sealed seed 48 + 16 bytes.
 */
export const ZOND_KDF_LIMITS = { maxMemoryKiB: 1 << 20, maxWork: 4 * 262144 * 8, maxT: 64, maxP: 16, minSaltBytes: 16, maxSaltBytes: 64 } as const;

/** Below these a keystore is weak: qrysm's defaults (its --lightkdf files, m = 4 MiB, are weak). */
export const ZOND_WEAK_KDF = { minMemoryKiB: 262144, minT: 8 } as const;

export interface ZondKdfParams {
  t: number;
  m: number;
  p: number;
  dklen: 32;
  salt: string;
}

export interface ZondKeystore {
  shape: 'deposit-cli' | 'validator';
  kdf: ZondKdfParams;
  iv: string;
  /** ciphertext ‖ tag, lower-case hex. */
  message: string;
  /** Lower-case hex without 0x, or undefined when the file has none. */
  pubkey?: string;
  path: string;
  uuid?: string;
  version: unknown;
  description?: string;
}

export interface ZondAccountKeystore {
  /** The `address` member, as written (a wallet address, not a validator key). */
  address: string | null;
  kdf: string;
  cipher: string;
}

export type ZondKeystoreParse =
  | { kind: 'validator-keystore'; keystore: ZondKeystore; unknownFields: string[] }
  | { kind: 'gqrl-account'; account: ZondAccountKeystore };

export type ZondKeystoreProblem = 'zond-keystore-schema' | 'zond-keystore-kdf-bounds' | 'zond-keystore-older-format';

export class ZondKeystoreError extends InputError {
  readonly id: ZondKeystoreProblem;
  readonly detail: string;
  constructor(id: ZondKeystoreProblem, field: string, detail: string, file?: string) {
    super(detail, { field, ...(file !== undefined ? { file } : {}), ...(id === 'zond-keystore-older-format' ? { hint: `coldstake reads one Zond format: ${ZOND_FORMAT.label}` } : {}) });
    this.name = 'ZondKeystoreError';
    this.id = id;
    this.detail = detail;
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a parsed JSON value looks like a Zond keystore of any era (validator or gqrl account):
 * argon2id/aes-256-gcm crypto, a 2592-byte pubkey, or qrysm's older custom KDF. Used to dispatch a
 * mixed directory between the Ethereum and Zond checks.
 */
export function looksLikeZondKeystore(v: unknown): boolean {
  if (!isObj(v)) return false;
  const c = isObj(v['crypto']) ? v['crypto'] : isObj(v['Crypto']) ? v['Crypto'] : undefined;
  const pk = v['pubkey'];
  if (typeof pk === 'string' && pk.replace(/^0x/, '').length === ZOND_PUBKEY_BYTES * 2) return true;
  if (!c) return false;
  const kdf = isObj(c['kdf']) ? c['kdf']['function'] : c['kdf'];
  const cipher = isObj(c['cipher']) ? c['cipher']['function'] : c['cipher'];
  return kdf === 'argon2id' || cipher === 'aes-256-gcm' || (kdf === 'custom' && 'pubkey' in v);
}

function hexOf(v: unknown, field: string, file: string | undefined, bytes?: { min: number; max: number }): string {
  if (typeof v !== 'string' || !/^[0-9a-fA-F]*$/.test(v) || v.length % 2 !== 0) throw new ZondKeystoreError('zond-keystore-schema', field, 'must be hex digits without 0x', file);
  const n = v.length / 2;
  if (bytes && (n < bytes.min || n > bytes.max)) throw new ZondKeystoreError('zond-keystore-schema', field, bytes.min === bytes.max ? `must be ${bytes.min} bytes, not ${n}` : `must be ${bytes.min}-${bytes.max} bytes, not ${n}`, file);
  return v.toLowerCase();
}

function intOf(v: unknown, field: string, file: string | undefined): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1) throw new ZondKeystoreError('zond-keystore-schema', field, 'must be a positive whole number', file);
  return v;
}

/**
 * Parse and bound a Zond keystore (text already bounded by the caller).
 * @throws {ZondKeystoreError} schema (`zond-keystore-schema`), KDF bounds (`zond-keystore-kdf-bounds`,
 *   checked before any KDF), another era (`zond-keystore-older-format`).
 */
export function parseZondKeystore(value: unknown, file?: string): ZondKeystoreParse {
  if (!isObj(value)) throw new ZondKeystoreError('zond-keystore-schema', '(top)', 'must be a JSON object', file);
  const c = value['crypto'];
  if (!isObj(c)) throw new ZondKeystoreError('zond-keystore-schema', 'crypto', 'must be an object', file);
  // go-qrl account layout: a wallet file, named as such.
  if (typeof c['kdf'] === 'string' && ('ciphertext' in c || 'kdfparams' in c)) {
    const address = typeof value['address'] === 'string' ? (value['address'] as string).slice(0, 200) : null;
    return { kind: 'gqrl-account', account: { address, kdf: String(c['kdf']).slice(0, 40), cipher: String(c['cipher']).slice(0, 40) } };
  }
  const kdf = c['kdf'];
  const cipher = c['cipher'];
  if (!isObj(kdf)) throw new ZondKeystoreError('zond-keystore-schema', 'crypto.kdf', 'must be an object', file);
  if (!isObj(cipher)) throw new ZondKeystoreError('zond-keystore-schema', 'crypto.cipher', 'must be an object', file);
  if (kdf['function'] === 'custom' || cipher['function'] === 'aes-128-ctr') {
    throw new ZondKeystoreError('zond-keystore-older-format', 'crypto.kdf.function', 'older Zond keystore format (custom SHAKE256 KDF with aes-128-ctr, qrysm before 2025-07-11): not the pinned argon2id + aes-256-gcm format', file);
  }
  if (kdf['function'] !== 'argon2id') throw new ZondKeystoreError('zond-keystore-schema', 'crypto.kdf.function', `unsupported KDF (the pinned Zond format uses argon2id)`, file);
  if (cipher['function'] !== 'aes-256-gcm') throw new ZondKeystoreError('zond-keystore-schema', 'crypto.cipher.function', 'unsupported cipher (the pinned Zond format uses aes-256-gcm)', file);
  const params = kdf['params'];
  if (!isObj(params)) throw new ZondKeystoreError('zond-keystore-schema', 'crypto.kdf.params', 'must be an object', file);
  const t = intOf(params['t'], 'crypto.kdf.params.t', file);
  const m = intOf(params['m'], 'crypto.kdf.params.m', file);
  const p = intOf(params['p'], 'crypto.kdf.params.p', file);
  if (params['dklen'] !== 32) throw new ZondKeystoreError('zond-keystore-kdf-bounds', 'crypto.kdf.params.dklen', 'must be 32', file);
  const L = ZOND_KDF_LIMITS;
  if (m > L.maxMemoryKiB) throw new ZondKeystoreError('zond-keystore-kdf-bounds', 'crypto.kdf.params.m', `argon2 memory ${m} KiB is above the 1 GiB limit`, file);
  if (t > L.maxT || p > L.maxP) throw new ZondKeystoreError('zond-keystore-kdf-bounds', t > L.maxT ? 'crypto.kdf.params.t' : 'crypto.kdf.params.p', `argon2 t=${t}, p=${p} is above the limit (t ≤ ${L.maxT}, p ≤ ${L.maxP})`, file);
  if (m * t > L.maxWork) throw new ZondKeystoreError('zond-keystore-kdf-bounds', 'crypto.kdf.params', `argon2 work m·t = ${m * t} is above the limit ${L.maxWork} (4× qrysm's default)`, file);
  if (m < 8 * p) throw new ZondKeystoreError('zond-keystore-kdf-bounds', 'crypto.kdf.params.m', 'argon2 memory must be at least 8·p KiB', file);
  const salt = hexOf(params['salt'], 'crypto.kdf.params.salt', file, { min: L.minSaltBytes, max: L.maxSaltBytes });
  const cparams = cipher['params'];
  if (!isObj(cparams)) throw new ZondKeystoreError('zond-keystore-schema', 'crypto.cipher.params', 'must be an object', file);
  const iv = hexOf(cparams['iv'], 'crypto.cipher.params.iv', file, { min: 12, max: 12 });
  const message = hexOf(cipher['message'], 'crypto.cipher.message', file, { min: ZOND_SEED_BYTES + 16, max: ZOND_SEED_BYTES + 16 });
  const path = value['path'] === undefined ? '' : value['path'];
  if (typeof path !== 'string') throw new ZondKeystoreError('zond-keystore-schema', 'path', 'must be a string', file);
  if (/^m\/12381\/238\/\d+\/0\/0$/.test(path)) {
    throw new ZondKeystoreError('zond-keystore-older-format', 'path', 'older Zond keystore format (signing key at m/12381/238/i/0/0, qrysm before 2025-11-25): the pinned format derives m/12381/238/i/0', file);
  }
  if (path !== '' && zondPathIndex(path) === undefined) throw new ZondKeystoreError('zond-keystore-schema', 'path', 'must be "" or m/12381/238/i/0', file);
  let pubkey: string | undefined;
  const pk = value['pubkey'];
  if (pk !== undefined) {
    if (typeof pk !== 'string') throw new ZondKeystoreError('zond-keystore-schema', 'pubkey', 'must be a hex string', file);
    pubkey = hexOf(pk.replace(/^0x/, ''), 'pubkey', file, { min: ZOND_PUBKEY_BYTES, max: ZOND_PUBKEY_BYTES });
  }
  const uuid = value['uuid'];
  if (uuid !== undefined && typeof uuid !== 'string') throw new ZondKeystoreError('zond-keystore-schema', 'uuid', 'must be a string', file);
  const description = value['description'];
  if (description !== undefined && typeof description !== 'string') throw new ZondKeystoreError('zond-keystore-schema', 'description', 'must be a string', file);
  const shape: ZondKeystore['shape'] = 'checksum' in c || 'message' in kdf || typeof pk === 'string' && pk.startsWith('0x') ? 'deposit-cli' : 'validator';
  const known = new Set(['crypto', 'description', 'pubkey', 'path', 'uuid', 'version']);
  const unknownFields = Object.keys(value).filter((k) => !known.has(k)).map((k) => k.slice(0, 40));
  const ks: ZondKeystore = { shape, kdf: { t, m, p, dklen: 32, salt }, iv, message, path, version: value['version'] };
  if (pubkey !== undefined) ks.pubkey = pubkey;
  if (typeof uuid === 'string') ks.uuid = uuid;
  if (typeof description === 'string') ks.description = description;
  return { kind: 'validator-keystore', keystore: ks, unknownFields };
}

/** Whether the KDF is weaker than qrysm's default. */
export function zondKdfIsWeak(kdf: ZondKdfParams): boolean {
  return kdf.m < ZOND_WEAK_KDF.minMemoryKiB || kdf.t < ZOND_WEAK_KDF.minT;
}

/** A stable text of the KDF parameters and salt: equal identities share one derived key. */
export function zondKdfIdentity(kdf: ZondKdfParams): string {
  return `argon2id:${kdf.t}:${kdf.m}:${kdf.p}:${kdf.dklen}:${kdf.salt}`;
}

/** Run the KDF of `kdf` on the UTF-8 bytes of `password`. The caller zeroes the key. */
export async function deriveZondKeystoreKey(kdf: ZondKdfParams, password: string): Promise<Uint8Array> {
  const pw = new TextEncoder().encode(password);
  try {
    return await argon2id(pw, hexToBytes(kdf.salt), { t: kdf.t, m: kdf.m, p: kdf.p, dkLen: kdf.dklen });
  } finally {
    pw.fill(0);
  }
}

/**
 * Open the sealed seed with a derived key: the 48-byte child seed, or null when the GCM tag does not
 * verify (wrong password, or a damaged file).
 */
export function openZondKeystore(key: Uint8Array, ks: Pick<ZondKeystore, 'iv' | 'message'>): Uint8Array | null {
  try {
    const seed = gcm(key, hexToBytes(ks.iv)).decrypt(hexToBytes(ks.message));
    if (seed.length !== ZOND_SEED_BYTES) {
      seed.fill(0);
      return null;
    }
    return seed;
  } catch {
    return null;
  }
}

export interface ZondKeystoreFields {
  kdf: ZondKdfParams;
  iv: Uint8Array;
  pubkey: Uint8Array;
  path: string;
  uuid: string;
}

/**
 * Seal a 48-byte child seed under a derived key and write the deposit-CLI shape, exactly in qrysm's
 * member order (compact JSON).
 * @throws {RangeError} on wrong sizes.
 */
export function sealZondKeystore(key: Uint8Array, seed: Uint8Array, f: ZondKeystoreFields): string {
  if (key.length !== 32 || seed.length !== ZOND_SEED_BYTES || f.iv.length !== 12 || f.pubkey.length !== ZOND_PUBKEY_BYTES) throw new RangeError('wrong key, seed, iv or pubkey size');
  const message = gcm(key, f.iv).encrypt(seed);
  return JSON.stringify({
    crypto: {
      kdf: { function: 'argon2id', params: { dklen: 32, m: f.kdf.m, p: f.kdf.p, salt: f.kdf.salt, t: f.kdf.t }, message: '' },
      checksum: null,
      cipher: { function: 'aes-256-gcm', params: { iv: bytesToHex(f.iv) }, message: bytesToHex(message) },
    },
    description: '',
    pubkey: `0x${bytesToHex(f.pubkey)}`,
    path: f.path,
    uuid: f.uuid,
    version: 0,
  });
}

/** qrysm's keystore file name: keystore-m_12381_238_<i>_0-<unix seconds>.json. */
export function zondKeystoreFileName(index: number, unixtime: number): string {
  return `keystore-m_12381_238_${index}_0-${unixtime}.json`;
}

/** qrysm's deposit file name: deposit_data-<unix seconds>.json. */
export function zondDepositFileName(unixtime: number): string {
  return `deposit_data-${unixtime}.json`;
}
