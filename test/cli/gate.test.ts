/**
 * The airgap gate on this (online) test machine: refuses with SafetyRefusal (exit 3) and the
 * error findings on stderr; with allowOnline it warns once and returns.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runAirgapCheck } from '../../src/cli/airgap-host.js';
import { airgapGate } from '../../src/cli/gate.js';
import { EXIT, SafetyRefusal } from '../../src/core/errors.js';

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
