/**
 * Airgap probes over an in-memory ReadOnlyFs: kernel quirks that a fixture tree cannot
 * reproduce (EINVAL reads), parsers, the rfkill sense inversion, the os.networkInterfaces()
 * cross-check and the non-Linux path.
 */
import { describe, expect, it } from 'vitest';
import { checkAirgap, MAX_FINDINGS_PER_ID } from '../../src/core/airgap/check.js';
import type { HostFacts, ReadOnlyFs, ReadResult } from '../../src/core/airgap/fs.js';
import { interfaceFindings, scanInterfaces } from '../../src/core/airgap/interfaces.js';
import { normalizeIp, osInterfaceFindings } from '../../src/core/airgap/os-interfaces.js';
import { ancestors } from '../../src/core/airgap/procfs.js';
import { readRfkills, rfkillFindings } from '../../src/core/airgap/radios.js';
import { fibTrieFindings, hexToIpv4, hexToIpv6, ipv4RouteFindings, ipv6RouteFindings, parseFibTrie } from '../../src/core/airgap/routes.js';
import { parentBlockDevice, terminalRecordingFindings } from '../../src/core/airgap/system.js';

type Entry = string | { code: string } | { link: string };

/** A tiny in-memory tree: files (or read errors) and symlinks by absolute path; directories implied. */
function memFs(entries: Record<string, Entry>): ReadOnlyFs {
  const get = (p: string) => entries[p];
  return {
    readText(p: string): ReadResult {
      const e = get(p);
      if (e === undefined) return { ok: false, code: 'ENOENT' };
      if (typeof e === 'string') return { ok: true, text: e, truncated: false };
      if ('code' in e) return { ok: false, code: e.code };
      return { ok: false, code: 'EINVAL' };
    },
    list(dir: string) {
      const prefix = `${dir}/`;
      const names = new Set(Object.keys(entries).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0]!));
      return names.size > 0 ? { ok: true as const, entries: [...names].sort() } : { ok: false as const, code: 'ENOENT' };
    },
    readlink(p: string) {
      const e = get(p);
      return e !== undefined && typeof e === 'object' && 'link' in e ? { ok: true as const, target: e.link } : { ok: false as const, code: 'EINVAL' };
    },
    exists(p: string) {
      return Object.keys(entries).some((k) => k === p || k.startsWith(`${p}/`));
    },
  };
}

const TREE_FACTS: HostFacts = { platform: 'linux', live: false, uid: null, ppid: null, env: null, interfaces: null };
const fixNone = () => 'fix';

function iface(name: string, files: Record<string, Entry>, virtual = false): Record<string, Entry> {
  const out: Record<string, Entry> = { [`/sys/class/net/${name}`]: { link: virtual ? `../../devices/virtual/net/${name}` : `../../devices/pci0000:00/0000:00:1f.6/net/${name}` } };
  if (!virtual) out[`/sys/class/net/${name}/device/vendor`] = '0x8086\n';
  for (const [k, v] of Object.entries(files)) out[`/sys/class/net/${name}/${k}`] = v;
  return out;
}

