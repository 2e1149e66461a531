/**
 * Issue 10: every command (all 13, `mnemonic new` included), run for real under
 * `strace -f -e trace=socket,connect`, creates no AF_INET/AF_INET6 socket (and so connects
 * nowhere). The trace follows the launcher into the node process that runs the bundle and into
 * its worker threads.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, mkTmp, rmTmp, ROOT } from '../helpers/cli.js';
import { driveMnemonicNew } from './mnemonic-new-driver.js';

const straceWorks = spawnSync('strace', ['-f', '-o', '/dev/null', 'true']).status === 0;
const MNEMONIC = 'test test test test test test test test test test test waste';
const PASSWORD = 'no-network-password-1';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';

let work: string;
beforeAll(() => {
  work = mkTmp('coldstake-strace-');
  fs.writeFileSync(path.join(work, 'pw'), `${PASSWORD}\n`);
  fs.writeFileSync(path.join(work, 'plate'), `${MNEMONIC}\n`);
  fs.mkdirSync(path.join(work, 'home'));
  fs.writeFileSync(path.join(work, 'home', 'notes.txt'), 'nothing to see\n');
});
afterAll(() => rmTmp(work));

const straceArgs = (log: string): string[] => ['-f', '-s', '4096', '-e', 'trace=socket,connect,execve', '-o', log];
const logFile = (name: string): string => path.join(work, `${name.replace(/\W+/g, '-')}.strace`);

function traced(name: string, args: string[], input = ''): { code: number | null; trace: string } {
  const log = logFile(name);
  const r = spawnSync('strace', [...straceArgs(log), BIN, ...args], {
    cwd: ROOT, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 180_000,
  });
  return { code: r.status, trace: fs.readFileSync(log, 'utf8') };
}

describe.skipIf(!straceWorks)('no AF_INET/AF_INET6 socket in any command', () => {
  const out = () => path.join(work, 'keys');
  const deposit = () => path.join(out(), fs.readdirSync(out()).find((f) => f.startsWith('deposit_data-')) as string);
  const cases: Array<[string, () => string[], string, number[]]> = [
    ['version', () => ['version', '--json'], '', [0]],
    ['airgap', () => ['airgap', '--json'], '', [0, 1]],
    ['keys new', () => ['keys', 'new', '--network', 'hoodi', '--count', '2', '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2', '--out', out(),
      '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], `${MNEMONIC}\n${PASSWORD}\n`, [0]],
    ['keystore verify', () => ['keystore', 'verify', out(), '--password-file', path.join(work, 'pw')], '', [0]],
    ['deposit verify', () => ['deposit', 'verify', deposit(), '--network', 'hoodi', '--keystores', out()], '', [0]],
    ['ownership check', () => ['ownership', 'check', '--network', 'hoodi', '--deposit-data', deposit(), '--max-index', '3', '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`, [0]],
    ['mnemonic check', () => ['mnemonic', 'check', '--mnemonic-file', '-'], `${MNEMONIC}\n`, [0]],
    ['mnemonic last-word', () => ['mnemonic', 'last-word', '--mnemonic-file', '-', '--json'], `${MNEMONIC.split(' ').slice(0, 11).join(' ')}\n`, [0]],
    ['backup sheet', () => ['backup', 'sheet', '--out', path.join(work, 'sheet.txt'), '--mnemonic-file', '-', '--allow-online'], `${MNEMONIC}\n`, [0]],
    ['backup verify', () => ['backup', 'verify', '--from', 'words', '--plate-file', path.join(work, 'plate'), '--allow-online'], '', [0]],
    ['separation check', () => ['separation', 'check', path.join(work, 'home')], '', [0]],
    ['slashing verify', () => ['slashing', 'verify', path.join(FIXTURES, 'slashing', 'eip3076_example.json'), '--network', 'example-devnet',
      '--genesis-validators-root', '0x04700007fabc8282644aed6d1c7c9e21d38a03a0c4ba193f3afe428824b3a673'], '', [0, 1]],
    ['redact', () => ['redact', '-'], 'conn=203.0.113.7:9000 pubkey=0x8dd74e1bb522 https://relay.example/x\n', [0]],
  ];
  for (const [name, args, input, codes] of cases) {
    it(name, () => {
      const { code, trace } = traced(name, args(), input);
      expect(codes).toContain(code);
      expect(trace).toMatch(/execve\("[^"]*node", \[[^\]]*--(experimental-)?permission/);
      expect(trace).not.toMatch(/AF_INET6?\b/);
    }, 180_000);
  }
  // mnemonic new without a terminal: the words go to --out, the retyped ones come from stdin once
  // stderr has named their positions, so it is driven rather than given its input up front.
  it('mnemonic new', async () => {
    const log = logFile('mnemonic new');
    const out = path.join(work, 'new-mnemonic.txt');
    const r = await driveMnemonicNew(['mnemonic', 'new', '--words', '12', '--out', out, '--allow-online'], out, { retype: 'right', prefix: ['strace', ...straceArgs(log)] });
    expect({ code: r.code, words: r.mnemonic.split(' ').length }).toEqual({ code: 0, words: 12 });
    const trace = fs.readFileSync(log, 'utf8');
    expect(trace).toMatch(/execve\("[^"]*node", \[[^\]]*--(experimental-)?permission/);
    expect(trace).not.toMatch(/AF_INET6?\b/);
  }, 180_000);
});
