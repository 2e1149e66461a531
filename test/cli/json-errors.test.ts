/**
 * With --json, every check command prints one JSON report on stdout on every exit path but a usage
 * error: an unreadable input (exit 2) is a report with ok false, next to its one stderr line.
 */
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, runCli } from '../helpers/cli.js';

describe('--json on an unreadable input', () => {
  const cases: [string, string[]][] = [
    ['deposit verify', ['deposit', 'verify', '/nonexistent/deposit.json', '--network', 'mainnet', '--json']],
    ['keystore verify', ['keystore', 'verify', '/nonexistent/keys', '--json']],
    ['separation check', ['separation', 'check', '/nonexistent/home', '--json']],
    ['slashing verify', ['slashing', 'verify', '/nonexistent/history.json', '--network', 'mainnet', '--json']],
  ];
  it.each(cases)('%s: exit 2, one report on stdout, one error line on stderr', (command, args) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ ok: false, command });
    expect(report.findings.length).toBeGreaterThan(0);
    assertCleanStderr(r.stderr);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a usage error prints no report', () => {
    const r = runCli(['deposit', 'verify', '/nonexistent/deposit.json', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});
