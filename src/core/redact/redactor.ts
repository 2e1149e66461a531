/**
 * Log redaction: replace every value that links a log to its operator (validator keys and
 * indices, addresses, IPs, peer ids, host and user names, credentials, graffiti, the roots of the
 * operator's own proposals, a pasted mnemonic) with a placeholder `<kind-N>`, N counting distinct
 * values of that kind in order of first appearance. Everything else is left byte for byte.
 *
 * Text is handled as a "binary" string (one char per byte, latin1), so bytes that are not valid
 * UTF-8 pass through unchanged and every pattern below is ASCII. Whole chunks of lines are matched
 * at once; no pattern crosses a line break (separators are `[ \t]`, never `\s`).
 */
import { classifyMnemonicRun, MNEMONIC_CANDIDATE } from './mnemonic.js';

export const REDACT_KINDS = [
  'pubkey',
  'zond-pubkey',
  'index',
  'address',
  'ip',
  'peer',
  'enr',
  'enode',
  'host',
  'user',
  'url-credential',
  'graffiti',
  'email',
  'mac',
  'block-root',
  'mnemonic',
] as const;
export type RedactKind = (typeof REDACT_KINDS)[number];

/** Where a value was replaced: the line within the chunk (0 = its first line). */
export interface RedactHit {
  kind: RedactKind;
  line: number;
}

interface Span {
  start: number;
  end: number;
  rep: 'url' | 'email' | 'prompt' | 'ip6';
}

/** Line of an offset, for offsets that mostly ascend (it rewinds when they do not). */
class LineCounter {
  private pos = 0;
  private line = 0;
  constructor(private readonly text: string) {}
  lineAt(offset: number): number {
    if (offset < this.pos) {
      this.pos = 0;
      this.line = 0;
    }
    for (let i = this.text.indexOf('\n', this.pos); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) {
      this.line++;
      this.pos = i + 1;
    }
    return this.line;
  }
}

const charTable = (re: RegExp): Uint8Array => {
  const t = new Uint8Array(256);
  for (let c = 0; c < 256; c++) t[c] = re.test(String.fromCharCode(c)) ? 1 : 0;
  return t;
};
const SCHEME_CHAR = charTable(/[a-zA-Z0-9+.-]/);
const LETTER_CHAR = charTable(/[a-zA-Z]/);
const WORD_CHAR = charTable(/[A-Za-z0-9_]/);
const URL_CHAR = charTable(/[^ \t\r\n"'<>`\x00]/);
const HEX_CHAR = charTable(/[0-9a-fA-F]/);
const IP6_CHAR = charTable(/[0-9a-fA-F:.]/);
const LOCAL_CHAR = charTable(/[A-Za-z0-9._%+-]/);
const DOMAIN_CHAR = charTable(/[A-Za-z0-9.-]/);
const PROMPT_USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const EMAIL_DOMAIN = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

const HEX = '[0-9a-fA-F]';
/** A truncated hex form: `0xab97_ad88`, `0xb542…d651` (UTF-8 ellipsis seen as 3 latin1 chars), `ab12...cd34`. */
const TRUNC_HEX = `(?:0[xX]${HEX}{4,96}|(?=[a-fA-F]*[0-9])${HEX}{6,96})(?:(?:_|\\.\\.\\.|\\xe2\\x80\\xa6)${HEX}{2,96})?`;

/** Field names whose value is a validator's public key (every client's spelling). */
const KEY_FIELDS = 'pubkey|pubKey|Pubkey|PubKey|publicKey|PublicKey|public_key|pubkeys|pubKeys|publicKeys|public_keys|validator_pubkey|validatorPubkey|validatorPubKey|validator_public_key|pk|validator|Validator|validators|Validators|VALIDATOR';
/** Field names whose value is an execution address. */
const ADDRESS_FIELDS = 'fee_recipient|feeRecipient|FeeRecipient|fee-recipient|suggested_fee_recipient|suggestedFeeRecipient|suggested-fee-recipient|withdrawal_address|withdrawalAddress|withdrawal-address|to_execution_address|execution_address|executionAddress|coinbase|etherbase|miner|address|Address';
/** Field names whose value is a validator index (committee and subnet indices are not). */
const INDEX_FIELDS = 'validator_index|validatorIndex|ValidatorIndex|validator-index|validator_indices|validatorIndices|ValidatorIndices|attester_indices|attesterIndices|AttesterIndices|aggregator_index|aggregatorIndex|AggregatorIndex|aggregator_indices|aggregatorIndices|AggregatorIndices|proposer_index|proposerIndex|ProposerIndex|validator_idx|vidx';
/** Field names whose value is a peer or node id. */
const PEER_FIELDS = 'peer|peer_id|peerId|peerID|PeerID|PeerId|remote_peer|remotePeer|node_id|nodeId|nodeID|NodeID|enr_node_id|client_id';
/** Root fields on a line that publishes the operator's own block. */
const ROOT_FIELDS = 'root|Root|blockRoot|block_root|BlockRoot|block_hash|blockHash|BlockHash|EL block|beacon_block_root';
/** A line where the operator's validator proposed a block. */
const PROPOSAL_LINE = /published block|publishing signed block|submitted new block|proposed block|block proposal (?:sent|published|included)|block sent|proposal included|published signed block/i;

const ASSIGN = `(?:[ \\t]*[:=][ \\t]*"?|"[ \\t]*:[ \\t]*"?|[ \\t]+)`;

/**
 * Compile a pattern with named groups into one with numbered groups only, and the name → number
 * map: V8 builds a `groups` object for every match of a named-group regex, which dominated the
 * cost on real logs.
 */
function compileNumbered(source: string, flags: string): { re: RegExp; group: Record<string, number> } {
  const group: Record<string, number> = {};
  let out = '';
  let n = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      out += source.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') {
      if (source[i + 1] !== '?') n++;
      else if (source[i + 2] === '<' && source[i + 3] !== '=' && source[i + 3] !== '!') {
        const close = source.indexOf('>', i);
        group[source.slice(i + 3, close)] = ++n;
        out += '(';
        i = close;
        continue;
      }
    }
    out += c;
  }
  out = out.replace(/\\k<([A-Za-z]+)>/g, (_, name: string) => `\\${group[name]}`);
  return { re: new RegExp(out, flags), group };
}

