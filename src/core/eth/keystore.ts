/**
 * EIP-2335 keystores read from untrusted JSON: strict schema validation, KDF bounds checked
 * before any KDF runs, weak-KDF classification, and path classification (EIP-2334).
 *
 * Pure: no I/O, no KDF. Decryption lives in src/cli (workers) and uses @chainsafe/bls-keystore
 * on the normalised `Keystore` this module returns.
 *
 * Every problem is a `KeystoreError` (an `InputError`, exit 2) carrying the stable finding id
 * (`keystore-schema`, `keystore-version`, `keystore-kdf-bounds`, `keystore-foreign-format`) and the
 * JSON field at fault. Members decryption does not need (`pubkey`, `path`, `uuid`) may be absent:
 * `missing` lists them and the checks report which clients refuse such a file.
 * Error messages name fields and describe values by type or length, never by content.
 */
import type { KdfChoice } from './keystore-format.js';
import { InputError } from '../errors.js';

/** Largest keystore file accepted (PRODUCT.md "Hostile input"). */
export const KEYSTORE_MAX_BYTES = 64 * 1024;

/**
 * KDF limits, checked before any KDF runs. A keystore is attacker-controlled: its parameters
 * decide how much memory and CPU a decryption attempt costs.
 * - scrypt memory is what OpenSSL (node:crypto) allocates: 128·r·(n + p + 2) bytes (V is 128·r·n
 *   plus two blocks, B is 128·r·p); above 1 GiB + 1 MiB is refused. The MiB of slack keeps
 *   n=2^20, r=8, p=1 (1 GiB + 3 KiB) openable; r = 2^21 with a tiny n, which 128·n·r would count
 *   as half its real cost, is refused. `scryptMemoryBytes` is also what decryption schedules by.
 * - work: scrypt n·r·p and pbkdf2 c are capped at 32× the EIP-2335 / deposit-cli defaults
 *   (scrypt n=2^18, r=8, p=1 → n·r·p = 2^21; pbkdf2 c = 2^18), i.e. at most about 32× the time
 *   of a normal keystore (~1 s with native scrypt on one core, so ~30 s worst case).
 * - dklen must be 32 (EIP-2335 uses 16 bytes for AES and 16 for the checksum).
 */
export const KDF_LIMITS = {
  scryptMaxMemoryBytes: 2 ** 30 + 2 ** 20,
  scryptMaxWork: 2 ** 26,
  pbkdf2MaxC: 2 ** 23,
  dklen: 32,
} as const;

/**
 * What one KDF run costs, in units of the EIP-2335 / deposit-cli default (scrypt n=2^18, r=8, p=1:
 * n·r·p = 2^21, 1.2–2.3 s of CPU on the 2-core bench machine): scrypt n·r·p / 2^21, pbkdf2 c / 2^22
 * (2^23 iterations measured at about 2 s there, so this overcounts pbkdf2 a little). Arithmetic only.
 */
export function kdfCostUnits(kdf: KdfModule | KdfChoice): number {
  return kdf.function === 'scrypt' ? (kdf.params.n * kdf.params.r * kdf.params.p) / 2 ** 21 : kdf.params.c / 2 ** 22;
}

/**
 * The CPU budget of one `keystore verify` over a set: the KDF runs that cost more than one default
 * run (above) may cost 32 units together, i.e. as much as one keystore at the per-keystore cap
 * (scrypt n·r·p = 2^26), about 40–60 s of CPU; a keystore whose KDF would go past it is refused
 * (keystore-kdf-bounds, exit 2) and can be verified on its own. Default-cost runs (every real
 * keystore found) are not counted: they cost what the set's size says, shown by the progress bar.
 */
export const KDF_SET_BUDGET_UNITS = 32;

/**
 * The distinct KDF keys (by `identity`) whose above-default work would go past
 * KDF_SET_BUDGET_UNITS: those keys' keystores are not to be decrypted. The cheapest costly KDFs are
 * admitted first (ties in the order given), so the most keystores get verified and the refusal
 * falls on the dearest, whatever order the files come in.
 */
export function overKdfBudget<T>(items: readonly T[], kdf: (x: T) => KdfModule, identity: (x: T) => string): Set<string> {
  const costly = new Map<string, number>();
  for (const x of items) {
    const id = identity(x);
    if (costly.has(id)) continue;
    costly.set(id, kdfCostUnits(kdf(x)));
  }
  const over = new Set<string>();
  let spent = 0;
  for (const [id, units] of [...costly].filter(([, u]) => u > 1).sort((a, b) => a[1] - b[1])) {
    if (spent + units > KDF_SET_BUDGET_UNITS) over.add(id);
    else spent += units;
  }
  return over;
}

