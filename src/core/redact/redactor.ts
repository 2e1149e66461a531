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

/** Where a value was replaced: 1-based line of the chunk's first line plus the newlines before it. */
export interface RedactHit {
  kind: RedactKind;
  /** Offset of the match in the chunk (for line numbers). */
  offset: number;
}

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
 * The master pattern: one alternation, tried left to right at each position. Named groups say
 * which rule matched; the callback decides the kind and the replacement.
 */
const MASTER = new RegExp(
  [
    // URLs first: credentials, private hosts, keys and tokens in their paths and queries.
    `(?<url>\\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://[^ \\t\\r\\n"'<>\`]+)`,
    `(?<enr>\\benr:-[A-Za-z0-9_-]{20,})`,
    `(?<jwt>\\beyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*)`,
    `(?<bearer>\\b[Bb]earer[ \\t]+)(?<bearerTok>[A-Za-z0-9._~+/-]{8,}=*)`,
    `(?<email>\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,})`,
    // A shell prompt `user@host:~$` at a line start.
    `^(?<pUser>[a-z_][a-z0-9_-]{0,31})@(?<pHost>[A-Za-z0-9][A-Za-z0-9.-]{0,62}):(?=[~/])`,
    // journald / syslog prefix: `Sep 27 10:11:05 myhost lighthouse[2332257]:`, or with an ISO time.
    `^(?<jPre>(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})) )(?<jHost>[A-Za-z0-9][A-Za-z0-9._-]{0,62})(?= [A-Za-z0-9_.@/-]+(?:\\[[0-9]+\\])?:)`,
    // Home directories: /home/alice, /Users/alice, C:\\Users\\alice
    `(?<homePre>/home/|/Users/|[A-Za-z]:\\\\Users\\\\|\\\\\\\\Users\\\\\\\\)(?<homeUser>[A-Za-z0-9._-][^/\\\\ \\t\\r\\n"':;,)]{0,63})`,
    // Graffiti values (field or flag).
    `(?<gPre>--(?:validators-)?graffiti(?:[ \\t]+|=)|(?<![A-Za-z0-9_-])(?:graffiti|Graffiti|GRAFFITI)(?:[ \\t]*[:=][ \\t]*|"[ \\t]*:[ \\t]*))(?<gVal>"(?:[^"\\\\\\r\\n]|\\\\.){1,96}"|'[^'\\r\\n]{1,96}'|[^ \\t\\r\\n,;"']{1,64})`,
    // Key fields: one value or a list (Prysm `pubkeys=[0xaa 0xbb]`, Teku `Validator: b3d02ea, b00f5ad`).
    `(?<kPre>(?<![A-Za-z0-9_])(?:${KEY_FIELDS})${ASSIGN}\\[?)(?<kVal>${TRUNC_HEX}(?:@[0-9]{1,10})?(?:(?:[ \\t]*,[ \\t]*|[ \\t]+)${TRUNC_HEX}(?:@[0-9]{1,10})?)*)(?![0-9a-zA-Z_])`,
    `(?<aPre>(?<![A-Za-z0-9_])(?:${ADDRESS_FIELDS})${ASSIGN})(?<aVal>0[xX]${HEX}{4,40}(?:(?:_|\\.\\.\\.|\\xe2\\x80\\xa6)${HEX}{2,36})?|Q${HEX}{8,128})(?![0-9a-zA-Z_])`,
    `(?<iPre>(?<![A-Za-z0-9_])(?:${INDEX_FIELDS})${ASSIGN}\\[?)(?<iVal>[0-9]{1,10}(?:(?:[ \\t]*,[ \\t]*|[ \\t]+)[0-9]{1,10})*)(?![0-9])`,
    // Prysm `index=1717`: a validator index only on a line that also names a validator key.
    `(?<xPre>(?<![A-Za-z0-9_])index=)(?<xVal>[0-9]{1,10})(?![0-9])`,
    `(?<pePre>(?<![A-Za-z0-9_])(?:${PEER_FIELDS})(?:[ \\t]*[:=][ \\t]*"?|"[ \\t]*:[ \\t]*"?))(?<peVal>(?=[A-Za-z.*\\xe2\\x80\\xa6]*[0-9])(?:0x)?[A-Za-z0-9]{2,}(?:(?:\\.\\.\\.|\\xe2\\x80\\xa6|\\*)[A-Za-z0-9]{2,})?)(?![A-Za-z0-9])`,
    // geth `id=ff424bb6d989f813`: a node id's short form.
    `(?<gidPre>(?<![A-Za-z0-9_])id=)(?<gidVal>${HEX}{16})(?![0-9a-zA-Z])`,
    `(?<rPre>(?<![A-Za-z0-9_])(?:${ROOT_FIELDS})${ASSIGN})(?<rVal>(?:0[xX])?${HEX}{8,64})(?![0-9a-zA-Z])`,
    // Bare shapes anywhere.
    `(?<zpk>(?<![0-9a-zA-Z])(?:0x)?${HEX}{5184}(?![0-9a-zA-Z]))`,
    `(?<pk>(?<![0-9a-zA-Z])(?:0[xX])?${HEX}{96}(?![0-9a-zA-Z]))`,
    `(?<qaddr>(?<![0-9a-zA-Z])Q${HEX}{40}(?:${HEX}{56}|${HEX}{88})?(?![0-9a-zA-Z]))`,
    `(?<addr>(?<![0-9a-zA-Z])0[xX]${HEX}{40}(?![0-9a-zA-Z]))`,
    `(?<libp2p>(?<![0-9a-zA-Z])(?:16Uiu2HAm|12D3KooW|Qm)[1-9A-HJ-NP-Za-km-z]{40,50}(?![0-9a-zA-Z]))`,
    `(?<mac>(?<![0-9a-zA-Z:.-])${HEX}{2}([:-])${HEX}{2}(?:\\k<macSep>${HEX}{2}){4}(?![0-9a-zA-Z:.-]))`.replace('([:-])', '(?<macSep>[:-])'),
    `(?<ip6>(?<![0-9a-zA-Z:.])(?:${HEX}{0,4}:){2,7}(?:${HEX}{1,4}|[0-9]{1,3}(?:\\.[0-9]{1,3}){3})?(?![0-9a-zA-Z:.]))`,
    `(?<ip4>(?<![0-9a-zA-Z.])[0-9]{1,3}(?:\\.[0-9]{1,3}){3}(?![0-9a-zA-Z.]|\\.[0-9]))`,
    // Hex that may be a prefix of a key or root seen in full (checked in the callback).
    `(?<hexTok>(?<![0-9a-zA-Z])(?:0[xX])?${HEX}{8,95}(?![0-9a-zA-Z]))`,
    MNEMONIC_CANDIDATE,
  ].join('|'),
  'gm',
);

