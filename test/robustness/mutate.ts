/**
 * Hostile-input generator: deterministic (seeded) mutations of real vectors — truncation, type
 * changes, huge numbers, deep nesting, giant strings, invalid UTF-8, duplicated keys,
 * prototype-pollution keys, KDF bombs, hex damage. Each case is the bytes of a file.
 */

export type Rng = () => number;

/** mulberry32: small, fast, good enough to spread mutations; seeded so failures reproduce. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `xs`, chosen by the RNG. */
export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

export interface Case {
  kind: string;
  bytes: Buffer;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = Array<string | number>;

function paths(v: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k] as Json, [...prefix, k], out);
  return out;
}

function clone(v: Json): Json {
  return JSON.parse(JSON.stringify(v)) as Json;
}

function setAt(root: Json, p: Path, value: Json): Json {
  if (p.length === 0) return value;
  let cur = root as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  cur[p[p.length - 1] as string | number] = value;
  return root;
}

function getAt(root: Json, p: Path): Json {
  let cur: Json = root;
  for (const k of p) cur = (cur as Record<string | number, Json>)[k] as Json;
  return cur;
}

function deleteAt(root: Json, p: Path): Json {
  if (p.length === 0) return null;
  const parent = getAt(root, p.slice(0, -1));
  const k = p[p.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(k as number, 1);
  else if (parent && typeof parent === 'object') delete parent[k as string];
  return root;
}

const ODD_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, 1e308, -0, '', 'x', '0x', '-1', '1e3', '18446744073709551616',
  '340282366920938463463374607431768211456', '99999999999999999999999999999', [], {}, [null], { a: 1 },
  '0xzz', 'ff'.repeat(48), '00'.repeat(32), 'not hex at all',
];

const HUGE_NUMBERS = ['1e400', '-1e400', '18446744073709551616', '99999999999999999999999999999999999999', '1e-400', '-0', '0.0000001'];

const POLLUTION: Array<[string, string]> = [
  ['__proto__', '{"polluted":true,"isAdmin":true}'],
  ['constructor', '{"prototype":{"polluted":true}}'],
  ['prototype', '{"polluted":true}'],
  ['hasOwnProperty', '"oops"'],
  ['toString', '1'],
];

function serialize(v: Json, r: Rng): string {
  return r() < 0.5 ? JSON.stringify(v) : JSON.stringify(v, null, r() < 0.5 ? 2 : 4);
}