/** Below these a keystore is weak (warning): scrypt n·r·p < 2^20, pbkdf2 c < 2^18, salt < 16 bytes. */
export const WEAK_KDF = {
  scryptMinWork: 2 ** 20,
  pbkdf2MinC: 2 ** 18,
  minSaltBytes: 16,
} as const;

export type KeystoreProblemId = 'keystore-schema' | 'keystore-version' | 'keystore-kdf-bounds' | 'keystore-foreign-format';

/** A keystore that fails validation: `id` is the finding id, `field` the JSON path at fault. */
export class KeystoreError extends InputError {
  readonly id: KeystoreProblemId;
  readonly detail: string;
  constructor(id: KeystoreProblemId, field: string, detail: string, file?: string) {
    super(detail, { field, ...(file !== undefined ? { file } : {}) });
    this.name = 'KeystoreError';
    this.id = id;
    this.detail = detail;
  }
}

export interface ScryptKdf {
  function: 'scrypt';
  params: { dklen: number; n: number; r: number; p: number; salt: string };
  message: '';
}

export interface Pbkdf2Kdf {
  function: 'pbkdf2';
  params: { dklen: number; c: number; prf: 'hmac-sha256'; salt: string };
  message: '';
}

export type KdfModule = ScryptKdf | Pbkdf2Kdf;

/**
 * A validated keystore. Hex fields are normalised to lower case without `0x`, so equal
 * bytes compare equal as strings (duplicate and reuse checks rely on it).
 */
export interface Keystore {
  version: 4;
  /** Absent in files Teku and web3signer write without one (`missing` says so). */
  uuid?: string;
  /** `""` when the member is absent (Prysm, Charon omit it; `missing` says so). */
  path: string;
  /**
   * Absent in draft-era files: decryption does not need it, so the file is still decrypted and the
   * pubkey derived from the secret is reported instead (`missing` says so).
   */
  pubkey?: string;
  description?: string;
  crypto: {
    kdf: KdfModule;
    checksum: { function: 'sha256'; params: Record<string, never>; message: string };
    cipher: { function: 'aes-128-ctr'; params: { iv: string }; message: string };
  };
}

/** Members EIP-2335 requires that decryption does not need: a file may lack them (clients differ). */
export type OptionalMember = 'pubkey' | 'path' | 'uuid';

export interface ParsedKeystore {
  keystore: Keystore;
  /** Required-by-EIP-2335 members the file lacks (never fatal: decryption does not need them). */
  missing: OptionalMember[];
  /** How `pubkey` was written: with a `0x` prefix, or with upper-case hex digits (some clients refuse either). */
  pubkeyForm: { prefixed: boolean; uppercase: boolean };
  /** `path` has an index ≥ 2^32: not an EIP-2334 path (an error finding, not malformed). */
  pathIndexTooLarge: boolean;
  /** Top-level members EIP-2335 does not define (reported, not fatal). */
  unknownFields: string[];
  /** Top-level members whose name suggests plaintext secret material (`secret`, `password`, …). */
  secretLikeFields: string[];
}

const KNOWN_TOP = new Set(['crypto', 'description', 'pubkey', 'path', 'uuid', 'version', 'name']);
const SECRET_LIKE = /^(secret|secret_?key|private_?key|privkey|sk|password|passphrase|mnemonic|seed)$/i;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PATH_RE = /^m(\/\d+)*$/;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function schema(field: string, detail: string, file?: string): KeystoreError {
  return new KeystoreError('keystore-schema', field, detail, file);
}

function obj(parent: Obj, key: string, field: string, file?: string): Obj {
  const v = parent[key];
  if (v === undefined) throw schema(field, 'missing', file);
  if (!isObj(v)) throw schema(field, `must be an object, got ${typeName(v)}`, file);
  return v;
}

function str(parent: Obj, key: string, field: string, file?: string): string {
  const v = parent[key];
  if (v === undefined) throw schema(field, 'missing', file);
  if (typeof v !== 'string') throw schema(field, `must be a string, got ${typeName(v)}`, file);
  return v;
}