/**
 * The master pattern: one alternation, tried left to right at each position. Named groups say
 * which rule matched; the callback decides the kind and the replacement.
 */
const MASTER_SOURCE = (
  [
    `(?<enr>\\benr:-[A-Za-z0-9_-]{20,})`,
    `(?<jwt>\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)`,
    `(?<bearer>\\b[Bb]earer[ \\t]+)(?<bearerTok>[A-Za-z0-9._~+/-]{8,}=*)`,
    // journald / syslog prefix: `Sep 27 10:11:05 myhost lighthouse[2332257]:`, or with an ISO time.
    `^(?<jPre>(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})) )(?<jHost>[A-Za-z0-9][A-Za-z0-9._-]{0,62})(?= [A-Za-z0-9_.@/-]+(?:\\[[0-9]+\\])?:)`,
    // Home directories: /home/alice, /Users/alice, C:\\Users\\alice
    `(?<homePre>/home/|/Users/|[A-Za-z]:\\\\Users\\\\|\\\\\\\\Users\\\\\\\\)(?<homeUser>[A-Za-z0-9._-][^/\\\\ \\t\\r\\n"':;,)]{0,63})`,
    // Graffiti values (field or flag).
    `(?<gPre>--(?:validators-)?graffiti(?:[ \\t]+|=)|(?<![A-Za-z0-9_-])(?:graffiti|Graffiti|GRAFFITI)(?:[ \\t]*[:=][ \\t]*|"[ \\t]*:[ \\t]*))(?<gVal>"(?:[^"\\\\\\r\\n]|\\\\.){1,96}"|'[^'\\r\\n]{1,96}'|[^ \\t\\r\\n,;"']{1,64})`,
    // Key fields: one value or a list (Prysm `pubkeys=[0xaa 0xbb]`, Teku `Validator: b3d02ea, b00f5ad`).
    `(?<kPre>\\b(?:${KEY_FIELDS})${ASSIGN}\\[?)(?<kVal>${TRUNC_HEX}(?:@[0-9]{1,10})?(?:(?:[ \\t]*,[ \\t]*|[ \\t]+)${TRUNC_HEX}(?:@[0-9]{1,10})?)*)(?![0-9a-zA-Z_])`,
    `(?<aPre>\\b(?:${ADDRESS_FIELDS})${ASSIGN})(?<aVal>0[xX]${HEX}{4,40}(?:(?:_|\\.\\.\\.|\\xe2\\x80\\xa6)${HEX}{2,36})?|Q${HEX}{8,128})(?![0-9a-zA-Z_])`,
    `(?<iPre>\\b(?:${INDEX_FIELDS})${ASSIGN}\\[?)(?<iVal>[0-9]{1,10}(?:(?:[ \\t]*,[ \\t]*|[ \\t]+)[0-9]{1,10})*)(?![0-9])`,
    // Prysm `index=1717`: a validator index only on a line that also names a validator key.
    `(?<xPre>\\bindex=)(?<xVal>[0-9]{1,10})(?![0-9])`,
    `(?<pePre>\\b(?:${PEER_FIELDS})(?:[ \\t]*[:=][ \\t]*"?|"[ \\t]*:[ \\t]*"?))(?<peVal>(?=[A-Za-z.*\\xe2\\x80\\xa6]*[0-9])(?:0x)?[A-Za-z0-9]{2,}(?:(?:\\.\\.\\.|\\xe2\\x80\\xa6|\\*)[A-Za-z0-9]{2,})?)(?![A-Za-z0-9])`,
    // geth `id=ff424bb6d989f813`: a node id's short form.
    `(?<gidPre>\\bid=)(?<gidVal>${HEX}{16})(?![0-9a-zA-Z])`,
    `(?<rPre>\\b(?:${ROOT_FIELDS})${ASSIGN})(?<rVal>(?:0[xX])?${HEX}{8,64})(?![0-9a-zA-Z])`,
    // Bare shapes anywhere.
    `(?<libp2p>\\b(?:16Uiu2HAm|12D3KooW|Qm)[1-9A-HJ-NP-Za-km-z]{40,50}(?![0-9a-zA-Z]))`,
    `(?<mac>(?<![0-9a-zA-Z:.-])${HEX}{2}([:-])${HEX}{2}(?:\\k<macSep>${HEX}{2}){4}(?![0-9a-zA-Z:.-]))`.replace('([:-])', '(?<macSep>[:-])'),
    `(?<ip4>(?<![0-9a-zA-Z.])[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?![0-9a-zA-Z.]|\\.[0-9]))`,
    // Hex that may be a prefix of a key or root seen in full (checked in the callback).
    // Every hex token of 8+ digits, sorted out by length: a full key (96), a Zond key (5184), an
    // address (0x + 40, or a Q-address), or a prefix of a key or own root seen in full.
    `(?<hex>\\b(?:0[xX]|Q)?${HEX}{8,}(?![0-9a-zA-Z]))`,
    MNEMONIC_CANDIDATE,
  ].join('|')
);
const { re: MASTER, group: G } = compileNumbered(MASTER_SOURCE, 'gm');

