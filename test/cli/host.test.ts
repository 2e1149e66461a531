/**
 * `coldstake host check --root <fixture>` through the real binary: the exact set of finding ids of
 * every machine tree in fixtures/host (expected.json, written by generate.mjs next to the trees),
 * exit codes, the human view grouped by practice with evidence and fixes, secrets never printed,
 * links never followed out of the root, bad --root, and the live machine.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, BIN, FIXTURES, mkTmp, rmTmp, ROOT, runCli, spawnCli } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'host');
const EXPECTED = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<string, { errors: string[]; warnings: string[]; info: string[]; duplicate?: string[] }>;
const SECRET = 'CorrectHorseBatteryStaple-host16';
const OUTSIDE = '/tmp/coldstake-host-outside';

interface Finding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  subject: string;
  message: string;
  evidence: Record<string, unknown>;
  fix?: string;
}
interface HostReport {
  ok: boolean;
  command: string;
  root: string;
  live: boolean;
  clients: Array<{ unit: string; client: string; status: string; keys: number; dataDir: string | null }>;
  practices: Record<string, string>;
  findings: Finding[];
}

const ids = (r: HostReport, sev: string) => [...new Set(r.findings.filter((f) => f.severity === sev).map((f) => f.id))].sort();

const runs = new Map<string, { code: number | null; stdout: string; report: HostReport }>();
let outsidePubkey = '';

beforeAll(async () => {
  // A keystore outside the tree that a fixture link points at: it must never be read.
  outsidePubkey = `0x${'ab'.repeat(48)}`;
  fs.mkdirSync(OUTSIDE, { recursive: true });
  fs.writeFileSync(path.join(OUTSIDE, 'voting-keystore.json'), JSON.stringify({ pubkey: outsidePubkey.slice(2), crypto: {}, version: 4 }));
  fs.writeFileSync(path.join(OUTSIDE, 'outside.service'), '[Service]\nExecStart=/usr/bin/lighthouse vc --datadir /x\n');
  // Two processes at a time: the fixtures are small, start-up is most of each run.
  const queue = Object.keys(EXPECTED);
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const r = await runAsync(['host', 'check', '--root', path.join(DIR, name), '--json']);
      assertCleanStderr(r.stderr);
      runs.set(name, { code: r.code, stdout: r.stdout, report: JSON.parse(r.stdout) as HostReport });
    }
  };
  await Promise.all([worker(), worker()]);
}, 300_000);

function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

afterAll(() => fs.rmSync(OUTSIDE, { recursive: true, force: true }));

describe('host check on every fixture machine', () => {
  it.each(Object.keys(EXPECTED))('%s: exact finding ids and exit code', (name) => {
    const e = EXPECTED[name]!;
    const { code, report } = runs.get(name)!;
    expect(report.command).toBe('host check');
    expect(report.live).toBe(false);
    expect({ errors: ids(report, 'error'), warnings: ids(report, 'warning'), info: ids(report, 'info') }).toEqual({ errors: [...e.errors].sort(), warnings: [...e.warnings].sort(), info: [...e.info].sort() });
    expect(report.ok).toBe(e.errors.length === 0);
    expect(code).toBe(e.errors.length === 0 ? 0 : 1);
    for (const f of report.findings) expect(report.practices[f.id]).toMatch(/^(slash avoidance|operating system|uptime)$/);
  });

  it('every id of the issue table is produced on some fixture and none on the clean one', () => {
    const table = ['host-key-in-two-clients', 'host-two-validator-clients', 'host-doppelganger-off', 'host-no-slashing-db', 'host-client-as-root', 'host-ssh-password-auth', 'host-ssh-root-login', 'host-firewall-off', 'host-firewall-allows-incoming', 'host-no-time-sync', 'host-auto-reboot', 'host-not-on-boot', 'host-rotational-disk'];
    const seen = new Set([...runs.values()].flatMap((r) => r.report.findings.map((f) => f.id)));
    for (const id of table) expect(seen, id).toContain(id);
    const clean = runs.get('clean')!.report;
    expect(clean.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(clean.clients.map((c) => [c.unit, c.client, c.status, c.keys])).toEqual([
      ['lighthousebeacon.service', 'lighthouse', 'enabled', 0],
      ['lighthousevalidator.service', 'lighthouse', 'enabled', 2],
    ]);
  });

  it('lighthouse: enabled: false does not count, a keystore folder with no entry does', () => {
    const r = runs.get('lighthouse-disabled-entry')!.report;
    const dup = r.findings.filter((f) => f.id === 'host-key-in-two-clients').map((f) => f.subject);
    expect(dup).toEqual(EXPECTED['lighthouse-disabled-entry']!.duplicate);
  });

  it('one key twice inside lodestar names both places', () => {
    const f = runs.get('lodestar-key-twice')!.report.findings.find((x) => x.id === 'host-key-in-two-clients')!;
    const places = (f.evidence['places'] as Array<{ file: string; owner: string }>).map((p) => p.file).sort();
    expect(places).toEqual(['/srv/staking/import/keystore-m_12381_3600_0_0_0-1700000000.json', expect.stringMatching(/^\/var\/lib\/lodestar\/validators\/keystores\/0x[0-9a-f]{96}\/voting-keystore\.json$/)]);
    expect(f.message).toContain('loaded twice by lodestarvalidator.service');
  });

  it('a unit disabled after a migration is never told to be enabled', () => {
    const r = runs.get('migrated')!.report;
    expect(r.findings.some((f) => f.id === 'host-not-on-boot')).toBe(false);
    expect(r.findings.every((f) => !/systemctl enable/.test(f.fix ?? ''))).toBe(true);
    expect(r.clients.find((c) => c.unit === 'lighthousevalidator.service')!.status).toBe('replaced');
  });

  it('drop-ins reset ExecStart= and Environment= variables are expanded', () => {
    const r = runs.get('drop-in-env')!.report;
    const vc = r.clients.find((c) => c.unit === 'lighthouse-vc.service')!;
    expect(vc.dataDir).toBe('/srv/lh');
    expect(r.findings.some((f) => f.id === 'host-doppelganger-off')).toBe(false);
  });

  it('evidence names the file and line', () => {
    const sshd = runs.get('default-sshd')!.report.findings;
    expect(sshd.find((f) => f.id === 'host-ssh-depends-on-match')!.evidence).toMatchObject({ file: '/etc/ssh/sshd_config', line: 24 });
    expect(sshd.find((f) => f.id === 'host-ssh-password-auth')!.message).toContain("OpenSSH's default is yes");
    expect(sshd.find((f) => f.id === 'host-ssh-root-login')!.message).toContain('prohibit-password');
    const reboot = runs.get('auto-reboot')!.report.findings.find((f) => f.id === 'host-auto-reboot')!;
    expect(reboot.evidence).toMatchObject({ file: '/etc/apt/apt.conf.d/52unattended-upgrades-local', line: 2 });
    const dop = runs.get('teku-doppelganger-env')!.report.findings.find((f) => f.id === 'host-doppelganger-off')!;
    expect(dop.message).toContain('environment');
  });

  it('never prints a password from validator_definitions.yml, in JSON or human view', () => {
    expect(fs.readFileSync(path.join(DIR, 'clean/var/lib/lighthouse/validators/validator_definitions.yml'), 'utf8')).toContain(SECRET);
    for (const [, r] of runs) expect(r.stdout).not.toContain(SECRET);
    for (const name of ['clean', 'lighthouse-disabled-entry']) {
      const h = runCli(['host', 'check', '--root', path.join(DIR, name)]);
      expect(h.stdout).not.toContain(SECRET);
      expect(h.stdout).not.toContain('voting_keystore_password');
    }
  });

  it('links are read inside the root, never followed out of it', () => {
    const r = runs.get('hostile-links')!;
    expect(r.stdout).not.toContain(outsidePubkey.slice(2));
    expect(r.report.clients.map((c) => c.unit)).not.toContain('outside.service');
  });
});

describe('host check output and exit codes', () => {
  it('human view: grouped by practice, each finding with evidence and a fix', () => {
    const r = runCli(['host', 'check', '--root', path.join(DIR, 'same-key-lighthouse-teku')]);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(1);
    const out = r.stdout;
    const order = ['slash avoidance:', 'operating system:', 'uptime:'].map((h) => out.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(out).toMatch(/✗ error {3}0x[0-9a-f]{96}: this validator key is enabled in 2 key stores/);
    expect(out).toContain('at: /var/lib/lighthouse/validators/validator_definitions.yml:');
    expect(out).toContain('fix: stop all but one');
    expect(out).toContain('✗ failed (1 error');
  });

  it('bad --root: exit 2 with one error line', () => {
    const r = runCli(['host', 'check', '--root', path.join(DIR, 'no-such-machine')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coldstake: error: --root .*no such directory\n/);
    const f = runCli(['host', 'check', '--root', path.join(DIR, 'expected.json'), '--json']);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain('not a directory');
  });

  it('the live machine: runs and exits 0 or 1', () => {
    const r = runCli(['host', 'check', '--json']);
    assertCleanStderr(r.stderr);
    expect([0, 1]).toContain(r.code);
    const report = JSON.parse(r.stdout) as HostReport;
    expect(report.live).toBe(true);
    expect(report.root).toBe('/');
  });
});

const straceWorks = spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;

describe.skipIf(!straceWorks)('host check runs no other program and opens no socket', () => {
  it('under strace: after the launcher, only node; no AF_INET/AF_INET6 socket', () => {
    const work = mkTmp('coldstake-host-strace-');
    try {
      const log = path.join(work, 'trace');
      const r = spawnSync('strace', ['-f', '-s', '256', '-e', 'trace=socket,connect,execve', '-o', log, BIN, 'host', 'check', '--root', path.join(DIR, 'docker-nimbus'), '--json'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
      expect(r.status).toBe(0);
      const trace = fs.readFileSync(log, 'utf8');
      const execs = [...trace.matchAll(/execve\("([^"]+)", \[([^\]]*)\]/g)].map((m) => ({ file: m[1]!, argv: m[2]! }));
      const program = execs.findIndex((e) => /--(experimental-)?permission/.test(e.argv));
      expect(program).toBeGreaterThan(0);
      // The unit files name docker, sh and lighthouse: none of them may run.
      for (const e of execs.slice(program)) expect(e.file).toMatch(/\/node$/);
      expect(trace).not.toMatch(/AF_INET6?\b/);
    } finally {
      rmTmp(work);
    }
  }, 130_000);
});
