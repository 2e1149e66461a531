/**
 * `coldstake separation check` through the real binary on the fixture trees.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, BIN, FIXTURES, mkTmp, rmTmp, runCli, type CliResult } from '../helpers/cli.js';

const F = path.join(FIXTURES, 'separation');
const T = path.join(F, 'trees');
const used = JSON.parse(fs.readFileSync(path.join(F, 'mnemonics-used.json'), 'utf8')) as Array<{ id: string; mnemonic: string }>;

interface JsonFinding {
  id: string;
  severity: string;
  subject: string;
  message: string;
  evidence: Record<string, unknown>;
}

function check(args: string[]): { r: CliResult; json: { ok: boolean; command: string; findings: JsonFinding[]; summary: Record<string, unknown> } | undefined } {
  const r = runCli(['separation', 'check', ...args]);
  let json;
  if (args.includes('--json') && r.stdout) json = JSON.parse(r.stdout);
  return { r, json };
}

/** No mnemonic used in the fixtures (nor any 2 of its consecutive words) appears in the output. */
function assertNoMnemonicWords(out: string): void {
  const norm = out.normalize('NFKD').toLowerCase();
  for (const u of used) {
    const w = u.mnemonic.normalize('NFKD').toLowerCase().split(/[ \u3000]/);
    for (let i = 0; i + 1 < w.length; i++) {
      const pair = `${w[i]} ${w[i + 1]}`;
      if (norm.includes(pair)) throw new Error(`output contains mnemonic words of fixture ${u.id}`);
    }
  }
}

const trees: Record<string, { code: number; errors: string[]; warnings?: string[] }> = {
  clean: { code: 0, errors: [] },
  notes: { code: 1, errors: ['separation-mnemonic:home/val/notes.txt:4:24'] },
  'bash-history': { code: 1, errors: ['separation-mnemonic:home/val/.bash_history:3:18', 'separation-mnemonic:home/val/.zsh_history:2:12'] },
  numbered: { code: 1, errors: ['separation-mnemonic:home/val/Documents/seed-backup.txt:3:24'] },
  json: { code: 1, errors: ['separation-mnemonic:home/val/.config/wallet/backup.json:5:24'] },
  'near-miss': { code: 0, errors: [], warnings: ['separation-mnemonic-near-miss:home/val/old-notes.txt:2:24'] },
  'withdrawal-keystore': { code: 1, errors: ['separation-withdrawal-keystore:validator_keys/keystore-m_12381_3600_0_0-1700000000.json::'] },
  'non-signing-keystore': { code: 1, errors: ['separation-non-signing-keystore:keys/keystore-m_12381_60_0_0-1700000000.json::'] },
  duplicates: { code: 1, errors: ['separation-duplicate-keystore:0x91a4e10c877569f930e8800b745d4cb8fd03fd52dc17e87b49a55b548813275145e77ae01d56423becb5572f2632be5a::'] },
  secrets: {
    code: 1,
    errors: [
      'separation-hd-walletstore:ethdo/wallets/6b9ef0c7-8d3e-4f4b-9c1a-2f4e5d6a7b8c/6b9ef0c7-8d3e-4f4b-9c1a-2f4e5d6a7b8c::',
      'separation-plaintext-secret-key:.env:2:',
      'separation-plaintext-secret-key:keys.json::',
      'separation-plaintext-secret-key:validator_secret.txt:1:',
    ],
  },
};

function key(root: string, f: JsonFinding): string {
  const subj = f.subject.startsWith('0x') ? f.subject : path.relative(root, f.subject);
  return `${f.id}:${subj}:${f.evidence['line'] ?? ''}:${f.evidence['words'] ?? ''}`;
}