const PRIVATE_TLDS = new Set(['local', 'lan', 'home', 'internal', 'localdomain', 'intranet', 'corp', 'private', 'home.arpa', 'dappnode', 'box']);

function isLoopbackOrUnspecified4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '255.255.255.255';
}

/** A dotted quad whose octets are all ≤ 255. */
function validIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => p.length <= 3 && Number(p) <= 255);
}

/** An IPv6 text form (RFC 4291 §2.2), including an embedded IPv4 tail. */
function validIpv6(s: string): boolean {
  let body = s;
  const groupsNeeded = 8;
  const m = /:([0-9]{1,3}(?:\.[0-9]{1,3}){3})$/.exec(s);
  if (m) {
    if (!validIpv4(m[1]!)) return false;
    body = s.slice(0, s.length - m[1]!.length) + '0:0';
  }
  const dbl = body.indexOf('::');
  if (dbl !== body.lastIndexOf('::')) return false;
  const groups = (x: string): string[] => (x === '' ? [] : x.split(':'));
  if (dbl >= 0) {
    const head = groups(body.slice(0, dbl));
    const tail = groups(body.slice(dbl + 2));
    if (head.length + tail.length > groupsNeeded - 1) return false;
    return [...head, ...tail].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
  }
  const all = groups(body);
  return all.length === groupsNeeded && all.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g));
}

function ipv6Skipped(s: string): boolean {
  const l = s.toLowerCase();
  return l === '::' || l === '::1' || /^(?:0{1,4}:){7}0{0,3}1$/.test(l) || /^::ffff:127\./.test(l) || l === '::ffff:0.0.0.0';
}

/** A placeholder this tool wrote: redacting redacted text changes nothing. */
const PLACEHOLDER = /^<[a-z-]+-[0-9]+>$/;

const hexBody = (s: string): string => s.replace(/^0[xX]/, '').toLowerCase();

