/**
 * Network interfaces from sysfs (`/sys/class/net/<if>/…`): which are up, have a carrier,
 * are Wi-Fi, USB or virtual. Kernel semantics: Documentation/ABI/testing/sysfs-class-net.
 */
import { finding, type Finding } from '../findings.js';
import { joinPath, type ReadOnlyFs } from './fs.js';
import { unreadable } from './notes.js';

export const NET_DIR = '/sys/class/net';

const IFF_UP = 0x1;
/** RFC 2863 operational states, as net-sysfs prints them. */
const OPERSTATES = new Set(['unknown', 'notpresent', 'down', 'lowerlayerdown', 'testing', 'dormant', 'up']);
const ARPHRD_LOOPBACK = 772;
const USB_NET_DRIVERS = new Set(['rndis_host', 'cdc_ether', 'cdc_ncm', 'cdc_mbim', 'ipheth', 'qmi_wwan', 'huawei_cdc_ncm', 'cdc_subset', 'r8152', 'ax88179_178a', 'asix']);

export interface NetInterface {
  name: string;
  loopback: boolean;
  /** No backing device (`/sys/devices/virtual/net/…`): bridges, tunnels, veth, WireGuard. */
  virtual: boolean;
  wireless: boolean;
  usb: boolean;
  driver: string | undefined;
  operstate: string | undefined;
  /** true/false; false also when the kernel answers EINVAL (link administratively down). */
  carrier: boolean | undefined;
  flags: number | undefined;
}

/** Interface names are at most 15 bytes and never contain `/`; anything else in a tree is ignored. */
function validName(name: string): boolean {
  return name.length > 0 && name.length <= 15 && name !== '.' && name !== '..' && !/[/\s\0]/.test(name);
}

