/**
 * Issue 10: no secret leaks. Full workflows run with a known mnemonic, BIP39 passphrase, keystore
 * password and the secret keys they derive; stdout, stderr, every file written and the child's
 * private TMPDIR are searched for each secret in every form (words, entropy hex, seed hex, secret
 * key hex, password, passphrase). Only the explicitly requested backup sheet may hold the words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveValidatorKeys } from '../../src/core/derivation.js';
import { mnemonicToSeed, wordsToEntropy } from '../../src/core/mnemonic.js';
import { mkTmp, rmTmp, runCli, type CliResult } from '../helpers/cli.js';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSPHRASE = 'correct-horse-passphrase-7';
const PASSWORD = 'keystore-password-leaktest';
const WRONG_PASSWORD = 'not-the-password-1234';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const COUNT = 2;

let work: string;
let tmpdir: string;
const outputs: Array<{ what: string; text: string }> = [];

function secretForms(): Array<{ name: string; value: string; words?: boolean }> {
  const words = MNEMONIC.split(' ');
  const forms: Array<{ name: string; value: string; words?: boolean }> = [
    { name: 'mnemonic', value: MNEMONIC },
    { name: 'mnemonic entropy hex', value: bytesToHex(wordsToEntropy(MNEMONIC)) },
    { name: 'seed hex (with passphrase)', value: bytesToHex(mnemonicToSeed(MNEMONIC, PASSPHRASE)) },
    { name: 'seed hex (no passphrase)', value: bytesToHex(mnemonicToSeed(MNEMONIC, '')) },
    { name: 'keystore password', value: PASSWORD },
    { name: 'wrong password typed', value: WRONG_PASSWORD },
    { name: 'passphrase', value: PASSPHRASE },
  ];
  // Any three consecutive words of the mnemonic, in any separator: searched in a copy of each
  // output where every run of non-letters (spaces, newlines, JSON punctuation, numbering) is one space.
  for (let i = 0; i + 3 <= words.length; i++) forms.push({ name: `words ${i + 1}-${i + 3}`, value: words.slice(i, i + 3).join(' '), words: true });
  for (const pass of [PASSPHRASE, '']) {
    const seed = mnemonicToSeed(MNEMONIC, pass);
    for (let i = 0; i < COUNT + 2; i++) {
      const k = deriveValidatorKeys(seed, i);
      forms.push({ name: `signing sk ${i}${pass ? '' : ' (no passphrase)'}`, value: bytesToHex(k.signingSk) });
      forms.push({ name: `withdrawal sk ${i}${pass ? '' : ' (no passphrase)'}`, value: bytesToHex(k.withdrawalSk) });
    }
  }
  return forms;
}

function run(what: string, args: string[], input = ''): CliResult {
  const r = runCli(args, { input, env: { TMPDIR: tmpdir }, timeoutMs: 180_000 });
  outputs.push({ what: `${what} stdout`, text: r.stdout }, { what: `${what} stderr`, text: r.stderr });
  return r;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

beforeAll(() => {
  work = mkTmp('coldstake-leaks-');
  tmpdir = path.join(work, 'tmp');
  fs.mkdirSync(tmpdir);
  fs.writeFileSync(path.join(work, 'password.txt'), `${PASSWORD}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(work, 'wrong-password.txt'), `${WRONG_PASSWORD}\n`, { mode: 0o600 });
});
afterAll(() => rmTmp(work));

describe('no secret leaks across full workflows', () => {
  it('runs the workflows (each one exits as expected)', () => {
    const out = path.join(work, 'validator_keys');
    const keys = run('keys new', ['keys', 'new', '--network', 'hoodi', '--count', String(COUNT), '--withdrawal-address', ADDRESS,
      '--kdf', 'pbkdf2', '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--passphrase', '--allow-online', '--json'],
      `${MNEMONIC}\n${PASSPHRASE}\n${PASSWORD}\n`);
    expect(keys.code).toBe(0);
    const deposit = fs.readdirSync(out).find((f) => f.startsWith('deposit_data-')) as string;
    expect(deposit).toBeDefined();
    const depositFile = path.join(out, deposit);

    expect(run('keystore verify', ['keystore', 'verify', out, '--password-file', path.join(work, 'password.txt'), '--deposit-data', depositFile, '--network', 'hoodi', '--json']).code).toBe(0);
    expect(run('keystore verify human', ['keystore', 'verify', out, '--password-file', path.join(work, 'password.txt')]).code).toBe(0);
    // Error path: the wrong password.
    expect(run('keystore verify wrong password', ['keystore', 'verify', out, '--password-file', path.join(work, 'wrong-password.txt'), '--json']).code).toBe(1);
    expect(run('deposit verify', ['deposit', 'verify', depositFile, '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--keystores', out, '--json']).code).toBe(0);
    expect(run('ownership check', ['ownership', 'check', '--network', 'hoodi', '--deposit-data', depositFile, '--keystores', out, '--max-index', '4',
      '--mnemonic-file', '-', '--passphrase', '--allow-online', '--json'], `${MNEMONIC}\n${PASSPHRASE}\n`).code).toBe(0);
    expect(run('mnemonic check', ['mnemonic', 'check', '--mnemonic-file', '-', '--json'], `${MNEMONIC}\n`).code).toBe(0);
    expect(run('mnemonic check human', ['mnemonic', 'check', '--mnemonic-file', '-'], `${MNEMONIC}\n`).code).toBe(0);
    // Error path: a checksum failure (two words swapped) and an unknown word.
    const swapped = MNEMONIC.split(' ');
    [swapped[2], swapped[3]] = [swapped[3] as string, swapped[2] as string];
    expect(run('mnemonic check bad checksum', ['mnemonic', 'check', '--mnemonic-file', '-'], `${swapped.join(' ')}\n`).code).toBe(1);
    expect(run('mnemonic check bad checksum json', ['mnemonic', 'check', '--mnemonic-file', '-', '--json'], `${swapped.join(' ')}\n`).code).toBe(1);
    expect(run('keys new bad checksum', ['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS, '--out', path.join(work, 'never'),
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], `${swapped.join(' ')}\n${PASSWORD}\n`).code).toBe(2);
    expect(fs.existsSync(path.join(work, 'never'))).toBe(false);
    const sheet = path.join(work, 'backup-sheet.txt');
    expect(run('backup sheet', ['backup', 'sheet', '--out', sheet, '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`).code).toBe(0);
    const plate = path.join(work, 'plate.txt');
    fs.writeFileSync(plate, `${MNEMONIC.split(' ').map((w) => w.slice(0, 4)).join(' ')}\n`);
    expect(run('backup verify', ['backup', 'verify', '--from', 'prefix', '--plate-file', plate, '--compare', '--mnemonic-file', '-', '--allow-online', '--json'], `${MNEMONIC}\n`).code).toBe(0);
    const notes = path.join(work, 'validator-home');
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, 'notes.txt'), `my seed: ${MNEMONIC}\n`);
    expect(run('separation check', ['separation', 'check', notes, '--json']).code).toBe(1);
    expect(run('separation check human', ['separation', 'check', notes]).code).toBe(1);
    fs.rmSync(notes, { recursive: true });
    fs.rmSync(plate);
  }, 600_000);

  it('finds no secret in any output, written file or temp file (the requested backup sheet aside)', () => {
    expect(outputs.length).toBeGreaterThan(20);
    const sheet = path.join(work, 'backup-sheet.txt');
    const files = filesUnder(work).filter((f) => f !== sheet && !f.endsWith('password.txt'));
    // Keystores, the deposit file and nothing else were written; TMPDIR got nothing that survived.
    expect(files.some((f) => /keystore-m_12381_3600_0_0_0-\d+\.json$/.test(f))).toBe(true);
    const haystacks = [...outputs, ...files.map((f) => ({ what: path.relative(work, f), text: fs.readFileSync(f, 'latin1') }))];
    const hits: string[] = [];
    for (const s of secretForms()) {
      for (const h of haystacks) {
        const text = h.text.toLowerCase();
        const hay = s.words ? ` ${text.replace(/[^a-z]+/g, ' ')} ` : text;
        const needle = s.words ? ` ${s.value.toLowerCase()} ` : s.value.toLowerCase();
        if (hay.includes(needle)) hits.push(`${s.name} in ${h.what}`);
      }
    }
    expect(hits).toEqual([]);
    // The word search sees through layouts: a numbered, one-per-line JSON rendering is found.
    const probe = ` ${JSON.stringify(MNEMONIC.split(' ').map((w, i) => `${i + 1}. ${w}`), null, 2).toLowerCase().replace(/[^a-z]+/g, ' ')} `;
    expect(probe.includes(` ${MNEMONIC.split(' ').slice(4, 7).join(' ')} `)).toBe(true);
    // The sheet the user asked for does hold the words, 0600: the search would have found them.
    expect(fs.readFileSync(sheet, 'utf8')).toContain('legal');
    expect(fs.statSync(sheet).mode & 0o777).toBe(0o600);
  });
});
