/** Keystore discovery and bounded reading (src/cli/io/keystore-files.ts), in process. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { loadKeystoreEntries, readKeystores } from '../../src/cli/io/keystore-files.js';
import { FIXTURES, mkTmp, rmTmp } from '../helpers/cli.js';

const ks = fs.readFileSync(path.join(FIXTURES, 'keystore', 'pbkdf2_keystore.json'), 'utf8');
let tmp: string;

beforeAll(() => {
  tmp = mkTmp();
  fs.mkdirSync(path.join(tmp, 'set', 'nested'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'set', 'keystore-a.json'), ks, { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, 'set', 'nested', 'keystore-b.json'), ks, { mode: 0o644 });
  fs.writeFileSync(path.join(tmp, 'set', 'prysm-named.json'), ks, { mode: 0o600 });
  fs.writeFileSync(path.join(tmp, 'set', 'deposit_data-1.json'), '[{"pubkey":"00"}]');
  fs.writeFileSync(path.join(tmp, 'set', 'config.json'), '{"crypto_enabled": true}');
  fs.writeFileSync(path.join(tmp, 'set', 'broken.json'), '{');
  fs.writeFileSync(path.join(tmp, 'set', 'keystore-broken.json'), '{');
  fs.writeFileSync(path.join(tmp, 'set', 'keystore.txt'), ks);
  fs.mkdirSync(path.join(tmp, 'elsewhere'));
  fs.writeFileSync(path.join(tmp, 'elsewhere', 'keystore-z.json'), ks);
  fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(tmp, 'set', 'link'));
});
afterAll(() => rmTmp(tmp));

describe('readKeystores', () => {
  it('finds keystore*.json and keystore-shaped *.json, recursively, without following symlinks', () => {
    const r = readKeystores([path.join(tmp, 'set')]);
    expect(r.map((x) => [path.relative(tmp, x.file), x.ok])).toEqual([
      ['set/keystore-a.json', true],
      ['set/keystore-broken.json', false],
      ['set/nested/keystore-b.json', true],
      ['set/prysm-named.json', true],
    ]);
    const b = r.find((x) => x.file.endsWith('keystore-b.json'))!;
    expect(b.mode).toBe(0o644);
    const broken = r.find((x) => !x.ok)!;
    expect(broken.ok === false && broken.id).toBe('keystore-not-json');
  });
  it('an explicitly named file is read whatever its name', () => {
    const r = readKeystores([path.join(tmp, 'set', 'keystore.txt'), path.join(tmp, 'set', 'config.json')]);
    expect(r.map((x) => x.ok)).toEqual([true, false]);
    expect(r[1]!.ok === false && r[1]!.id).toBe('keystore-version');
  });
  it('a missing path is an InputError; an empty set is an InputError', () => {
    expect(() => readKeystores([path.join(tmp, 'nope')])).toThrow(InputError);
    fs.mkdirSync(path.join(tmp, 'empty'));
    expect(() => loadKeystoreEntries([path.join(tmp, 'empty')])).toThrow(/no keystore files found/);
  });
  it('loadKeystoreEntries marks a KDF bomb as a problem but keeps it parsed', () => {
    const j = JSON.parse(ks);
    j.crypto.kdf.params.c = 2 ** 40;
    fs.writeFileSync(path.join(tmp, 'keystore-bomb.json'), JSON.stringify(j));
    const [e] = loadKeystoreEntries([path.join(tmp, 'keystore-bomb.json')]);
    expect(e!.problem?.id).toBe('keystore-kdf-bounds');
    expect(e!.parsed).toBeDefined();
  });
});
