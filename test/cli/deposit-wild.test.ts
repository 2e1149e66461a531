/**
 * `coldstake deposit verify` on every real deposit file in fixtures/wild/deposit (copied from ../shared/vectors/wild), through
 * the real binary: the verdict each gets must be the one in wild/deposit-verdicts.json (exit code,
 * the findings that must be there, with a reason per file read from the file's source).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, runCli, FIXTURES } from '../helpers/cli.js';

const WILD = path.join(FIXTURES, 'wild', 'deposit');
interface Expect { file: string; args: string[]; exit: number; ids: string[]; absent?: string[]; count?: number; duplicates?: number; slow?: boolean; lead?: boolean; reason: string }
const TABLE = (JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'wild', 'deposit-verdicts.json'), 'utf8')) as { files: Expect[] }).files;
interface Json { ok: boolean; count: number; findings: Array<{ id: string; severity: string; subject: string; evidence: Record<string, unknown> }>; entries: Array<{ ok: boolean; errors: string[] }> }

describe('every wild deposit file gets the verdict the launchpad and real tools give', () => {
  it('the table covers every file in the directory, each with a reason', () => {
    const onDisk = fs.readdirSync(WILD, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
    expect([...new Set(TABLE.map((t) => t.file))].sort()).toEqual(onDisk);
    for (const t of TABLE) expect(t.reason.length, t.file).toBeGreaterThan(20);
  });

  for (const t of TABLE) {
    it(`${t.file} ${t.args.join(' ')} → exit ${t.exit}`, { timeout: t.slow ? 900_000 : 60_000 }, () => {
      const r = runCli(['deposit', 'verify', path.join(WILD, t.file), ...t.args, '--json'], { timeoutMs: t.slow ? 900_000 : 60_000 });
      assertCleanStderr(r.stderr);
      expect(r.code, `${t.file}: ${r.stderr}`).toBe(t.exit);
      const json = JSON.parse(r.stdout) as Json;
      const got = new Set(json.findings.map((f) => `${f.id}:${f.severity}`));
      for (const id of t.ids) expect([...got], `${t.file} should have ${id}`).toContain(id);
      for (const id of t.absent ?? []) expect(json.findings.map((f) => f.id)).not.toContain(id);
      if (t.exit === 0) expect(json.ok).toBe(true);
      if (t.exit === 2) expect(r.stderr).toMatch(/^coldstake: error: /m);
      if (t.count !== undefined) expect(json.count).toBe(t.count);
      if (t.duplicates !== undefined) {
        expect(json.findings.filter((f) => f.id === 'deposit-duplicate-pubkey')).toHaveLength(t.duplicates);
        // Verbatim repeats are verified once, and each of them still gets its verdict.
        expect(json.entries.filter((e) => e.errors.includes('deposit-duplicate-pubkey')).length).toBe(2 * t.duplicates);
        expect(json.findings.some((f) => f.id === 'deposit-invalid-signature')).toBe(false);
      }
      if (t.lead) {
        // One finding names the network the file is for and the fix; no per-entry echo of it.
        const errors = json.findings.filter((f) => f.severity === 'error');
        expect(errors).toHaveLength(1);
        expect(errors[0]!.id).toBe('deposit-wrong-network');
        expect(errors[0]!.evidence['network']).toBe('hoodi');
        expect(json.entries.every((e) => !e.ok && e.errors.includes('deposit-wrong-network'))).toBe(true);
      }
    });
  }

  it('the lead finding in text mode names the file\'s network and the fix first', () => {
    const r = runCli(['deposit', 'verify', path.join(WILD, 'blockshard-io-validator-submitter/deposit_data-hoodi.json'), '--network', 'MAINNET']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/all 2 entries are for hoodi \(fork_version 0x10000910\), not mainnet/);
    expect(r.stdout).toMatch(/fix: this file is for hoodi: check it with --network hoodi/);
    expect(r.stdout.match(/\[deposit-[a-z-]+\]/g)).toEqual(['[deposit-wrong-network]']);
  });
});
