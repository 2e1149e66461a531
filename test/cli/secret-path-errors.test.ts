/**
 * A secret typed where a path belongs (`--mnemonic-file`, `--password-file`, `--plate-file`) is
 * never printed back, whatever the error: not found, name too long, a component not a directory,
 * a symlink loop, a directory, a fifo, too large, invalid UTF-8, content that does not validate.
 * Each case through the real binary; the value carries a marker that must appear nowhere.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { makeKeystore, writeKeystore } from '../helpers/keystores.js';

const MNEMONIC_12 = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const MARK = 'zebrasecret';

let dir: string;
let keystore: string;

beforeAll(async () => {
  dir = mkTmp();
  keystore = writeKeystore(dir, 'keystore-m_12381_3600_0_0_0.json', await makeKeystore({ c: 16 }));
});
afterAll(() => rmTmp(dir));

/** Each errno, as a value that holds MARK (a value that may be the secret itself). */
function values(): Array<[string, string]> {
  const file = path.join(dir, `plain-${MARK}`);
  fs.writeFileSync(file, 'x\n');
  const loop = path.join(dir, `loop-${MARK}`);
  fs.rmSync(loop, { force: true });
  fs.symlinkSync(loop, loop);
  const sub = path.join(dir, `dir-${MARK}`);
  fs.mkdirSync(sub, { recursive: true });
  const fifo = path.join(dir, `fifo-${MARK}`);
  if (!fs.existsSync(fifo)) spawnSync('mkfifo', [fifo]);
  const big = path.join(dir, `big-${MARK}`);
  fs.writeFileSync(big, Buffer.alloc(65 * 1024, 0x61));
  const utf = path.join(dir, `utf-${MARK}`);
  fs.writeFileSync(utf, Buffer.from([0x61, 0xff, 0x0a]));
  return [
    ['ENOENT', `${MARK} Tr0ub4dor&3`],
    // A password over 255 bytes (a mnemonic would be refused earlier, as a secret on the command line).
    ['ENAMETOOLONG', `${MARK}-${'Tr0ub4dor&3'.repeat(30)}`],
    ['ENOTDIR', `${file}/${MARK} battery`],
    ['ELOOP', `${loop}/x`],
    ['EISDIR', sub],
    ['fifo', fifo],
    ['too large', big],
    ['invalid UTF-8', utf],
  ];
}

function expectNotEchoed(r: ReturnType<typeof runCli>, flag: string): void {
  expect(r.code).toBe(2);
  assertCleanStderr(r.stderr);
  expect(r.stderr).toContain(`coldstake: error: ${flag}`);
  expect(r.stderr).not.toContain(MARK);
  expect(r.stderr).not.toContain(dir);
  expect(r.stdout).not.toContain(MARK);
}

describe('secret-file options never name their value in an error', () => {
  it('--mnemonic-file (mnemonic check) for every errno', () => {
    for (const [why, value] of values()) {
      const r = runCli(['mnemonic', 'check', '--mnemonic-file', value]);
      expect([why, r.stderr]).toEqual([why, expect.not.stringContaining(MARK)]);
      expectNotEchoed(r, '--mnemonic-file');
    }
  });

  it('--password-file (keys new) for every errno', () => {
    for (const [why, value] of values()) {
      const out = path.join(dir, 'out');
      const r = runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
        '--out', out, '--mnemonic-file', '-', '--password-file', value, '--allow-online'], { input: `${MNEMONIC_12}\n` });
      expect([why, r.stderr]).toEqual([why, expect.not.stringContaining(MARK)]);
      expectNotEchoed(r, '--password-file');
      expect(fs.existsSync(out)).toBe(false);
    }
  });

  it('--password-file (keystore verify) for every errno', () => {
    for (const [why, value] of values()) {
      const r = runCli(['keystore', 'verify', keystore, '--password-file', value]);
      expect([why, r.stderr]).toEqual([why, expect.not.stringContaining(MARK)]);
      expectNotEchoed(r, '--password-file');
    }
  });

  it('--plate-file (backup verify) for every errno', () => {
    for (const [why, value] of values()) {
      const r = runCli(['backup', 'verify', '--from', 'prefix', '--plate-file', value, '--allow-online']);
      expect([why, r.stderr]).toEqual([why, expect.not.stringContaining(MARK)]);
      expectNotEchoed(r, '--plate-file');
    }
  });

  it('a readable --mnemonic-file or --password-file whose content is wrong is named by its option too', () => {
    const bad = path.join(dir, `words-${MARK}`);
    fs.writeFileSync(bad, 'abandon abandon\n');
    const m = runCli(['mnemonic', 'check', '--mnemonic-file', bad, '--json']);
    expect(m.stderr).not.toContain(MARK);
    const short = path.join(dir, `pw-${MARK}`);
    fs.writeFileSync(short, 'short\n');
    const out = path.join(dir, 'out2');
    const k = runCli(['keys', 'new', '--network', 'hoodi', '--count', '1', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
      '--out', out, '--mnemonic-file', '-', '--password-file', short, '--allow-online'], { input: `${MNEMONIC_12}\n` });
    expect(k.code).toBe(2);
    expect(k.stderr).toContain('--password-file');
    expect(k.stderr).not.toContain(MARK);
  });
});
