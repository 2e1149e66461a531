/**
 * Cross-check with `os.networkInterfaces()`: it always describes the running process's own
 * network namespace, so it catches a sysfs that belongs to another namespace, and it is the
 * only source on macOS and Windows.
 */
import { finding, type Finding } from '../findings.js';
import type { OsInterfaceAddress } from './fs.js';

const SOURCE = 'os.networkInterfaces()';

/** Expand an IPv6 text form to 8 groups without leading zeros, for comparison with procfs. */
export function normalizeIp(address: string): string {
  const bare = address.split('%')[0]!.toLowerCase();
  if (!bare.includes(':')) return bare;
  const [head, tail] = bare.includes('::') ? bare.split('::') : [bare, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(Math.max(0, 8 - h.length - t.length)).fill('0');
  return [...h, ...fill, ...t].map((g) => parseInt(g || '0', 16).toString(16)).join(':');
}

/**
 * Addresses the OS reports on non-internal interfaces that the file probes did not already report,
 * and interfaces missing from the sysfs listing.
 */
export function osInterfaceFindings(
  interfaces: readonly OsInterfaceAddress[],
  known: { addresses: ReadonlySet<string>; sysfsNames: ReadonlySet<string> | null },
): Finding[] {
  const out: Finding[] = [];
  const knownNorm = new Set([...known.addresses].map(normalizeIp));
  const missing = new Set<string>();
  for (const a of interfaces) {
    if (a.internal) continue;
    if (known.sysfsNames && !known.sysfsNames.has(a.name)) missing.add(a.name);
    if (knownNorm.has(normalizeIp(a.address))) continue;
    out.push(finding('os-interface-address', 'error', a.name, `${a.family.toLowerCase()} address ${a.address} is configured`, { file: SOURCE, value: a.address, family: a.family }, 'disconnect this interface (unplug the cable, turn wi-fi and bluetooth off)'));
  }
  for (const name of missing) {
    out.push(finding('sysfs-mismatch', 'warning', name, 'the os reports this interface but /sys/class/net does not list it: sysfs may belong to another network namespace', { file: SOURCE, value: name }, 'remount sysfs in this namespace (mount -t sysfs sysfs /sys) and run again'));
  }
  return out;
}

/** The note that the verdict rests on `os.networkInterfaces()` alone. */
export function lessCertainNote(platform: string): Finding {
  return finding('airgap-less-certain', 'info', platform, 'only os.networkInterfaces() was available on this platform: radios, routes and interfaces without an address are not visible', { file: SOURCE, value: platform }, 'check wi-fi, bluetooth and cables by hand');
}
