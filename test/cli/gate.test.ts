/**
 * The airgap gate on this (online) test machine: refuses with SafetyRefusal (exit 3) and the
 * error findings on stderr; with allowOnline it warns once and returns.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAirgapCheck } from '../../src/cli/airgap-host.js';
import { airgapGate } from '../../src/cli/gate.js';
import { EXIT, SafetyRefusal } from '../../src/core/errors.js';
import { finding } from '../../src/core/findings.js';
import path from 'node:path';
import { assertCleanStderr, ROOT, runCli } from '../helpers/cli.js';

function captureStderr(): { lines: () => string[]; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { lines: () => chunks.join('').split('\n').filter((l) => l.length > 0), restore: () => spy.mockRestore() };
}

const online = !runAirgapCheck().airgapped;

describe('airgapGate on the live machine', () => {
  afterEach(() => vi.restoreAllMocks());

  it.skipIf(!online)('refuses with exit 3 and one error line per error finding', async () => {
    const errors = runAirgapCheck().findings.filter((f) => f.severity === 'error');
    const cap = captureStderr();
    let thrown: unknown;
    try {
      await airgapGate('mnemonic new', { allowOnline: false, json: false });
    } catch (err) {
      thrown = err;
    } finally {
      cap.restore();
    }
    expect(thrown).toBeInstanceOf(SafetyRefusal);
    expect((thrown as SafetyRefusal).exitCode).toBe(EXIT.refused);
    expect((thrown as SafetyRefusal).message).toMatch(/^refusing to run 'mnemonic new': this machine is not airgapped/);
    expect((thrown as SafetyRefusal).hint).toMatch(/--allow-online/);
    const errLines = cap.lines().filter((l) => l.startsWith('coldstake: error: '));
    expect(errLines).toHaveLength(errors.length);
    for (const l of cap.lines()) expect(l).toMatch(/^coldstake: (error|warning): /);
  });

  it.skipIf(!online)('with allowOnline prints one loud warning and reports the findings', async () => {
    const cap = captureStderr();
    let outcome;
    try {
      outcome = await airgapGate('keys new', { allowOnline: true, json: true });
    } finally {
      cap.restore();
    }
    expect(outcome!.airgapped).toBe(false);
    expect(outcome!.allowedOnline).toBe(true);
    expect(outcome!.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(cap.lines()).toEqual([
      "coldstake: warning: running 'keys new' on a machine that is not airgapped (--allow-online): secrets handled here may be exposed",
    ]);
  });
});

describe('airgapGate with an injected check', () => {
  const swap = finding('swap-active', 'warning', '/dev/sda2', 'swap is active: memory holding secrets can be written to disk', { file: '/proc/swaps', value: '/dev/sda2 partition 1 0 -2' }, 'swapoff -a');
  const link = finding('net-link-up', 'error', 'eth0', 'network interface is up', { file: '/sys/class/net/eth0/operstate', value: 'up' }, 'unplug the cable');

  it('airgapped: passes, prints each hygiene warning with its fix, and does not claim --allow-online', async () => {
    const cap = captureStderr();
    let outcome;
    try {
      outcome = await airgapGate('backup sheet', { allowOnline: true, json: true }, () => ({ airgapped: true, certainty: 'linux-sysfs', findings: [swap] }));
    } finally {
      cap.restore();
    }
    expect(outcome).toEqual({ airgapped: true, allowedOnline: false, findings: [swap] });
    expect(cap.lines()).toEqual(['coldstake: warning: /dev/sda2: swap is active: memory holding secrets can be written to disk (fix: swapoff -a)']);
  });

  it('not airgapped: the error lines name the subject, message and fix; warnings are not repeated', async () => {
    const cap = captureStderr();
    const run = airgapGate('ownership check', { allowOnline: false, json: false }, () => ({ airgapped: false, certainty: 'linux-sysfs', findings: [link, swap] }));
    await expect(run).rejects.toBeInstanceOf(SafetyRefusal);
    cap.restore();
    expect(cap.lines()).toEqual(['coldstake: error: eth0: network interface is up (fix: unplug the cable)']);
  });
});

describe('the gate through the real binary, with --json', () => {
  it.skipIf(!online).each([
    ['ownership check', ['ownership', 'check', '--network', 'hoodi', '--deposit-data', path.join(ROOT, 'fixtures/keys/lighthouse_edc/hoodi_first_0_count_2_prefix_0x01_eth1_true/deposit_data-1785211442.json'), '--json']],
    ['keys new', ['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', '--out', '/nonexistent-coldstake-out', '--json']],
  ])('%s refuses with exit 3 and the refusal as JSON on stdout', (command, args) => {
    const r = runCli(args);
    expect(r.code).toBe(3);
    const report = JSON.parse(r.stdout) as { ok: boolean; command: string; refused: string; findings: { id: string; severity: string }[]; airgap: unknown };
    expect(report).toMatchObject({ ok: false, command, refused: 'not-airgapped', airgap: { airgapped: false, allowed_online: false } });
    const live = runAirgapCheck().findings.filter((f) => f.severity === 'error').map((f) => f.id).sort();
    expect(report.findings.filter((f) => f.severity === 'error').map((f) => f.id).sort()).toEqual(live);
    expect(r.stderr).toContain(`coldstake: error: refusing to run '${command}': this machine is not airgapped`);
    assertCleanStderr(r.stderr);
  });
});
