/**
 * System hygiene: core dumps, virtualization, terminal recording, removable media.
 * Markers follow systemd's src/basic/virt.c (research notes rows 10, 12–14).
 */
import { finding, type Finding } from '../findings.js';
import { clip, joinPath, readTrimmed, type ReadOnlyFs } from './fs.js';
import { unreadable } from './notes.js';
import { ancestors } from './procfs.js';

export const CORE_PATTERN_FILE = '/proc/sys/kernel/core_pattern';
export const LIMITS_FILE = '/proc/self/limits';
export const MOUNTS_FILE = '/proc/mounts';

const CORE_FIX = 'ulimit -c 0 in this shell, and disable the crash handler (systemctl disable --now apport, or Storage=none in /etc/systemd/coredump.conf)';

/** Core dumps: piped to a handler (apport, systemd-coredump), or enabled by the core size limit. */
export function coreDumpFindings(fs: ReadOnlyFs): Finding[] {
  const out: Finding[] = [];
  const pattern = fs.readText(CORE_PATTERN_FILE, 4096);
  if (!pattern.ok) out.push(unreadable(CORE_PATTERN_FILE, pattern.code));
  else if (pattern.text.trim().startsWith('|')) {
    out.push(finding('core-dump-piped', 'warning', 'core_pattern', 'core dumps are piped to a crash handler that stores process memory (it may ignore ulimit -c 0)', { file: CORE_PATTERN_FILE, value: clip(pattern.text.trim()) }, CORE_FIX));
  }
  const limits = fs.readText(LIMITS_FILE, 64 * 1024);
  if (!limits.ok) {
    out.push(unreadable(LIMITS_FILE, limits.code));
    return out;
  }
  const line = /^Max core file size\s+(\S+)\s+(\S+)\s+\S+/m.exec(limits.text);
  if (!line) out.push(unreadable(LIMITS_FILE, 'malformed', 'no "Max core file size" line'));
  else if (line[1] !== '0') {
    out.push(finding('core-dump-enabled', 'warning', 'core file size', `core dumps are enabled (soft limit ${clip(line[1]!, 30)}): a crash writes process memory to disk`, { file: LIMITS_FILE, value: clip(line[0].trim()) }, 'ulimit -c 0'));
  }
  return out;
}

/** DMI vendor/product prefixes that mean a virtual machine (systemd detect_vm_dmi_vendor). */
const VM_DMI_PREFIXES = [
  'KVM', 'OpenStack', 'KubeVirt', 'Amazon EC2', 'QEMU', 'VMware', 'VMW', 'innotek GmbH', 'VirtualBox', 'Oracle Corporation',
  'Xen', 'Bochs', 'Parallels', 'BHYVE', 'Hyper-V', 'Apple Virtualization', 'Google Compute Engine', 'Microsoft Corporation Virtual',
];
const DMI_FILES = ['sys_vendor', 'product_name', 'board_vendor', 'bios_vendor', 'product_version'].map((f) => `/sys/class/dmi/id/${f}`);

interface Signal {
  file: string;
  value: string;
}

function vmSignals(fs: ReadOnlyFs): Signal[] {
  const signals: Signal[] = [];
  for (const file of DMI_FILES) {
    const v = readTrimmed(fs, file);
    // EC2 bare-metal instances report "Amazon EC2" with a ".metal" product name: not a VM.
    if (v && VM_DMI_PREFIXES.some((p) => v.startsWith(p))) signals.push({ file, value: clip(v, 80) });
  }
  const product = readTrimmed(fs, '/sys/class/dmi/id/product_name');
  if (product?.endsWith('.metal')) return [];
  const cpuinfo = fs.readText('/proc/cpuinfo', 4 * 1024 * 1024);
  if (cpuinfo.ok) {
    const flags = /^flags\s*:(.*)$/m.exec(cpuinfo.text);
    if (flags && /(^|\s)hypervisor(\s|$)/.test(flags[1]!)) signals.push({ file: '/proc/cpuinfo', value: 'flags: hypervisor' });
  }
  const osrelease = readTrimmed(fs, '/proc/sys/kernel/osrelease');
  if (osrelease && /microsoft|wsl/i.test(osrelease)) signals.push({ file: '/proc/sys/kernel/osrelease', value: clip(osrelease, 80) });
  return signals;
}

const CONTAINER_CGROUP = /(docker|kubepods|lxc|containerd|libpod|podman|crio)/;

