/**
 * Hygiene: things that do not connect the machine but can leak a secret handled on it.
 * Every finding here is a warning or a note; none changes the airgap verdict.
 */
import { finding, type Finding } from '../findings.js';
import { clip, type ReadOnlyFs } from './fs.js';
import { unreadable } from './notes.js';

export const SWAPS_FILE = '/proc/swaps';

/** Active swap: a warning per swap device (zram, compressed RAM, only a note). */
export function swapFindings(fs: ReadOnlyFs): Finding[] {
  const r = fs.readText(SWAPS_FILE, 256 * 1024);
  if (!r.ok) return [unreadable(SWAPS_FILE, r.code)];
  const lines = r.text.split('\n').filter((l) => l.trim().length > 0);
  if (lines.length === 0 || !/^Filename\s+Type\s+Size/.test(lines[0]!)) return [unreadable(SWAPS_FILE, 'malformed', lines[0] ?? '')];
  const out: Finding[] = [];
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3) {
      out.push(unreadable(SWAPS_FILE, 'malformed', line));
      continue;
    }
    // Spaces in swap file names are escaped as \040 by the kernel.
    const name = f[0]!.replace(/\\040/g, ' ');
    const evidence = { file: SWAPS_FILE, value: clip(line.trim()), type: f[1], size_kib: Number(f[2]) };
    if (/^\/dev\/zram\d+$/.test(name)) {
      out.push(finding('swap-zram', 'info', clip(name, 80), 'swap on zram (compressed memory, not disk)', evidence));
    } else {
      out.push(finding('swap-active', 'warning', clip(name, 80), 'swap is active: memory holding secrets can be written to disk', evidence, 'swapoff -a'));
    }
  }
  return out;
}

/** Running as root (uid 0). */
export function rootFindings(uid: number | undefined, file: string): Finding[] {
  if (uid !== 0) return [];
  return [finding('running-as-root', 'warning', 'uid 0', 'running as root: a mistake has no limits and files are created root-owned', { file, value: 0 }, 'run coldstake as an ordinary user')];
}

/** Remote session: SSH leaves SSH_CONNECTION / SSH_CLIENT / SSH_TTY in the environment. */
export function remoteSessionFindings(env: Record<string, string>, file: string): Finding[] {
  for (const key of ['SSH_CONNECTION', 'SSH_CLIENT', 'SSH_TTY']) {
    const v = env[key];
    if (v !== undefined && v.length > 0) {
      return [finding('remote-session', 'warning', key, 'running in a remote (ssh) session: this machine is connected to another one', { file, value: clip(v, 100), variable: key }, "run it at the airgapped machine's own keyboard")];
    }
  }
  return [];
}
