/**
 * Hostile and broken trees: garbage, truncated, unreadable, looping and escaping files are
 * findings or notes, never crashes, hangs or reads outside the root.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const OFFLINE = path.join(FIXTURES, 'airgap', 'offline-laptop');
const ETH = 'sys/devices/pci0000:00/0000:00:1f.6/net/enp0s31f6';
const RFKILL = 'sys/devices/platform/thinkpad_acpi/rfkill/rfkill0';

interface Finding {
  id: string;
  severity: string;
  subject: string;
  message: string;
  evidence: Record<string, unknown>;
}

let tmp: string;
let root: string;

beforeEach(() => {
  tmp = mkTmp('coldstake-airgap-');
  root = path.join(tmp, 'root');
  fs.cpSync(OFFLINE, root, { recursive: true, verbatimSymlinks: true });
});
afterEach(() => rmTmp(tmp));

function put(rel: string, content: string | Buffer): void {
  const p = path.join(root, rel);
  fs.rmSync(p, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
}
function link(rel: string, target: string): void {
  const p = path.join(root, rel);
  fs.rmSync(p, { recursive: true, force: true });
  fs.symlinkSync(target, p);
}

function check(timeoutMs = 60_000) {
  const r = runCli(['airgap', '--root', root, '--json'], { timeoutMs });
  expect(r.signal).toBeNull();
  assertCleanStderr(r.stderr);
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  const report = JSON.parse(r.stdout) as { airgapped: boolean; findings: Finding[] };
  expect(r.code).toBe(report.airgapped ? 0 : 1);
  return report;
}
const has = (fs_: Finding[], id: string, subject?: string) => fs_.some((f) => f.id === id && (subject === undefined || f.subject === subject));

describe('airgap: broken trees become findings or notes', () => {
  it('garbage operstate on a down interface is a note; the flags still show it is down', () => {
    put(`${ETH}/operstate`, Buffer.from([0x00, 0xff, 0xfe, 0x0a]));
    const r = check();
    expect(r.airgapped).toBe(true);
    expect(r.findings.find((f) => f.id === 'probe-unreadable')).toMatchObject({ subject: '/sys/class/net/enp0s31f6/operstate', evidence: { error: 'malformed' } });
  });

  it('an interface with nothing readable fails closed (net-state-unknown)', () => {
    put(`${ETH}/operstate`, 'sideways\n');
    put(`${ETH}/flags`, 'lots\n');
    const r = check();
    expect(r.airgapped).toBe(false);
    expect(has(r.findings, 'net-state-unknown', 'enp0s31f6')).toBe(true);
  });

  it('a truncated /proc/net/route still reports the complete rows and notes the rest', () => {
    const full = fs.readFileSync(path.join(FIXTURES, 'airgap', 'laptop-wifi-up', 'proc', '4242', 'net', 'route'), 'utf8');
    put('proc/4242/net/route', full.slice(0, full.indexOf('\n', full.indexOf('\n') + 1) + 20));
    const r = check();
    expect(r.airgapped).toBe(false);
    expect(has(r.findings, 'net-default-route', 'wlp0s20f3')).toBe(true);
    expect(r.findings.find((f) => f.id === 'probe-unreadable' && f.subject === '/proc/net/route')?.evidence).toMatchObject({ error: 'malformed' });
  });

  it('random bytes in every /proc/net file are notes, not crashes', () => {
    const junk = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919 + 13) % 256));
    for (const f of ['route', 'ipv6_route', 'if_inet6', 'fib_trie']) put(`proc/4242/net/${f}`, junk);
    const r = check();
    for (const f of ['/proc/net/route', '/proc/net/ipv6_route', '/proc/net/if_inet6', '/proc/net/fib_trie']) {
      expect(has(r.findings, 'probe-unreadable', f), f).toBe(true);
    }
    for (const f of r.findings) expect(JSON.stringify(f.evidence)).not.toMatch(/[\u0000-\u0008\u007f-\uffff]/);
  });

  it('an rfkill switch whose state cannot be read fails closed; the old inverted `state` file is understood', () => {
    put(`${RFKILL}/soft`, 'banana\n');
    fs.rmSync(path.join(root, RFKILL, 'hard'));
    fs.rmSync(path.join(root, RFKILL, 'state'));
    let r = check();
    expect(r.airgapped).toBe(false);
    expect(has(r.findings, 'rfkill-state-unknown')).toBe(true);

    fs.rmSync(path.join(root, RFKILL, 'soft'));
    put(`${RFKILL}/state`, '1\n'); // deprecated file: 1 = UNBLOCKED
    r = check();
    expect(r.findings.find((f) => f.id === 'rfkill-unblocked')?.evidence).toMatchObject({ file: '/sys/class/rfkill/rfkill0/state', value: '1' });
    put(`${RFKILL}/state`, '0\n'); // 0 = SOFT_BLOCKED
    r = check();
    expect(r.airgapped).toBe(true);
  });

  it('no /sys/class/net at all: not airgapped (nothing proves it)', () => {
    fs.rmSync(path.join(root, 'sys', 'class', 'net'), { recursive: true });
    const r = check();
    expect(r.airgapped).toBe(false);
    expect(r.findings.find((f) => f.id === 'net-state-unknown')).toMatchObject({ subject: '/sys/class/net', evidence: { error: 'ENOENT' } });
  });

  it('an empty root: not airgapped, every other signal a note', () => {
    fs.rmSync(root, { recursive: true });
    fs.mkdirSync(root);
    const r = check();
    expect(r.airgapped).toBe(false);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['net-state-unknown']);
    expect(r.findings.filter((f) => f.id === 'probe-unreadable').length).toBeGreaterThanOrEqual(6);
  });

  it('a directory, a FIFO and a symlink loop where files should be: notes, no hang', () => {
    fs.rmSync(path.join(root, 'proc', 'swaps'));
    fs.mkdirSync(path.join(root, 'proc', 'swaps'));
    fs.rmSync(path.join(root, 'proc', 'mounts'));
    execFileSync('mkfifo', [path.join(root, 'proc', 'mounts')]);
    link('proc/sys/kernel/core_pattern', 'core_pattern');
    const r = check(60_000); // a hang guard (a read blocked on the FIFO), generous for a loaded machine
    const codes = Object.fromEntries(r.findings.filter((f) => f.id === 'probe-unreadable').map((f) => [f.subject, f.evidence['error']]));
    expect(codes).toMatchObject({ '/proc/swaps': 'EISDIR', '/proc/mounts': 'ENOTREG', '/proc/sys/kernel/core_pattern': 'ELOOP' });
  });

  it('symlinks never escape the root: `..` stops at the root and absolute targets map into it', () => {
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.writeFileSync(path.join(tmp, 'outside', 'swaps'), 'Filename\tType\tSize\tUsed\tPriority\n/dev/outside partition 1 0 -2\n');
    link('proc/swaps', '../../../../../../../../outside/swaps');
    let r = check();
    expect(has(r.findings, 'swap-active')).toBe(false);
    expect(r.findings.find((f) => f.subject === '/proc/swaps')?.evidence).toMatchObject({ error: 'ENOENT' });

    fs.mkdirSync(path.join(root, 'outside'));
    fs.writeFileSync(path.join(root, 'outside', 'swaps'), 'Filename\tType\tSize\tUsed\tPriority\n/dev/inside partition 1 0 -2\n');
    link('proc/swaps', '/outside/swaps');
    r = check();
    expect(r.findings.filter((f) => f.id === 'swap-active').map((f) => f.subject)).toEqual(['/dev/inside']);
  });

  it('an oversized /proc/net/route is read up to its bound, noted, and its findings capped', () => {
    const row = `eth9\t0000000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0`.padEnd(127);
    const header = fs.readFileSync(path.join(root, 'proc', '4242', 'net', 'route'), 'utf8');
    put('proc/4242/net/route', header + `${row}\n`.repeat(40_000));
    const r = check();
    expect(r.airgapped).toBe(false);
    expect(r.findings.filter((f) => f.id === 'net-route')).toHaveLength(64);
    expect(r.findings.find((f) => f.id === 'findings-truncated')).toMatchObject({ subject: 'net-route' });
    expect(Number(r.findings.find((f) => f.id === 'findings-truncated')!.evidence['value'])).toBeGreaterThan(30_000);
    expect(r.findings.some((f) => f.id === 'probe-unreadable' && f.subject === '/proc/net/route')).toBe(true);
  });

  it('a garbage /proc/self/status: uid and ancestry unknown are notes', () => {
    put('proc/4242/status', 'Name:\tnode\nnonsense\n');
    const r = check();
    expect(r.airgapped).toBe(true);
    expect(has(r.findings, 'running-as-root')).toBe(false);
    expect(r.findings.find((f) => f.id === 'probe-unreadable' && f.subject === '/proc/self/status')).toBeDefined();
  });
});
