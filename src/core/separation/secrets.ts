/**
 * Plaintext BLS secret keys (32 bytes of hex) where a name says "key", and wallet material that
 * can re-derive withdrawal keys (EIP-2386 / ethdo hierarchical-deterministic walletstores).
 *
 * A 64-hex-digit value is reported only when it is a valid BLS12-381 secret scalar (non-zero,
 * below the curve order r) AND something names it a key: the file name (`validator_secret.txt`,
 * `priv.key`), the JSON key holding it (`"secret_key": "…"`), or an assignment on the same line
 * (`SK=0x…`, `private_key: …`). Public and derived fields (`pubkey`, `withdrawal_credentials`,
 * deposit roots and signatures, keystore checksum/cipher/salt/iv) never count as key names.
 *
 * "withdrawal" says which key, not whether it is secret: `withdrawal_credentials` and
 * `withdrawal_address` are public, `withdrawal_private_key`, `withdrawal_sk`, `withdrawal_key` and
 * `withdrawal-secret` are the worst secret of all (the key that controls 0x00 credentials). Hits
 * whose name says withdrawal are marked so the audit can report them on their own.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { publicKeySource } from './public-vectors.js';
import { LineCarryScanner } from './line-carry.js';

const CURVE_ORDER: bigint = bls12_381.fields.Fr.ORDER;

/** Words that say a value is secret, whatever else the name says (`withdrawal_private_key`). */
const SECRET_WORDS = new Set(['secret', 'secrets', 'private', 'priv', 'privkey', 'sk', 'seed', 'secretkey', 'privatekey', 'prv', 'xprv']);
/** Words that name a key without saying secret or public (`withdrawal_key`, `keys.json`). */
const KEY_WORDS = new Set(['key', 'keys']);
/**
 * Words that make a name public, derived, or a key that is not a BLS validator key (engine-API
 * JWT secrets, p2p node keys, TLS/SSH keys), even if the name also says "secret" or "key".
 */
const PUBLIC_WORDS = new Set([
  'pub', 'pubkey', 'public', 'publickey', 'pk', 'root', 'signature', 'sig', 'checksum', 'salt', 'iv', 'message',
  'hash', 'id', 'uuid', 'fork', 'version', 'api', 'jwt', 'jwtsecret', 'fingerprint', 'node', 'nodekey', 'p2p',
  'libp2p', 'network', 'enr', 'discovery', 'tls', 'ssl', 'ssh', 'host', 'cert',
]);
/**
 * Public values of the withdrawal side (`withdrawal_credentials`, `withdrawal_address`): public
 * unless the name also has a word of SECRET_WORDS. A bare "key" does not override them
 * (`credentials_key` is still the credentials).
 */
const DERIVED_WORDS = new Set(['credentials', 'credential', 'address']);

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** What a file, field or variable name says about the value it holds. */
export type NameKind = 'secret' | 'public' | 'neutral';

/**
 * Classify a name: public words win (`pubkey`, `jwt_secret`, `node_private_key`), then secret
 * words (`withdrawal_sk`), then withdrawal-side public words (`withdrawal_credentials`), then a
 * bare key word (`withdrawal_key`, `keys.json`).
 */
export function nameKind(name: string): NameKind {
  const ws = words(name);
  if (ws.some((w) => PUBLIC_WORDS.has(w))) return 'public';
  if (ws.some((w) => SECRET_WORDS.has(w))) return 'secret';
  if (ws.some((w) => DERIVED_WORDS.has(w))) return 'public';
  if (ws.some((w) => KEY_WORDS.has(w))) return 'secret';
  return 'neutral';
}

/** True when a file or field name suggests a secret key (and nothing in it says public). */
export function keyishName(name: string): boolean {
  return nameKind(name) === 'secret';
}

/** True when a name says withdrawal (`withdrawal_key.txt`, `WITHDRAWAL_SK`, `withdrawalKey`). */
export function withdrawalName(name: string): boolean {
  return words(name).some((w) => w === 'withdrawal' || w === 'withdrawals' || w === 'withdraw');
}

/** What a file's name says about bare values in it. */
export interface FileNameContext {
  /** The name says key or secret: every valid secret value in the file counts. */
  keyish: boolean;
  /** The name says withdrawal: a secret found through the file name is a withdrawal key. */
  withdrawal: boolean;
}

export function fileNameContext(baseName: string): FileNameContext {
  return { keyish: keyishName(baseName), withdrawal: withdrawalName(baseName) };
}

const asContext = (c: FileNameContext | boolean): FileNameContext => (typeof c === 'boolean' ? { keyish: c, withdrawal: false } : c);

/** A valid BLS12-381 secret key as hex (64 digits, optional 0x): non-zero and below r. */
export function isBlsSecretHex(hex: string): boolean {
  const h = hex.replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(h)) return false;
  const v = BigInt(`0x${h}`);
  return v > 0n && v < CURVE_ORDER;
}

export interface SecretHit {
  /** 1-based line (text scan) or 0 when found through JSON. */
  line: number;
  /** The JSON path or assignment name that names it, or '' when the file name does. */
  field: string;
  /** The name that made it count (field, assignment or file name) says withdrawal. */
  withdrawal: boolean;
  /** Where this key was published as a test key, when it is one (then it is no secret). */
  publicVector?: string;
}