function basename(p: string): string {
  const parts = p.split('/').filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

function readInterface(fs: ReadOnlyFs, name: string, notes: Finding[]): NetInterface {
  const dir = joinPath(NET_DIR, name);
  const link = fs.readlink(dir);
  const devicePath = link.ok ? link.target : '';
  const typeText = fs.readText(joinPath(dir, 'type'));
  const type = typeText.ok && /^\d+$/.test(typeText.text.trim()) ? Number(typeText.text.trim()) : undefined;
  const driverLink = fs.readlink(joinPath(dir, 'device', 'driver'));
  const driver = driverLink.ok ? basename(driverLink.target) : undefined;

  const operRead = fs.readText(joinPath(dir, 'operstate'));
  let operstate: string | undefined;
  if (operRead.ok && OPERSTATES.has(operRead.text.trim())) operstate = operRead.text.trim();
  else notes.push(unreadable(joinPath(dir, 'operstate'), operRead.ok ? 'malformed' : operRead.code, operRead.ok ? operRead.text : undefined));

  // carrier_show() returns -EINVAL when the interface is not running: that means "down", not an error.
  const carrierRead = fs.readText(joinPath(dir, 'carrier'));
  let carrier: boolean | undefined;
  if (carrierRead.ok && /^[01]$/.test(carrierRead.text.trim())) carrier = carrierRead.text.trim() === '1';
  else if (!carrierRead.ok && carrierRead.code === 'EINVAL') carrier = false;
  // A tree (not the kernel) may simply lack the file of a down link; that is not worth a note.
  else if (!(name === 'lo' || type === ARPHRD_LOOPBACK) && !(operstate !== 'up' && !carrierRead.ok && carrierRead.code === 'ENOENT')) {
    notes.push(unreadable(joinPath(dir, 'carrier'), carrierRead.ok ? 'malformed' : carrierRead.code, carrierRead.ok ? carrierRead.text : undefined));
  }

  const flagsRead = fs.readText(joinPath(dir, 'flags'));
  const flags = flagsRead.ok && /^0x[0-9a-f]{1,8}$/i.test(flagsRead.text.trim()) ? parseInt(flagsRead.text.trim(), 16) : undefined;
  if (flags === undefined && !(name === 'lo' || type === ARPHRD_LOOPBACK)) {
    notes.push(unreadable(joinPath(dir, 'flags'), flagsRead.ok ? 'malformed' : flagsRead.code, flagsRead.ok ? flagsRead.text : undefined));
  }
  const uevent = fs.readText(joinPath(dir, 'uevent'));
  const devtypeWlan = uevent.ok && /^DEVTYPE=wlan$/m.test(uevent.text);

  return {
    name,
    loopback: name === 'lo' || type === ARPHRD_LOOPBACK,
    virtual: devicePath.includes('/devices/virtual/') || !fs.exists(joinPath(dir, 'device')),
    wireless: devtypeWlan || fs.exists(joinPath(dir, 'wireless')) || fs.exists(joinPath(dir, 'phy80211')),
    usb: devicePath.includes('/usb') || (driver !== undefined && USB_NET_DRIVERS.has(driver)),
    driver,
    operstate,
    carrier,
    flags,
  };
}

export interface InterfaceScan {
  listed: boolean;
  interfaces: NetInterface[];
  findings: Finding[];
}

/** List and read every interface under /sys/class/net. */
export function scanInterfaces(fs: ReadOnlyFs): InterfaceScan {
  const listing = fs.list(NET_DIR);
  if (!listing.ok) {
    return {
      listed: false,
      interfaces: [],
      findings: [
        finding('net-state-unknown', 'error', NET_DIR, `cannot list the network interfaces (${listing.code}): the machine cannot be shown to be offline`, { file: NET_DIR, value: null, error: listing.code }, 'run on a linux system with sysfs mounted at /sys'),
      ],
    };
  }
  const notes: Finding[] = [];
  const interfaces = listing.entries.filter(validName).map((n) => readInterface(fs, n, notes));
  return { listed: true, interfaces, findings: notes };
}

/** How to take an interface off the air, by kind. */
export function fixFor(iface: NetInterface | undefined, name: string): string {
  if (iface?.wireless) return 'rfkill block wlan';
  if (iface?.usb) return `unplug the usb network device (phone tethering, dongle) behind ${name}`;
  if (iface && !iface.virtual) return `unplug the cable from ${name}, then ip link set ${name} down`;
  return `ip link set ${name} down`;
}

/** Up, dormant (Wi-Fi associating), with a carrier, or a tunnel that is up (operstate unknown with IFF_UP). */
export function isActive(i: NetInterface): boolean {
  const adminUp = i.flags !== undefined && (i.flags & IFF_UP) !== 0;
  return i.operstate === 'up' || i.operstate === 'dormant' || i.carrier === true || (i.operstate === 'unknown' && adminUp);
}

/** Known to carry nothing: state read, not active. */
export function isKnownDown(i: NetInterface): boolean {
  return !i.loopback && !isActive(i) && (i.operstate !== undefined || i.flags !== undefined);
}

/** Findings for interfaces that are up, have a carrier, or are enabled. Loopback is ignored. */
export function interfaceFindings(interfaces: readonly NetInterface[]): Finding[] {
  const out: Finding[] = [];
  for (const i of interfaces) {
    if (i.loopback) continue;
    const file = joinPath(NET_DIR, i.name, 'operstate');
    const adminUp = i.flags !== undefined && (i.flags & IFF_UP) !== 0;
    const evidence = {
      file,
      value: i.operstate ?? null,
      carrier: i.carrier === undefined ? null : i.carrier ? 1 : 0,
      flags: i.flags === undefined ? null : `0x${i.flags.toString(16)}`,
      kind: i.wireless ? 'wifi' : i.usb ? 'usb' : i.virtual ? 'virtual' : 'ethernet',
    };
    if (isActive(i)) {
      const what = i.carrier === true && !i.virtual && !i.wireless ? 'is up with a carrier (a cable is plugged in)' : `is up (operstate ${i.operstate ?? 'unreadable'})`;
      out.push(finding('net-link-up', 'error', i.name, `network interface ${what}`, evidence, fixFor(i, i.name)));
    } else if (adminUp) {
      out.push(finding('net-interface-enabled', 'warning', i.name, 'network interface is enabled but has no link: a cable or an access point would connect it', evidence, `ip link set ${i.name} down`));
    } else if (i.operstate === undefined && i.flags === undefined && i.carrier === undefined) {
      out.push(finding('net-state-unknown', 'error', i.name, 'cannot tell whether this network interface is up', { file, value: null }, fixFor(i, i.name)));
    } else if (i.operstate === 'unknown' && i.flags === undefined && i.carrier !== false) {
      // Tunnels (wireguard, tun) report operstate unknown; only IFF_UP in `flags` tells whether they are up.
      out.push(finding('net-state-unknown', 'error', i.name, 'operstate is unknown (a tunnel?) and its flags cannot be read: cannot tell whether it is up', evidence, fixFor(i, i.name)));
    }
  }
  return out;
}
