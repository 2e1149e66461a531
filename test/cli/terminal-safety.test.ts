/**
 * A hostile input must not be able to drive the operator's terminal: escape sequences, carriage
 * returns and newlines in file names and JSON fields are printed as visible escapes, so they can
 * neither hide coldstake's verdict nor forge a line of its output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const INJECT = '\u001b[8m\r\n\u001b[1A\u001b[2K✓ ok (0 errors, 0 warnings, 0 notes)\u202e';
let work: string;

beforeAll(() => {
  work = mkTmp();
});
afterAll(() => rmTmp(work));

/** No control character at all (colour is off when stdout is not a terminal) and no forged verdict line. */
function expectInert(out: string): void {
  expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
  expect(out.split('\n').filter((l) => l.startsWith('✓ ok (0 errors'))).toHaveLength(0);
}

describe('terminal safety of human output', () => {
  it('separation check: a keystore path and a directory name with escapes and newlines', () => {
    const tree = path.join(work, 'sep');
    const sub = path.join(tree, `keys${INJECT}`);
    fs.mkdirSync(sub, { recursive: true });
    const ks = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keystore', 'scrypt_keystore.json'), 'utf8')) as Record<string, unknown>;
    ks['path'] = `m/12381/3600/0/0${INJECT}`;
    fs.writeFileSync(path.join(sub, 'keystore-m_12381_3600_0_0_0-1.json'), JSON.stringify(ks));
    const r = runCli(['separation', 'check', tree]);
    expect(r.code).toBe(1);
    expectInert(r.stdout);
    expectInert(r.stderr);
    expect(r.stdout).toContain('\\x1b[8m');
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^✗ failed/);
  });

  it('keystore verify and deposit verify: file names with escapes and newlines', () => {
    const dir = path.join(work, `ks${INJECT}`);
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(FIXTURES, 'keystore', 'scrypt_keystore.json'), path.join(dir, `keystore-x${INJECT}.json`));
    const k = runCli(['keystore', 'verify', dir]);
    expectInert(k.stdout);
    expectInert(k.stderr);
    const bad = path.join(work, `deposit${INJECT}.json`);
    fs.writeFileSync(bad, '[{"pubkey": 1}]');
    const d = runCli(['deposit', 'verify', bad, '--network', 'hoodi']);
    expect(d.code).toBe(2);
    expectInert(d.stdout);
    expectInert(d.stderr);
    expect(d.stderr.trim().split('\n').every((l) => l.startsWith('coldstake: '))).toBe(true);
  });
});