function posInt(parent: Obj, key: string, field: string, file?: string): number {
  const v = parent[key];
  if (v === undefined) throw schema(field, 'missing', file);
  if (typeof v !== 'number' || !Number.isInteger(v)) throw schema(field, `must be an integer, got ${typeName(v)}`, file);
  if (v < 1) throw schema(field, 'must be a positive integer', file);
  return v;
}

function onlyKeys(o: Obj, allowed: readonly string[], field: string, file?: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw schema(`${field}.${k}`, 'unexpected member', file);
  }
}

/**
 * Hex of an exact byte length (or a range), optional `0x`, normalised to lower case.
 * @throws {KeystoreError} keystore-schema
 */
function hex(parent: Obj, key: string, field: string, bytes: number | [number, number], file?: string): string {
  const raw = str(parent, key, field, file);
  const h = raw.startsWith('0x') || raw.startsWith('0X') ? raw.slice(2) : raw;
  if (!/^[0-9a-fA-F]*$/.test(h)) throw schema(field, 'must be hexadecimal', file);
  if (h.length % 2 !== 0) throw schema(field, `must be a whole number of bytes, got ${h.length} hex digits`, file);
  const n = h.length / 2;
  const [min, max] = typeof bytes === 'number' ? [bytes, bytes] : bytes;
  if (n < min || n > max) {
    const want = min === max ? `${min} bytes` : `${min} to ${max} bytes`;
    throw schema(field, `must be ${want}, got ${n}`, file);
  }
  return h.toLowerCase();
}

function emptyMessage(module: Obj, field: string, file?: string): '' {
  const m = str(module, 'message', `${field}.message`, file);
  if (m !== '') throw schema(`${field}.message`, 'must be the empty string', file);
  return '';
}

function parseKdf(crypto: Obj, file?: string): KdfModule {
  const kdf = obj(crypto, 'kdf', 'crypto.kdf', file);
  onlyKeys(kdf, ['function', 'params', 'message'], 'crypto.kdf', file);
  const fn = str(kdf, 'function', 'crypto.kdf.function', file);
  const params = obj(kdf, 'params', 'crypto.kdf.params', file);
  const message = emptyMessage(kdf, 'crypto.kdf', file);
  const f = 'crypto.kdf.params';
  if (fn === 'scrypt') {
    onlyKeys(params, ['dklen', 'n', 'r', 'p', 'salt'], f, file);
    return {
      function: 'scrypt',
      params: {
        dklen: posInt(params, 'dklen', `${f}.dklen`, file),
        n: posInt(params, 'n', `${f}.n`, file),
        r: posInt(params, 'r', `${f}.r`, file),
        p: posInt(params, 'p', `${f}.p`, file),
        salt: hex(params, 'salt', `${f}.salt`, [1, 1024], file),
      },
      message,
    };
  }
  if (fn === 'pbkdf2') {
    onlyKeys(params, ['dklen', 'c', 'prf', 'salt'], f, file);
    const prf = str(params, 'prf', `${f}.prf`, file);
    if (prf !== 'hmac-sha256') throw schema(`${f}.prf`, 'must be "hmac-sha256"', file);
    return {
      function: 'pbkdf2',
      params: {
        dklen: posInt(params, 'dklen', `${f}.dklen`, file),
        c: posInt(params, 'c', `${f}.c`, file),
        prf: 'hmac-sha256',
        salt: hex(params, 'salt', `${f}.salt`, [1, 1024], file),
      },
      message,
    };
  }
  throw schema('crypto.kdf.function', 'must be "scrypt" or "pbkdf2"', file);
}

/**
 * Files with a keystore's shape that are no EIP-2335 interchange keystore of one validator key:
 * say what each is and how to get a keystore from it, instead of a schema error on some member.
 * - go-eth2-wallet account files (ethdo, Dirk): an `encryptor` member; Dirk's distributed accounts
 *   add `participants`, `signing_threshold`, `verificationvector` (their secret is one share of a
 *   threshold key).
 * - Prysm's wallet store `all-accounts.keystore.json`: no `pubkey`, no `path`, and a ciphertext
 *   longer than one 32-byte key (it encrypts a JSON list of every imported key).
 * - SSV operator key files (ssv-keys, ssv-dkg `encrypted_private_key.json`): the kdf/checksum/cipher
 *   modules at the top level, no `crypto` around them (an RSA operator key, not a BLS key).
 * - Nimbus network-key keystores (`NetKeystore`): `pubkey` is a protobuf-encoded libp2p key
 *   (0x08 type, 0x12 length), never a BLS12-381 G1 point (whose first byte has its top bit set).
 */
