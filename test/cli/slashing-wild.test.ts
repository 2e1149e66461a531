/**
 * Every EIP-3076 file from ../shared/vectors/wild/slashing (copied to fixtures/slashing/wild) gets
 * the verdict in fixtures/slashing/wild/VERDICTS.json, through bin/coldstake: exit code, and the
 * findings (severity:id, in order) of the one JSON report printed on stdout on every exit path.
 * The human view agrees (same exit code; an exit 2 prints only error lines on stderr).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, runCli, spawnCli, type CliResult } from '../helpers/cli.js';

const DIR = path.join(FIXTURES, 'slashing', 'wild');
interface Verdict {
  file: string;
  args: string[];
  exit: number;
  findings: string[];
  reason: string;
}
const TABLE = JSON.parse(fs.readFileSync(path.join(DIR, 'VERDICTS.json'), 'utf8')) as { files: Verdict[] };

function listJson(dir: string, base = ''): string[] {
  return fs.readdirSync(path.join(dir, base), { withFileTypes: true }).flatMap((e) => {
    const rel = base === '' ? e.name : `${base}/${e.name}`;
    if (e.isDirectory()) return listJson(dir, rel);
    return e.name.endsWith('.json') && rel !== 'VERDICTS.json' ? [rel] : [];
  });
}

/** Run the CLI asynchronously (the files are checked a few at a time). */
function runAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const c = spawnCli(args);
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.stdin.end();
    c.on('error', reject);
    c.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

describe('real interchange files get the verdict real clients give', () => {
  it('the table covers every file, once, each with a reason', () => {
    const files = listJson(DIR).sort();
    expect(files).toHaveLength(43);
    expect(TABLE.files.map((v) => v.file).sort()).toEqual(files);
    for (const v of TABLE.files) expect(v.reason.length, v.file).toBeGreaterThan(30);
    // SOURCES.tsv names the repository and commit of each file.
    const sources = fs.readFileSync(path.join(DIR, 'SOURCES.tsv'), 'utf8');
    for (const f of files) expect(sources, f).toContain(`slashing/${f}\t`);
  });

  it('every file: exit code and findings as in VERDICTS.json, one JSON report on stdout, clean stderr', async () => {
    const runs = await mapLimit(TABLE.files, 3, (v) => runAsync(['slashing', 'verify', path.join(DIR, v.file), ...v.args, '--json']));
    const wrong: string[] = [];
    TABLE.files.forEach((v, i) => {
      const j = runs[i] as CliResult;
      assertCleanStderr(j.stderr);
      const report = JSON.parse(j.stdout) as { ok: boolean; command: string; file: string; findings: Array<{ id: string; severity: string }> };
      expect(report.command).toBe('slashing verify');
      expect(report.file).toBe(path.join(DIR, v.file));
      expect(report.ok, v.file).toBe(v.exit === 0);
      const got = report.findings.map((f) => `${f.severity}:${f.id}`);
      if (j.code !== v.exit || JSON.stringify(got) !== JSON.stringify(v.findings)) wrong.push(`${v.file}: exit ${j.code} ${JSON.stringify(got)}, expected exit ${v.exit} ${JSON.stringify(v.findings)}`);
    });
    expect(wrong).toEqual([]);
  }, 600_000);

  it('the human view of a refused file: nothing on stdout, one error line (malformed, another network, an old draft)', () => {
    for (const name of ['consensys-teku/invalid_json.json', 'consensys-teku/format2_minimal_different_genesis_validators_root.json', 'consensys-teku/format2_minimal-6175077-v3-minimal.json']) {
      const v = TABLE.files.find((x) => x.file === name) as Verdict;
      const h = runCli(['slashing', 'verify', path.join(DIR, v.file), ...v.args]);
      expect(h.code, v.file).toBe(2);
      expect(h.stdout).toBe('');
      assertCleanStderr(h.stderr);
      expect(h.stderr.split('\n').filter((l) => l.startsWith('coldstake: error: '))).toHaveLength(1);
    }
  }, 600_000);
});