describe('interfaces', () => {
  it('carrier EINVAL means the link is down: no finding, no note', () => {
    const fs = memFs(iface('eth0', { operstate: 'down\n', carrier: { code: 'EINVAL' }, flags: '0x1002\n', type: '1\n' }));
    const scan = scanInterfaces(fs);
    expect(scan.findings).toEqual([]);
    expect(scan.interfaces[0]).toMatchObject({ name: 'eth0', carrier: false, operstate: 'down', virtual: false });
    expect(interfaceFindings(scan.interfaces)).toEqual([]);
  });

  it('a carrier read failing otherwise (EACCES) is a note', () => {
    const fs = memFs(iface('eth0', { operstate: 'down\n', carrier: { code: 'EACCES' }, flags: '0x1002\n' }));
    expect(scanInterfaces(fs).findings.map((f) => [f.id, f.subject, f.evidence['error']])).toEqual([['probe-unreadable', '/sys/class/net/eth0/carrier', 'EACCES']]);
  });

  it('a tunnel that is up reports operstate unknown: with IFF_UP it is a live link', () => {
    const fs = memFs(iface('wg0', { operstate: 'unknown\n', carrier: '1\n', flags: '0x91\n', type: '65534\n' }, true));
    const f = interfaceFindings(scanInterfaces(fs).interfaces);
    expect(f.map((x) => [x.id, x.severity, x.fix])).toEqual([['net-link-up', 'error', 'ip link set wg0 down']]);
  });

  it('a tunnel (operstate unknown) whose flags are garbage or missing fails closed, with a note', () => {
    for (const flags of ['garbage\n', '', undefined]) {
      const files: Record<string, Entry> = { operstate: 'unknown\n', type: '65534\n' };
      if (flags !== undefined) files['flags'] = flags;
      const scan = scanInterfaces(memFs(iface('wg0', files, true)));
      expect(scan.findings.map((f) => [f.id, f.subject])).toContainEqual(['probe-unreadable', '/sys/class/net/wg0/flags']);
      expect(interfaceFindings(scan.interfaces).map((x) => [x.id, x.severity])).toEqual([['net-state-unknown', 'error']]);
    }
  });

  it('dormant (Wi-Fi associating) is up; admin up without carrier is only enabled; lo is ignored', () => {
    const fs = memFs({
      ...iface('wlan0', { operstate: 'dormant\n', carrier: '0\n', flags: '0x1003\n', uevent: 'DEVTYPE=wlan\nINTERFACE=wlan0\n' }),
      ...iface('eth1', { operstate: 'down\n', carrier: '0\n', flags: '0x1003\n' }),
      ...iface('lo', { operstate: 'unknown\n', carrier: '1\n', flags: '0x9\n', type: '772\n' }, true),
    });
    const f = interfaceFindings(scanInterfaces(fs).interfaces);
    expect(f.map((x) => [x.subject, x.id, x.severity])).toEqual([
      ['eth1', 'net-interface-enabled', 'warning'],
      ['wlan0', 'net-link-up', 'error'],
    ]);
    expect(f[1]!.fix).toBe('rfkill block wlan');
  });

  it('a usb tethering device is named in the fix', () => {
    const fs = memFs({
      ...iface('usb0', { operstate: 'up\n', carrier: '1\n', flags: '0x1003\n' }),
      '/sys/class/net/usb0': { link: '../../devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/net/usb0' },
      '/sys/class/net/usb0/device/driver': { link: '../../../../../../bus/usb/drivers/rndis_host' },
    });
    const [f] = interfaceFindings(scanInterfaces(fs).interfaces);
    expect(f).toMatchObject({ id: 'net-link-up', evidence: { kind: 'usb' } });
    expect(f!.fix).toContain('unplug the usb network device');
  });
});

describe('rfkill', () => {
  const radio = (files: Record<string, string>) => {
    const entries: Record<string, Entry> = { '/sys/class/rfkill/rfkill0/type': 'wlan\n', '/sys/class/rfkill/rfkill0/name': 'phy0\n' };
    for (const [k, v] of Object.entries(files)) entries[`/sys/class/rfkill/rfkill0/${k}`] = v;
    return readRfkills(memFs(entries))[0]!;
  };
  it('soft/hard: 1 means blocked', () => {
    expect(radio({ soft: '1\n', hard: '0\n', state: '0\n' }).state).toBe('soft-blocked');
    expect(radio({ soft: '0\n', hard: '1\n', state: '2\n' }).state).toBe('hard-blocked');
    expect(radio({ soft: '0\n', hard: '0\n', state: '1\n' }).state).toBe('unblocked');
  });
  it('the deprecated state file has the opposite sense: 0 soft-blocked, 1 unblocked, 2 hard-blocked', () => {
    expect(radio({ state: '0\n' }).state).toBe('soft-blocked');
    expect(radio({ state: '1\n' }).state).toBe('unblocked');
    expect(radio({ state: '2\n' }).state).toBe('hard-blocked');
    expect(radio({ state: '7\n' }).state).toBe('unknown');
  });
  it('unblocked and unknown radios are errors with the rfkill fix', () => {
    const f = rfkillFindings([radio({ soft: '0\n', hard: '0\n' }), { ...radio({}), id: 'rfkill3', type: 'wwan' }]);
    expect(f.map((x) => [x.id, x.fix])).toEqual([
      ['rfkill-unblocked', 'rfkill block wlan'],
      ['rfkill-state-unknown', 'rfkill block wwan'],
    ]);
  });
});

