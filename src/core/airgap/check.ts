/**
 * The airgap check: every probe over one read-only view of a machine, and the verdict.
 * `airgapped` is true when no finding has severity `error`; hygiene findings are warnings or notes.
 */
import { finding, passes, type Finding } from '../findings.js';
import { ENV_KEYS, type HostFacts, type ReadOnlyFs } from './fs.js';
import { remoteSessionFindings, rootFindings, swapFindings } from './hygiene.js';
import { fixFor, interfaceFindings, NET_DIR, scanInterfaces } from './interfaces.js';
import { lessCertainNote, osInterfaceFindings } from './os-interfaces.js';
import { readEnviron, readStatus } from './process.js';
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

function networkFindings(fs: ReadOnlyFs, facts: HostFacts): Finding[] {
  const scan = scanInterfaces(fs);
  const byName = new Map(scan.interfaces.map((i) => [i.name, i]));
  const fix = (name: string) => (name ? fixFor(byName.get(name), name) : 'disconnect every network (unplug cables, rfkill block all), then check the vpn configuration');
  const rfkills = readRfkills(fs);
  const v4 = fibTrieFindings(fs, fix);
  const v6 = ifInet6Findings(fs, fix);
  const out = [
    ...scan.findings,
    ...interfaceFindings(scan.interfaces),
    ...ipv4RouteFindings(fs, fix),
    ...ipv6RouteFindings(fs, fix),
    ...v4.findings,
    ...v6.findings,
    ...rfkillFindings(rfkills),
    ...wifiFindings(fs, scan.interfaces, rfkills),
    ...bluetoothFindings(fs, rfkills),
  ];
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
