/**
 * The disk under each client data dir: spinning or not (`/sys/dev/block/MAJ:MIN/queue/rotational`,
 * the device found through /proc/self/mountinfo), and free space (live only: statfs of the path,
 * supplied by the caller). When a fact cannot be read, the finding says so instead of guessing.
 */
import { type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
}

/** Space of the file system holding a path, as statfs gives it. */
export interface DiskSpace {
  totalBytes: number;
  availableBytes: number;
}

const GIB = 1024 ** 3;
export const LOW_DISK_BYTES = 100 * GIB;
export const LOW_DISK_FRACTION = 0.2;

function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

/** `/proc/self/mountinfo` lines: `id parent MAJ:MIN root mountpoint opts … - fstype source …`. */
export function parseMountinfo(text: string): MountEntry[] {
  const out: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (f.length < 7 || dash < 6) continue;
    out.push({ device: f[2]!, mountPoint: unescape(f[4]!), fsType: f[dash + 1] ?? '' });
  }
  return out;
}

/** The mount holding a path: the longest mount point that is a prefix of it (the last one mounted wins a tie). */
export function mountOf(mounts: readonly MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const mp = m.mountPoint === '/' ? '/' : m.mountPoint.replace(/\/+$/, '');
    if (path === mp || mp === '/' || path.startsWith(`${mp}/`)) if (!best || mp.length >= best.mountPoint.length) best = m;
  }
  return best;
}

/** `1` spinning, `0` solid state, undefined unknown: the device's queue, or its parent's for a partition. */
export function rotational(fs: ReadOnlyFs, device: string): '0' | '1' | undefined {
  if (!/^\d+:\d+$/.test(device) || device.startsWith('0:')) return undefined;
  for (const p of [`/sys/dev/block/${device}/queue/rotational`, `/sys/dev/block/${device}/../queue/rotational`]) {
    const r = fs.readText(p, 64);
    if (r.ok) {
      const v = r.text.trim();
      if (v === '0' || v === '1') return v;
    }
  }
  return undefined;
}

/** `host-rotational-disk`, `host-low-disk`, and `host-disk-unknown` notes for each data dir. */
export function diskFindings(fs: ReadOnlyFs, dataDirs: ReadonlyMap<string, string>, space: ((path: string) => DiskSpace | undefined) | undefined): Finding[] {
  const out: Finding[] = [];
  const mi = fs.readText('/proc/self/mountinfo', 4 * 1024 * 1024);
  const mounts = mi.ok ? parseMountinfo(mi.text) : [];
  const unknown: string[] = [];
  for (const [dir, unit] of dataDirs) {
    const m = mountOf(mounts, dir);
    const rot = m ? rotational(fs, m.device) : undefined;
    if (rot === '1') {
      out.push(finding('host-rotational-disk', 'warning', dir, `${unit} keeps its data on a spinning disk (device ${m!.device}, mounted at ${m!.mountPoint}): a beacon node on a hard disk falls behind and misses duties`, { file: `/sys/dev/block/${m!.device}/queue/rotational`, value: 1, unit, mount: m!.mountPoint }, 'move the data dir to an SSD (NVMe, 2 TB or more)'));
    } else if (rot === undefined) unknown.push(`${dir}: disk type unknown (${m ? `device ${m.device} has no readable queue/rotational` : 'no mount found in /proc/self/mountinfo'})`);
    if (!space) continue;
    const s = space(dir);
    if (!s || s.totalBytes <= 0) {
      unknown.push(`${dir}: free space unknown`);
      continue;
    }
    const frac = s.availableBytes / s.totalBytes;
    if (frac < LOW_DISK_FRACTION || s.availableBytes < LOW_DISK_BYTES) {
      out.push(finding('host-low-disk', 'warning', dir, `${(s.availableBytes / GIB).toFixed(0)} GiB free of ${(s.totalBytes / GIB).toFixed(0)} GiB (${(frac * 100).toFixed(0)} %) where ${unit} keeps its data: under 20 % or 100 GiB`, { file: dir, available_bytes: s.availableBytes, total_bytes: s.totalBytes, unit }, 'free space (prune the execution client, remove old logs) or move to a larger SSD'));
    }
  }
  if (!space && dataDirs.size > 0) unknown.push('free space is read on the live machine only (statfs), not from a tree given with --root');
  if (unknown.length > 0) out.push(finding('host-disk-unknown', 'info', 'disk', 'some disk facts could not be read: not judged', { read: unknown }));
  return out;
}
