/**
 * Radios: rfkill switches, Wi-Fi hardware and Bluetooth controllers.
 * rfkill semantics (Documentation/ABI/stable/sysfs-class-rfkill): `soft`/`hard` are 1 when the
 * transmitter is blocked; the deprecated `state` has the opposite sense
 * (0 = soft-blocked, 1 = unblocked, 2 = hard-blocked).
 */
import { finding, type Finding } from '../findings.js';
import { clip, joinPath, readTrimmed, type ReadOnlyFs } from './fs.js';
import type { NetInterface } from './interfaces.js';
import { NET_DIR } from './interfaces.js';

export const RFKILL_DIR = '/sys/class/rfkill';
export const BLUETOOTH_DIR = '/sys/class/bluetooth';

export type RadioState = 'unblocked' | 'soft-blocked' | 'hard-blocked' | 'unknown';

export interface Rfkill {
  id: string;
  type: string;
  name: string;
  state: RadioState;
  /** The file the state was decided from and its content. */
  file: string;
  value: string | null;
}

function rfkillState(fs: ReadOnlyFs, dir: string): { state: RadioState; file: string; value: string | null } {
  const soft = readTrimmed(fs, joinPath(dir, 'soft'));
  const hard = readTrimmed(fs, joinPath(dir, 'hard'));
  if (hard === '1') return { state: 'hard-blocked', file: joinPath(dir, 'hard'), value: hard };
  if (soft === '1') return { state: 'soft-blocked', file: joinPath(dir, 'soft'), value: soft };
  if (soft === '0' && (hard === '0' || hard === undefined)) return { state: 'unblocked', file: joinPath(dir, 'soft'), value: soft };
  // Older kernels: only the deprecated `state`, inverted with respect to soft/hard.
  const state = readTrimmed(fs, joinPath(dir, 'state'));
  const file = joinPath(dir, 'state');
  if (state === '0') return { state: 'soft-blocked', file, value: state };
  if (state === '1') return { state: 'unblocked', file, value: state };
  if (state === '2') return { state: 'hard-blocked', file, value: state };
  return { state: 'unknown', file: joinPath(dir, 'soft'), value: soft === undefined ? null : clip(soft, 40) };
}

/** Every rfkill switch under /sys/class/rfkill (none when the directory is absent). */
export function readRfkills(fs: ReadOnlyFs): Rfkill[] {
  const listing = fs.list(RFKILL_DIR);
  if (!listing.ok) return [];
  return listing.entries
    .filter((e) => /^rfkill\d{1,6}$/.test(e))
    .map((id) => {
      const dir = joinPath(RFKILL_DIR, id);
      const type = readTrimmed(fs, joinPath(dir, 'type'));
      const name = readTrimmed(fs, joinPath(dir, 'name'));
      return {
        id,
        type: type && /^[a-z0-9_-]{1,20}$/.test(type) ? type : 'unknown',
        name: name ? clip(name, 60) : '',
        ...rfkillState(fs, dir),
      };
    });
}

function blockedWord(s: RadioState): string {
  return s === 'hard-blocked' ? 'hard-blocked (hardware switch)' : s === 'soft-blocked' ? 'soft-blocked (software can unblock it)' : s === 'unblocked' ? 'not blocked' : 'in an unknown state';
}

/** Radios that can transmit: an error each (software can turn them on), or unknown state (fail closed). */
export function rfkillFindings(rfkills: readonly Rfkill[]): Finding[] {
  const out: Finding[] = [];
  for (const r of rfkills) {
    const subject = `${r.id} (${r.type}${r.name ? `, ${r.name}` : ''})`;
    const evidence = { file: r.file, value: r.value, type: r.type, name: r.name };
    const type = r.type === 'unknown' ? 'all' : r.type;
    if (r.state === 'unblocked') {
      out.push(finding('rfkill-unblocked', 'error', subject, `${r.type} radio is not blocked: it can transmit`, evidence, `rfkill block ${type}`));
    } else if (r.state === 'unknown') {
      out.push(finding('rfkill-state-unknown', 'error', subject, `cannot read whether this ${r.type} radio is blocked`, evidence, `rfkill block ${type}`));
    }
  }
  return out;
}

/** rfkill switches named in a device directory (`phy80211/rfkill0`, `hci0/rfkill1`). */
function rfkillsUnder(fs: ReadOnlyFs, dir: string, rfkills: readonly Rfkill[]): Rfkill[] {
  const listing = fs.list(dir);
  if (!listing.ok) return [];
  const ids = new Set(listing.entries.filter((e) => /^rfkill\d{1,6}$/.test(e)));
  return rfkills.filter((r) => ids.has(r.id));
}

function combined(radios: readonly Rfkill[]): RadioState {
  if (radios.length === 0) return 'unknown';
  if (radios.some((r) => r.state === 'unblocked')) return 'unblocked';
  if (radios.some((r) => r.state === 'unknown')) return 'unknown';
  return radios.some((r) => r.state === 'hard-blocked') ? 'hard-blocked' : 'soft-blocked';
}

/** Wi-Fi hardware: a warning when present (blocked or not), an error when its radio state cannot be known. */
export function wifiFindings(fs: ReadOnlyFs, interfaces: readonly NetInterface[], rfkills: readonly Rfkill[]): Finding[] {
  const out: Finding[] = [];
  for (const i of interfaces) {
    if (!i.wireless) continue;
    let radios = rfkillsUnder(fs, joinPath(NET_DIR, i.name, 'phy80211'), rfkills);
    if (radios.length === 0) radios = rfkills.filter((r) => r.type === 'wlan');
    const state = combined(radios);
    const evidence = { file: joinPath(NET_DIR, i.name, 'phy80211'), value: radios.map((r) => r.id).join(',') || null, radio: state };
    if (state === 'unknown') {
      out.push(finding('wifi-radio-unknown', 'error', i.name, 'wi-fi hardware present and no readable rfkill switch shows its radio blocked', evidence, 'rfkill block wlan, or remove the wi-fi card'));
    } else {
      out.push(finding('wifi-present', 'warning', i.name, `wi-fi hardware present; its radio is ${blockedWord(state)}`, evidence, 'for a strict airgap remove the wi-fi card; at least keep it blocked: rfkill block wlan'));
    }
  }
  return out;
}

/** Bluetooth controllers (`hciN`): a warning when present, an error when their radio state cannot be known. */
export function bluetoothFindings(fs: ReadOnlyFs, rfkills: readonly Rfkill[]): Finding[] {
  const listing = fs.list(BLUETOOTH_DIR);
  if (!listing.ok) return [];
  const out: Finding[] = [];
  for (const hci of listing.entries.filter((e) => /^hci\d{1,4}$/.test(e))) {
    let radios = rfkillsUnder(fs, joinPath(BLUETOOTH_DIR, hci), rfkills);
    if (radios.length === 0) radios = rfkills.filter((r) => r.type === 'bluetooth');
    const state = combined(radios);
    const evidence = { file: joinPath(BLUETOOTH_DIR, hci), value: radios.map((r) => r.id).join(',') || null, radio: state };
    if (state === 'unknown') {
      out.push(finding('bluetooth-radio-unknown', 'error', hci, 'bluetooth controller present and no readable rfkill switch shows its radio blocked', evidence, 'rfkill block bluetooth, or remove the bluetooth module'));
    } else {
      out.push(finding('bluetooth-present', 'warning', hci, `bluetooth controller present; its radio is ${blockedWord(state)}`, evidence, 'rfkill block bluetooth (and disable bluetooth in the firmware setup)'));
    }
  }
  return out;
}
