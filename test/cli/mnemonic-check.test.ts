/**
 * `mnemonic check` and `mnemonic last-word` through the real binary, with the mnemonic on stdin
 * (`--mnemonic-file -`) or in a file; hostile input; secrets never echoed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entropyToWords, hexToBytes, lastWordCandidates, wordlist } from '../../src/core/mnemonic/mnemonic.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const V12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const V24 = entropyToWords(hexToBytes('f585c11aec520db57dd353c69554b21a89b20fb0650966fa0a9d6f74fd989d8f')).join(' ');
const trezor = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mnemonic', 'trezor_vectors.json'), 'utf8')) as Record<string, [string, string, string, string][]>;
const dice = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mnemonic', 'dice_vectors.json'), 'utf8')) as { vectors: { words?: number; mnemonic?: string }[] };

let tmp: string;
beforeAll(() => {
  tmp = mkTmp();
});
afterAll(() => rmTmp(tmp));

function check(input: string | Buffer, args: string[] = []) {
  return runCli(['mnemonic', 'check', '--mnemonic-file', '-', ...args], { input });
}

/** No word of `secret` appears in what the run printed. */
function expectNoEcho(r: { stdout: string; stderr: string }, secret: string) {
  for (const w of secret.split(/\s+/).filter((x) => x.length >= 3)) {
    expect(`${r.stdout}\n${r.stderr}`, `echoed a word of the secret`).not.toMatch(new RegExp(`(^|[^\\p{L}])${w}([^\\p{L}]|$)`, 'u'));
  }
}