export interface RedactOptions {
  /** Roots of the operator's own proposals, found by a first pass over the same input. */
  ownRoots?: Iterable<string>;
}

/**
 * A redaction run: it remembers every value it replaced, so one value gets one placeholder
 * across all lines and files of the run.
 */
export class Redactor {
  private readonly values = new Map<RedactKind, Map<string, number>>();
  /** Full pubkeys seen: their 6-hex-digit prefixes → canonical key, for truncated forms. */
  private readonly keyPrefixes = new Map<string, string>();
  private readonly rootPrefixes = new Map<string, string>();
  /** How many values of each kind were replaced (occurrences). */
  readonly replaced: Record<RedactKind, number>;
  readonly hits: RedactHit[] = [];
  /** Record hit offsets (for --check line numbers); off for plain redaction. */
  private readonly recordHits: boolean;

  constructor(opts: RedactOptions & { recordHits?: boolean } = {}) {
    this.replaced = Object.fromEntries(REDACT_KINDS.map((k) => [k, 0])) as Record<RedactKind, number>;
    this.recordHits = opts.recordHits ?? false;
    for (const r of opts.ownRoots ?? []) this.placeholder('block-root', r);
  }

  /** Distinct values seen per kind. */
  distinct(): Record<RedactKind, number> {
    return Object.fromEntries(REDACT_KINDS.map((k) => [k, this.values.get(k)?.size ?? 0])) as Record<RedactKind, number>;
  }

  /** The placeholder for a value (canonical form), assigning the next number on first sight. */
  placeholder(kind: RedactKind, canonical: string): string {
    let m = this.values.get(kind);
    if (!m) {
      m = new Map();
      this.values.set(kind, m);
    }
    let n = m.get(canonical);
    if (n === undefined) {
      n = m.size + 1;
      m.set(canonical, n);
      if (kind === 'pubkey' && canonical.length === 96) this.keyPrefixes.set(canonical.slice(0, 6), canonical);
      if (kind === 'block-root' && canonical.length === 64) this.rootPrefixes.set(canonical.slice(0, 6), canonical);
    }
    return `<${kind}-${n}>`;
  }

  private lines = new LineCounter('');

  private hit(kind: RedactKind, offset: number): void {
    this.replaced[kind]++;
    if (this.recordHits) this.hits.push({ kind, line: this.lines.lineAt(offset) });
  }

  /** A truncated or full key → placeholder, sharing a full key's placeholder when it is its prefix. */
  private keyPlaceholder(raw: string): string {
    const full = this.fullKey(hexBody(raw.replace(/(?:_|\.\.\.|\xe2\x80\xa6).*$/, '')));
    return this.placeholder('pubkey', full ?? hexBody(raw));
  }

  /** The full key seen earlier of which `body` (hex, 6–95 digits) is a prefix, if any. */
  private fullKey(body: string): string | undefined {
    if (body.length < 6 || body.length >= 96) return undefined;
    const full = this.keyPrefixes.get(body.slice(0, 6));
    return full !== undefined && full.startsWith(body) ? full : undefined;
  }

  /** Redact one chunk of whole lines. `base` is the chunk's offset for hit records. */
  redact(text: string): string {
    this.lines = new LineCounter(text);
    const spans = this.anchoredSpans(text);
    let si = 0;
    let lineCache = -1;
    let lineHasKey = false;
    const lineNamesKey = (offset: number): boolean => {
      const start = text.lastIndexOf('\n', offset) + 1;
      if (start !== lineCache) {
        lineCache = start;
        let end = text.indexOf('\n', offset);
        if (end < 0) end = text.length;
        lineHasKey = /\b(?:pubkey|publickey|public_key)[ \t]*[=:]/i.test(text.slice(start, end));
      }
      return lineHasKey;
    };
    const lineOf = (offset: number): string => {
      const start = text.lastIndexOf('\n', offset) + 1;
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      return text.slice(start, end);
    };

    const pieces: string[] = [];
    let last = 0;
    MASTER.lastIndex = 0;
    for (let m = MASTER.exec(text); m !== null; m = MASTER.exec(text)) {
      // Anchored spans (URLs, e-mails, prompts) before or under this match come first, in order.
      let skip = false;
      while (si < spans.length && spans[si]!.start < m.index + m[0].length) {
        const sp = spans[si++]!;
        if (sp.start < last) continue;
        pieces.push(text.slice(last, sp.start), this.spanText(text, sp));
        last = sp.end;
        if (sp.end > m.index) skip = true;
      }
      if (skip || m.index < last) {
        MASTER.lastIndex = Math.max(MASTER.lastIndex, last);
        continue;
      }
      const rep = this.replaceOne(m, text, lineNamesKey, lineOf);
      if (rep !== m[0]) {
        pieces.push(text.slice(last, m.index), rep);
        last = m.index + m[0].length;
      }
      if (m[0].length === 0) MASTER.lastIndex++;
    }
    for (; si < spans.length; si++) {
      const sp = spans[si]!;
      if (sp.start < last) continue;
      pieces.push(text.slice(last, sp.start), this.spanText(text, sp));
      last = sp.end;
    }
    if (last === 0) return text;
    pieces.push(text.slice(last));
    return pieces.join('');
  }

