/**
 * readMnemonicSecret from files (the terminal path is exercised on a pseudo-terminal in
 * test/cli/mnemonic-*.test.ts; stdin through the real binary in test/cli/mnemonic-check.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { InputError, UsageError } from '../../../src/core/errors.js';
import { bytesToHex } from '../../../src/core/mnemonic/mnemonic.js';
import { mnemonicToSeed, readMnemonicSecret } from '../../../src/cli/io/mnemonic-input.js';
import { FIXTURES, mkTmp, rmTmp } from '../../helpers/cli.js';

const V12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';
const jp = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mnemonic', 'test_JP_BIP39.json'), 'utf8')) as { mnemonic: string; passphrase: string; seed: string }[];
const trezor = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mnemonic', 'trezor_vectors.json'), 'utf8')) as Record<string, [string, string, string, string][]>;

let tmp: string;
let n = 0;
const file = (text: string | Buffer) => {
  const f = path.join(tmp, `m${n++}.txt`);
  fs.writeFileSync(f, text);
  return f;
};
beforeAll(() => {
  tmp = mkTmp();
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterAll(() => {
  rmTmp(tmp);
  vi.restoreAllMocks();
});

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('readMnemonicSecret', () => {
  it('returns the canonical mnemonic, its language and no passphrase', async () => {
    const r = await readMnemonicSecret({ file: file(`  ${V12.toUpperCase().replace(/ /g, '\n')}\n`) });
    expect(r).toEqual({ mnemonic: V12, language: 'english', passphrase: '' });
  });
  it('mnemonic and passphrase (line 2) give the Trezor seed', async () => {
    const [, m, seed] = trezor['english']![5]!;
    const r = await readMnemonicSecret({ file: file(`${m}\nTREZOR\n`), passphrase: true });
    expect(r.passphrase).toBe('TREZOR');
    expect(bytesToHex(mnemonicToSeed(r.mnemonic, r.passphrase))).toBe(seed);
  });
  it('Japanese with an unnormalised passphrase gives the vector seed', async () => {
    const v = jp[3]!;
    const r = await readMnemonicSecret({ file: file(`${v.mnemonic}\n${v.passphrase}\n`), passphrase: true, language: 'ja' });
    expect(r.language).toBe('japanese');
    expect(bytesToHex(mnemonicToSeed(r.mnemonic, r.passphrase))).toBe(v.seed);
  });
  it('an invalid mnemonic is an InputError naming the option (never its value) and positions, never words', async () => {
    const w = V12.split(' ');
    w[3] = 'yaer';
    const f = file(`${w.join(' ')}\n`);
    const err = await rejection(readMnemonicSecret({ file: f, what: 'withdrawal mnemonic' }));
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).exitCode).toBe(2);
    expect(err.message).toBe('--mnemonic-file: withdrawal mnemonic: word 4 is not in the english wordlist');
    expect(err.message).not.toContain(f);
    for (const word of [...w, 'year']) expect(err.message).not.toContain(` ${word}`);
  });
  it('checksum, count and language problems are all reported', async () => {
    const swapped = V12.split(' ');
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect((await rejection(readMnemonicSecret({ file: file(swapped.join(' ')) }))).message).toMatch(/checksum fails/);
    expect((await rejection(readMnemonicSecret({ file: file('legal winner') }))).message).toMatch(/2 words: a mnemonic has 12, 15, 18, 21 or 24 words/);
    expect((await rejection(readMnemonicSecret({ file: file(V12), language: 'french' }))).message).toMatch(/words 2, .* are not in the french wordlist; words 2, .* belong to the english list/);
    expect(await rejection(readMnemonicSecret({ file: file(V12), language: 'klingon' }))).toBeInstanceOf(UsageError);
  });
  it('many problems make one line, grouped by kind', async () => {
    const w = V12.split(' ');
    w[0] = 'x1';
    w[2] = 'thnk';
    w[5] = 'sausag';
    const err = await rejection(readMnemonicSecret({ file: file([...w, 'zzz'].join(' ')) }));
    expect(err.message).toMatch(/: 13 words: a mnemonic has 12, 15, 18, 21 or 24 words; word 1 is not a word \(characters other than letters, or too long\); words 3 and 13 are not in the english wordlist$/);
  });
  it('passphrase lines: missing, empty, extra', async () => {
    expect((await rejection(readMnemonicSecret({ file: file(`${V12}\n`), passphrase: true }))).message).toMatch(/passphrase is missing/);
    expect((await rejection(readMnemonicSecret({ file: file(`${V12}\n\n`), passphrase: true }))).message).toMatch(/passphrase/);
    expect((await rejection(readMnemonicSecret({ file: file(`${V12}\npw\nmore\n`), passphrase: true }))).message).toMatch(/more than two lines/);
  });
  it('unreadable files: missing, invalid UTF-8, too large', async () => {
    expect(await rejection(readMnemonicSecret({ file: path.join(tmp, 'nope') }))).toBeInstanceOf(InputError);
    expect((await rejection(readMnemonicSecret({ file: file(Buffer.from([0x61, 0xff, 0x62])) }))).message).toMatch(/not valid UTF-8/);
    expect((await rejection(readMnemonicSecret({ file: file('a'.repeat(70_000)) }))).message).toMatch(/limit/);
  });
});
