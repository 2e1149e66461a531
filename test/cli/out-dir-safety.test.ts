/**
 * Issue 14 point 5: secrets and deposit data are never written where another user could change
 * them. `keys new --out` refuses (exit 3) an existing directory that is group- or world-writable,
 * owned by another user, reached through such a symlink, or under a directory others can write to
 * (unless sticky, as /tmp); a new one is created 0700. `backup sheet --out` refuses such a place too.
 * "Another user" is `nobody` (the tests run as root here; those cases skip otherwise).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const MNEMONIC = 'test test test test test test test test test test test waste';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const isRoot = typeof process.geteuid === 'function' && process.geteuid() === 0;
const NOBODY = 65534;

let tmp: string;
beforeAll(() => {
  tmp = mkTmp();
});
afterAll(() => rmTmp(tmp));

function keysNew(out: string) {
  return runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
    '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { input: `${MNEMONIC}\nout-dir-test-password\n` });
}

function dir(name: string, mode: number): string {
  const d = path.join(tmp, name);
  fs.mkdirSync(d);
  fs.chmodSync(d, mode);
  return d;
}

function expectRefused(r: ReturnType<typeof runCli>, what: RegExp): void {
  expect(r.code).toBe(3);
  assertCleanStderr(r.stderr);
  expect(r.stderr).toMatch(/^coldstake: error: refusing to write into /m);
  expect(r.stderr).toMatch(what);
  expect(r.stderr).toMatch(/^coldstake: hint: /m);
  // Refused before any secret was asked for: the warning about --allow-online comes after the check.
  expect(r.stdout).toBe('');
}

describe('keys new --out another user could change', () => {
  it('refuses an existing world-writable or group-writable directory, leaving it empty', () => {
    for (const mode of [0o777, 0o770, 0o1777]) {
      const d = dir(`writable-${mode.toString(8)}`, mode);
      const r = keysNew(d);
      expectRefused(r, new RegExp(`writable by other users \\(mode 0${mode.toString(8)}\\)`));
      expect(fs.readdirSync(d)).toEqual([]);
    }
  });

  it.skipIf(!isRoot)('refuses an existing directory owned by another user', () => {
    const d = dir('nobodys', 0o700);
    fs.chownSync(d, NOBODY, NOBODY);
    expectRefused(keysNew(d), /owned by another user \(uid 65534\)/);
    expect(fs.readdirSync(d)).toEqual([]);
  });

  it('refuses a symlink to a writable directory', () => {
    const target = dir('link-target', 0o777);
    const link = path.join(tmp, 'link-to-writable');
    fs.symlinkSync(target, link);
    expectRefused(keysNew(link), /writable by other users/);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it.skipIf(!isRoot)('refuses a symlink owned by another user, even to a private directory', () => {
    const target = dir('private-target', 0o700);
    const link = path.join(tmp, 'nobodys-link');
    fs.symlinkSync(target, link);
    fs.lchownSync(link, NOBODY, NOBODY);
    expectRefused(keysNew(link), /symlink owned by another user/);
    expect(fs.readdirSync(target)).toEqual([]);
  });

  it('refuses a directory under a parent others can write to (not sticky), new or existing', () => {
    const parent = dir('open-parent', 0o777);
    const existing = path.join(parent, 'existing');
    fs.mkdirSync(existing, { mode: 0o700 });
    expectRefused(keysNew(existing), /on the way: .*open-parent\): it is writable by other users \(mode 0777\) and not sticky/);
    const fresh = path.join(parent, 'fresh');
    expectRefused(keysNew(fresh), /open-parent.*not sticky/);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it.skipIf(!isRoot)('refuses a directory under a parent owned by another user', () => {
    const parent = dir('nobodys-parent', 0o755);
    const existing = path.join(parent, 'mine');
    fs.mkdirSync(existing, { mode: 0o700 });
    fs.chownSync(parent, NOBODY, NOBODY);
    expectRefused(keysNew(existing), /nobodys-parent\): it is owned by another user \(uid 65534\)/);
  });

  it('accepts a new directory under a sticky shared parent (as /tmp) and creates it 0700', () => {
    const parent = dir('sticky-parent', 0o1777);
    const out = path.join(parent, 'validators');
    const r = keysNew(out);
    expect(r.stderr).not.toMatch(/refusing/);
    expect(r.code).toBe(0);
    expect(fs.statSync(out).mode & 0o7777).toBe(0o700);
    expect(fs.readdirSync(out).length).toBe(2);
  });

  it('accepts an existing private directory', () => {
    const d = dir('private', 0o700);
    const r = keysNew(d);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(d).length).toBe(2);
  });
});

describe('other secret outputs', () => {
  it('backup sheet --out refuses a file in a directory others can write to (not sticky)', () => {
    const d = dir('sheet-open', 0o777);
    const mf = path.join(tmp, 'mnemonic.txt');
    fs.writeFileSync(mf, `${MNEMONIC}\n`);
    const out = path.join(d, 'sheet.txt');
    const r = runCli(['backup', 'sheet', '--allow-online', '--mnemonic-file', mf, '--out', out]);
    expect(r.code).toBe(3);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/refusing to write into .*sheet-open: it is writable by other users \(mode 0777\) and not sticky/);
    expect(fs.readdirSync(d)).toEqual([]);
  });
});
