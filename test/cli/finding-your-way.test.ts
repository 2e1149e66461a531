/**
 * Finding your way (issue 18): `--version`, the closest option for a typo, ours for the other
 * tools' command names, through the real binary.
 */
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { assertCleanStderr, runCli } from '../helpers/cli.js';

function usage(args: string[]): { error: string; hint: string } {
  const r = runCli(args);
  expect(r.code, r.stderr).toBe(2);
  assertCleanStderr(r.stderr);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^coldstake: error: /);
  expect(lines[1]).toMatch(/^coldstake: hint: /);
  return { error: lines[0]!, hint: lines[1]! };
}

describe('--version', () => {
  it('coldstake --version, -V and --version-number print the version number; `version` stays the full report', () => {
    for (const flag of ['--version', '-V', '--version-number']) {
      const r = runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
    expect(runCli(['version']).stdout).toMatch(/sha-?256/i);
  });

  it('a typo of --version suggests it', () => {
    expect(usage(['--verison']).error).toBe("coldstake: error: unknown option '--verison' (did you mean --version?)");
  });
});

describe('unknown options', () => {
  it('suggests the closest option of the command typed', () => {
    const e = usage(['deposit', 'verify', 'x.json', '--netwrok', 'mainnet']);
    expect(e.error).toBe("coldstake: error: unknown option '--netwrok' (did you mean --network?)");
    expect(e.hint).toBe("coldstake: hint: run 'coldstake deposit verify --help' for its options");
  });

  it('reports the typo before the required option it hides (keys new --netwrok)', () => {
    expect(usage(['keys', 'new', '--netwrok', 'hoodi', '--count', '1']).error).toBe("coldstake: error: unknown option '--netwrok' (did you mean --network?)");
    expect(usage(['keys', 'new', '--network=hoodi', '--cuont', '1']).error).toBe("coldstake: error: unknown option '--cuont' (did you mean --count?)");
  });

  it('an option value that looks like an option is not taken for a typo', () => {
    // --out's value is '--network'; the real problem is that --network is missing.
    expect(usage(['keys', 'new', '--out', '--netwrok', '--count', '1']).error).toMatch(/--network/);
  });

  it('suggests nothing when nothing is close', () => {
    expect(usage(['airgap', '--frobnicate']).error).toBe("coldstake: error: unknown option '--frobnicate'");
  });
});

describe('unknown commands', () => {
  it('suggests the closest command, with its subcommand', () => {
    expect(usage(['keystor', 'verify', 'dir']).hint).toBe("coldstake: hint: did you mean 'coldstake keystore verify'?");
    expect(usage(['mnemonic', 'nwe']).hint).toBe("coldstake: hint: did you mean 'coldstake mnemonic new'?");
  });

  it.each([
    ['new-mnemonic', /'coldstake mnemonic new', then 'coldstake keys new'/],
    ['existing-mnemonic', /use 'coldstake keys new'/],
    ['test-keystore', /use 'coldstake keystore verify/],
    ['exit-transaction-mnemonic', /use 'coldstake exit sign --network NET --start-index I --validator-indices A,B,… --out DIR'/],
    ['exit-transaction-keystore', /use 'coldstake exit sign --network NET --keystore FILE --validator-index N --out DIR'/],
    ['generate-bls-to-execution-change', /use 'coldstake credentials change' on the airgapped machine, then 'coldstake credentials verify'/],
    ['partial-deposit', /use 'coldstake deposit top-up --keystore FILE --amount ETH', then 'coldstake deposit verify --top-up'/],
  ])("another tool's %s names what to run instead", (name, hint) => {
    const e = usage([name, '--chain', 'mainnet']);
    expect(e.error).toBe(`coldstake: error: unknown command '${name}'`);
    expect(e.hint).toMatch(hint);
  });
});
