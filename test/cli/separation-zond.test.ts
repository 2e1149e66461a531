/**
 * `separation check` through the real binary on Zond (QRL) secrets (issue 17): planted QRL mnemonics
 * (32 and 34 words) in the note formats separation handles (plain, numbered, JSON, a JSON string with
 * escapes, RTF, HTML), hex seeds with context, extended seeds, go-qrl account keystores; and a tree of
 * real deposit files and keystores (Ethereum and Zond) that must give no Zond finding.
 */
import fs from 'node:fs';
import path from 'node:path';
import { shake256 } from '@noble/hashes/sha3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QRL_WORDLIST } from '../../src/core/zond/wordlist.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const REAL = path.join(FIXTURES, 'zond', 'separation-real');

interface JsonFinding {
  id: string;
  severity: string;
  subject: string;
  evidence: Record<string, unknown>;
}

/** Fixed, unpublished bytes for this test (not a vector). */
const bytesOf = (label: string, n: number): Uint8Array => shake256(new TextEncoder().encode(`coldstake zond separation ${label}`), { dkLen: n });
function qrlWords(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const [b0, b1, b2] = [bytes[i]!, bytes[i + 1]!, bytes[i + 2]!];
    out.push(QRL_WORDLIST[(b0 << 4) | (b1 >> 4)]!, QRL_WORDLIST[((b1 & 15) << 8) | b2]!);
  }
  return out;
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function check(dir: string, json = true) {
  const r = runCli(['separation', 'check', dir, ...(json ? ['--json'] : [])]);
  assertCleanStderr(r.stderr);
  return { r, findings: json ? (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings : [] };
}

describe('separation check: Zond secrets', () => {
  let tmp: string;
  const seed = qrlWords(bytesOf('seed', 48));
  const ext = qrlWords(Uint8Array.from([1, 0, 0, ...bytesOf('extended', 48)]));
  const seedHex = hex(bytesOf('hexseed', 48));
  const extHex = `010000${hex(bytesOf('hexext', 48))}`;
  const secrets = [seed.join(' '), ext.join(' '), seedHex, extHex];
  const home = () => path.join(tmp, 'home');

  beforeAll(() => {
    tmp = mkTmp('coldstake-sep-zond-');
    const files: Record<string, string> = {
      'notes.txt': `shopping\n\n${seed.join(' ')}\n`,
      'backup.md': `# zond wallet\n\n${ext.map((w, i) => `${i + 1}. ${w}`).join('\n')}\n`,
      'wallet.json': JSON.stringify({ name: 'qrl', words: ext }),
      'keep.json': JSON.stringify({ title: 'zond', text: `seed:\n${seed.join(' ')}` }),
      'note.rtf': `{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Calibri;}}\r\n\\f0 my words\\par\r\n${seed.join('\\par\r\n')}\\par\r\n}`,
      'note.html': `<html><body><div>qrl</div>${ext.map((w) => `<div>${w}</div>`).join('')}</body></html>`,
      'deposit-cli.log': `Creating your keys.\nPlease note down your ML-DSA-87 seed: 0x${seedHex}\nDone.\n`,
      '.bash_history': `ls\n./deposit existing-seed --extended-seed 0x${extHex} --num-validators 1\n`,
      'UTC--2026-02-06--Q31fec69ece96b8cdac5814ff9dd92759e7c6018b': fs.readFileSync(path.join(REAL, 'keystores', 'goqrl-2026-02-06-aba0a074-UTC--2025-11-06T07-34-54.273240000Z--Q31fec69ece96b8cdac5814.json'), 'utf8'),
    };
    fs.mkdirSync(home());
    for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(home(), f), text, { mode: 0o600 });
  });
  afterAll(() => rmTmp(tmp));

  it('finds each planted secret with its own id, file and line, and prints none of it', () => {
    const { r, findings } = check(home());
    expect(r.code).toBe(1);
    const got = findings.map((f) => [path.basename(f.subject), f.id, f.evidence['line'] ?? null, f.evidence['words'] ?? null]);
    expect(got.sort()).toEqual(
      [
        ['notes.txt', 'separation-qrl-mnemonic', 3, 32],
        ['backup.md', 'separation-qrl-mnemonic', 3, 34],
        ['wallet.json', 'separation-qrl-mnemonic', 1, 34],
        ['keep.json', 'separation-qrl-mnemonic', 1, 32],
        ['note.rtf', 'separation-qrl-mnemonic', 3, 32],
        ['note.html', 'separation-qrl-mnemonic', 1, 34],
        ['deposit-cli.log', 'separation-zond-hex-seed', 2, null],
        ['.bash_history', 'separation-zond-hex-extended-seed', 2, null],
        ['UTC--2026-02-06--Q31fec69ece96b8cdac5814ff9dd92759e7c6018b', 'separation-zond-wallet-keystore', null, null],
      ].sort(),
    );
    expect(findings.every((f) => f.severity === 'error')).toBe(true);
    const human = check(home(), false).r;
    for (const out of [r.stdout, human.stdout]) {
      for (const s of secrets) {
        const w = s.split(' ');
        // "absorb aback" is the fixed descriptor of every extended seed, named in the message: public.
        if (w.length > 1) for (let i = w[0] === 'absorb' ? 1 : 0; i + 1 < w.length; i++) expect(out.includes(`${w[i]} ${w[i + 1]}`), 'a word pair is printed').toBe(false);
        else expect(out.toLowerCase()).not.toContain(s.slice(6, 40));
      }
    }
    expect(human.stdout).toMatch(/32-word qrl mnemonic/);
  });

  it('real deposit files and keystores (Ethereum and Zond) and BLS pubkey lists give no Zond finding', () => {
    const d = path.join(tmp, 'validator');
    fs.mkdirSync(d);
    const copy = (from: string, to: string) => fs.writeFileSync(path.join(d, to), fs.readFileSync(from), { mode: 0o600 });
    for (const f of fs.readdirSync(path.join(REAL, 'assembled')).filter((x) => x.endsWith('.json'))) copy(path.join(REAL, 'assembled', f), f);
    copy(path.join(REAL, 'qrysm-keystore-good-validator-shape.json'), 'keystore-m_12381_238_0_0.json');
    for (const f of ['scrypt-0.json', 'pbkdf2-0.json']) copy(path.join(FIXTURES, 'keystore', f), f);
    const edc = path.join(FIXTURES, 'deposit', 'lighthouse_edc', 'hoodi_first_1024_count_3_prefix_0x00_eth1_false');
    for (const e of fs.readdirSync(edc, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && e.name.endsWith('.json')) copy(path.join(e.parentPath, e.name), `edc-${e.name}`);
    }
    const pubkeys = JSON.parse(fs.readFileSync(path.join(d, 'scrypt-0.json'), 'utf8')) as { pubkey: string };
    fs.writeFileSync(path.join(d, 'validators.txt'), `${Array.from({ length: 40 }, (_, i) => `0x${hex(bytesOf(`pk${i}`, 48))}`).join('\n')}\n0x${pubkeys.pubkey}\n`, { mode: 0o600 });
    const { findings } = check(d);
    expect(findings.filter((f) => /qrl|zond/.test(f.id))).toEqual([]);
    expect(fs.readdirSync(d).length).toBeGreaterThan(6);
  });
});
