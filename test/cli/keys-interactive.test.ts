/**
 * `keys new` at the keyboard, driven through a pseudo-terminal (Python's pty module): the password
 * typed twice (a short one and a mismatch are asked again), the withdrawal address typed twice, and
 * the 0x01 non-32-ETH confirmation. Skipped where python3 is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, mkTmp, rmTmp } from '../helpers/cli.js';

const DRIVER = `
import os, pty, sys, time, select
answers = sys.stdin.read().split('\\n')[:-1]
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b''
i = 0
end = time.time() + 150
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if not r:
        continue
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    if data.rstrip().endswith(b':') and i < len(answers):
        time.sleep(0.05)
        os.write(fd, answers[i].encode() + b'\\r')
        i += 1
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace'))
sys.exit(os.waitstatus_to_exitcode(status))
`;

const MNEMONIC = 'test test test test test test test test test test test waste';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const hasPython = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

let tmp: string;
beforeEach(() => { tmp = mkTmp('coldstake-keys-tty-'); });
afterEach(() => rmTmp(tmp));

function atKeyboard(args: string[], answers: string[]) {
  const driver = path.join(tmp, 'drive.py');
  fs.writeFileSync(driver, DRIVER);
  const r = spawnSync('python3', [driver, BIN, ...args], { input: `${answers.join('\n')}\n`, encoding: 'utf8', timeout: 170_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout };
}

describe.skipIf(!hasPython)('keys new at the keyboard', () => {
  it('asks the password twice, re-asks a short or mismatched one, asks the address twice', () => {
    const out = path.join(tmp, 'keys');
    const r = atKeyboard(['keys', 'new', '--network', 'hoodi', '--count', '1', '--kdf', 'pbkdf2', '--out', out, '--allow-online'], [
      MNEMONIC, 'short', 'MyPassword123', 'MyPassword124', 'MyPassword123', 'MyPassword123',
      '0x0f51bb10119727a7e5eA3538074fb341F56B09AD', ADDRESS, ADDRESS,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('coldstake: error: the keystore password must have at least 12 characters');
    expect(r.out).toContain('coldstake: error: the two entries differ, try again');
    expect(r.out).toMatch(/coldstake: error: address checksum \(EIP-55\) does not match/);
    expect(r.out).toContain('repeat the withdrawal address:');
    expect(r.out).not.toContain('MyPassword123'); // passwords are never echoed
    expect(r.out).toContain('1 keystore and 1 deposit entry re-verified on disk');
    expect(fs.readdirSync(out)).toHaveLength(2);
  }, 180_000);

  it('a 0x01 deposit other than 32 ETH needs a typed yes; anything else stops before secrets', () => {
    const out = path.join(tmp, 'keys');
    const r = atKeyboard(['keys', 'new', '--network', 'hoodi', '--count', '1', '--out', out, '--amount', '33', '--withdrawal-address', ADDRESS, '--allow-online'], ['no']);
    expect(r.code).toBe(2);
    expect(r.out).toContain("type 'yes' to deposit 33 ETH per validator anyway");
    expect(r.out).toContain('coldstake: error: amount not confirmed');
    expect(r.out).not.toContain('mnemonic (words');
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);

  it("a typed 'yes' to a 0x01 deposit other than 32 ETH goes on, and is recorded as keys-amount-not-32", () => {
    const out = path.join(tmp, 'keys');
    const r = atKeyboard(['keys', 'new', '--network', 'hoodi', '--count', '1', '--kdf', 'pbkdf2', '--out', out, '--amount', '33', '--withdrawal-address', ADDRESS, '--allow-online'],
      ['yes', MNEMONIC, 'MyPassword123', 'MyPassword123', ADDRESS]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("type 'yes' to deposit 33 ETH per validator anyway");
    expect(r.out).toMatch(/! warning deposit: 0x01 deposits of 33 ETH instead of 32 ETH \(confirmed by the user\) \[keys-amount-not-32\]/);
    expect(r.out).toContain('(0x01 credentials, 33 ETH each)');
    const deposit = fs.readdirSync(out).find((f) => f.startsWith('deposit_data-'))!;
    expect(JSON.parse(fs.readFileSync(path.join(out, deposit), 'utf8'))[0].amount).toBe(33_000_000_000);
  }, 180_000);
});

