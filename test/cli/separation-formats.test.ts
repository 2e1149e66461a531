/**
 * `separation check` through the real binary: note formats (issue 14 point 8) and published test
 * mnemonics and keys under package directories (issue 18, "Noise that buries the real finding").
 */
import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, BUNDLE, FIXTURES, mkTmp, rmTmp, runCli, type CliResult } from '../helpers/cli.js';

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
interface JsonReport {
  ok: boolean;
  findings: JsonFinding[];
}

function check(dir: string, json = true): { r: CliResult; report: JsonReport | undefined } {
  const r = runCli(['separation', 'check', dir, ...(json ? ['--json'] : [])]);
  assertCleanStderr(r.stderr);
  return { r, report: json && r.stdout ? (JSON.parse(r.stdout) as JsonReport) : undefined };
}

/** No two consecutive words of any fixture mnemonic (nor of `extra`) in the output, in any case. */
function assertNoMnemonicWords(out: string, extra: string[] = []): void {
  const norm = out.normalize('NFKD').toLowerCase();
  for (const m of [...used.map((u) => u.mnemonic), ...extra]) {
    const w = m.normalize('NFKD').toLowerCase().split(/[ \u3000]/);
    for (let i = 0; i + 1 < w.length; i++) {
      if (norm.includes(`${w[i]} ${w[i + 1]}`)) throw new Error('output contains mnemonic words');
    }
  }
}