/** One mutation of a JSON document, chosen by the RNG. */
export function mutateJson(original: Json, r: Rng, extra: Array<(v: Json, r: Rng) => Case | null> = []): Case {
  const kinds = ['truncate', 'type', 'huge-number', 'deep-nesting', 'giant-string', 'invalid-utf8', 'duplicate-key', 'pollution', 'delete', 'add-key', 'hex', 'raw', ...extra.map((_, i) => `extra-${i}`)];
  const kind = pick(r, kinds);
  const doc = clone(original);
  const ps = paths(doc);
  const p = pick(r, ps);
  const text = serialize(doc, r);
  switch (kind) {
    case 'truncate':
      return { kind, bytes: Buffer.from(text.slice(0, Math.floor(r() * text.length))) };
    case 'type':
      return { kind, bytes: Buffer.from(serialize(setAt(doc, p, clone(pick(r, ODD_VALUES))), r)) };
    case 'huge-number': {
      const marker = '"__HUGE__"';
      const s = serialize(setAt(doc, p, '__HUGE__'), r);
      return { kind, bytes: Buffer.from(s.replace(marker, pick(r, HUGE_NUMBERS))) };
    }
    case 'deep-nesting': {
      const depth = pick(r, [100, 1000, 10_000, 100_000]);
      const marker = '"__DEEP__"';
      const s = serialize(setAt(doc, p, '__DEEP__'), r);
      return { kind, bytes: Buffer.from(s.replace(marker, '['.repeat(depth) + ']'.repeat(depth))) };
    }
    case 'giant-string': {
      const n = pick(r, [10_000, 100_000, 1_000_000, 5_000_000]);
      return { kind, bytes: Buffer.from(serialize(setAt(doc, p, 'a'.repeat(n)), r)) };
    }
    case 'invalid-utf8': {
      const buf = Buffer.from(text);
      const at = Math.floor(r() * buf.length);
      const bad = pick(r, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf]]);
      return { kind, bytes: Buffer.concat([buf.subarray(0, at), Buffer.from(bad), buf.subarray(at)]) };
    }
    case 'duplicate-key': {
      const m = /"([^"\\]{1,40})":/g;
      const keys = [...text.matchAll(m)];
      if (keys.length === 0) return { kind, bytes: Buffer.from(text) };
      const k = pick(r, keys);
      const dup = `"${k[1]}": ${JSON.stringify(pick(r, ODD_VALUES))}, `;
      const at = k.index as number;
      return { kind, bytes: Buffer.from(text.slice(0, at) + dup + text.slice(at)) };
    }
    case 'pollution': {
      const objs = [...text.matchAll(/\{/g)];
      const o = pick(r, objs);
      const [key, val] = pick(r, POLLUTION);
      const at = (o.index as number) + 1;
      const rest = text.slice(at).trimStart();
      const sep = rest.startsWith('}') ? '' : ',';
      return { kind, bytes: Buffer.from(`${text.slice(0, at)}"${key}":${val}${sep}${text.slice(at)}`) };
    }
    case 'delete':
      return { kind, bytes: Buffer.from(serialize(deleteAt(doc, p), r)) };
    case 'add-key': {
      const objPaths = ps.filter((q) => {
        const v = getAt(doc, q);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      if (objPaths.length === 0) return { kind, bytes: Buffer.from(text) };
      const q = pick(r, objPaths);
      (getAt(doc, q) as Record<string, Json>)[pick(r, ['extra', 'pubkey', 'amount', 'version', ''])] = clone(pick(r, ODD_VALUES));
      return { kind, bytes: Buffer.from(serialize(doc, r)) };
    }
    case 'hex': {
      const hexPaths = ps.filter((q) => {
        const v = getAt(doc, q);
        return typeof v === 'string' && /^(0x)?[0-9a-fA-F]{8,}$/.test(v);
      });
      if (hexPaths.length === 0) return { kind, bytes: Buffer.from(text) };
      const q = pick(r, hexPaths);
      const v = getAt(doc, q) as string;
      const variants = [
        v.slice(0, -2), `${v}00`, v.startsWith('0x') ? v.slice(2) : `0x${v}`, v.toUpperCase(),
        `${v.slice(0, -1)}${v.endsWith('0') ? '1' : '0'}`, `${v.slice(0, -1)}g`, ` ${v}`, '',
      ];
      return { kind, bytes: Buffer.from(serialize(setAt(doc, q, pick(r, variants)), r)) };
    }
    case 'raw': {
      const raws = [
        Buffer.alloc(0), Buffer.from('   \n'), Buffer.from('\ufeff' + text), Buffer.from('null'), Buffer.from('[]'), Buffer.from('{}'),
        Buffer.from('"just a string"'), Buffer.from(Array.from({ length: 4096 }, () => Math.floor(r() * 256))), Buffer.from(text + text),
        Buffer.from(text.replace(/"/g, "'")), Buffer.from(`${text}\u0000`),
      ];
      return { kind, bytes: pick(r, raws) };
    }
    default: {
      const i = Number(kind.slice('extra-'.length));
      const c = extra[i]?.(doc, r);
      return c ?? { kind, bytes: Buffer.from(text) };
    }
  }
}

/** Mutations of a line-oriented text secret (mnemonic files). */
export function mutateText(original: string, r: Rng): Case {
  const words = original.split(/\s+/).filter(Boolean);
  const kind = pick(r, ['drop-word', 'swap', 'typo', 'long-line', 'invalid-utf8', 'non-letters', 'empty', 'mixed-language', 'extra-words', 'control', 'respell']);
  switch (kind) {
    case 'drop-word':
      words.splice(Math.floor(r() * words.length), 1);
      return { kind, bytes: Buffer.from(`${words.join(' ')}\n`) };
    case 'swap': {
      const i = Math.floor(r() * (words.length - 1));
      [words[i], words[i + 1]] = [words[i + 1] as string, words[i] as string];
      return { kind, bytes: Buffer.from(`${words.join(' ')}\n`) };
    }
    case 'typo': {
      const i = Math.floor(r() * words.length);
      const w = words[i] as string;
      const j = Math.floor(r() * w.length);
      words[i] = w.slice(0, j) + String.fromCharCode(97 + Math.floor(r() * 26)) + w.slice(j + 1);
      return { kind, bytes: Buffer.from(`${words.join(' ')}\n`) };
    }
    case 'long-line':
      return { kind, bytes: Buffer.from(`${'x'.repeat(pick(r, [10_000, 100_000, 70_000]))}\n`) };
    case 'invalid-utf8':
      return { kind, bytes: Buffer.concat([Buffer.from(words.slice(0, 3).join(' ')), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('\n')]) };
    case 'non-letters':
      return { kind, bytes: Buffer.from(`${words.map((w) => (r() < 0.2 ? `${w}1!` : w)).join(' ')}\n`) };
    case 'empty':
      return { kind, bytes: Buffer.from(pick(r, ['', '\n', '   \n', '\n\n\n'])) };
    case 'mixed-language':
      words[Math.floor(r() * words.length)] = pick(r, ['ábaco', 'あいこくしん', '的', '가격', 'abaisser']);
      return { kind, bytes: Buffer.from(`${words.join(' ')}\n`) };
    case 'extra-words':
      return { kind, bytes: Buffer.from(`${[...words, ...words.slice(0, Math.floor(r() * 12) + 1)].join(' ')}\n`) };
    case 'respell':
      return { kind, bytes: Buffer.from(respell(words, r)) };
    default:
      return { kind, bytes: Buffer.from(`${words.join('\u0007 ')}\u001b[2J\n`) };
  }
}

/**
 * The same words laid out the way people really type or paste them: capitals, four-letter stamps,
 * numbering, one per line, CRLF, tabs, no-break spaces, a byte-order mark. Often still the same
 * mnemonic, so these cases get past parsing into the command itself.
 */
function respell(words: string[], r: Rng): string {
  switch (pick(r, ['upper', 'stamps', 'numbered', 'lines', 'crlf', 'tabs', 'nbsp', 'bom'])) {
    case 'upper': return `${words.join(' ').toUpperCase()}\n`;
    case 'stamps': return `${words.map((w) => w.slice(0, 4)).join(' ')}\n`;
    case 'numbered': return words.map((w, i) => `${i + 1}. ${w}`).join('\n') + '\n';
    case 'lines': return `${words.join('\n')}\n`;
    case 'crlf': return `${words.join(' ')}\r\n`;
    case 'tabs': return `\t${words.join('\t \t')}  \n`;
    case 'nbsp': return `${words.join('\u00a0')}\n`;
    default: return `\ufeff${words.join(' ')}\n`;
  }
}

/**
 * Mutations of a password file. Only the last line end is the file's (as ethstaker-deposit-cli
 * reads password files), so line ends inside, control characters and NULs are part of the password.
 */
export function mutatePassword(original: string, r: Rng): Case {
  const kind = pick(r, ['empty', 'short', 'control', 'invalid-utf8', 'oversize', 'long', 'unicode', 'multi-line', 'nul', 'whitespace', 'crlf']);
  switch (kind) {
    case 'empty':
      return { kind, bytes: Buffer.from(pick(r, ['', '\n', '\r\n', '\n\n'])) };
    case 'short':
      return { kind, bytes: Buffer.from(`${[...original].slice(0, 11).join('')}\n`) };
    case 'control':
      return { kind, bytes: Buffer.from(`${Array.from({ length: 12 + Math.floor(r() * 8) }, () => String.fromCharCode(pick(r, [1, 7, 8, 27, 127, 0x85, 0x9b]))).join('')}\n`) };
    case 'invalid-utf8': {
      const buf = Buffer.from(original);
      const at = Math.floor(r() * buf.length);
      return { kind, bytes: Buffer.concat([buf.subarray(0, at), Buffer.from(pick(r, [[0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf]])), buf.subarray(at), Buffer.from('\n')]) };
    }
    case 'oversize':
      return { kind, bytes: Buffer.from(`${'x'.repeat(70_000)}\n`) };
    case 'long':
      return { kind, bytes: Buffer.from(`${'p'.repeat(pick(r, [1_000, 10_000, 60_000]))}\n`) };
    case 'unicode':
      return { kind, bytes: Buffer.from(`${pick(r, ['𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑', 'ｐａｓｓｗｏｒｄ１２３４', 'e\u0301'.repeat(12), '\u202epassword-rtl-1', 'パスワードパスワードパス'])}\n`) };
    case 'multi-line':
      return { kind, bytes: Buffer.from(`${original}\n${original}\n`) };
    case 'nul':
      return { kind, bytes: Buffer.from(`${original.slice(0, 6)}\u0000${original.slice(6)}\n`) };
    case 'whitespace':
      return { kind, bytes: Buffer.from(`${' '.repeat(12 + Math.floor(r() * 4))}\n`) };
    default:
      return { kind, bytes: Buffer.from(`${original}\r\n`) };
  }
}