/** The hit, marked when its value is a published test key. */
function withSource(hit: SecretHit, hex: string): SecretHit {
  const bytes = hexToBytes(hex.replace(/^0x/i, ''));
  const source = publicKeySource(bytes);
  bytes.fill(0);
  if (source) hit.publicVector = source;
  return hit;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Secrets in parsed JSON: string values that are valid BLS secrets under a key-ish name, or
 * anywhere when the file name is key-ish. The caller skips keystores and deposit files.
 * A value is a withdrawal key when a name on its path (or, for a file-name hit, the file name)
 * says withdrawal. Bounded: at most `maxNodes` values and `maxDepth` levels are visited (hostile nesting).
 */
export function jsonSecrets(json: unknown, fileName: FileNameContext | boolean, maxNodes = 200_000, maxDepth = 64): SecretHit[] {
  const file = asContext(fileName);
  const hits: SecretHit[] = [];
  let nodes = 0;
  // `named`: under a key-ish name; `pub`: under a public or derived name (never a secret);
  // `wd`: a name on the path says withdrawal.
  const walk = (v: unknown, path: string, named: boolean, pub: boolean, wd: boolean, depth = 0): void => {
    if (++nodes > maxNodes || depth > maxDepth) return;
    if (typeof v === 'string') {
      if (!pub && (named || file.keyish) && isBlsSecretHex(v)) {
        hits.push(withSource({ line: 0, field: path || '$', withdrawal: named ? wd : wd || file.withdrawal }, v));
      }
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, named, pub, wd, depth + 1));
      return;
    }
    if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const kind = nameKind(k);
        const isPub = kind === 'public';
        walk(x, path ? `${path}.${k}` : k, !isPub && (kind === 'secret' || named), isPub, wd || withdrawalName(k), depth + 1);
      }
    }
  };
  walk(json, '', false, false, false);
  return hits;
}

const HEX_DIGIT = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1;

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

const isHex = (c: number): boolean => c < 128 && HEX_DIGIT[c] === 1;

/**
 * Start offsets of runs of exactly 64 hex digits on word boundaries (an optional `0x` before
 * them is part of the run). Skips 64 characters at a time over text without such a run: any
 * run of 64 must cover every 64th position, so only hex digits at those positions are followed up.
 */
export function hex64Runs(s: string): number[] {
  const out: number[] = [];
  const n = s.length;
  let i = 63;
  while (i < n) {
    if (!isHex(s.charCodeAt(i))) {
      i += 64;
      continue;
    }
    let lo = i;
    while (lo > 0 && isHex(s.charCodeAt(lo - 1))) lo--;
    let hi = i + 1;
    while (hi < n && isHex(s.charCodeAt(hi))) hi++;
    if (hi - lo === 64 && (hi === n || !isWordChar(s.charCodeAt(hi)))) {
      let start = lo;
      if (start >= 2 && s.charCodeAt(start - 1) === 120 && s.charCodeAt(start - 2) === 48) start -= 2;
      if (start === 0 || !isWordChar(s.charCodeAt(start - 1))) out.push(start);
    }
    i = hi + 64;
  }
  return out;
}

/** `name = value`, `name: value`, `export NAME=value`, `--name value` before the hex on one line. */
const ASSIGN = /([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:[:=]|\s)\s*["']?$/;

/**
 * Streaming text scan for 32-byte hex secrets. Feed text in order; a line split across pieces is
 * carried (up to 4 KiB) so a value on a chunk boundary is still seen.
 */
export class HexSecretScanner extends LineCarryScanner {
  readonly hits: SecretHit[] = [];

  private readonly file: FileNameContext;

  constructor(fileName: FileNameContext | boolean) {
    super();
    this.file = asContext(fileName);
  }

  end(): SecretHit[] {
    this.finish();
    return this.hits;
  }

  protected scan(s: string, limit: number): void {
    let line = this.line;
    let pos = 0;
    for (const start of hex64Runs(s)) {
      if (start < this.minStart) continue;
      if (start >= limit) break;
      const len = s.charCodeAt(start + 1) === 120 ? 66 : 64;
      for (let nl = s.indexOf('\n', pos); nl !== -1 && nl < start; nl = s.indexOf('\n', nl + 1)) line++;
      pos = start;
      const value = s.slice(start, start + len);
      if (!isBlsSecretHex(value)) continue;
      const lineStart = s.lastIndexOf('\n', start - 1) + 1;
      const before = s.slice(Math.max(lineStart, start - 200), start);
      const a = ASSIGN.exec(before);
      const name = a?.[1] ?? '';
      const kind = name ? nameKind(name) : 'neutral';
      if (kind === 'secret') {
        this.hits.push(withSource({ line, field: name, withdrawal: withdrawalName(name) }, value));
      } else if (this.file.keyish && kind !== 'public') {
        this.hits.push(withSource({ line, field: '', withdrawal: this.file.withdrawal || (name !== '' && withdrawalName(name)) }, value));
      }
    }
    for (let nl = s.indexOf('\n', pos); nl !== -1 && nl < limit; nl = s.indexOf('\n', nl + 1)) line++;
    this.line = line;
  }
}

/**
 * EIP-2386 walletstore of a hierarchical-deterministic wallet (ethdo, go-eth2-wallet-hd): it holds
 * the wallet's seed (encrypted with the wallet passphrase), from which every withdrawal key of
 * the wallet derives. It belongs offline, never on a validator machine.
 */
export function isHdWalletstore(json: unknown): boolean {
  return (
    isObject(json) &&
    json['type'] === 'hierarchical deterministic' &&
    isObject(json['crypto']) &&
    typeof json['uuid'] === 'string' &&
    ('nextaccount' in json || 'name' in json)
  );
}
