/**
 * Routes and addresses from procfs. Semantics (research notes rows 7–8):
 * - /proc/net/route: IPv4, main table only (fib_route_seq_show skips other tables), hex fields,
 *   addresses in host (little-endian) byte order.
 * - /proc/net/ipv6_route: every IPv6 FIB table, 10 space-separated fields.
 * - /proc/net/fib_trie: every IPv4 table (Main, Local, `Id N`), shows local addresses and
 *   default routes in policy-routing tables that /proc/net/route cannot.
 * - /proc/net/if_inet6: IPv6 addresses per interface.
 */
import { finding, type Finding } from '../findings.js';
import { clip, type ReadOnlyFs } from './fs.js';
import { unreadable } from './notes.js';

const RTF_UP = 0x1;
const RTF_REJECT = 0x200;
const RTF_LOCAL = 0x80000000;
const ROUTE_MAX = 4 * 1024 * 1024;

export const ROUTE_FILE = '/proc/net/route';
export const IPV6_ROUTE_FILE = '/proc/net/ipv6_route';
export const FIB_TRIE_FILE = '/proc/net/fib_trie';
export const IF_INET6_FILE = '/proc/net/if_inet6';

export type FixFor = (iface: string) => string;

/** `010200C0` (host byte order, little-endian) → `192.0.2.1`. */
export function hexToIpv4(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{8}$/.test(hex)) return undefined;
  const b = [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return b.join('.');
}

/** 32 hex digits → `fd00::1` style (longest zero run compressed). */
export function hexToIpv6(hex: string): string | undefined {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16).toString(16));
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function read(fs: ReadOnlyFs, file: string, notes: Finding[]): string | undefined {
  const r = fs.readText(file, ROUTE_MAX);
  if (!r.ok) {
    notes.push(unreadable(file, r.code));
    return undefined;
  }
  if (r.truncated) notes.push(unreadable(file, 'malformed', 'file larger than the read limit: only its beginning was checked'));
  return r.text;
}

/** IPv4 routes of the main table. */
export function ipv4RouteFindings(fs: ReadOnlyFs, fixFor: FixFor): Finding[] {
  const notes: Finding[] = [];
  const text = read(fs, ROUTE_FILE, notes);
  if (text === undefined) return notes;
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  // A namespace without a main table (no route ever added) gives an empty file, header included.
  if (lines.length === 0) return [];
  if (!/^Iface\s+Destination\s+Gateway/.test(lines[0]!)) {
    return [unreadable(ROUTE_FILE, 'malformed', lines[0] ?? '')];
  }
  const out: Finding[] = [];
  let malformed = 0;
  for (const line of lines.slice(1)) {
    const f = line.split(/\s+/);
    const [iface, dst, gw, flagsHex, , , metric, mask] = f;
    const dstIp = hexToIpv4(dst ?? '');
    const maskIp = hexToIpv4(mask ?? '');
    const gwIp = hexToIpv4(gw ?? '');
    if (f.length < 8 || !iface || dstIp === undefined || maskIp === undefined || gwIp === undefined || !/^[0-9a-fA-F]{1,8}$/.test(flagsHex ?? '')) {
      malformed++;
      continue;
    }
    const flags = parseInt(flagsHex!, 16);
    if (iface === 'lo' || (flags & RTF_UP) === 0 || (flags & RTF_REJECT) !== 0) continue;
    const evidence = { file: ROUTE_FILE, value: clip(line), destination: dstIp, mask: maskIp, gateway: gwIp, metric: Number(metric) };
    if (dstIp === '0.0.0.0' && maskIp === '0.0.0.0') {
      out.push(finding('net-default-route', 'error', iface, `ipv4 default route via ${gwIp}: this machine can reach other networks`, { ...evidence, family: 'ipv4' }, fixFor(iface)));
    } else {
      out.push(finding('net-route', 'error', iface, `ipv4 route to ${dstIp}/${maskBits(maskIp)}: a network is attached`, { ...evidence, family: 'ipv4' }, fixFor(iface)));
    }
  }
  if (malformed > 0) out.push(unreadable(ROUTE_FILE, 'malformed', `${malformed} line(s) not understood`));
  return [...notes, ...out];
}

function maskBits(mask: string): number {
  return mask.split('.').reduce((n, o) => n + (Number(o).toString(2).match(/1/g)?.length ?? 0), 0);
}

/** IPv6 routes of every table: defaults and networks on non-loopback interfaces. */
export function ipv6RouteFindings(fs: ReadOnlyFs, fixFor: FixFor): Finding[] {
  const notes: Finding[] = [];
  const text = read(fs, IPV6_ROUTE_FILE, notes);
  if (text === undefined) return notes;
  const out: Finding[] = [];
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    const f = line.split(/\s+/);
    if (f.length !== 10 || !/^[0-9a-f]{32}$/i.test(f[0]!) || !/^[0-9a-f]{2}$/i.test(f[1]!) || !/^[0-9a-f]{32}$/i.test(f[4]!) || !/^[0-9a-f]{8}$/i.test(f[8]!)) {
      malformed++;
      continue;
    }
    const [dst, dstLenHex, , , gw, , , , flagsHex, dev] = f as [string, string, string, string, string, string, string, string, string, string];
    const flags = parseInt(flagsHex, 16) >>> 0;
    const dstLen = parseInt(dstLenHex, 16);
    if (dev === 'lo' || (flags & RTF_UP) === 0 || (flags & RTF_REJECT) !== 0 || (flags & RTF_LOCAL) !== 0) continue;
    // ff00::/8 is installed on every interface that is up; the interface finding covers it.
    if (dst.toLowerCase().startsWith('ff')) continue;
    const dstIp = hexToIpv6(dst)!;
    const gwIp = hexToIpv6(gw)!;
    const evidence = { file: IPV6_ROUTE_FILE, value: clip(line), destination: `${dstIp}/${dstLen}`, gateway: gwIp, family: 'ipv6' };
    if (dstLen === 0 && /^0{32}$/.test(dst)) {
      out.push(finding('net-default-route', 'error', dev, `ipv6 default route via ${gwIp}: this machine can reach other networks`, evidence, fixFor(dev)));
    } else {
      out.push(finding('net-route', 'error', dev, `ipv6 route to ${dstIp}/${dstLen}: a network is attached`, evidence, fixFor(dev)));
    }
  }
  if (malformed > 0) out.push(unreadable(IPV6_ROUTE_FILE, 'malformed', `${malformed} line(s) not understood`));
  return [...notes, ...out];
}

