/** sshd, apt, firewall files, mountinfo: parsed as their programs read them. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRootFs } from '../../../src/cli/io/root-fs.js';
import { checkHost } from '../../../src/core/host/check.js';
import { mountOf, parseMountinfo } from '../../../src/core/host/disks.js';
import { iptablesFilters, nftablesFilters, shellVar } from '../../../src/core/host/firewall.js';
import { readSshdConfig, sshdFindings } from '../../../src/core/host/sshd.js';
import { autoRebootFindings, parseAptConfig } from '../../../src/core/host/upgrades.js';
import { FIXTURES, mkTmp, rmTmp } from '../../helpers/cli.js';

let tmp: string | undefined;
afterEach(() => {
  if (tmp) rmTmp(tmp);
  tmp = undefined;
});

function tree(files: Record<string, string>): ReturnType<typeof createRootFs> {
  tmp = mkTmp('coldstake-host-sys-');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tmp, p)), { recursive: true });
    fs.writeFileSync(path.join(tmp, p), text);
  }
  return createRootFs(tmp);
}

describe('sshd_config', () => {
  it('first value wins, Include globs in name order relative to /etc/ssh, Match is conditional', () => {
    const fsr = tree({
      'etc/ssh/sshd_config': 'Include sshd_config.d/*.conf\nPasswordAuthentication yes\nPermitRootLogin=yes\nMatch Address 10.0.0.0/8\n  PermitRootLogin yes\nMatch all\nUsePAM yes\n',
      'etc/ssh/sshd_config.d/20-b.conf': 'PasswordAuthentication yes\nPermitRootLogin prohibit-password\n',
      'etc/ssh/sshd_config.d/10-a.conf': 'passwordauthentication no\n',
      'etc/ssh/sshd_config.d/30-c.txt': 'PermitRootLogin no\n',
    });
    const cfg = readSshdConfig(fsr)!;
    expect(cfg.global.get('passwordauthentication')).toMatchObject({ value: 'no', file: '/etc/ssh/sshd_config.d/10-a.conf', line: 1 });
    expect(cfg.global.get('permitrootlogin')).toMatchObject({ value: 'prohibit-password', file: '/etc/ssh/sshd_config.d/20-b.conf' });
    expect(cfg.global.get('usepam')?.value).toBe('yes');
    const f = sshdFindings(cfg);
    expect(f.map((x) => x.id).sort()).toEqual(['host-ssh-depends-on-match', 'host-ssh-password-auth', 'host-ssh-root-login']);
    expect(f.find((x) => x.id === 'host-ssh-password-auth')!.message).toContain('keyboard-interactive');
  });

  it('an include that cannot be read (mode 0600, not root) is named, not skipped silently', () => {
    const fsr = tree({ 'etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nPasswordAuthentication no\nPermitRootLogin no\n', 'etc/ssh/sshd_config.d/50-cloud-init.conf': 'PasswordAuthentication yes\n' });
    fs.chmodSync(path.join(tmp!, 'etc/ssh/sshd_config.d/50-cloud-init.conf'), 0o000);
    let readable = true;
    try {
      fs.readFileSync(path.join(tmp!, 'etc/ssh/sshd_config.d/50-cloud-init.conf'));
    } catch {
      readable = false;
    }
    const f = sshdFindings(readSshdConfig(fsr)!);
    // As root the file is readable anyway (and its value wins); otherwise it is reported.
    expect(f.map((x) => x.id)).toEqual(readable ? ['host-ssh-password-auth'] : ['host-ssh-unreadable']);
  });

  it('a key directory that cannot be listed is a warning, not zero keys', () => {
    const fsr = tree({
      'etc/passwd': 'root:x:0:0::/root:/bin/sh\n',
      'etc/systemd/system/lh.service': '[Service]\nUser=nobody\nExecStart=/usr/bin/lighthouse vc --datadir /var/lib/lh --enable-doppelganger-protection\n',
      'var/lib/lh/validators/x': '',
    });
    // A file where the validators directory should be: listing it fails (ENOTDIR), as EACCES would for a non-root user.
    fs.rmSync(path.join(tmp!, 'var/lib/lh/validators'), { recursive: true });
    fs.writeFileSync(path.join(tmp!, 'var/lib/lh/validators'), 'not a directory');
    const r = checkHost(fsr);
    expect(r.findings.filter((f) => f.id === 'host-key-dir-unreadable').map((f) => [f.subject, f.evidence['code']])).toEqual([['/var/lib/lh/validators', 'ENOTDIR']]);
  });

  it('no sshd_config: no ssh findings', () => {
    expect(readSshdConfig(tree({ 'etc/hostname': 'x\n' }))).toBeUndefined();
  });
});

describe('apt configuration', () => {
  it('comments never count; nested scopes; last value wins; Periodic 0 turns it off', () => {
    const a = parseAptConfig('// Unattended-Upgrade::Automatic-Reboot "true";\n/* x\nUnattended-Upgrade::Automatic-Reboot "true"; */\n# Unattended-Upgrade::Automatic-Reboot "true";\nUnattended-Upgrade {\n  Automatic-Reboot "true"; // yes\n};\n', '/f');
    expect(a).toEqual([['unattended-upgrade::automatic-reboot', { value: 'true', file: '/f', line: 6 }]]);
    const cfg = new Map(a);
    expect(autoRebootFindings(cfg).map((f) => f.id)).toEqual(['host-auto-reboot']);
    cfg.set('apt::periodic::unattended-upgrade', { value: '0', file: '/g', line: 1 });
    expect(autoRebootFindings(cfg)).toEqual([]);
    expect(autoRebootFindings(new Map(parseAptConfig('Unattended-Upgrade::Automatic-Reboot "false";', '/f')))).toEqual([]);
  });
});

