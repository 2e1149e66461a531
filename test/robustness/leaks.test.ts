/**
 * Issue 10: no secret leaks. Full workflows run with a known mnemonic, BIP39 passphrase, keystore
 * password and the secret keys they derive; stdout, stderr, every file written and the child's
 * private TMPDIR are searched for each secret in every form (words, entropy hex, seed hex, secret
 * key hex, password, passphrase). Only the explicitly requested backup sheet may hold the words.
 * The commands with both renderings run in both (`--json` and human), error paths included.
 * `mnemonic new` is searched for the mnemonic it generates: only its requested --out file holds
 * it, and after a wrong retype (which deletes that file) nothing does.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkTmp, rmTmp, runCli, type CliResult } from '../helpers/cli.js';
import { driveMnemonicNew, type MnemonicNewRun } from './mnemonic-new-driver.js';
import { findSecrets, mnemonicForms, type Haystack, type SecretForm } from './secret-search.js';

const MNEMONIC = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const PASSPHRASE = 'correct-horse-passphrase-7';
const PASSWORD = 'keystore-password-leaktest';
const WRONG_PASSWORD = 'not-the-password-1234';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const COUNT = 2;

let work: string;
let tmpdir: string;
const outputs: Haystack[] = [];

function secretForms(): SecretForm[] {
  // The words, any three consecutive words (in any layout: numbered, one per line, JSON), entropy
  // and seed hex, and the secret keys of a few more validators than were generated.
  return [
    ...mnemonicForms(MNEMONIC, [PASSPHRASE, ''], COUNT + 2),
    { name: 'keystore password', value: PASSWORD },
    { name: 'wrong password typed', value: WRONG_PASSWORD },
    { name: 'passphrase', value: PASSPHRASE },
  ];
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
    // The human summary too (its own --out: keys new never writes next to existing files).
    expect(run('keys new human', ['keys', 'new', '--network', 'hoodi', '--count', String(COUNT), '--withdrawal-address', ADDRESS,
      '--kdf', 'pbkdf2', '--out', path.join(work, 'validator_keys_human'), '--mnemonic-file', '-', '--password-file', '-', '--passphrase', '--allow-online'],
      `${MNEMONIC}\n${PASSPHRASE}\n${PASSWORD}\n`).code).toBe(0);
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
    expect(run('ownership check human', ['ownership', 'check', '--network', 'hoodi', '--deposit-data', depositFile, '--keystores', out, '--max-index', '4',
      '--mnemonic-file', '-', '--passphrase', '--allow-online'], `${MNEMONIC}\n${PASSPHRASE}\n`).code).toBe(0);
    // Error path: the keys are not from this mnemonic without its passphrase (every key reported, exit 1).
    expect(run('ownership check without passphrase', ['ownership', 'check', '--network', 'hoodi', '--deposit-data', depositFile, '--keystores', out,
      '--max-index', '4', '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`).code).toBe(1);
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
    expect(run('backup verify human', ['backup', 'verify', '--from', 'prefix', '--plate-file', plate, '--compare', '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`).code).toBe(0);
    // Error path: a plate with two stamps swapped (checksum fails, positions named) against the original.
    const badPlate = path.join(work, 'bad-plate.txt');
    fs.writeFileSync(badPlate, `${swapped.map((w) => w.slice(0, 4)).join(' ')}\n`);
    expect(run('backup verify bad plate', ['backup', 'verify', '--from', 'prefix', '--plate-file', badPlate, '--compare', '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`).code).toBe(1);
    expect(run('backup verify bad plate json', ['backup', 'verify', '--from', 'prefix', '--plate-file', badPlate, '--compare', '--mnemonic-file', '-', '--allow-online', '--json'], `${MNEMONIC}\n`).code).toBe(1);
    fs.rmSync(badPlate);
    const notes = path.join(work, 'validator-home');
    fs.mkdirSync(notes);
    fs.writeFileSync(path.join(notes, 'notes.txt'), `my seed: ${MNEMONIC}\n`);
    // MNEMONIC is a published trezor vector: separation check reports it as a note (issue 18), exit 0.
    expect(run('separation check', ['separation', 'check', notes, '--json']).code).toBe(0);
    expect(run('separation check human', ['separation', 'check', notes]).code).toBe(0);
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
    expect(findSecrets(secretForms(), haystacks)).toEqual([]);
    // The word search sees through layouts: a numbered, one-per-line JSON rendering is found.
    const probe = JSON.stringify(MNEMONIC.split(' ').slice(3, 7).map((w, i) => `${i + 4}. ${w}`), null, 2);
    expect(findSecrets(secretForms(), [{ what: 'probe', text: probe }])).toEqual(['words 4-6 in probe', 'words 5-7 in probe']);
    // The sheet the user asked for does hold every word (one per table row), 0600.
    const sheetText = fs.readFileSync(sheet, 'utf8');
    expect(MNEMONIC.split(' ').filter((w) => !new RegExp(`\\b${w}\\b`).test(sheetText))).toEqual([]);
    expect(fs.statSync(sheet).mode & 0o777).toBe(0o600);
  });

  it('mnemonic new: the new mnemonic is only in the --out file asked for, and in nothing after a wrong retype', async () => {
    const dir = path.join(work, 'mnemonic-new');
    fs.mkdirSync(dir);
    const env = { TMPDIR: tmpdir };
    const runs: Array<{ what: string; out: string; kept: boolean; run: MnemonicNewRun }> = [];
    const drive = async (what: string, words: number, json: boolean, retype: 'right' | 'wrong'): Promise<void> => {
      const out = path.join(dir, `${what.replace(/\W+/g, '-')}.txt`);
      const args = ['mnemonic', 'new', '--words', String(words), '--out', out, '--allow-online', ...(json ? ['--json'] : [])];
      runs.push({ what, out, kept: retype === 'right', run: await driveMnemonicNew(args, out, { retype, env }) });
    };
    await drive('new json', 24, true, 'right');
    await drive('new human', 12, false, 'right');
    await drive('new wrong retype', 12, false, 'wrong');
    await drive('new wrong retype json', 24, true, 'wrong');

    for (const { what, out, kept, run } of runs) {
      expect({ what, code: run.code, words: run.mnemonic.split(' ').length }).toEqual({ what, code: kept ? 0 : 1, words: what.includes('json') ? 24 : 12 });
      // A wrong retype deletes the file; a confirmed mnemonic stays in it, 0600.
      expect({ what, exists: fs.existsSync(out) }).toEqual({ what, exists: kept });
      if (kept) {
        expect(fs.readFileSync(out, 'utf8')).toBe(`${run.mnemonic}\n`);
        expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      }
    }
    const requested = new Set(runs.filter((r) => r.kept).map((r) => r.out));
    const haystacks: Haystack[] = [
      ...runs.flatMap(({ what, run }) => [{ what: `${what} stdout`, text: run.stdout }, { what: `${what} stderr`, text: run.stderr }]),
      ...filesUnder(work).filter((f) => !requested.has(f)).map((f) => ({ what: path.relative(work, f), text: fs.readFileSync(f, 'latin1') })),
    ];
    const forms = runs.flatMap(({ what, run }) => mnemonicForms(run.mnemonic, [''], 2, `${what}: `));
    expect(findSecrets(forms, haystacks)).toEqual([]);
    // The search finds each mnemonic in its own file: it would have found a leak.
    for (const { what, out, run } of runs.filter((r) => r.kept)) {
      expect(findSecrets(mnemonicForms(run.mnemonic, [''], 0, `${what}: `), [{ what: 'out', text: fs.readFileSync(out, 'utf8') }])).toContain(`${what}: mnemonic in out`);
    }
  }, 300_000);
});
