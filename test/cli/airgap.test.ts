/**
 * `coldstake airgap --root <fixture>` through the real binary: verdict, exit code and the exact
 * set of finding ids for every scenario tree in fixtures/airgap; human output; bad --root.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, runCli } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'airgap');

interface Expected {
  airgapped: boolean;
  errors: string[];
  warnings: string[];
  info?: string[];
}

const SCENARIOS: Record<string, Expected> = {
  'laptop-wifi-up': {
    airgapped: false,
    errors: ['net-address', 'net-default-route', 'net-link-up', 'net-route', 'rfkill-unblocked'],
    warnings: ['bluetooth-present', 'core-dump-piped', 'net-interface-enabled', 'swap-active', 'wifi-present'],
  },
  'wifi-soft-blocked': { airgapped: true, errors: [], warnings: ['bluetooth-present', 'net-interface-enabled', 'wifi-present'], info: ['swap-zram'] },
  'wifi-hard-blocked': { airgapped: true, errors: [], warnings: ['bluetooth-present', 'net-interface-enabled', 'wifi-present'], info: ['swap-zram'] },
  'ethernet-no-address': { airgapped: false, errors: ['net-link-up'], warnings: [] },
  'ethernet-dhcp-default-route': { airgapped: false, errors: ['net-address', 'net-default-route', 'net-link-up', 'net-route'], warnings: [] },
  'ipv6-only-route': { airgapped: false, errors: ['net-address', 'net-default-route', 'net-link-up', 'net-route'], warnings: [] },
  'bluetooth-unblocked': { airgapped: false, errors: ['rfkill-unblocked'], warnings: ['bluetooth-present', 'net-interface-enabled'] },
  vm: { airgapped: true, errors: [], warnings: ['vm-detected'] },
  container: {
    airgapped: false,
    errors: ['net-address', 'net-default-route', 'net-link-up', 'net-route'],
    warnings: ['container-detected', 'core-dump-enabled', 'core-dump-piped', 'running-as-root', 'swap-active'],
  },
  'offline-laptop': { airgapped: true, errors: [], warnings: [] },
  'docker-bridge-idle': { airgapped: true, errors: [], warnings: ['net-config-on-down-link', 'net-interface-enabled'] },
  'offline-careless': {
    airgapped: true,
    errors: [],
    warnings: ['core-dump-enabled', 'remote-session', 'removable-media-mounted', 'running-as-root', 'swap-active', 'terminal-recorded'],
  },
};

interface Finding {
  id: string;
  severity: string;
  subject: string;
  message: string;
  evidence: { file?: string; value?: unknown; [k: string]: unknown };
  fix?: string;
}

function airgapJson(root: string) {
  const r = runCli(['airgap', '--root', root, '--json']);
  assertCleanStderr(r.stderr);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { ok: boolean; command: string; airgapped: boolean; certainty: string; root: string; findings: Finding[] };
  return { code: r.code, report };
}

const ids = (fs: Finding[], severity: string) => [...new Set(fs.filter((f) => f.severity === severity).map((f) => f.id))].sort();

describe('coldstake airgap on fixture trees', () => {
  for (const [name, exp] of Object.entries(SCENARIOS)) {
    it(`${name}: ${exp.airgapped ? 'airgapped' : 'not airgapped'}`, () => {
      const root = path.join(DIR, name);
      const { code, report } = airgapJson(root);
      expect(code).toBe(exp.airgapped ? 0 : 1);
      expect(report).toMatchObject({ ok: exp.airgapped, command: 'airgap', airgapped: exp.airgapped, certainty: 'linux-sysfs', root });
      expect(ids(report.findings, 'error')).toEqual(exp.errors);
      expect(ids(report.findings, 'warning')).toEqual(exp.warnings);
      expect(ids(report.findings, 'info')).toEqual(exp.info ?? []);
      for (const f of report.findings) {
        expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(typeof f.evidence.file).toBe('string');
        expect('value' in f.evidence).toBe(true);
        expect(f.message).toMatch(/^[^A-Z].*[^.]$/);
        if (f.severity !== 'info') expect(f.fix, `${f.id} has a fix`).toBeTruthy();
      }
    });
  }

  it('laptop-wifi-up: evidence names the files and values that prove each error', () => {
    const { report } = airgapJson(path.join(DIR, 'laptop-wifi-up'));
    const find = (id: string, pred: (f: Finding) => boolean = () => true) => report.findings.find((f) => f.id === id && pred(f));
    expect(find('net-link-up')).toMatchObject({ subject: 'wlp0s20f3', evidence: { file: '/sys/class/net/wlp0s20f3/operstate', value: 'up', kind: 'wifi' }, fix: 'rfkill block wlan' });
    expect(find('net-default-route', (f) => (f.evidence as { family?: string }).family === 'ipv4')).toMatchObject({
      evidence: { file: '/proc/net/route', gateway: '192.168.1.1', destination: '0.0.0.0', mask: '0.0.0.0' },
    });
    expect(find('net-default-route', (f) => (f.evidence as { family?: string }).family === 'ipv6')).toMatchObject({
      evidence: { file: '/proc/net/ipv6_route', gateway: 'fe80::1', destination: '::/0' },
    });
    expect(find('net-address', (f) => f.subject === '192.168.1.23')).toMatchObject({ evidence: { file: '/proc/net/fib_trie', value: '192.168.1.23/32 host LOCAL' } });
    expect(find('rfkill-unblocked', (f) => f.subject.startsWith('rfkill0'))).toMatchObject({ evidence: { file: '/sys/class/rfkill/rfkill0/soft', value: '0', type: 'wlan' }, fix: 'rfkill block wlan' });
    expect(find('rfkill-unblocked', (f) => f.subject.startsWith('rfkill1'))).toMatchObject({ fix: 'rfkill block bluetooth' });
    expect(find('swap-active')).toMatchObject({ subject: '/dev/nvme0n1p3', fix: 'swapoff -a' });
    expect(find('net-interface-enabled')).toMatchObject({ subject: 'enp0s31f6', evidence: { value: 'down', carrier: 0, flags: '0x1003', kind: 'ethernet' } });
  });

  it('the soft- and hard-blocked radios are told apart (rfkill soft/hard, not the inverted state)', () => {
    const soft = airgapJson(path.join(DIR, 'wifi-soft-blocked')).report.findings.find((f) => f.id === 'wifi-present')!;
    const hard = airgapJson(path.join(DIR, 'wifi-hard-blocked')).report.findings.find((f) => f.id === 'wifi-present')!;
    expect(soft.message).toContain('soft-blocked');
    expect(hard.message).toContain('hard-blocked');
    expect(soft.evidence).toMatchObject({ file: '/sys/class/net/wlp0s20f3/phy80211', value: 'rfkill0', radio: 'soft-blocked' });
  });

  it('ethernet-no-address: the cable alone is the finding, with the unplug fix', () => {
    const { report } = airgapJson(path.join(DIR, 'ethernet-no-address'));
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({ id: 'net-link-up', subject: 'enp3s0', evidence: { carrier: 1, kind: 'ethernet' }, fix: 'unplug the cable from enp3s0, then ip link set enp3s0 down' });
  });

  it('offline-careless: the recorder is found among the ancestors and the usb stick through /sys/block', () => {
    const { report } = airgapJson(path.join(DIR, 'offline-careless'));
    const by = (id: string) => report.findings.find((f) => f.id === id)!;
    expect(by('terminal-recorded')).toMatchObject({ subject: 'script (pid 4229)', evidence: { file: '/proc/4229/comm', value: 'script' } });
    expect(by('removable-media-mounted').message).toContain('/media/operator/KEYS USB');
    // The fix is one shell word, pasteable as it is.
    expect(by('removable-media-mounted').fix).toMatch(/^umount '\/media\/operator\/KEYS USB' /);
    expect(by('remote-session').evidence).toMatchObject({ file: '/proc/self/environ', variable: 'SSH_CONNECTION' });
    expect(by('running-as-root').evidence).toMatchObject({ file: '/proc/self/status', value: 0 });
  });

  it('docker-bridge-idle: the address and route of a bridge without carrier are warnings tied to docker0', () => {
    const { report } = airgapJson(path.join(DIR, 'docker-bridge-idle'));
    const demoted = report.findings.filter((f) => f.id === 'net-config-on-down-link');
    expect(demoted.map((f) => [f.subject, f.evidence['was'], f.evidence['interface']])).toEqual([
      ['docker0', 'net-route', 'docker0'],
      ['172.17.0.1', 'net-address', 'docker0'],
    ]);
  });

  it('human output: verdict line, findings grouped by severity with fixes, exit code', () => {
    const r = runCli(['airgap', '--root', path.join(DIR, 'laptop-wifi-up')]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^airgapped: NO \(read from \/sys and \/proc under .*laptop-wifi-up\)$/);
    const firstWarning = lines.findIndex((l) => l.includes('warning '));
    const lastError = lines.map((l, i) => (l.includes('error ') ? i : -1)).reduce((a, b) => Math.max(a, b));
    expect(lastError).toBeLessThan(firstWarning);
    expect(r.stdout).toContain('fix: rfkill block wlan');
    expect(r.stdout).toContain('fix: swapoff -a');
    expect(lines.filter((l) => l.length > 0).at(-1)).toMatch(/^✗ failed \(11 errors, 5 warnings, 0 notes\)$/);
    const ok = runCli(['airgap', '--root', path.join(DIR, 'offline-laptop')]);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toMatch(/^airgapped: yes /);
  });

  it('--root that does not exist, or is a file, is a usage error (exit 2)', () => {
    for (const root of [path.join(DIR, 'no-such-machine'), path.join(DIR, 'PROVENANCE.md')]) {
      const r = runCli(['airgap', '--root', root, '--json']);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      assertCleanStderr(r.stderr);
      expect(r.stderr.split('\n')[0]).toMatch(/^coldstake: error: --root .*: (no such directory|not a directory)$/);
    }
    const empty = runCli(['airgap', '--root', '', '--json']);
    expect(empty.code).toBe(2);
    expect(empty.stderr.split('\n')[0]).toBe('coldstake: error: --root must not be empty');
  });
});
