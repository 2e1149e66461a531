/**
 * src/cli/standalone.ts outside the executable (the executable itself: test/build/release.test.ts):
 * not standalone, no embedded code, and which NODE_* variables the executable refuses to run with.
 */
import { describe, expect, it } from 'vitest';
import { embeddedCode, embeddedCodeSha256, isStandalone, startupNodeVariables } from '../../src/cli/standalone.js';

describe('standalone helpers', () => {
  it('under node (tests, the bundle) nothing is standalone and there is no embedded code', () => {
    expect(isStandalone()).toBe(false);
    expect(() => embeddedCode()).toThrow(/not running as the standalone executable/);
    expect(() => embeddedCodeSha256()).toThrow(/not running as the standalone executable/);
  });

  it('refuses every NODE_* variable Node reads at start-up except the few that change nothing', () => {
    expect(startupNodeVariables({ PATH: '/bin', HOME: '/root' })).toEqual([]);
    expect(startupNodeVariables({ NODE_OPTIONS: '--inspect', NODE_EXTRA_CA_CERTS: '/x.pem', NODE_NO_WARNINGS: '1', NODE_DISABLE_COLORS: '1', NODE_ENV: 'production' })).toEqual([]);
    expect(startupNodeVariables({ NODE_DEBUG: 'stream', NODE_ICU_DATA: '/tmp', NODE_V8_COVERAGE: '/tmp', NODE_OPTIONS: '--require x' })).toEqual(['NODE_DEBUG', 'NODE_ICU_DATA', 'NODE_V8_COVERAGE']);
    // Unknown and future names count too; so does another spelling of a harmless one.
    expect(startupNodeVariables({ NODE_SOMETHING_NEW: '1', node_options: 'x', NODE_REDIRECT_WARNINGS: '/tmp/w' })).toEqual(['NODE_REDIRECT_WARNINGS', 'NODE_SOMETHING_NEW', 'node_options']);
  });
});
