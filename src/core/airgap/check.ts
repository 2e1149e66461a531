/**
 * The airgap check: every probe over one read-only view of a machine, and the verdict.
 * `airgapped` is true when no finding has severity `error`; hygiene findings are warnings or notes.
 */
import { finding, passes, type Finding } from '../findings.js';
import { ENV_KEYS, type HostFacts, type ReadOnlyFs } from './fs.js';
import { remoteSessionFindings, rootFindings, swapFindings } from './hygiene.js';
import { fixFor, interfaceFindings, isKnownDown, NET_DIR, scanInterfaces, type NetInterface } from './interfaces.js';
import { lessCertainNote, osInterfaceFindings } from './os-interfaces.js';
import { readEnviron, readStatus } from './procfs.js';
import { bluetoothFindings, readRfkills, rfkillFindings, wifiFindings } from './radios.js';
import { fibTrieFindings, ifInet6Findings, ipv4RouteFindings, ipv6RouteFindings } from './routes.js';
import { coreDumpFindings, removableMediaFindings, terminalRecordingFindings, virtualizationFindings } from './system.js';

/** `linux-sysfs`: read from /sys and /proc; `os-interfaces-only`: only os.networkInterfaces(). */
export type Certainty = 'linux-sysfs' | 'os-interfaces-only';

export interface AirgapResult {
  airgapped: boolean;
  certainty: Certainty;
  findings: Finding[];
}

function ipv4ToInt(ip: unknown): number | undefined {
  if (typeof ip !== 'string') return undefined;
  const o = ip.split('.').map(Number);
  return o.length === 4 && o.every((x) => Number.isInteger(x) && x >= 0 && x <= 255) ? ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0 : undefined;
}

/** The interface an IPv4 address (from fib_trie, which names none) sits on: the main-table network route that contains it. */
function interfaceOfIpv4(address: string, routes: readonly Finding[]): string | undefined {
  const a = ipv4ToInt(address);
  if (a === undefined) return undefined;
  for (const r of routes) {
    if (r.id !== 'net-route' || r.evidence['family'] !== 'ipv4') continue;
    const dst = ipv4ToInt(r.evidence['destination']);
    const mask = ipv4ToInt(r.evidence['mask']);
    if (dst !== undefined && mask !== undefined && mask !== 0 && ((a & mask) >>> 0) === dst) return r.subject;
  }
  return undefined;
}

/** Name the interface of each fib_trie address where a main-table route shows it, with that interface's fix. */
function attributeIpv4Addresses(findings: readonly Finding[], fix: (name: string) => string): Finding[] {
  return findings.map((f) => {
    if (f.id !== 'net-address' || f.evidence['family'] !== 'ipv4') return f;
    const name = interfaceOfIpv4(f.subject, findings);
    if (name === undefined) return f;
    return finding(f.id, f.severity, f.subject, `ipv4 address ${f.subject} is configured on ${name}`, { ...f.evidence, interface: name }, fix(name));
  });
}

const LINK_BOUND = new Set(['net-address', 'net-route', 'net-default-route']);

/**
 * An address or route on an interface that is known to be down (an idle docker0 or virbr0 bridge,
 * an unplugged port) connects nothing until the link comes up — which `net-link-up` would report.
 * Such findings become one warning each instead of errors.
 */
function demoteOnDownLinks(findings: readonly Finding[], byName: ReadonlyMap<string, NetInterface>): Finding[] {
  return findings.map((f) => {
    if (!LINK_BOUND.has(f.id) || f.severity !== 'error') return f;
    const name = f.id === 'net-address' && f.evidence['family'] === 'ipv4' ? f.evidence['interface'] : f.subject;
    const iface = typeof name === 'string' ? byName.get(name) : undefined;
    if (!iface || !isKnownDown(iface)) return f;
    return finding('net-config-on-down-link', 'warning', f.subject, `${f.message.replace(/: (this machine can reach other networks|a network is attached)$/, '')}, but ${iface.name} has no link`, { ...f.evidence, interface: iface.name, operstate: iface.operstate ?? null, was: f.id }, `ip link set ${iface.name} down`);
  });
}

