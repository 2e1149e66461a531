/**
 * The real thing, not fixtures: `coldstake airgap` on live kernels.
 * - In a fresh, empty network namespace with sysfs remounted: no network finding.
 * - In a namespace with a veth pair up, addresses and a default route: each is found.
 * - In the host namespace of this machine (online, per os.networkInterfaces()): not airgapped.
 * Needs `unshare -n -m` (root or user namespaces); where it fails the tests say why and skip.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, BIN, ROOT, runCli } from '../helpers/cli.js';

interface Finding {
  id: string;
  severity: string;
  subject: string;
  evidence: Record<string, unknown>;
}
interface Report {
  ok: boolean;
  airgapped: boolean;
  certainty: string;
  root: string;
  findings: Finding[];
}

const NETWORK_IDS = /^(net-|rfkill-|wifi-|bluetooth-|os-interface|sysfs-mismatch)/;

function inNamespace(setup: string) {
  const script = `mount -t sysfs sysfs /sys && ${setup} exec "$0" airgap --json`;
  return spawnSync('unshare', ['-n', '-m', 'sh', '-c', script, BIN], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
}

function probe(cmd: string): string | null {
  const r = spawnSync('unshare', ['-n', '-m', 'sh', '-c', cmd], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return `unshare cannot run: ${r.error.message}`;
  return r.status === 0 ? null : `'unshare -n -m sh -c "${cmd}"' failed (exit ${r.status}): ${r.stderr.trim() || 'no message'}`;
}

const noNamespace = probe('mount -t sysfs sysfs /sys');
const noVeth = noNamespace ?? probe('ip link add v0 type veth peer name v1');
if (noNamespace) console.warn(`skipping the network-namespace airgap tests: ${noNamespace}`);
else if (noVeth) console.warn(`skipping the veth airgap test: ${noVeth}`);

const hostOnline = Object.values(os.networkInterfaces()).some((as) => (as ?? []).some((a) => !a.internal));
if (!hostOnline) console.warn('skipping the host-namespace airgap test: this machine has no non-loopback address (os.networkInterfaces())');

describe('airgap on live kernels', () => {
  it.skipIf(noNamespace !== null)('a fresh empty network namespace: airgapped, no network finding', () => {
    const r = inNamespace('');
    assertCleanStderr(r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    expect(r.status).toBe(0);
    expect(report).toMatchObject({ ok: true, airgapped: true, certainty: 'linux-sysfs', root: '/' });
    expect(report.findings.filter((f) => NETWORK_IDS.test(f.id))).toEqual([]);
    expect(report.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.skipIf(noVeth !== null)('a namespace with a veth pair up, addresses and a default route: every one found', () => {
    const setup = [
      'ip link add v0 type veth peer name v1',
      'ip link set lo up',
      'ip link set v1 up',
      'ip link set v0 up',
      'ip addr add 10.9.9.1/24 dev v0',
      'ip route add default via 10.9.9.2',
      'ip -6 addr add fd09::1/64 dev v0 nodad',
      'ip -6 route add default via fd09::2 dev v0',
      '',
    ].join(' && ');
    const r = inNamespace(setup);
    assertCleanStderr(r.stderr);
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.airgapped).toBe(false);
    const has = (id: string, pred: (f: Finding) => boolean) => report.findings.some((f) => f.id === id && pred(f));
    expect(has('net-link-up', (f) => f.subject === 'v0' && f.evidence['kind'] === 'virtual')).toBe(true);
    expect(has('net-address', (f) => f.subject === '10.9.9.1' && f.evidence['file'] === '/proc/net/fib_trie')).toBe(true);
    expect(has('net-address', (f) => f.subject === 'v0' && f.evidence['address'] === 'fd09::1')).toBe(true);
    expect(has('net-default-route', (f) => f.evidence['family'] === 'ipv4' && f.evidence['gateway'] === '10.9.9.2')).toBe(true);
    expect(has('net-default-route', (f) => f.evidence['family'] === 'ipv6' && f.evidence['gateway'] === 'fd09::2')).toBe(true);
    expect(has('net-route', (f) => f.evidence['destination'] === '10.9.9.0')).toBe(true);
    // The procfs probes already saw every address os.networkInterfaces() reports.
    expect(report.findings.filter((f) => f.id === 'os-interface-address')).toEqual([]);
  });

  it.skipIf(!hostOnline)('the host namespace of this machine: not airgapped', () => {
    const r = runCli(['airgap', '--json']);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(report).toMatchObject({ ok: false, airgapped: false, root: '/' });
    expect(report.findings.some((f) => f.severity === 'error' && NETWORK_IDS.test(f.id))).toBe(true);
  });
});