describe('separation check finds mnemonics in the note formats it used to miss (issue 14 point 8)', () => {
  // file → [line, words, language, form?]
  const expected: Record<string, [number, number, string, string?]> = {
    'wordpad.rtf': [3, 18, 'english'],
    'wordpad-spanish.rtf': [3, 18, 'spanish'],
    'textedit.rtf': [8, 12, 'english'],
    'textedit-japanese.rtf': [8, 18, 'japanese'],
    'notes-export.html': [2, 18, 'english'],
    'Keep/seed.html': [12, 12, 'english'],
    'notes-french.html': [1, 18, 'french'],
    'underscore.txt': [1, 24, 'english'],
    'plate.txt': [2, 24, 'english', 'stamps'],
  };

  it('each fixture file: exactly one mnemonic error, at the right line, length and language; no word printed', () => {
    const { r, report } = check(path.join(T, 'formats'));
    expect(r.code).toBe(1);
    const got = report!.findings.map((f) => [path.relative(path.join(T, 'formats', 'home', 'val'), f.subject), f.id, f.evidence['line'], f.evidence['words'], f.evidence['language'], f.evidence['form']]);
    const want = Object.entries(expected).map(([file, [line, words, language, form]]) => [file, 'separation-mnemonic', line, words, language, form]);
    expect(got.sort()).toEqual(want.sort());
    assertNoMnemonicWords(r.stdout);
    const human = check(path.join(T, 'formats'), false).r;
    expect(human.stdout).toContain('written as four-letter stamps');
    assertNoMnemonicWords(human.stdout);
  });

  it('the fixtures are written as the programs write them (provenance in PROVENANCE.md)', () => {
    const d = path.join(T, 'formats', 'home', 'val');
    const wordpad = fs.readFileSync(path.join(d, 'wordpad.rtf'));
    expect(wordpad.subarray(0, 6).toString()).toBe('{\\rtf1');
    expect(wordpad.toString('latin1')).toMatch(/\\par\r\n/);
    expect(wordpad[wordpad.length - 1]).toBe(0); // the NUL after the last brace: not a binary file
    expect(fs.readFileSync(path.join(d, 'wordpad-spanish.rtf'), 'latin1')).toMatch(/\\'[0-9a-f]{2}/);
    expect(fs.readFileSync(path.join(d, 'textedit.rtf'), 'latin1')).toMatch(/\\cocoartf\d+[\s\S]*[a-z]\\\n[a-z]/);
    expect(fs.readFileSync(path.join(d, 'textedit-japanese.rtf'), 'latin1')).toMatch(/\\uc0 \\u\d+ /);
    expect(fs.readFileSync(path.join(d, 'notes-export.html'), 'utf8')).toMatch(/<div>[a-z]+<\/div><div>[a-z]+<\/div>/);
    expect(fs.readFileSync(path.join(d, 'Keep/seed.html'), 'utf8')).toMatch(/[a-z]<br>[a-z]/);
    expect(fs.readFileSync(path.join(d, 'notes-french.html'), 'utf8')).toMatch(/&eacute;/);
    expect(fs.readFileSync(path.join(d, 'plate.txt'), 'utf8')).toMatch(/^([A-Z]{3,4} ){5}[A-Z]{3,4}$/m);
  });

  describe('the sheets backup sheet itself writes', () => {
    let tmp: string;
    let words: string[];
    beforeAll(() => {
      tmp = mkTmp('coldstake-sep-sheet-');
      // A fixed, unpublished mnemonic for this test (not a vector: published ones are notes).
      const entropy = bytesToHex(sha256(new TextEncoder().encode('coldstake separation sheet test')));
      const mnemonic = bip39.entropyToMnemonic(entropy);
      words = mnemonic.split(' ');
      const mf = path.join(tmp, 'mnemonic.txt');
      fs.writeFileSync(mf, `${mnemonic}\n`, { mode: 0o600 });
      fs.mkdirSync(path.join(tmp, 'home'));
      for (const [out, extra] of [
        ['sheet.txt', ['--grid', '--qr-grid']],
        ['sheet.svg', ['--format', 'svg']],
      ] as const) {
        const r = runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', mf, '--out', path.join(tmp, 'home', out), ...extra]);
        expect(r.code, r.stderr).toBe(0);
      }
    });
    afterAll(() => rmTmp(tmp));

    it('a text and an SVG sheet saved with --out: one error each, and nothing else', () => {
      const { r, report } = check(path.join(tmp, 'home'));
      expect(r.code).toBe(1);
      expect(report!.findings.map((f) => [path.basename(f.subject), f.id, f.evidence['words'], f.evidence['language']]).sort()).toEqual([
        ['sheet.svg', 'separation-mnemonic', 24, 'english'],
        ['sheet.txt', 'separation-mnemonic', 24, 'english'],
      ]);
      assertNoMnemonicWords(r.stdout, [words.join(' ')]);
    });

    it('the STAMP column alone, as copied from the sheet or the plate, in capitals or not', () => {
      const stamps = words.map((w) => w.slice(0, 4).toUpperCase());
      const dir = path.join(tmp, 'stamps');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'caps.txt'), `${stamps.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'lower.txt'), `my plate: ${stamps.join(' ').toLowerCase()}\n`);
      const { report } = check(dir);
      expect(report!.findings.map((f) => [path.basename(f.subject), f.id, f.evidence['form']]).sort()).toEqual([
        ['caps.txt', 'separation-mnemonic', 'stamps'],
        ['lower.txt', 'separation-mnemonic', 'stamps'],
      ]);
    });
  });
});

describe('published test mnemonics and keys do not bury the real finding (issue 18)', () => {
  const home = path.join(T, 'packages', 'home', 'val');

  it('a home with a node_modules tree (bip39 README and vectors) and one real mnemonic in notes.txt: exactly one error, leading', () => {
    const { r, report } = check(home);
    expect(r.code).toBe(1);
    const errors = report!.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [path.relative(home, f.subject), f.id])).toEqual([['notes.txt', 'separation-mnemonic']]);
    expect(report!.findings[0]).toBe(report!.findings.find((f) => f.severity === 'error'));
    // Everything else is a note: published mnemonics by their source, and the one README key.
    const rest = report!.findings.slice(1);
    expect(rest.length).toBeGreaterThan(200);
    expect(new Set(rest.map((f) => f.severity))).toEqual(new Set(['info']));
    expect(new Set(rest.map((f) => f.id))).toEqual(new Set(['separation-public-test-mnemonic', 'separation-public-test-key']));
    const sources = new Set(rest.map((f) => f.evidence['source']));
    for (const s of ['trezor BIP39 test vectors', 'bip39 package README', 'Hardhat / Foundry (anvil) default accounts', 'Ganache deterministic accounts', 'ethereum-cryptography README']) expect(sources).toContain(s);
    // The user's own files first (the hardhat config is theirs), then package directories.
    const own = rest.filter((f) => f.evidence['package_dir'] === undefined).map((f) => path.relative(home, f.subject));
    expect(own).toEqual(['wallet-app/hardhat.config.js']);
    const firstPkg = report!.findings.findIndex((f) => f.evidence['package_dir'] !== undefined);
    expect(report!.findings.slice(firstPkg).every((f) => f.evidence['package_dir'] !== undefined)).toBe(true);
    expect(new Set(report!.findings.slice(firstPkg).map((f) => path.relative(home, f.evidence['package_dir'] as string)))).toEqual(
      new Set(['wallet-app/node_modules', '.local/lib/python3.11/site-packages']),
    );
    assertNoMnemonicWords(r.stdout);
  });

  it('the human view leads with the real mnemonic and summarises each package in one line', () => {
    const { r } = check(home, false);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    const firstFinding = lines.findIndex((l) => /^[✗!·] /.test(l));
    expect(lines[firstFinding]).toMatch(/^✗ error +\S*notes\.txt: line 5: a valid 24-word english bip39 mnemonic/);
    expect(r.stdout).toMatch(/in package directories \(installed third-party code, not your own files\): 0 errors, 0 warnings, \d+ notes/);
    expect(r.stdout).toMatch(/wallet-app\/node_modules\/bip39: 245 published test mnemonic\(s\) in 2 files/);
    expect(r.stdout).toMatch(/wallet-app\/node_modules\/@scure\/bip39: 5 published test mnemonic\(s\) in 1 file/);
    expect(lines.filter((l) => l.includes('[separation-public-test-mnemonic]'))).toHaveLength(1); // only the user's own file is listed
    expect(lines.length).toBeLessThan(20);
    assertNoMnemonicWords(r.stdout);
  });

  it("coldstake's own bundle trips nothing", () => {
    const tmp = mkTmp('coldstake-sep-bundle-');
    try {
      fs.copyFileSync(BUNDLE, path.join(tmp, 'coldstake.mjs'));
      const { r, report } = check(tmp);
      expect(r.code).toBe(0);
      expect(report!.findings).toEqual([]);
    } finally {
      rmTmp(tmp);
    }
  });
});
