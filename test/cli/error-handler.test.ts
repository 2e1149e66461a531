/**
 * The one top-level error handler (src/cli/main.ts): an expected CliError gives its own exit code
 * and hint; anything else is a bug, exit 70, reported by its name only (an unknown error's message
 * may quote input, V8's JSON errors do), with the stack only under COLDSTAKE_DEBUG=1.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleError } from '../../src/cli/main.js';
import { SafetyRefusal, UsageError } from '../../src/core/errors.js';

function capture(run: () => number): { code: number; stderr: string } {
  let stderr = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: run(), stderr };
  } finally {
    spy.mockRestore();
  }
}

const SECRETISH = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('handleError', () => {
  afterEach(() => {
    delete process.env['COLDSTAKE_DEBUG'];
  });

  it('a usage error: its message and hint, exit 2, no stack', () => {
    const r = capture(() => handleError(new UsageError('--count must be a whole number', 'try --count 4')));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('coldstake: error: --count must be a whole number\ncoldstake: hint: try --count 4\n');
  });

  it('a safety refusal: exit 3', () => {
    const r = capture(() => handleError(new SafetyRefusal('not airgapped')));
    expect(r.code).toBe(3);
    expect(r.stderr).toBe('coldstake: error: not airgapped\n');
  });

  it('anything else is an internal error: exit 70, its name only, never its message or stack', () => {
    let err: unknown;
    try {
      JSON.parse(`{"mnemonic": ${SECRETISH}}`);
    } catch (e) {
      err = e;
    }
    const r = capture(() => handleError(err));
    expect(r.code).toBe(70);
    expect(r.stderr).toBe(
      'coldstake: error: internal error (SyntaxError)\n'
      + 'coldstake: hint: this is a bug in coldstake: please report it; COLDSTAKE_DEBUG=1 shows the details\n',
    );
    expect(r.stderr).not.toContain('abandon');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a thrown non-Error value is named by its type', () => {
    const r = capture(() => handleError('some string'));
    expect(r.code).toBe(70);
    expect(r.stderr.split('\n')[0]).toBe('coldstake: error: internal error (string)');
  });

  it('COLDSTAKE_DEBUG=1 adds the stack, for an internal error and for an expected one', () => {
    process.env['COLDSTAKE_DEBUG'] = '1';
    const internal = capture(() => handleError(new RangeError('boom')));
    expect(internal.code).toBe(70);
    expect(internal.stderr).toMatch(/RangeError: boom\n\s+at /);
    const usage = capture(() => handleError(new UsageError('bad flag')));
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^coldstake: error: bad flag\n.*UsageError: bad flag\n\s+at /s);
  });
});
