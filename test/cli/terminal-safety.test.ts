/**
 * A hostile input must not be able to drive the operator's terminal: escape sequences, carriage
 * returns and newlines in file names and JSON fields are printed as visible escapes, so they can
 * neither hide coldstake's verdict nor forge a line of its output.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

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

describe('inputs that would block', () => {
  it('a named FIFO given as a keystore, deposit file or password file is refused at once, not waited on', () => {
    const fifo = path.join(work, 'keystore-fifo.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // A read that waited on the FIFO would block for ever: runCli's hang guard kills it and the code
    // is then null, not 2. No wall-clock bound beyond that: it would fail on a loaded machine.
    for (const args of [
      ['keystore', 'verify', fifo],
      ['deposit', 'verify', fifo, '--network', 'hoodi'],
      ['slashing', 'verify', fifo, '--network', 'hoodi'],
      ['mnemonic', 'check', '--mnemonic-file', fifo],
    ]) {
      const r = runCli(args, { timeoutMs: 60_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/coldstake: error: .*(fifo|regular file)/);
    }
  });

  it('a pipe handed over by the shell (process substitution) is still read', () => {
    const r = spawnSync('bash', ['-c', `"${BIN}" mnemonic check --mnemonic-file <(echo "test test test test test test test test test test test waste") --json`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
  });
});

describe.skipIf(!ptyAvailable())('a mnemonic pasted over several lines on the terminal', () => {
  const M24 = `${'abandon '.repeat(23)}art`.split(' ');
  it('is read whole, whether the lines come in one burst or a moment apart', async () => {
    for (const gapMs of [0, 30]) {
      const s = new PtySession(['mnemonic', 'check']);
      try {
        await s.expect(/mnemonic \(words separated by spaces\): /);
        s.send(`${M24.slice(0, 12).join(' ')}\r`);
        if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
        s.send(`${M24.slice(12).join(' ')}\r`);
        await s.expect(/24 words/);
        expect(await s.exit()).toBe(0);
      } finally {
        s.kill();
      }
    }
  });
});

describe('standard input holding more lines than the secrets asked for', () => {
  it('is refused before anything is done (a mnemonic split over two lines is not cut to its first)', () => {
    const M24 = `${'abandon '.repeat(23)}art`.split(' ');
    const sheet = path.join(work, 'sheet.txt');
    // The first line alone is a valid 12-word mnemonic (1 in 16 halves of a 24-word one are):
    // read alone, it would give a sheet for another seed.
    const first = `${'abandon '.repeat(11)}about`;
    const r = runCli(['backup', 'sheet', '--mnemonic-file', '-', '--out', sheet, '--allow-online'], { input: `${first}\n${M24.slice(12).join(' ')}\n` });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/coldstake: error: standard input has 1 more line than the secrets asked for/);
    expect(fs.existsSync(sheet)).toBe(false);
    const ok = runCli(['mnemonic', 'check', '--mnemonic-file', '-'], { input: `${M24.join(' ')}\n\n` });
    expect(ok.code).toBe(0);
  });
});
