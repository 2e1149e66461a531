/**
 * Zond (QRL) secrets in hex, and go-qrl wallet account keystores, for `separation check`.
 *
 * - Extended seed: 102 hex digits starting 010000 (descriptor 01 00 00 = ML-DSA-87 wallet, then the
 *   48-byte seed). Found with no other context: the prefix and length together are specific.
 * - Seed: 96 hex digits (48 bytes), what qrysm's deposit CLI prints as "Please note down your
 *   ML-DSA-87 seed: 0x…". 96 hex digits is also every BLS pubkey, which a validator machine holds by
 *   the hundred, so a bare 96-digit value counts only when a name says seed or secret (`seed: 0x…`,
 *   `hexseed=…`, `"secret": "…"`, `--seed …`, or a file named like `seed.txt`) and nothing in the name
 *   says public (`pubkey`, `validator_pubkey` never count).
 * - go-qrl (gqrl) account keystore: `crypto.kdf` "argon2id" as a string with `kdfparams`,
 *   `ciphertext`, `cipher` "aes-256-gcm" (research note §14): an encrypted wallet seed that can move
 *   funds, which belongs on no validator machine.
 * Hits never carry the value.
 */
import { nameKind } from './secrets.js';
import { CONTEXT, LineCarryScanner } from './line-carry.js';

export interface ZondSecretHit {
  /** 1-based line (text scan) or 0 when found through JSON. */
  line: number;
  /** The JSON path or assignment name that names it, or '' (file name, or an extended seed). */
  field: string;
  kind: 'seed' | 'extended-seed';
}

/** Name words that say a 96-digit value is a seed (on top of nameKind's "secret" words). */
const SEED_NAME_WORDS = new Set(['seed', 'seeds', 'hexseed', 'extendedseed', 'secret', 'secrets', 'mnemonicseed', 'secretseed', 'privateseed']);

function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** True when a name says seed or secret and nothing in it says public. */
export function seedName(name: string): boolean {
  return nameKind(name) !== 'public' && nameWords(name).some((w) => SEED_NAME_WORDS.has(w));
}

const HEX = /^[0-9a-fA-F]+$/;

/** What a hex string (optional 0x) is, by length and prefix alone: an extended seed, 48 bytes, or neither. */
function hexShape(v: string): 'extended-seed' | 'seed48' | undefined {
  const h = v.startsWith('0x') || v.startsWith('0X') ? v.slice(2) : v;
  if (h.length === 102 && HEX.test(h) && h.startsWith('010000')) return 'extended-seed';
  if (h.length === 96 && HEX.test(h)) return 'seed48';
  return undefined;
}

const isWordChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isHexChar = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * Runs of exactly 96 or 102 hex digits on word boundaries (an optional 0x before them is part of the
 * run): [start, length]. Skips 96 characters at a time over text without such a run.
 */
export function zondHexRuns(s: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = s.length;
  let i = 95;
  while (i < n) {
    if (!isHexChar(s.charCodeAt(i))) {
      i += 96;
      continue;
    }
    let lo = i;
    while (lo > 0 && isHexChar(s.charCodeAt(lo - 1))) lo--;
    let hi = i + 1;
    while (hi < n && isHexChar(s.charCodeAt(hi))) hi++;
    const len = hi - lo;
    if ((len === 96 || len === 102) && (hi === n || !isWordChar(s.charCodeAt(hi)))) {
      let start = lo;
      if (start >= 2 && (s.charCodeAt(start - 1) === 120 || s.charCodeAt(start - 1) === 88) && s.charCodeAt(start - 2) === 48) start -= 2;
      if (start === 0 || !isWordChar(s.charCodeAt(start - 1))) out.push([start, hi - start]);
    }
    i = hi + 96;
  }
  return out;
}

/** `name = value`, `name: value`, `export NAME=value`, `--name value` before the hex on one line (as secrets.ts). */
const ASSIGN = /([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:[:=]|\s)\s*["']?$/;

/**
 * Streaming text scan for Zond hex seeds, chunk by chunk; a line split across pieces is carried (up
 * to 4 KiB) so a value on a chunk boundary is still seen.
 * @param seedFile the file's name says seed or secret (then bare 96-digit values count too)
 */
export class ZondHexScanner extends LineCarryScanner {
  readonly hits: ZondSecretHit[] = [];

  constructor(private readonly seedFile: boolean) {
    super();
  }

  end(): ZondSecretHit[] {
    this.finish();
    return this.hits;
  }

  protected scan(s: string, limit: number): void {
    let line = this.line;
    let pos = 0;
    for (const [start, len] of zondHexRuns(s)) {
      if (start < this.minStart) continue;
      if (start >= limit) break;
      for (let nl = s.indexOf('\n', pos); nl !== -1 && nl < start; nl = s.indexOf('\n', nl + 1)) line++;
      pos = start;
      const shape = hexShape(s.slice(start, start + len));
      if (!shape) continue;
      const lineStart = s.lastIndexOf('\n', start - 1) + 1;
      const name = ASSIGN.exec(s.slice(Math.max(lineStart, start - CONTEXT), start))?.[1] ?? '';
      if (name && nameKind(name) === 'public') continue;
      if (shape === 'extended-seed') this.hits.push({ line, field: name, kind: 'extended-seed' });
      else if (name && seedName(name)) this.hits.push({ line, field: name, kind: 'seed' });
      else if (this.seedFile) this.hits.push({ line, field: '', kind: 'seed' });
    }
    for (let nl = s.indexOf('\n', pos); nl !== -1 && nl < limit; nl = s.indexOf('\n', nl + 1)) line++;
    this.line = line;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Zond hex seeds in parsed JSON: extended seeds anywhere (outside public names), 48-byte seeds under
 * a name that says seed or secret (or anywhere when the file's name does). Bounded like jsonSecrets.
 */
export function zondJsonSecrets(json: unknown, seedFile: boolean, maxNodes = 200_000, maxDepth = 64): ZondSecretHit[] {
  const hits: ZondSecretHit[] = [];
  let nodes = 0;
  const walk = (v: unknown, path: string, named: boolean, pub: boolean, depth: number): void => {
    if (++nodes > maxNodes || depth > maxDepth) return;
    if (typeof v === 'string') {
      const shape = pub ? undefined : hexShape(v);
      if (shape === 'extended-seed') hits.push({ line: 0, field: path || '$', kind: 'extended-seed' });
      else if (shape === 'seed48' && (named || seedFile)) hits.push({ line: 0, field: path || '$', kind: 'seed' });
      return;
    }
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`, named, pub, depth + 1));
      return;
    }
    if (isObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        const isPub = pub || nameKind(k) === 'public';
        walk(x, path ? `${path}.${k}` : k, !isPub && (named || seedName(k)), isPub, depth + 1);
      }
    }
  };
  walk(json, '', false, false, 0);
  return hits;
}

/**
 * A go-qrl (gqrl) account keystore: `crypto.kdf` "argon2id" as a string with `kdfparams`, a
 * `ciphertext`, and `cipher` "aes-256-gcm" (qrysm's e2e wallet keeps the same layout).
 */
export function isGqrlAccountKeystore(json: unknown): boolean {
  if (!isObject(json) || !isObject(json['crypto'])) return false;
  const c = json['crypto'];
  return c['kdf'] === 'argon2id' && isObject(c['kdfparams']) && c['cipher'] === 'aes-256-gcm' && typeof c['ciphertext'] === 'string';
}