describe('firewall files', () => {
  it('shell variables, nftables and iptables rulesets', () => {
    expect(shellVar('# ENABLED=yes\nENABLED=no\nENABLED="yes"\n', 'ENABLED')).toEqual({ value: 'yes', line: 3 });
    expect(nftablesFilters('table inet filter {\n chain input {\n  type filter hook input priority 0;\n # policy drop;\n }\n}\n')).toBe(false);
    expect(nftablesFilters('chain input { type filter hook input priority 0; policy drop; }')).toBe(true);
    expect(iptablesFilters('*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n')).toBe(false);
    expect(iptablesFilters('*filter\n:INPUT DROP [0:0]\nCOMMIT\n')).toBe(true);
  });
});

describe('disks', () => {
  it('mountinfo: escaped mount points, the longest prefix wins', () => {
    const m = parseMountinfo('22 1 259:2 / / rw - ext4 /dev/nvme0n1p2 rw\n95 22 8:17 / /mnt/my\\040disk rw shared:5 - ext4 /dev/sdb1 rw\n');
    expect(m[1]).toEqual({ device: '8:17', mountPoint: '/mnt/my disk', fsType: 'ext4' });
    expect(mountOf(m, '/mnt/my disk/lighthouse')!.device).toBe('8:17');
    expect(mountOf(m, '/var/lib')!.device).toBe('259:2');
  });

  it('host-low-disk on the clean fixture when statfs reports little free space, not when there is room', () => {
    const fsr = createRootFs(path.join(FIXTURES, 'host', 'clean'));
    const low = checkHost(fsr, { space: () => ({ totalBytes: 2e12, availableBytes: 50 * 1024 ** 3 }) });
    expect(low.findings.filter((f) => f.id === 'host-low-disk').map((f) => f.subject)).toEqual(['/var/lib/lighthouse']);
    const fraction = checkHost(fsr, { space: () => ({ totalBytes: 4e12, availableBytes: 0.15 * 4e12 }) });
    expect(fraction.findings.some((f) => f.id === 'host-low-disk')).toBe(true);
    const room = checkHost(fsr, { space: () => ({ totalBytes: 2e12, availableBytes: 1e12 }) });
    expect(room.findings.some((f) => f.id === 'host-low-disk')).toBe(false);
  });
});