describe('mnemonic check', () => {
  it('valid on stdin: exit 0, language detected, fingerprint', () => {
    const r = check(`${V12}\n`, ['--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, command: 'mnemonic check', language: 'english', language_source: 'detected', word_count: 12, findings: [] });
    expect(j.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expectNoEcho(r, V12);
  });

  it('the SeedSigner dice vector has the fingerprint its documentation shows (8d9cced8)', () => {
    const v2 = dice.vectors.find((v) => v.words === 12)!;
    const r = check(`${v2.mnemonic}\n`, ['--json']);
    expect(JSON.parse(r.stdout).fingerprint).toBe('8d9cced8');
  });

  it('valid in a file (words over several lines, abbreviated, upper case)', () => {
    const f = path.join(tmp, 'm.txt');
    const words = V24.split(' ').map((w) => w.slice(0, 4).toUpperCase());
    fs.writeFileSync(f, `${words.slice(0, 12).join(' ')}\n${words.slice(12).join('  ')}\n`);
    const r = runCli(['mnemonic', 'check', '--mnemonic-file', f]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('24 words, english (detected)');
    expect(r.stdout).toContain('[mnemonic-word-expanded]');
    expectNoEcho(r, V24);
  });

  it('every trezor vector of every bip39-package language checks valid through the binary', () => {
    for (const lang of ['english', 'japanese', 'korean', 'spanish', 'chinese_simplified', 'chinese_traditional', 'french', 'italian', 'czech', 'portuguese']) {
      const v = trezor[lang]![23]!;
      const r = check(`${v[1]}\n`, ['--json', '--language', lang]);
      expect(r.code, lang).toBe(0);
      expect(JSON.parse(r.stdout).language).toBe(lang);
    }
  });

  it('--passphrase: the passphrase is the next line; the fingerprint changes; a warning is printed', () => {
    const plain = JSON.parse(check(`${V12}\n`, ['--json']).stdout).fingerprint;
    const r = check(`${V12}\nTREZOR\n`, ['--json', '--passphrase']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.passphrase).toBe(true);
    expect(j.fingerprint).not.toBe(plain);
    expect(r.stderr).toContain('losing it loses the funds');
    expect(r.stdout + r.stderr).not.toContain('TREZOR');
    const f = path.join(tmp, 'with-pass.txt');
    fs.writeFileSync(f, `${V12}\nTREZOR\n`);
    const r2 = runCli(['mnemonic', 'check', '--mnemonic-file', f, '--passphrase', '--json']);
    expect(JSON.parse(r2.stdout).fingerprint).toBe(j.fingerprint);
    const missing = check(`${V12}\n`, ['--passphrase']);
    expect(missing.code).toBe(2);
    assertCleanStderr(missing.stderr);
  });

  it('unknown words: positions and counts in --json, never the words', () => {
    const w = V12.split(' ');
    w[1] = 'winnr';
    w[6] = 'wrth';
    const r = check(`${w.join(' ')}\n`, ['--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    const unknown = j.findings.filter((f: { id: string }) => f.id === 'mnemonic-unknown-word');
    expect(unknown.map((f: { evidence: { position: number } }) => f.evidence.position)).toEqual([2, 7]);
    expect(unknown[0].evidence.suggestions).toBeGreaterThan(0);
    expectNoEcho(r, `${V12} winnr wrth`);
  });

  it('--show-words is refused to a pipe; with --json it shows no words', () => {
    const w = V12.split(' ');
    w[1] = 'winnr';
    const r = check(`${w.join(' ')}\n`, ['--show-words']);
    expect(r.code).toBe(3);
    expectNoEcho(r, V12);
    const j = check(`${w.join(' ')}\n`, ['--show-words', '--json']);
    expect(j.code).toBe(1);
    expectNoEcho(j, V12);
  });

  it('checksum failure told apart from bad words, with the swapped positions', () => {
    const w = V12.split(' ');
    [w[10], w[11]] = [w[11]!, w[10]!];
    const r = check(`${w.join(' ')}\n`, ['--json']);
    expect(r.code).toBe(1);
    const f = JSON.parse(r.stdout).findings;
    expect(f.map((x: { id: string }) => x.id)).toEqual(['mnemonic-checksum']);
    expect(f[0].evidence.fixes).toContainEqual({ kind: 'swap', positions: [11, 12] });
    expect(f[0].message).toContain('all words are valid but the checksum fails');
    expectNoEcho(r, V12);
  });

  describe('bad input: one error line, exit 2 unreadable / 1 invalid, no stack trace, no echo', () => {
    const cases: { name: string; input: string | Buffer; code: number; id?: string }[] = [
      { name: 'empty input', input: '', code: 2 },
      { name: 'blank line', input: '   \n', code: 2 },
      { name: 'invalid UTF-8', input: Buffer.concat([Buffer.from(`${V12.slice(0, 20)} `), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('\n')]), code: 2 },
      { name: '11 words', input: `${V12.split(' ').slice(0, 11).join(' ')}\n`, code: 1, id: 'mnemonic-word-count' },
      { name: '13 words', input: `${V12} abandon\n`, code: 1, id: 'mnemonic-word-count' },
      { name: '25 words', input: `${V24} abandon\n`, code: 1, id: 'mnemonic-word-count' },
      { name: 'non-letters', input: `${V12.replace('thank', 'th@nk').replace('useful', 'us3ful')}\n`, code: 1, id: 'mnemonic-not-a-word' },
      { name: 'numbered list', input: `${V12.split(' ').map((x, i) => `${i + 1}.${x}`).join(' ')}\n`, code: 1, id: 'mnemonic-not-a-word' },
      { name: 'mixed languages', input: `${[...V12.split(' ').slice(0, 8), ...entropyToWords(hexToBytes('80808080808080808080808080808080'), 'spanish').slice(8)].join(' ')}\n`, code: 1, id: 'mnemonic-mixed-languages' },
      { name: '10,000-character line of one word', input: `${'a'.repeat(10_000)}\n`, code: 1, id: 'mnemonic-not-a-word' },
      { name: '10,000-character line of words', input: `${`${V12} `.repeat(150).slice(0, 10_000)}\n`, code: 1, id: 'mnemonic-word-count' },
      { name: 'russian words (not a bip39-package list)', input: `${trezor['russian']![0]![1]}\n`, code: 1, id: 'mnemonic-language-unknown' },
      { name: 'control characters', input: `${V12.replace(' ', '\u0000 ').replace('year', 'ye\u200bar')}\n`, code: 1, id: 'mnemonic-not-a-word' },
      { name: 'more than 64 KiB', input: `${'abandon '.repeat(9000)}\n`, code: 2 },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const r = check(c.input);
        expect(r.code).toBe(c.code);
        assertCleanStderr(r.stderr);
        if (c.code === 2) {
          expect(r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'))).toHaveLength(1);
          expect(r.stdout).toBe('');
        } else {
          expect(r.stdout).toContain(`[${c.id}]`);
          const j = check(c.input, ['--json']);
          expect(JSON.parse(j.stdout).findings.map((f: { id: string }) => f.id)).toContain(c.id);
        }
        if (c.name !== 'more than 64 KiB' && c.name !== '10,000-character line of one word') expectNoEcho(r, String(c.input).replace(/[^\p{L}\s]/gu, ' '));
      });
    }
  });

  it('a mnemonic on the command line is refused (exit 3) without echoing it', () => {
    const r = runCli(['mnemonic', 'check', ...V12.split(' ')]);
    expect(r.code).toBe(3);
    expectNoEcho(r, V12);
    const q = runCli(['mnemonic', 'check', V24]);
    expect(q.code).toBe(3);
    expectNoEcho(q, V24);
    const p = runCli(['mnemonic', 'check', '--passphrase=TREZOR']);
    expect(p.code).toBe(3);
    expect(p.stdout + p.stderr).not.toContain('TREZOR');
  });

  it('no terminal and no --mnemonic-file: exit 2 with a hint', () => {
    const r = runCli(['mnemonic', 'check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mnemonic-file');
    assertCleanStderr(r.stderr);
  });
});

describe('mnemonic last-word', () => {
  const english = wordlist('english');
  for (const n of [12, 15, 18, 21, 24]) {
    it(`${n - 1} words: ${2 ** (11 - n / 3)} candidates (--json, no words)`, () => {
      const first = V24.split(' ').slice(0, n - 1).join(' ');
      const r = runCli(['mnemonic', 'last-word', '--mnemonic-file', '-', '--json'], { input: `${first}\n` });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({ ok: true, command: 'mnemonic last-word', word_count: n - 1, candidates: 2 ** (11 - n / 3) });
      expectNoEcho(r, first);
    });
  }
  it('a full mnemonic or a bad word is invalid input (exit 1)', () => {
    const full = runCli(['mnemonic', 'last-word', '--mnemonic-file', '-', '--json'], { input: `${V12}\n` });
    expect(full.code).toBe(1);
    expect(JSON.parse(full.stdout).findings[0].id).toBe('mnemonic-word-count');
    const bad = runCli(['mnemonic', 'last-word', '--mnemonic-file', '-', '--json'], { input: `${V12.split(' ').slice(0, 10).join(' ')} qqqq\n` });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).findings[0]).toMatchObject({ id: 'mnemonic-unknown-word', evidence: { position: 11 } });
  });
  it('the word list is refused to a pipe (exit 3)', () => {
    const r = runCli(['mnemonic', 'last-word', '--mnemonic-file', '-'], { input: `${V12.split(' ').slice(0, 11).join(' ')}\n` });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
  it.skipIf(!ptyAvailable())('on a terminal: every valid final word, numbered (23 words → 8)', async () => {
    const f = path.join(tmp, 'first23.txt');
    const first = V24.split(' ').slice(0, 23);
    fs.writeFileSync(f, `${first.join(' ')}\n`);
    const s = new PtySession(['mnemonic', 'last-word', '--mnemonic-file', f]);
    try {
      await s.expect(/8 words complete a valid 24-word mnemonic/);
      expect(await s.exit()).toBe(0);
      const listed = [...s.output.matchAll(/\b(\d+)\. ([a-z]+)/g)].map((m) => m[2]!);
      const expected = lastWordCandidates(first.map((w) => english.words.indexOf(w))).map((i) => english.words[i]);
      expect(listed.sort()).toEqual([...expected].sort());
      expect(listed).toContain(V24.split(' ')[23]);
    } finally {
      s.kill();
    }
  });
});

describe.skipIf(!ptyAvailable())('mnemonic check on a terminal', () => {
  it('typed with a typo: --show-words names the nearest word on the terminal', async () => {
    const w = V12.split(' ');
    w[4] = 'wabe';
    const s = new PtySession(['mnemonic', 'check', '--show-words']);
    try {
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send(`${w.join(' ')}\r`);
      await s.expect(/word 5: nearest [a-z, ]*\bwave\b/);
      await s.expect(/word 5 is not in the wordlist/);
      expect(await s.exit()).toBe(1);
    } finally {
      s.kill();
    }
  });
  it('--passphrase is asked twice without echo; a mismatch asks again', async () => {
    const s = new PtySession(['mnemonic', 'check', '--passphrase', '--json']);
    try {
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send(`${V12}\r`);
      await s.expect(/losing it loses the funds/);
      await s.expect(/BIP39 passphrase \(not shown\): /);
      s.send('TREZOR\r');
      await s.expect(/repeat the bip39 passphrase: /);
      s.send('TREZOX\r');
      await s.expect(/the two entries differ/);
      await s.expect(/BIP39 passphrase \(not shown\): /);
      s.send('TREZOR\r');
      await s.expect(/repeat the bip39 passphrase: /);
      s.send('TREZOR\r');
      await s.expect(/"fingerprint": "[0-9a-f]{8}"/);
      expect(await s.exit()).toBe(0);
      expect(s.output).not.toContain('TREZOR');
      const viaStdin = runCli(['mnemonic', 'check', '--mnemonic-file', '-', '--passphrase', '--json'], { input: `${V12}\nTREZOR\n` });
      expect(s.output).toContain(`"fingerprint": "${JSON.parse(viaStdin.stdout).fingerprint}"`);
    } finally {
      s.kill();
    }
  });
});