describe('separation check on fixture trees', () => {
  for (const [name, want] of Object.entries(trees)) {
    it(`${name}: exit ${want.code}, ${want.errors.length} errors`, () => {
      const root = path.join(T, name);
      const { r, json } = check([root, '--json']);
      expect(r.code).toBe(want.code);
      expect(r.stderr).toBe('');
      expect(json!.ok).toBe(want.code === 0);
      expect(json!.command).toBe('separation check');
      const errors = json!.findings.filter((f) => f.severity === 'error').map((f) => key(root, f)).sort();
      expect(errors).toEqual([...want.errors].sort());
      if (want.warnings) {
        expect(json!.findings.filter((f) => f.severity === 'warning' && !f.id.includes('readable')).map((f) => key(root, f))).toEqual(want.warnings);
      }
      assertNoMnemonicWords(r.stdout);
      const human = check([root]);
      expect(human.r.code).toBe(want.code);
      assertCleanStderr(human.r.stderr);
      assertNoMnemonicWords(human.r.stdout);
      for (const e of want.errors) expect(human.r.stdout).toContain(e.split(':')[0]);
    });
  }

  it('languages: every fixture file is found in its language, never printed', () => {
    const root = path.join(T, 'languages');
    const { r, json } = check([root, '--json']);
    expect(r.code).toBe(1);
    const got = json!.findings.map((f) => `${path.basename(f.subject)}:${f.evidence['language']}:${f.evidence['words']}`).sort();
    expect(got).toEqual(
      [
        'chinese-traditional.txt:chinese_traditional:12',
        'chinese.txt:chinese_simplified:24',
        'czech.txt:czech:18',
        'french.txt:french:24',
        'italian.txt:italian:12',
        'japanese.txt:japanese:18',
        'korean.txt:korean:18',
        'portuguese.txt:portuguese:24',
        'spanish-nfc.txt:spanish:24',
        'spanish-nfkd.txt:spanish:24',
      ].sort(),
    );
    assertNoMnemonicWords(r.stdout + r.stderr);
    assertNoMnemonicWords(check([root]).r.stdout);
  });

  it('--json summary counts files, bytes and skips', () => {
    const root = path.join(T, 'clean');
    const { json } = check([root, '--json']);
    const files = fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    const bytes = files.reduce((n, d) => n + fs.statSync(path.join(d.parentPath, d.name)).size, 0);
    expect(json!.summary).toEqual({
      files_scanned: files.length,
      dirs_scanned: 9,
      bytes_read: bytes,
      keystores: 1,
      skipped: { binary: 0, too_large: 0, unreadable: 0, special: 0, symlink: 0 },
    });
  });
});

describe('--deposit-data', () => {
  it('a keystore holding the withdrawal key of a 0x00 credential is an error', () => {
    const root = path.join(T, 'withdrawal-key-present');
    const { r, json } = check([root, '--deposit-data', path.join(F, 'deposit_data-withdrawal-key.json'), '--json']);
    expect(r.code).toBe(1);
    const errs = json!.findings.filter((f) => f.severity === 'error');
    expect(errs.map((f) => `${f.id}:${path.basename(f.subject)}`)).toEqual(['separation-withdrawal-key-present:keystore-imported.json']);
    expect(errs[0]!.evidence['validators']).toHaveLength(1);
    // Without the deposit data, the pathless withdrawal keystore is only a warning.
    expect(check([root]).r.code).toBe(0);
  });

  it('the clean tree with its own deposit data stays clean', () => {
    const root = path.join(T, 'clean');
    const { r } = check([root, '--deposit-data', path.join(root, 'home/validator/deposit_data-1715584089.json')]);
    expect(r.code).toBe(0);
  });
});

describe('bad input', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkTmp('coldstake-sep-cli-');
    fs.writeFileSync(path.join(tmp, 'file.txt'), 'x');
    fs.writeFileSync(path.join(tmp, 'bad-deposit.json'), JSON.stringify([{ pubkey: 'zz', withdrawal_credentials: '00' }]));
    fs.writeFileSync(path.join(tmp, 'notjson.json'), '{"a": abandon ability');
  });
  afterAll(() => rmTmp(tmp));

  const cases: Array<[string, string[], RegExp]> = [
    ['missing dir', ['/nonexistent/dir'], /\/nonexistent\/dir: no such directory/],
    ['a file, not a dir', ['FILE'], /file\.txt: not a directory/],
    ['bad --max-file-size', ['DIR', '--max-file-size', 'lots'], /--max-file-size must be/],
    ['zero --max-file-size', ['DIR', '--max-file-size', '0'], /--max-file-size must be between/],
    ['deposit data missing', ['DIR', '--deposit-data', '/nonexistent.json'], /nonexistent\.json: no such file/],
    ['deposit data malformed', ['DIR', '--deposit-data', 'BAD'], /bad-deposit\.json: \[0\]\.\w+/],
    ['deposit data not JSON', ['DIR', '--deposit-data', 'NOTJSON'], /notjson\.json: not valid JSON/],
  ];
  for (const [name, args, re] of cases) {
    it(`${name}: exit 2, one error line`, () => {
      const a = args.map((x) => (x === 'FILE' ? path.join(tmp, 'file.txt') : x === 'DIR' ? tmp : x === 'BAD' ? path.join(tmp, 'bad-deposit.json') : x === 'NOTJSON' ? path.join(tmp, 'notjson.json') : x));
      const r = runCli(['separation', 'check', ...a]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      assertCleanStderr(r.stderr);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toContain('abandon');
    });
  }

  it('--max-file-size accepts suffixes', () => {
    const r = runCli(['separation', 'check', tmp, '--max-file-size', '512K', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).max_file_size).toBe(512 * 1024);
  });
});

describe('progress bar', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('shows on a terminal (util-linux script gives the CLI a pty), never the words', () => {
    const root = path.join(T, 'notes');
    const r = spawnSync('script', ['-qec', `${BIN} separation check ${root}`, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
    expect(r.stdout).toContain('scanning [');
    expect(r.stdout).toContain('separation-mnemonic');
    assertNoMnemonicWords(r.stdout);
  });

  it('is absent when stderr is not a terminal', () => {
    const { r } = check([path.join(T, 'notes')]);
    expect(r.stderr).toBe('');
  });
});