describe('routes and addresses', () => {
  it('hex addresses in host byte order (research sample 010200C0 = 192.0.2.1)', () => {
    expect(hexToIpv4('010200C0')).toBe('192.0.2.1');
    expect(hexToIpv4('00000000')).toBe('0.0.0.0');
    expect(hexToIpv4('0102ZZC0')).toBeUndefined();
    expect(hexToIpv6('fd000000000000000000000000000001')).toBe('fd00::1');
    expect(hexToIpv6('00000000000000000000000000000000')).toBe('::');
    expect(hexToIpv6('fe8000000000000000fc00fffe000001')).toBe('fe80::fc:ff:fe00:1');
    expect(hexToIpv6('20010db8000000010000000000000000')).toBe('2001:db8:0:1::');
  });

  it('/proc/net/route: default and network routes; lo, down and reject routes skipped; empty file = no table', () => {
    const header = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT   \n';
    const text = `${header}eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0   \neth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\nlo\t0000007F\t00000000\t0001\t0\t0\t0\t000000FF\t0\t0\t0\neth1\t00000000\t010200C0\t0201\t0\t0\t0\t00000000\t0\t0\t0\neth2\t00000000\t010200C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n`;
    const f = ipv4RouteFindings(memFs({ '/proc/net/route': text }), fixNone);
    expect(f.map((x) => [x.id, x.subject, x.evidence['destination'], x.evidence['gateway']])).toEqual([
      ['net-default-route', 'eth0', '0.0.0.0', '192.0.2.1'],
      ['net-route', 'eth0', '192.0.2.0', '0.0.0.0'],
    ]);
    expect(ipv4RouteFindings(memFs({ '/proc/net/route': '' }), fixNone)).toEqual([]);
    expect(ipv4RouteFindings(memFs({ '/proc/net/route': 'hello\n' }), fixNone).map((x) => x.id)).toEqual(['probe-unreadable']);
  });

  it('/proc/net/ipv6_route: default via gateway; lo, reject, local and multicast entries skipped', () => {
    const z = '0'.repeat(32);
    const text = [
      `${z} 00 ${z} 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0`,
      `fd000000000000000000000000000000 40 ${z} 00 ${z} 00000100 00000001 00000000 00000001     eth0`,
      `fd000000000000000000000000000002 80 ${z} 00 ${z} 00000000 00000003 00000000 80200001     eth0`,
      `ff000000000000000000000000000000 08 ${z} 00 ${z} 00000100 00000003 00000000 00000001     eth0`,
      `${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200       lo`,
      `${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200     eth0`,
    ].join('\n');
    const f = ipv6RouteFindings(memFs({ '/proc/net/ipv6_route': text }), fixNone);
    expect(f.map((x) => [x.id, x.evidence['destination'], x.evidence['gateway']])).toEqual([
      ['net-default-route', '::/0', 'fd00::1'],
      ['net-route', 'fd00::/64', '::'],
    ]);
  });

  const SAMPLE_TRIE = `Main:
  +-- 0.0.0.0/0 3 0 5
     |-- 0.0.0.0
        /0 universe UNICAST
     +-- 127.0.0.0/8 2 0 2
        +-- 127.0.0.0/31 1 0 0
           |-- 127.0.0.0
              /8 host LOCAL
           |-- 127.0.0.1
              /32 host LOCAL
        |-- 127.255.255.255
           /32 link BROADCAST
     +-- 192.0.2.0/24 2 0 2
        +-- 192.0.2.0/30 2 0 2
           |-- 192.0.2.0
              /24 link UNICAST
           |-- 192.0.2.2
              /32 host LOCAL
        |-- 192.0.2.255
           /32 link BROADCAST
Id 51820:
  |-- 0.0.0.0
     /0 universe UNICAST
`;

  it('fib_trie: local addresses (not 127/8) and default routes in policy tables', () => {
    const parsed = parseFibTrie(SAMPLE_TRIE);
    expect(parsed.malformed).toBe(0);
    expect(parsed.entries.filter((e) => e.type === 'LOCAL').map((e) => `${e.prefix}/${e.len}`)).toEqual(['127.0.0.0/8', '127.0.0.1/32', '192.0.2.2/32']);
    const scan = fibTrieFindings(memFs({ '/proc/net/fib_trie': SAMPLE_TRIE }), fixNone);
    expect(scan.findings.map((f) => [f.id, f.subject])).toEqual([
      ['net-address', '192.0.2.2'],
      ['net-default-route', 'table Id 51820'],
    ]);
    expect([...scan.addresses]).toEqual(['192.0.2.2']);
  });
});