export interface FibEntry {
  table: string;
  prefix: string;
  len: number;
  scope: string;
  type: string;
  line: string;
}

/** Parse /proc/net/fib_trie into leaf entries (`|-- 1.2.3.4` followed by `/32 host LOCAL` lines). */
export function parseFibTrie(text: string): { entries: FibEntry[]; malformed: number } {
  const entries: FibEntry[] = [];
  let table = '';
  let leaf: string | undefined;
  let malformed = 0;
  for (const raw of text.split('\n')) {
    if (raw.trim().length === 0) continue;
    const tableMatch = /^(\S.*):\s*$/.exec(raw);
    if (tableMatch) {
      table = tableMatch[1]!;
      leaf = undefined;
      continue;
    }
    const t = raw.trim();
    const leafMatch = /^\|-- (\d{1,3}(?:\.\d{1,3}){3})$/.exec(t);
    if (leafMatch) {
      leaf = leafMatch[1];
      continue;
    }
    const infoMatch = /^\/(\d{1,2}) (\S+) (\S+)$/.exec(t);
    if (infoMatch && leaf !== undefined) {
      entries.push({ table, prefix: leaf, len: Number(infoMatch[1]), scope: infoMatch[2]!, type: infoMatch[3]!, line: `${leaf}/${infoMatch[1]} ${infoMatch[2]} ${infoMatch[3]}` });
      continue;
    }
    if (/^\+-- \d/.test(t)) continue;
    malformed++;
  }
  return { entries, malformed };
}

export interface AddressScan {
  findings: Finding[];
  /** Every non-loopback address found, for the os.networkInterfaces() cross-check. */
  addresses: Set<string>;
}

/** IPv4 addresses (LOCAL /32 entries) and default routes in tables other than main. */
export function fibTrieFindings(fs: ReadOnlyFs, fixFor: FixFor): AddressScan {
  const notes: Finding[] = [];
  const addresses = new Set<string>();
  const text = read(fs, FIB_TRIE_FILE, notes);
  if (text === undefined) return { findings: notes, addresses };
  const { entries, malformed } = parseFibTrie(text);
  const out: Finding[] = [];
  const seenDefaults = new Set<string>();
  for (const e of entries) {
    if (e.type === 'LOCAL' && e.len === 32 && !e.prefix.startsWith('127.')) {
      if (addresses.has(e.prefix)) continue;
      addresses.add(e.prefix);
      out.push(finding('net-address', 'error', e.prefix, `ipv4 address ${e.prefix} is configured on an interface`, { file: FIB_TRIE_FILE, value: e.line, table: e.table, family: 'ipv4' }, 'disconnect the interface that holds it (unplug the cable, rfkill block wlan)'));
    }
    // /proc/net/route shows the main table; a default route elsewhere (WireGuard, Tailscale, VPN policy tables) is only visible here.
    if (e.prefix === '0.0.0.0' && e.len === 0 && e.type === 'UNICAST' && e.table !== 'Main' && e.table !== 'Local' && !seenDefaults.has(e.table)) {
      seenDefaults.add(e.table);
      out.push(finding('net-default-route', 'error', `table ${e.table}`, `ipv4 default route in routing table '${clip(e.table, 40)}' (policy routing, e.g. a vpn)`, { file: FIB_TRIE_FILE, value: e.line, table: e.table, family: 'ipv4' }, fixFor('')));
    }
  }
  if (malformed > 0) out.push(unreadable(FIB_TRIE_FILE, 'malformed', `${malformed} line(s) not understood`));
  return { findings: [...notes, ...out], addresses };
}

/** IPv6 addresses on non-loopback interfaces. */
export function ifInet6Findings(fs: ReadOnlyFs, fixFor: FixFor): AddressScan {
  const notes: Finding[] = [];
  const addresses = new Set<string>();
  const text = read(fs, IF_INET6_FILE, notes);
  if (text === undefined) return { findings: notes, addresses };
  const out: Finding[] = [];
  let malformed = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) continue;
    const f = line.split(/\s+/);
    if (f.length !== 6 || !/^[0-9a-f]{32}$/i.test(f[0]!) || !/^[0-9a-f]{1,8}$/i.test(f[3]!)) {
      malformed++;
      continue;
    }
    const dev = f[5]!;
    if (dev === 'lo') continue;
    const addr = hexToIpv6(f[0]!)!;
    const scope = parseInt(f[3]!, 16);
    addresses.add(addr);
    const kind = scope === 0x20 ? 'link-local ' : '';
    out.push(finding('net-address', 'error', dev, `ipv6 ${kind}address ${addr}/${parseInt(f[2]!, 16)} is configured`, { file: IF_INET6_FILE, value: clip(line), family: 'ipv6', address: addr }, fixFor(dev)));
  }
  if (malformed > 0) out.push(unreadable(IF_INET6_FILE, 'malformed', `${malformed} line(s) not understood`));
  return { findings: [...notes, ...out], addresses };
}