function foreignFormat(json: Obj, file?: string): KeystoreError | undefined {
  const foreign = (detail: string, field: string): KeystoreError => new KeystoreError('keystore-foreign-format', field, detail, file);
  if (json['encryptor'] !== undefined || json['participants'] !== undefined || json['signing_threshold'] !== undefined) {
    const distributed = json['participants'] !== undefined || json['signing_threshold'] !== undefined || json['verificationvector'] !== undefined;
    return distributed
      ? foreign('a Dirk distributed-account file, not an EIP-2335 keystore: its secret is one share of a threshold key, which signs only inside Dirk together with the other participants; no validator client imports it and it holds no whole validator key to export (keep it in Dirk)', 'participants')
      : foreign('an ethdo (go-eth2-wallet) account file, not an EIP-2335 keystore: validator clients do not import it; ethdo has no per-account keystore export, so make the keystore again from the wallet’s mnemonic with a current tool (e.g. coldstake keys new with the same index)', 'encryptor');
  }
  if (json['crypto'] === undefined && isObj(json['kdf']) && isObj(json['cipher']) && isObj(json['checksum'])) {
    return foreign('an SSV operator key file (encrypted_private_key.json: the operator\u2019s RSA key in bare EIP-2335 crypto modules), not a validator keystore: no validator client imports it', 'crypto');
  }
  const crypto = json['crypto'];
  const cipher = isObj(crypto) && isObj(crypto['cipher']) ? crypto['cipher'] : undefined;
  const message = cipher?.['message'];
  if (json['pubkey'] === undefined && json['path'] === undefined && typeof message === 'string' && /^[0-9a-fA-F]+$/.test(message) && message.length > 64) {
    return foreign('Prysm’s wallet store (all-accounts.keystore.json: every imported key encrypted together with the wallet password), not an EIP-2335 keystore of one key: export one keystore per key with `prysm validator accounts backup`', 'crypto.cipher.message');
  }
  const pk = json['pubkey'];
  if (typeof pk === 'string' && /^(0x)?080[0-3]12/i.test(pk)) {
    return foreign('a Nimbus network-key keystore (its pubkey is a libp2p key), not a validator key: it identifies a beacon node on the network and is never imported into a validator client', 'pubkey');
  }
  return undefined;
}

/**
 * Validate untrusted JSON as an EIP-2335 keystore holding a BLS12-381 secret key (32 bytes,
 * pubkey 48 bytes). Does not check KDF bounds: call `assertKdfWithinBounds` before any KDF.
 * @throws {KeystoreError} `keystore-version` when version is not 4, else `keystore-schema`.
 */