function containerSignals(fs: ReadOnlyFs): Signal[] {
  const signals: Signal[] = [];
  for (const file of ['/.dockerenv', '/run/.containerenv']) {
    if (fs.exists(file)) signals.push({ file, value: 'present' });
  }
  for (const file of ['/run/systemd/container', '/run/host/container-manager']) {
    const v = readTrimmed(fs, file);
    if (v) signals.push({ file, value: clip(v, 60) });
  }
  const environ = fs.readText('/proc/1/environ', 256 * 1024);
  if (environ.ok) {
    const c = environ.text.split('\0').find((e) => e.startsWith('container='));
    if (c) signals.push({ file: '/proc/1/environ', value: clip(c, 60) });
  }
  const cgroup = fs.readText('/proc/1/cgroup', 256 * 1024);
  if (cgroup.ok) {
    const line = cgroup.text.split('\n').find((l) => CONTAINER_CGROUP.test(l));
    if (line) signals.push({ file: '/proc/1/cgroup', value: clip(line, 120) });
  }
  // In a pid namespace, older kernels show pid 1's host pid here ("bash (4242, #threads: 1)").
  const sched = fs.readText('/proc/1/sched', 64 * 1024);
  if (sched.ok) {
    const first = /^\S.*\((\d+), #threads/.exec(sched.text);
    if (first && first[1] !== '1') signals.push({ file: '/proc/1/sched', value: clip(sched.text.split('\n')[0]!, 80) });
  }
  return signals;
}

/** Running in a VM or a container: the host can read this machine's memory. */
export function virtualizationFindings(fs: ReadOnlyFs): Finding[] {
  const out: Finding[] = [];
  const vm = vmSignals(fs);
  if (vm.length > 0) {
    out.push(finding('vm-detected', 'warning', 'virtual machine', `running in a virtual machine (${vm[0]!.value}): its host can read this memory`, { file: vm[0]!.file, value: vm[0]!.value, signals: vm }, 'generate keys on physical hardware booted from trusted media'));
  }
  const ct = containerSignals(fs);
  if (ct.length > 0) {
    out.push(finding('container-detected', 'warning', 'container', `running in a container (${ct[0]!.file}): the host shares its kernel and network`, { file: ct[0]!.file, value: ct[0]!.value, signals: ct }, 'run coldstake directly on the airgapped machine, not in a container'));
  }
  return out;
}

/** A path as one shell word: quoted when it holds anything but letters, digits and ./_-. */
function shellQuote(p: string): string {
  return /^[\w./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

/** comm names of terminal recorders (comm is cut to 15 bytes by the kernel). */
const RECORDERS = new Set(['script', 'asciinema', 'ttyrec', 'termrec', 'tlog-rec', 'tlog-rec-sessio', 'tlog-rec-session', 'ttylog', 'sudoreplay']);

/** A terminal recorder among this process's ancestors. */
export function terminalRecordingFindings(fs: ReadOnlyFs, ppid: number | undefined): Finding[] {
  if (ppid === undefined) {
    return [unreadable('/proc/self/status', fs.exists('/proc/self/status') ? 'malformed' : 'ENOENT', 'parent process unknown: terminal recording not checked')];
  }
  for (const a of ancestors(fs, ppid)) {
    if (RECORDERS.has(a.name)) {
      return [finding('terminal-recorded', 'warning', `${a.name} (pid ${a.pid})`, 'this terminal is being recorded: whatever is shown or typed lands in a file', { file: `/proc/${a.pid}/comm`, value: a.name, pid: a.pid }, `exit the ${a.name} session before handling secrets`)];
    }
  }
  return [];
}

/** `sdb1` → `sdb`, `nvme0n1p2` → `nvme0n1`, `mmcblk0p1` → `mmcblk0`. */
export function parentBlockDevice(name: string): string {
  const m = /^((?:nvme\d+n\d+)|(?:mmcblk\d+))p\d+$/.exec(name);
  if (m) return m[1]!;
  return name.replace(/^([a-z]+)\d+$/, '$1');
}

function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** Mounted filesystems on removable or USB block devices. */
export function removableMediaFindings(fs: ReadOnlyFs): Finding[] {
  const r = fs.readText(MOUNTS_FILE, 4 * 1024 * 1024);
  if (!r.ok) return [unreadable(MOUNTS_FILE, r.code)];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const line of r.text.split('\n')) {
    const [source, target] = line.split(' ');
    if (!source || !target || !source.startsWith('/dev/')) continue;
    const dev = source.slice('/dev/'.length);
    if (!/^[a-z][a-z0-9]{1,30}$/.test(dev)) continue;
    const disk = parentBlockDevice(dev);
    const removable = readTrimmed(fs, joinPath('/sys/block', disk, 'removable'));
    const link = fs.readlink(joinPath('/sys/block', disk));
    const usb = link.ok && link.target.includes('/usb');
    if ((removable !== '1' && !usb) || seen.has(source)) continue;
    seen.add(source);
    const mountpoint = clip(unescapeMount(target), 120);
    out.push(finding('removable-media-mounted', 'warning', source, `removable ${usb ? 'usb ' : ''}medium mounted at ${mountpoint}: files written there leave the machine with it`, { file: MOUNTS_FILE, value: clip(line, 200), removable: removable ?? null, usb }, `umount ${shellQuote(mountpoint)} unless it is the medium you booted from or mean to use`));
  }
  return out;
}