const PRIVATE_TLDS = new Set(['local', 'lan', 'home', 'internal', 'localdomain', 'intranet', 'corp', 'private', 'home.arpa', 'dappnode', 'box']);

function isLoopbackOrUnspecified4(ip: string): boolean {
  return ip.startsWith('127.') || ip === '0.0.0.0' || ip === '255.255.255.255';
}

/** A dotted quad whose octets are all ≤ 255. */
function validIpv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => p.length <= 3 && Number(p) <= 255 && !(p.length > 1 && p[0] === '0' && p.length === 3 && false));
}

/** An IPv6 text form (RFC 4291 §2.2), including an embedded IPv4 tail. */
function validIpv6(s: string): boolean {
  let body = s;
  let groupsNeeded = 8;
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
  /** Full pubkeys seen: their 8-hex-digit prefixes → canonical key, for truncated forms. */
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
      if (kind === 'pubkey' && canonical.length === 96) this.keyPrefixes.set(canonical.slice(0, 8), canonical);
      if (kind === 'block-root' && canonical.length === 64) this.rootPrefixes.set(canonical.slice(0, 8), canonical);
    }
    return `<${kind}-${n}>`;
  }

  private hit(kind: RedactKind, offset: number): void {
    this.replaced[kind]++;
    if (this.recordHits) this.hits.push({ kind, offset });
  }

  /** A truncated or full key → placeholder, sharing a full key's placeholder when it is its prefix. */
  private keyPlaceholder(raw: string): string {
    const body = hexBody(raw.replace(/(?:_|\.\.\.|\xe2\x80\xa6).*$/, ''));
    if (body.length >= 8 && body.length < 96) {
      const full = this.keyPrefixes.get(body.slice(0, 8));
      if (full && full.startsWith(body)) return this.placeholder('pubkey', full);
    }
    return this.placeholder('pubkey', hexBody(raw));
  }

  /** Redact one chunk of whole lines. `base` is the chunk's offset for hit records. */
  redact(text: string): string {
    let lineCache = -1;
    let lineHasKey = false;
    const lineNamesKey = (offset: number): boolean => {
      const start = text.lastIndexOf('\n', offset) + 1;
      if (start !== lineCache) {
        lineCache = start;
        let end = text.indexOf('\n', offset);
        if (end < 0) end = text.length;
        lineHasKey = /(?:pubkey|publickey|public_key)/i.test(text.slice(start, end));
      }
      return lineHasKey;
    };
    const lineOf = (offset: number): string => {
      const start = text.lastIndexOf('\n', offset) + 1;
      let end = text.indexOf('\n', offset);
      if (end < 0) end = text.length;
      return text.slice(start, end);
    };

    return text.replace(MASTER, (match: string, ...args: unknown[]) => {
      const groups = args[args.length - 1] as Record<string, string | undefined>;
      const offset = args[args.length - 3] as number;
      const g = groups;
      if (g['url'] !== undefined) return this.redactUrl(g['url'], offset);
      if (g['enr'] !== undefined) return this.one('enr', g['enr'], offset);
      if (g['jwt'] !== undefined) return this.one('url-credential', g['jwt'], offset);
      if (g['bearerTok'] !== undefined) return `${g['bearer']}${this.one('url-credential', g['bearerTok'], offset)}`;
      if (g['email'] !== undefined) return this.one('email', g['email'].toLowerCase(), offset);
      if (g['pUser'] !== undefined) {
        const user = g['pUser'] === 'root' ? 'root' : this.one('user', g['pUser'], offset);
        return `${user}@${this.hostPart(g['pHost']!, offset, true)}:`;
      }
      if (g['jHost'] !== undefined) return g['jHost'] === 'localhost' ? match : `${g['jPre']}${this.one('host', g['jHost'].toLowerCase(), offset)}`;
      if (g['homeUser'] !== undefined) {
        const u = g['homeUser'];
        if (/^(?:Shared|Public|Default|All Users|\.\.|\.)$/.test(u) || u.startsWith('<')) return match;
        return `${g['homePre']}${this.one('user', u, offset)}`;
      }
      if (g['gVal'] !== undefined) {
        const v = g['gVal'];
        const q = v[0] === '"' || v[0] === "'" ? v[0] : '';
        const inner = q ? v.slice(1, -1) : v;
        if (PLACEHOLDER.test(inner)) return match;
        return `${g['gPre']}${q}${this.one('graffiti', inner, offset)}${q}`;
      }
      if (g['kVal'] !== undefined) {
        const out = g['kVal'].replace(new RegExp(`${TRUNC_HEX}(?:@[0-9]{1,10})?`, 'g'), (v) => {
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
        return `${g['kPre']}${out}`;
      }
      if (g['aVal'] !== undefined) {
        const v = g['aVal'];
        return `${g['aPre']}${this.one('address', v[0] === 'Q' ? v : v.toLowerCase().replace(/^0x/, '0x'), offset)}`;
      }
      if (g['iVal'] !== undefined) {
        const out = g['iVal'].replace(/[0-9]+/g, (n) => this.one('index', String(Number(n)), offset));
        return `${g['iPre']}${out}`;
      }
      if (g['xVal'] !== undefined) {
        return lineNamesKey(offset) ? `${g['xPre']}${this.one('index', String(Number(g['xVal'])), offset)}` : match;
      }
      if (g['peVal'] !== undefined) {
        const v = g['peVal'];
        if (/^[0-9]+$/.test(v) || /^(?:none|null|nil|unknown|true|false)$/i.test(v)) return match;
        return `${g['pePre']}${this.one('peer', v, offset)}`;
      }
      if (g['gidVal'] !== undefined) return `${g['gidPre']}${this.one('peer', g['gidVal'].toLowerCase(), offset)}`;
      if (g['rVal'] !== undefined) {
        const body = hexBody(g['rVal']);
        const own = this.ownRoot(body);
        if (own) return `${g['rPre']}${this.one('block-root', own, offset)}`;
        if (PROPOSAL_LINE.test(lineOf(offset))) return `${g['rPre']}${this.one('block-root', body, offset)}`;
        return match;
      }
      if (g['zpk'] !== undefined) return this.one('zond-pubkey', hexBody(g['zpk']), offset);
      if (g['pk'] !== undefined) {
        this.hit('pubkey', offset);
        return this.placeholder('pubkey', hexBody(g['pk']));
      }
      if (g['qaddr'] !== undefined) return this.one('address', g['qaddr'], offset);
      if (g['addr'] !== undefined) return this.one('address', g['addr'].toLowerCase(), offset);
      if (g['libp2p'] !== undefined) return this.one('peer', g['libp2p'], offset);
      if (g['mac'] !== undefined) {
        const canon = g['mac'].toLowerCase().replace(/-/g, ':');
        if (canon === '00:00:00:00:00:00' || canon === 'ff:ff:ff:ff:ff:ff') return match;
        return this.one('mac', canon, offset);
      }
      if (g['ip6'] !== undefined) {
        const v = g['ip6'];
        if (!validIpv6(v) || ipv6Skipped(v)) return match;
        return this.one('ip', v.toLowerCase(), offset);
      }
      if (g['ip4'] !== undefined) {
        const v = g['ip4'];
        if (!validIpv4(v) || isLoopbackOrUnspecified4(v)) return match;
        // `v1.2.3.4`: a version, not an address.
        const before = offset > 0 ? text.charCodeAt(offset - 1) : 0;
        if (before === 0x76 || before === 0x56) return match;
        return this.one('ip', v, offset);
      }
      if (g['hexTok'] !== undefined) {
        const body = hexBody(g['hexTok']);
        const key = this.keyPrefixes.get(body.slice(0, 8));
        if (key && key.startsWith(body)) {
          this.hit('pubkey', offset);
          return this.placeholder('pubkey', key);
        }
        const root = this.ownRoot(body);
        if (root) return this.one('block-root', root, offset);
        return match;
      }
      if (g['mnem'] !== undefined) {
        const span = classifyMnemonicRun(g['mnem']);
        if (!span) return match;
        const [a, b] = span;
        const words = g['mnem'].slice(a, b);
        return `${g['mnem'].slice(0, a)}${this.one('mnemonic', words.replace(/[^a-z]+/g, ' ').trim(), offset + a)}${g['mnem'].slice(b)}`;
      }
      return match;
    });
  }

  private ownRoot(body: string): string | undefined {
    if (body.length < 8) return undefined;
    const r = this.rootPrefixes.get(body.slice(0, 8));
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
    if (always || dot < 0 || PRIVATE_TLDS.has(tld) || lower.endsWith('.home.arpa')) return this.one('host', lower, offset);
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

const PROPOSAL_SCAN = new RegExp(PROPOSAL_LINE.source, 'gi');
const ROOT_VALUE = new RegExp(`(?<![A-Za-z0-9_])(?:${ROOT_FIELDS})${ASSIGN}((?:0[xX])?${HEX}{64})(?![0-9a-zA-Z])`, 'g');

/**
 * Collect the roots of the operator's own proposals from a chunk of whole lines (the first pass
 * over files, so that a root printed before its proposal line is redacted too).
 */
export function ownProposalRoots(text: string, into: Set<string>): void {
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