export function parseKeystore(json: unknown, file?: string): ParsedKeystore {
  if (!isObj(json)) throw schema('(root)', `must be a JSON object, got ${typeName(json)}`, file);
  const foreign = foreignFormat(json, file);
  if (foreign) throw foreign;
  if (json['version'] === undefined) throw new KeystoreError('keystore-version', 'version', 'missing', file);
  if (json['version'] !== 4) {
    const v = json['version'];
    const seen = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeName(v);
    throw new KeystoreError('keystore-version', 'version', `must be 4, got ${seen}`, file);
  }
  const crypto = obj(json, 'crypto', 'crypto', file);
  onlyKeys(crypto, ['kdf', 'checksum', 'cipher'], 'crypto', file);
  const kdf = parseKdf(crypto, file);

  const checksum = obj(crypto, 'checksum', 'crypto.checksum', file);
  onlyKeys(checksum, ['function', 'params', 'message'], 'crypto.checksum', file);
  if (str(checksum, 'function', 'crypto.checksum.function', file) !== 'sha256') {
    throw schema('crypto.checksum.function', 'must be "sha256"', file);
  }
  const checksumParams = obj(checksum, 'params', 'crypto.checksum.params', file);
  if (Object.keys(checksumParams).length > 0) throw schema('crypto.checksum.params', 'must be an empty object', file);
  const checksumMessage = hex(checksum, 'message', 'crypto.checksum.message', 32, file);

  const cipher = obj(crypto, 'cipher', 'crypto.cipher', file);
  onlyKeys(cipher, ['function', 'params', 'message'], 'crypto.cipher', file);
  if (str(cipher, 'function', 'crypto.cipher.function', file) !== 'aes-128-ctr') {
    throw schema('crypto.cipher.function', 'must be "aes-128-ctr"', file);
  }
  const cipherParams = obj(cipher, 'params', 'crypto.cipher.params', file);
  onlyKeys(cipherParams, ['iv'], 'crypto.cipher.params', file);
  const iv = hex(cipherParams, 'iv', 'crypto.cipher.params.iv', 16, file);
  const cipherMessage = hex(cipher, 'message', 'crypto.cipher.message', 32, file);

  // Members decryption does not need: absent is reported (warning naming the clients that refuse
  // it), never malformed. Present with the wrong type or shape is still malformed.
  const missing: OptionalMember[] = [];
  let pubkey: string | undefined;
  const pubkeyForm = { prefixed: false, uppercase: false };
  if (json['pubkey'] === undefined) missing.push('pubkey');
  else {
    pubkey = hex(json, 'pubkey', 'pubkey', 48, file);
    const raw = json['pubkey'] as string;
    pubkeyForm.prefixed = /^0x/i.test(raw);
    pubkeyForm.uppercase = /[A-F]/.test(raw.replace(/^0x/i, ''));
  }
  let path = '';
  let pathIndexTooLarge = false;
  if (json['path'] === undefined) missing.push('path');
  else {
    path = str(json, 'path', 'path', file);
    // Any string is kept (Lighthouse and Teku load any); a non-EIP-2334 one is a warning, an
    // index ≥ 2^32 an error finding (checks), not malformed.
    if (PATH_RE.test(path)) pathIndexTooLarge = path.split('/').slice(1).some((c) => c.length > 10 || Number(c) >= 2 ** 32);
  }
  let uuid: string | undefined;
  if (json['uuid'] === undefined) missing.push('uuid');
  else {
    uuid = str(json, 'uuid', 'uuid', file);
    if (!UUID_RE.test(uuid)) throw schema('uuid', 'must be an RFC 4122 UUID (8-4-4-4-12 hex digits)', file);
  }
  let description: string | undefined;
  if (json['description'] !== undefined) description = str(json, 'description', 'description', file);
  if (json['name'] !== undefined && typeof json['name'] !== 'string') throw schema('name', `must be a string, got ${typeName(json['name'])}`, file);

  const unknownFields = Object.keys(json).filter((k) => !KNOWN_TOP.has(k));
  const keystore: Keystore = {
    version: 4,
    ...(uuid !== undefined ? { uuid: uuid.toLowerCase() } : {}),
    path,
    ...(pubkey !== undefined ? { pubkey } : {}),
    ...(description !== undefined ? { description } : {}),
    crypto: {
      kdf,
      checksum: { function: 'sha256', params: {}, message: checksumMessage },
      cipher: { function: 'aes-128-ctr', params: { iv }, message: cipherMessage },
    },
  };
  return { keystore, missing, pubkeyForm, pathIndexTooLarge, unknownFields, secretLikeFields: unknownFields.filter((k) => SECRET_LIKE.test(k)) };
}

/** One violated KDF limit: the field and why. */
export interface KdfBoundViolation {
  field: string;
  detail: string;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 2 && 2 ** Math.round(Math.log2(n)) === n;
}

/**
 * Bytes OpenSSL's scrypt allocates for these parameters (EVP_PBE_scrypt: B = 128·r·p, V and XY =
 * 128·r·(n + 2)); node:crypto refuses to run it when this exceeds the `maxmem` it is given. Exact
 * in floating point for every in-bound value (below 2^53).
 */
export function scryptMemoryBytes(n: number, r: number, p: number): number {
  return 128 * r * (n + p + 2);
}

/** Bytes one KDF run of `kdf` allocates (pbkdf2: none worth counting). */
export function kdfMemoryBytes(kdf: KdfModule | KdfChoice): number {
  return kdf.function === 'scrypt' ? scryptMemoryBytes(kdf.params.n, kdf.params.r, kdf.params.p) : 0;
}

/**
 * Every KDF limit a module violates (empty when it is safe to run). Constant time: only
 * arithmetic on the parameters.
 */
