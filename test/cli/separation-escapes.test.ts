/**
 * `separation check` on mnemonics written inside JSON strings with escape sequences (issue 7):
 * notes-app exports (`\n` escapes glue an "n" onto the next word), Python's `json.dump` with its
 * default ensure_ascii (`\u00e1`, `\u3042`), and logs with an embedded JSON string. Real files in
 * a temp dir, the real binary as a child process. Fresh mnemonics from fixed entropy (sha256 of a
 * label); assertions compare finding ids, lines and counts only, so a failure never prints a word.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, expectNoMnemonic, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

type Lang = 'english' | 'spanish' | 'japanese';

/** A checksum-valid mnemonic of n words in `lang`, from entropy sha256(label). */
function mnemonic(label: string, n: 12 | 24, lang: Lang = 'english'): string[] {
  const ent = sha256(new TextEncoder().encode(label)).subarray(0, (n / 3) * 4);
  return bip39.entropyToMnemonic(Buffer.from(ent), bip39.wordlists[lang]).split(lang === 'japanese' ? '\u3000' : ' ');
}

/** JSON as Python's `json.dumps` writes it by default: ", " / ": " separators, non-ASCII as `\uXXXX`. */
function pythonDumps(value: unknown, indent?: number): string {
  const text = indent ? JSON.stringify(value, null, indent) : JSON.stringify(value).replace(/","/g, '", "').replace(/":"/g, '": "');
  return text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

interface JsonFinding {
  id: string;
  severity: string;
  subject: string;
  evidence: Record<string, unknown>;
}

let tmp: string;
beforeAll(() => {
  tmp = mkTmp('coldstake-sep-escapes-');
});
afterAll(() => rmTmp(tmp));

/** Write `files` into a fresh tree, run `separation check` (JSON and human), check the output never shows a word. */
function scan(name: string, files: Record<string, string>, secrets: string[][]): { code: number | null; findings: string[] } {
  const root = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const r = runCli(['separation', 'check', root, '--json']);
  expect(r.stderr).toBe('');
  const human = runCli(['separation', 'check', root]);
  expect(human.code).toBe(r.code);
  assertCleanStderr(human.stderr);
  for (const w of secrets) {
    expectNoMnemonic(r.stdout, w, 'json output');
    expectNoMnemonic(human.stdout + human.stderr, w, 'human output');
  }
  const findings = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings.map(
    (f) => `${f.id}:${path.relative(root, f.subject)}:${f.evidence['line']}:${f.evidence['words']}:${f.evidence['language']}`,
  );
  return { code: r.code, findings };
}

describe('mnemonics inside escaped JSON strings', () => {
  for (const n of [24, 12] as const) {
    it(`notes-app export, ${n} words after "seed:\\n": an error on line 1`, () => {
      const w = mnemonic(`notes-app ${n}`, n);
      const note = JSON.stringify({ title: 'Validator', textContent: `My validator seed:\n${w.join(' ')}\nkeep safe`, isPinned: false });
      expect(note).toContain('\\n');
      const r = scan(`notes-${n}`, { 'Takeout/Keep/Validator.json': note }, [w]);
      expect(r.code).toBe(1);
      expect(r.findings).toEqual([`separation-mnemonic:Takeout/Keep/Validator.json:1:${n}:english`]);
    });
  }

  it('words separated by \\n escapes, in a pretty-printed file: the line of the string', () => {
    const w = mnemonic('one per escaped line', 24);
    const doc = JSON.stringify({ app: 'notes', version: 3, notes: [{ id: 1, body: 'groceries' }, { id: 2, body: w.join('\n') }] }, null, 2);
    const line = doc.split('\n').findIndex((l) => l.includes('\\n')) + 1;
    expect(line).toBeGreaterThan(5);
    const r = scan('escaped-lines', { 'notes.json': doc }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual([`separation-mnemonic:notes.json:${line}:24:english`]);
  });

  it('Spanish written by json.dump (ensure_ascii: \\u00e1 escapes): an error', () => {
    let w: string[] = [];
    for (let i = 0; ; i++) {
      w = mnemonic(`es ${i}`, 24, 'spanish');
      // Accented words away from both ends, so the escapes split the run in the raw text.
      if (w.slice(3, 21).filter((x) => /[^\x00-\x7f]/.test(x)).length >= 2) break;
    }
    // Composed accents (`\u00e1`, what Python writes for typed text) and decomposed ones
    // (`a\u0301`, the NFKD form of the BIP39 list).
    const nfc = pythonDumps({ nombre: 'copia', frase: w.join(' ').normalize('NFC') });
    const nfkd = pythonDumps({ nombre: 'copia', frase: w.join(' ').normalize('NFKD') });
    expect(nfc).toMatch(/\\u00[e-f][0-9a-f]/);
    expect(nfkd).toContain('\\u0301');
    const r = scan('spanish', { 'wallet/backup.json': nfc, 'wallet/backup-nfkd.json': nfkd }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings.sort()).toEqual(['separation-mnemonic:wallet/backup-nfkd.json:1:24:spanish', 'separation-mnemonic:wallet/backup.json:1:24:spanish']);
  });

  it('Japanese written by json.dump (\\u3042-style escapes, ideographic space as \\u3000): an error', () => {
    const w = mnemonic('ja escaped', 12, 'japanese');
    const doc = pythonDumps({ memo: 'バックアップ', mnemonic: w.join('\u3000') }, 4);
    expect(doc).toContain('\\u3000');
    expect(doc).not.toMatch(/[^\x00-\x7f]/);
    const r = scan('japanese', { 'memo.json': doc }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(['separation-mnemonic:memo.json:3:12:japanese']);
  });

  it('a near-miss (24 words, wrong checksum) inside an escaped string is a warning', () => {
    const w = mnemonic('near miss escaped', 24);
    const english = bip39.wordlists['english']!;
    for (let i = 1; ; i++) {
      const bad = [...w.slice(0, 23), english[(english.indexOf(w[23]!) + i) % 2048]!];
      if (!bip39.validateMnemonic(bad.join(' '), english)) {
        w.splice(0, 24, ...bad);
        break;
      }
    }
    const note = JSON.stringify({ textContent: `My validator seed:\n${w.join(' ')}\n(do not lose)` });
    const r = scan('near-miss', { 'note.json': note }, [w]);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual(['separation-mnemonic-near-miss:note.json:1:24:english']);
  });

  it('a clean JSON file full of escapes gives no finding', () => {
    const doc = pythonDumps(
      {
        title: 'Réunion: été 2024',
        body: 'Hello world,\nthe validator is up.\n\tSee "docs" at C:\\Users\\ops\\notes and /srv/\u00e9t\u00e9.\n',
        tags: ['ops', 'caf\u00e9', 'ねこ'],
        path: 'a\\nb\\u00e9',
      },
      2,
    );
    expect(doc).toContain('\\n');
    const r = scan('clean', { 'notes.json': doc, 'plain.txt': 'nothing to see\n' }, []);
    expect(r.code).toBe(0);
    expect(r.findings).toEqual([]);
  });

  it('a mnemonic found both raw and escaped is reported once', () => {
    const w = mnemonic('raw and escaped', 24);
    const doc = JSON.stringify({ a: `intro\n${w.join(' ')}\n`, b: w.join(' ') }, null, 2);
    const r = scan('twice', { 'both.json': doc }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(['separation-mnemonic:both.json:2:24:english', 'separation-mnemonic:both.json:3:24:english']);
  });
});

describe('escapes outside JSON files and beyond the JSON parse bound', () => {
  it('a log line with an embedded JSON string (not a JSON file): an error on its line', () => {
    const w = mnemonic('log line', 12);
    const log = [
      '2024-05-01T10:00:00Z INFO sync started',
      `2024-05-01T10:00:01Z DEBUG saved note payload=${JSON.stringify({ text: `seed:\n${w.join('\n')}` })} status=200`,
      '2024-05-01T10:00:02Z INFO done',
      '',
    ].join('\n');
    const r = scan('log', { 'var/log/app.log': log }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(['separation-mnemonic:var/log/app.log:2:12:english']);
  });

  it('a JSON file over the 4 MiB parse bound is still searched, streamed', () => {
    const w = mnemonic('big json', 24);
    const filler = Array.from({ length: 100000 }, (_, i) => ({ id: i, text: 'line one\nline two \u00e9' }));
    const doc = JSON.stringify({ items: filler, last: `seed:\n${w.join(' ')}\n` });
    expect(doc.length).toBeGreaterThan(4 * 1024 * 1024);
    const r = scan('big', { 'export.json': doc }, [w]);
    expect(r.code).toBe(1);
    expect(r.findings).toEqual(['separation-mnemonic:export.json:1:24:english']);
  });
});