  private replaceOne(m: RegExpExecArray, text: string, lineNamesKey: (offset: number) => boolean, lineOf: (offset: number) => string): string {
    {
      const match = m[0];
      const offset = m.index;
      if (m[G['enr']!] !== undefined) return this.one('enr', m[G['enr']!]!, offset);
      if (m[G['jwt']!] !== undefined) return this.one('url-credential', m[G['jwt']!]!, offset);
      if (m[G['bearerTok']!] !== undefined) return `${m[G['bearer']!]!}${this.one('url-credential', m[G['bearerTok']!]!, offset)}`;
      if (m[G['jHost']!] !== undefined) return m[G['jHost']!]! === 'localhost' ? match : `${m[G['jPre']!]!}${this.one('host', m[G['jHost']!]!.toLowerCase(), offset)}`;
      if (m[G['homeUser']!] !== undefined) {
        const u = m[G['homeUser']!]!;
        if (/^(?:Shared|Public|Default|All Users|\.\.|\.)$/.test(u) || u.startsWith('<')) return match;
        return `${m[G['homePre']!]!}${this.one('user', u, offset)}`;
      }
      if (m[G['gVal']!] !== undefined) {
        const v = m[G['gVal']!]!;
        const q = v[0] === '"' || v[0] === "'" ? v[0] : '';
        const inner = q ? v.slice(1, -1) : v;
        if (PLACEHOLDER.test(inner)) return match;
        return `${m[G['gPre']!]!}${q}${this.one('graffiti', inner, offset)}${q}`;
      }
      if (m[G['kVal']!] !== undefined) {
        const out = m[G['kVal']!]!.replace(new RegExp(`${TRUNC_HEX}(?:@[0-9]{1,10})?`, 'g'), (v) => {
          const at = v.indexOf('@');
          const key = at >= 0 ? v.slice(0, at) : v;
          this.hit('pubkey', offset);
          let s = this.keyPlaceholder(key);
          if (at >= 0) {
            this.hit('index', offset);
            s += `@${this.placeholder('index', v.slice(at + 1))}`;
          }
          return s;
        });
        return `${m[G['kPre']!]!}${out}`;
      }
      if (m[G['aVal']!] !== undefined) {
        const v = m[G['aVal']!]!;
        return `${m[G['aPre']!]!}${this.one('address', v[0] === 'Q' ? v : v.toLowerCase().replace(/^0x/, '0x'), offset)}`;
      }
      if (m[G['iVal']!] !== undefined) {
        const out = m[G['iVal']!]!.replace(/[0-9]+/g, (n) => this.one('index', String(Number(n)), offset));
        return `${m[G['iPre']!]!}${out}`;
      }
      if (m[G['xVal']!] !== undefined) {
        return lineNamesKey(offset) ? `${m[G['xPre']!]!}${this.one('index', String(Number(m[G['xVal']!]!)), offset)}` : match;
      }
      if (m[G['peVal']!] !== undefined) {
        const v = m[G['peVal']!]!;
        if (/^[0-9]+$/.test(v) || /^(?:none|null|nil|unknown|true|false)$/i.test(v)) return match;
        return `${m[G['pePre']!]!}${this.one('peer', v, offset)}`;
      }
      if (m[G['gidVal']!] !== undefined) return `${m[G['gidPre']!]!}${this.one('peer', m[G['gidVal']!]!.toLowerCase(), offset)}`;
      if (m[G['rVal']!] !== undefined) {
        const body = hexBody(m[G['rVal']!]!);
        const own = this.ownRoot(body) ?? (this.values.get('block-root')?.has(body) ? body : undefined);
        if (own) return `${m[G['rPre']!]!}${this.one('block-root', own, offset)}`;
        if (PROPOSAL_LINE.test(lineOf(offset))) return `${m[G['rPre']!]!}${this.one('block-root', body, offset)}`;
        return match;
      }
      if (m[G['libp2p']!] !== undefined) return this.one('peer', m[G['libp2p']!]!, offset);
      if (m[G['mac']!] !== undefined) {
        const canon = m[G['mac']!]!.toLowerCase().replace(/-/g, ':');
        if (canon === '00:00:00:00:00:00' || canon === 'ff:ff:ff:ff:ff:ff') return match;
        return this.one('mac', canon, offset);
      }
      if (m[G['ip4']!] !== undefined) {
        const v = m[G['ip4']!]!;
        if (!validIpv4(v) || isLoopbackOrUnspecified4(v)) return match;
        // `v1.2.3.4`: a version, not an address.
        const before = offset > 0 ? text.charCodeAt(offset - 1) : 0;
        if (before === 0x76 || before === 0x56) return match;
        return this.one('ip', v, offset);
      }
      if (m[G['hex']!] !== undefined) return this.hexToken(match, offset);
      if (m[G['mnem']!] !== undefined) {
        const span = classifyMnemonicRun(m[G['mnem']!]!);
        if (!span) return match;
        const [a, b] = span;
        const words = m[G['mnem']!]!.slice(a, b);
        return `${m[G['mnem']!]!.slice(0, a)}${this.one('mnemonic', words.replace(/[^a-z]+/g, ' ').trim(), offset + a)}${m[G['mnem']!]!.slice(b)}`;
      }
      return match;
    }
  }