describe('os.networkInterfaces() cross-check', () => {
  it('normalises IPv6 text forms for comparison with procfs', () => {
    expect(normalizeIp('fd00::2')).toBe(normalizeIp('fd00:0:0:0:0:0:0:2'));
    expect(normalizeIp('fe80::fc:ff:fe00:1%eth0')).toBe('fe80:0:0:0:fc:ff:fe00:1');
    expect(normalizeIp('192.0.2.2')).toBe('192.0.2.2');
  });

  it('reports addresses the files did not, and interfaces sysfs does not list', () => {
    const f = osInterfaceFindings(
      [
        { name: 'lo', address: '127.0.0.1', family: 'IPv4', internal: true },
        { name: 'eth0', address: '192.0.2.2', family: 'IPv4', internal: false },
        { name: 'eth0', address: 'fd00:0:0:0::2', family: 'IPv6', internal: false },
        { name: 'eth9', address: '198.51.100.7', family: 'IPv4', internal: false },
      ],
      { addresses: new Set(['192.0.2.2', 'fd00::2']), sysfsNames: new Set(['lo', 'eth0']) },
    );
    expect(f.map((x) => [x.id, x.subject, x.severity])).toEqual([
      ['os-interface-address', 'eth9', 'error'],
      ['sysfs-mismatch', 'eth9', 'warning'],
    ]);
  });

  it('live on linux: a sysfs from another namespace is caught by the cross-check', () => {
    const fs = memFs({ ...iface('lo', { operstate: 'unknown\n', flags: '0x9\n', type: '772\n' }, true), '/proc/net/route': '' });
    const r = checkAirgap(fs, { platform: 'linux', live: true, uid: 1000, ppid: null, env: {}, interfaces: [{ name: 'eth0', address: '192.0.2.2', family: 'IPv4', internal: false }] });
    expect(r.airgapped).toBe(false);
    expect(r.findings.filter((f) => f.severity !== 'info').map((f) => f.id)).toEqual(['os-interface-address', 'sysfs-mismatch']);
  });

  it('macOS/Windows: verdict from os.networkInterfaces() only, marked less certain', () => {
    const facts = (interfaces: HostFacts['interfaces']): HostFacts => ({ platform: 'darwin', live: true, uid: 501, ppid: 1, env: {}, interfaces });
    const online = checkAirgap(memFs({}), facts([{ name: 'en0', address: '192.168.1.9', family: 'IPv4', internal: false }]));
    expect(online).toMatchObject({ airgapped: false, certainty: 'os-interfaces-only' });
    expect(online.findings.map((f) => f.id)).toEqual(['airgap-less-certain', 'os-interface-address']);
    const offline = checkAirgap(memFs({}), facts([{ name: 'lo0', address: '::1', family: 'IPv6', internal: true }]));
    expect(offline).toMatchObject({ airgapped: true, certainty: 'os-interfaces-only' });
    expect(offline.findings.map((f) => [f.id, f.severity])).toEqual([['airgap-less-certain', 'info']]);
  });
});

describe('system hygiene', () => {
  it('partition names map to their disk', () => {
    expect(['sdb1', 'sdb', 'nvme0n1p2', 'mmcblk0p1', 'vda3'].map(parentBlockDevice)).toEqual(['sdb', 'sdb', 'nvme0n1', 'mmcblk0', 'vda']);
  });

  it('a recorder is found up the ancestry (comm cut to 15 bytes); a ppid loop terminates', () => {
    const status = (name: string, ppid: number) => `Name:\t${name}\nPPid:\t${ppid}\nUid:\t1000\t1000\t1000\t1000\n`;
    const fs = memFs({
      '/proc/10/status': status('bash', 9), '/proc/10/comm': 'bash\n',
      '/proc/9/status': status('tlog-rec-sessio', 1), '/proc/9/comm': 'tlog-rec-sessio\n',
      '/proc/1/status': status('systemd', 0), '/proc/1/comm': 'systemd\n',
      '/proc/20/status': status('a', 21), '/proc/21/status': status('b', 20),
    });
    expect(terminalRecordingFindings(fs, 10).map((f) => [f.id, f.evidence['pid']])).toEqual([['terminal-recorded', 9]]);
    expect(ancestors(fs, 20).map((a) => a.pid)).toEqual([20, 21]);
    expect(terminalRecordingFindings(fs, 20)).toEqual([]);
  });

  it('findings of one id beyond the cap are summarised', () => {
    const rows = Array.from({ length: MAX_FINDINGS_PER_ID + 5 }, (_, i) => `eth0\t${(i + 1).toString(16).padStart(2, '0')}0000C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0`);
    const fs = memFs({ ...iface('lo', { operstate: 'unknown\n', flags: '0x9\n', type: '772\n' }, true), '/proc/net/route': `Iface\tDestination\tGateway \tFlags\n${rows.join('\n')}\n` });
    const r = checkAirgap(fs, TREE_FACTS);
    expect(r.findings.filter((f) => f.id === 'net-route')).toHaveLength(MAX_FINDINGS_PER_ID);
    expect(r.findings.find((f) => f.id === 'findings-truncated')).toMatchObject({ subject: 'net-route', evidence: { value: MAX_FINDINGS_PER_ID + 5 } });
  });
});
