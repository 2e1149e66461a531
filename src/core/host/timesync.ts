/** Time sync: one of systemd-timesyncd, chrony, ntpd (ntpsec) or openntpd enabled at boot. */
import { finding, type Finding } from '../findings.js';

export const TIME_SERVICES = ['systemd-timesyncd.service', 'chrony.service', 'chronyd.service', 'ntp.service', 'ntpd.service', 'ntpsec.service', 'openntpd.service'] as const;

/** `host-no-time-sync` unless one of TIME_SERVICES is enabled (`enabled` maps unit → enable link). */
export function timeSyncFindings(enabled: ReadonlyMap<string, string>, masked: ReadonlySet<string>): Finding[] {
  for (const s of TIME_SERVICES) if (enabled.has(s) && !masked.has(s)) return [];
  return [finding('host-no-time-sync', 'warning', 'time', 'no time-sync service is enabled (systemd-timesyncd, chrony, ntpd, ntpsec, openntpd): a drifting clock misses attestations and proposals', { file: '/etc/systemd/system', looked_for: [...TIME_SERVICES] }, 'systemctl enable --now systemd-timesyncd (or install chrony)')];
}