export function kdfBounds(kdf: KdfModule): KdfBoundViolation[] {
  const out: KdfBoundViolation[] = [];
  const f = 'crypto.kdf.params';
  const p = kdf.params;
  if (p.dklen !== KDF_LIMITS.dklen) out.push({ field: `${f}.dklen`, detail: `must be ${KDF_LIMITS.dklen}, got ${p.dklen}` });
  if (kdf.function === 'scrypt') {
    const { n, r } = kdf.params;
    const pp = kdf.params.p;
    if (!isPowerOfTwo(n)) out.push({ field: `${f}.n`, detail: 'must be a power of two greater than 1' });
    const memory = scryptMemoryBytes(n, r, pp);
    if (memory > KDF_LIMITS.scryptMaxMemoryBytes) {
      out.push({ field: pp > n ? `${f}.p` : `${f}.n`, detail: `scrypt would need ${fmtBytes(memory)} of memory (128·r·(n+p+2)), more than the ${fmtBytes(KDF_LIMITS.scryptMaxMemoryBytes)} limit` });
    }
    const work = n * r * pp;
    if (work > KDF_LIMITS.scryptMaxWork) {
      out.push({ field: `${f}.p`, detail: `scrypt work n·r·p = ${fmtPow2(work)} is above the 2^${Math.log2(KDF_LIMITS.scryptMaxWork)} cap` });
    }
  } else {
    const { c } = kdf.params;
    if (c > KDF_LIMITS.pbkdf2MaxC) out.push({ field: `${f}.c`, detail: `pbkdf2 iterations ${fmtPow2(c)} are above the 2^${Math.log2(KDF_LIMITS.pbkdf2MaxC)} cap` });
  }
  return out;
}

/**
 * Refuse a KDF that would cost too much (call before every KDF).
 * @throws {KeystoreError} keystore-kdf-bounds, naming the first violated field.
 */
export function assertKdfWithinBounds(kdf: KdfModule, file?: string): void {
  const v = kdfBounds(kdf);
  if (v.length > 0) throw new KeystoreError('keystore-kdf-bounds', v[0]!.field, v.map((x) => x.detail).join('; '), file);
}

export interface KdfStrength {
  weak: boolean;
  /** Why it is weak (empty when not). */
  reasons: string[];
  /** scrypt n·r·p or pbkdf2 c. */
  work: number;
}

/** Weak-KDF classification (a warning, not a refusal): scrypt n·r·p < 2^20, pbkdf2 c < 2^18, salt < 16 bytes. */
export function kdfStrength(kdf: KdfModule): KdfStrength {
  const reasons: string[] = [];
  let work: number;
  if (kdf.function === 'scrypt') {
    work = kdf.params.n * kdf.params.r * kdf.params.p;
    if (work < WEAK_KDF.scryptMinWork) reasons.push(`scrypt n·r·p = ${fmtPow2(work)} is below 2^20`);
  } else {
    work = kdf.params.c;
    if (work < WEAK_KDF.pbkdf2MinC) reasons.push(`pbkdf2 c = ${fmtPow2(work)} is below 2^18`);
  }
  const saltBytes = kdf.params.salt.length / 2;
  if (saltBytes < WEAK_KDF.minSaltBytes) reasons.push(`salt is ${saltBytes} bytes, below 16`);
  return { weak: reasons.length > 0, reasons, work };
}

export type PathKind = 'signing' | 'withdrawal' | 'other' | 'none';

export interface PathInfo {
  kind: PathKind;
  /** Validator index for EIP-2334 signing and withdrawal paths. */
  index?: number;
}

/** Classify an EIP-2334 path: signing m/12381/3600/i/0/0, withdrawal m/12381/3600/i/0. */
export function classifyPath(path: string): PathInfo {
  if (path === '') return { kind: 'none' };
  const m = /^m\/12381\/3600\/(\d{1,10})\/0(\/0)?$/.exec(path);
  if (m) {
    const index = Number(m[1]);
    if (index < 2 ** 32) return { kind: m[2] ? 'signing' : 'withdrawal', index };
  }
  return { kind: 'other' };
}

/** Groups of keystore ids sharing the same value (only groups of two or more). */
export function duplicates<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const g = groups.get(k);
    if (g) g.push(it);
    else groups.set(k, [it]);
  }
  for (const [k, g] of groups) if (g.length < 2) groups.delete(k);
  return groups;
}

function fmtBytes(n: number): string {
  if (n >= 2 ** 40) return `${(n / 2 ** 40).toFixed(n % 2 ** 40 === 0 ? 0 : 1)} TiB`;
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(n % 2 ** 30 === 0 ? 0 : 1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(n % 2 ** 20 === 0 ? 0 : 1)} MiB`;
  return `${n} bytes`;
}

function fmtPow2(n: number): string {
  const l = Math.log2(n);
  return Number.isInteger(l) ? `2^${l}` : n > 1e15 ? n.toExponential(2) : String(n);
}