  /** A hex token of 8+ digits: by length a key, Zond key or address; else a prefix of one seen in full. */
  private hexToken(tok: string, offset: number): string {
    if (tok.charCodeAt(0) === 0x51 /* Q */) {
      const n = tok.length - 1;
      return n === 40 || n === 96 || n === 128 ? this.one('address', tok, offset) : tok;
    }
    const prefixed = tok.length > 2 && (tok[1] === 'x' || tok[1] === 'X') && tok[0] === '0';
    const n = prefixed ? tok.length - 2 : tok.length;
    if (n === 96) return this.one('pubkey', hexBody(tok), offset);
    if (n === 5184) return this.one('zond-pubkey', hexBody(tok), offset);
    if (n === 40 && prefixed) return this.one('address', tok.toLowerCase(), offset);
    if (n > 96) return tok;
    const body = hexBody(tok);
    const key = this.fullKey(body);
    if (key) return this.one('pubkey', key, offset);
    const root = this.ownRoot(body);
    if (root) return this.one('block-root', root, offset);
    if (this.values.get('block-root')?.has(body)) return this.one('block-root', body, offset);
    return tok;
  }

  /**
   * The first pass of `redact`: URLs (found by their `://`) and e-mail addresses and shell prompts
   * (found by their `@`), which a regex could only find by trying every word.
   */
  private anchoredSpans(text: string): Span[] {
    const spans: Span[] = [];
    let urlEnd = -1;
    for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', i + 3)) {
      if (i < urlEnd) continue;
      let a = i;
      while (a > 0 && SCHEME_CHAR[text.charCodeAt(a - 1)]) a--;
      while (a < i && !LETTER_CHAR[text.charCodeAt(a)]) a++;
      if (i - a < 2 || i - a > 16 || (a > 0 && WORD_CHAR[text.charCodeAt(a - 1)])) continue;
      let b = i + 3;
      while (b < text.length && URL_CHAR[text.charCodeAt(b)]) b++;
      if (b === i + 3) continue;
      urlEnd = b;
      spans.push({ start: a, end: b, rep: 'url' });
    }
    // URL spans are redacted in order below; '@' outside them is an e-mail or a prompt.
    let si = 0;
    for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
      while (si < spans.length && spans[si]!.end <= i) si++;
      if (si < spans.length && spans[si]!.start <= i) continue;
      let a = i;
      while (a > 0 && LOCAL_CHAR[text.charCodeAt(a - 1)]) a--;
      let b = i + 1;
      while (b < text.length && DOMAIN_CHAR[text.charCodeAt(b)]) b++;
      while (b > i + 1 && text.charCodeAt(b - 1) === 0x2e) b--;
      if (a === i || b === i + 1) continue;
      const local = text.slice(a, i);
      const domain = text.slice(i + 1, b);
      const lineStart = a === 0 || text.charCodeAt(a - 1) === 10;
      if (lineStart && PROMPT_USER.test(local) && text.charCodeAt(b) === 0x3a && (text[b + 1] === '~' || text[b + 1] === '/')) {
        spans.push({ start: a, end: b, rep: 'prompt' });
      } else if (EMAIL_DOMAIN.test(domain) && !(a > 0 && text.charCodeAt(a - 1) === 0x3e /* '>' ends a placeholder */)) {
        spans.push({ start: a, end: b, rep: 'email' });
      }
    }
    // IPv6 by its colons: a colon between two hex digits (or next to another colon) starts a
    // candidate, checked as a whole (times like 10:11:05 and MAC addresses fail the check).
    let ip6End = -1;
    for (let i = text.indexOf(':'); i >= 0; i = text.indexOf(':', i + 1)) {
      if (i < ip6End) continue;
      const next = text.charCodeAt(i + 1);
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      if (!(HEX_CHAR[next] || next === 0x3a) || !(HEX_CHAR[prev] || prev === 0x3a || (next === 0x3a && !WORD_CHAR[prev]))) continue;
      let a = i;
      while (a > 0 && IP6_CHAR[text.charCodeAt(a - 1)]) a--;
      let b = i + 1;
      while (b < text.length && IP6_CHAR[text.charCodeAt(b)]) b++;
      ip6End = b;
      while (b > i && text.charCodeAt(b - 1) === 0x2e) b--;
      if ((a > 0 && WORD_CHAR[text.charCodeAt(a - 1)]) || (b < text.length && WORD_CHAR[text.charCodeAt(b)])) continue;
      const v = text.slice(a, b);
      if (v.length < 2 || !validIpv6(v) || ipv6Skipped(v)) continue;
      if (spans.some((sp) => sp.start <= a && a < sp.end)) continue;
      spans.push({ start: a, end: b, rep: 'ip6' });
    }
    spans.sort((x, y) => x.start - y.start);
    return spans;
  }

  /** The replacement text of an anchored span. */
  private spanText(text: string, sp: Span): string {
    const raw = text.slice(sp.start, sp.end);
    if (sp.rep === 'prompt') {
      const at = raw.indexOf('@');
      const user = raw.slice(0, at);
      return `${user === 'root' ? user : this.one('user', user, sp.start)}@${this.hostPart(raw.slice(at + 1), sp.start, true)}`;
    }
    if (sp.rep === 'email') return this.one('email', raw.toLowerCase(), sp.start);
    if (sp.rep === 'ip6') return this.one('ip', raw.toLowerCase(), sp.start);
    return this.redactUrl(raw, sp.start);
  }

  private ownRoot(body: string): string | undefined {
    if (body.length < 8) return undefined;
    const r = this.rootPrefixes.get(body.slice(0, 6));
    return r && r.startsWith(body) ? r : undefined;
  }

  private one(kind: RedactKind, canonical: string, offset: number): string {
    this.hit(kind, offset);
    return this.placeholder(kind, canonical);
  }

  /** A host name: IPs → ip, private names → host, public names stay. */
  private hostPart(host: string, offset: number, always = false): string {
    const bare = host.replace(/^\[|\]$/g, '');
    if (validIpv4(bare) && /^[0-9.]+$/.test(bare)) return isLoopbackOrUnspecified4(bare) ? host : this.one('ip', bare, offset);
    if (bare.includes(':')) return validIpv6(bare) && !ipv6Skipped(bare) ? host.replace(bare, this.one('ip', bare.toLowerCase(), offset)) : host;
    const lower = bare.toLowerCase();
    if (lower === 'localhost' || lower.endsWith('.localhost')) return host;
    const dot = lower.indexOf('.');
    const tld = lower.slice(lower.lastIndexOf('.') + 1);
    // A public name ends in a letters-only top-level domain; Kubernetes services and LAN names do not.
    const publicTld = /^(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})$/.test(tld);
    if (always || dot < 0 || !publicTld || PRIVATE_TLDS.has(tld) || lower.endsWith('.home.arpa')) return this.one('host', lower, offset);
    return host;
  }

  /** A URL: userinfo, a private host, keys and tokens in its path and query. */
  private redactUrl(url: string, offset: number): string {
    // Trailing punctuation that ends a sentence or a field is not part of the URL.
    const tailMatch = /[.,;:)\]}]+$/.exec(url);
    const tail = tailMatch ? tailMatch[0] : '';
    const u = tail ? url.slice(0, -tail.length) : url;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)(?:([^@/?#]*)@)?(\[[0-9a-fA-F:.]+\]|[^:/?#]*)(:[0-9]{1,5})?([^?#]*)(\?[^#]*)?(#.*)?$/.exec(u);
    if (!m) return url;
    const [, scheme, userinfo, host, port, path, query, frag] = m;
    let out = scheme!;
    const enode = /^enode:/i.test(scheme!);
    if (userinfo !== undefined) {
      const body = hexBody(userinfo);
      if (enode && /^[0-9a-fA-F]{128}$/.test(userinfo)) {
        out += `${this.one('enode', body, offset)}@`;
      } else if (/^(?:0[xX])?[0-9a-fA-F]{96}$/.test(userinfo)) {
        this.hit('pubkey', offset);
        out += `${this.placeholder('pubkey', body)}@`;
      } else if (userinfo.length > 0) {
        out += `${this.one('url-credential', userinfo, offset)}@`;
      } else out += '@';
    }
    if (enode && userinfo === undefined && /^[0-9a-fA-F]{128}$/.test(host!)) out += this.one('enode', host!.toLowerCase(), offset);
    else out += this.hostPart(host!, offset);
    out += port ?? '';
    out += (path ?? '').replace(/[^/]+/g, (seg) => this.urlSegment(seg, offset));
    if (query) {
      out += query.replace(/([?&;])([^=&;]*)=([^&;]*)/g, (all, sep: string, name: string, value: string) => {
        if (value.length > 0 && /(?:key|token|secret|auth|pass|password|pwd|signature|sig|credential|jwt|session)/i.test(name)) {
          return `${sep}${name}=${this.one('url-credential', value, offset)}`;
        }
        return `${sep}${name}=${this.urlSegment(value, offset)}`;
      });
    }
    out += frag ?? '';
    return out + tail;
  }

  /** One path segment or query value: a key or address, an API key, else unchanged. */
  private urlSegment(seg: string, offset: number): string {
    if (/^(?:0[xX])?[0-9a-fA-F]{96}$/.test(seg)) {
      this.hit('pubkey', offset);
      return this.placeholder('pubkey', hexBody(seg));
    }
    if (/^0[xX][0-9a-fA-F]{40}$/.test(seg)) return this.one('address', seg.toLowerCase(), offset);
    if (/^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$/.test(seg) && validIpv4(seg) && !isLoopbackOrUnspecified4(seg)) return this.one('ip', seg, offset);
    // An API key: 20+ characters of letters and digits with both present, or 32+ hex digits.
    if ((/^[A-Za-z0-9_-]{20,}$/.test(seg) && /[0-9]/.test(seg) && /[A-Za-z]/.test(seg) && !/^v[0-9]/.test(seg)) || /^[0-9a-fA-F]{32,}$/.test(seg)) {
      return this.one('url-credential', seg, offset);
    }
    return seg;
  }
}

/** The proposal phrases without their first letter (either case): a cheap test before the regex. */
const PROPOSAL_HINT = /ublished block|ublishing signed block|ubmitted new block|roposed block|lock proposal|lock sent|roposal included|ublished signed block/;
const PROPOSAL_SCAN = new RegExp(PROPOSAL_LINE.source, 'gi');
const ROOT_VALUE = new RegExp(`\\b(?:${ROOT_FIELDS})${ASSIGN}((?:0[xX])?${HEX}{8,64})(?![0-9a-zA-Z])`, 'g');

/**
 * Collect the roots of the operator's own proposals from a chunk of whole lines (the first pass
 * over files, so that a root printed before its proposal line is redacted too).
 */
export function ownProposalRoots(text: string, into: Set<string>): void {
  if (!PROPOSAL_HINT.test(text)) return;
  PROPOSAL_SCAN.lastIndex = 0;
  let done = -1;
  for (let m = PROPOSAL_SCAN.exec(text); m !== null; m = PROPOSAL_SCAN.exec(text)) {
    const start = text.lastIndexOf('\n', m.index) + 1;
    if (start <= done) continue;
    let end = text.indexOf('\n', m.index);
    if (end < 0) end = text.length;
    done = end;
    for (const r of text.slice(start, end).matchAll(ROOT_VALUE)) into.add(hexBody(r[1]!));
    PROPOSAL_SCAN.lastIndex = end;
  }
}