function networkFindings(fs: ReadOnlyFs, facts: HostFacts): Finding[] {
  const scan = scanInterfaces(fs);
  const byName = new Map(scan.interfaces.map((i) => [i.name, i]));
  const fix = (name: string) => (name ? fixFor(byName.get(name), name) : 'disconnect every network (unplug cables, rfkill block all), then check the vpn configuration');
  const rfkills = readRfkills(fs);
  const v4 = fibTrieFindings(fs, fix);
  const v6 = ifInet6Findings(fs, fix);
  const out = demoteOnDownLinks(attributeIpv4Addresses([
    ...scan.findings,
    ...interfaceFindings(scan.interfaces),
    ...ipv4RouteFindings(fs, fix),
    ...ipv6RouteFindings(fs, fix),
    ...v4.findings,
    ...v6.findings,
    ...rfkillFindings(rfkills),
    ...wifiFindings(fs, scan.interfaces, rfkills),
    ...bluetoothFindings(fs, rfkills),
  ], fix), byName);
  if (facts.live && facts.interfaces) {
    out.push(
      ...osInterfaceFindings(facts.interfaces, {
        addresses: new Set([...v4.addresses, ...v6.addresses]),
        sysfsNames: scan.listed ? new Set(scan.interfaces.map((i) => i.name)) : null,
      }),
    );
  }
  return out;
}

function hygieneFindings(fs: ReadOnlyFs, facts: HostFacts): Finding[] {
  const status = facts.uid === null || facts.ppid === null ? readStatus(fs, 'self') : undefined;
  const uid = facts.uid ?? status?.uid;
  const ppid = facts.ppid ?? status?.ppid;
  const env = facts.env ?? readEnviron(fs, 'self', ENV_KEYS) ?? {};
  const factFile = (live: boolean, file: string) => (live ? 'process' : file);
  return [
    ...swapFindings(fs),
    ...coreDumpFindings(fs),
    ...virtualizationFindings(fs),
    ...rootFindings(uid, factFile(facts.uid !== null, '/proc/self/status')),
    ...remoteSessionFindings(env, factFile(facts.env !== null, '/proc/self/environ')),
    ...terminalRecordingFindings(fs, ppid),
    ...removableMediaFindings(fs),
  ];
}

/** More findings of one id than this (a hostile tree with 40 000 routes) are summarised in one note. */
export const MAX_FINDINGS_PER_ID = 64;

function capFindings(findings: readonly Finding[]): Finding[] {
  const counts = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const n = (counts.get(f.id) ?? 0) + 1;
    counts.set(f.id, n);
    if (n <= MAX_FINDINGS_PER_ID) out.push(f);
  }
  for (const [id, n] of counts) {
    if (n > MAX_FINDINGS_PER_ID) {
      out.push(finding('findings-truncated', 'info', id, `${n - MAX_FINDINGS_PER_ID} more '${id}' findings not listed`, { file: null, value: n, id }));
    }
  }
  return out;
}

/**
 * Run every probe. On Linux (or any --root tree) the files are the evidence; elsewhere only
 * `os.networkInterfaces()` is, and the result says so.
 */
export function checkAirgap(fs: ReadOnlyFs, facts: HostFacts): AirgapResult {
  let findings: Finding[];
  let certainty: Certainty;
  if (facts.platform === 'linux') {
    certainty = 'linux-sysfs';
    findings = [...networkFindings(fs, facts), ...hygieneFindings(fs, facts)];
  } else {
    certainty = 'os-interfaces-only';
    findings = [lessCertainNote(facts.platform)];
    if (facts.interfaces) findings.push(...osInterfaceFindings(facts.interfaces, { addresses: new Set(), sysfsNames: null }));
    else findings.push(finding('net-state-unknown', 'error', facts.platform, 'no source of network state on this platform', { file: NET_DIR, value: null }));
    if (facts.uid !== null) findings.push(...rootFindings(facts.uid, 'process'));
    if (facts.env) findings.push(...remoteSessionFindings(facts.env, 'process'));
  }
  const capped = capFindings(findings);
  return { airgapped: passes(capped), certainty, findings: capped };
}
