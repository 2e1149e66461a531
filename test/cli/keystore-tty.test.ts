/**
 * `keystore verify` on a terminal: the password is asked once; when it does not open every keystore,
 * the count is said and one more password is asked and tried on all the rest. Driven through a pseudo-terminal (python3's pty module); skipped
 * where python3 is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, mkTmp, rmTmp } from '../helpers/cli.js';
import { makeKeystore, SECRETS, writeKeystore } from '../helpers/keystores.js';

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;
let tmp: string;

const DRIVER = `
import os, pty, sys, time, select, json
args = json.loads(sys.argv[1]); answers = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.environ['NO_COLOR'] = '1'
    os.execv(args[0], args)
out = b''
pos = 0
def read_until(pat, timeout):
    # Each prompt is matched after the previous match, so a repeated prompt is waited for again.
    global out, pos
    end = time.time() + timeout
    while True:
        at = out.find(pat.encode(), pos)
        if at >= 0:
            pos = at + len(pat.encode())
            return True
        if time.time() >= end: return False
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try: chunk = os.read(fd, 4096)
            except OSError: return False
            out += chunk
for prompt, answer in answers:
    if not read_until(prompt, 60): break
    os.write(fd, answer.encode() + b'\\r')
read_until('(0 errors', 60)
read_until('__end__', 1)
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'out': out.decode('utf8', 'replace'), 'code': os.WEXITSTATUS(status)}))
`;

function onTerminal(args: string[], answers: Array<[string, string]>): { out: string; code: number } {
  const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify([BIN, ...args]), JSON.stringify(answers)], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(r.stdout) as { out: string; code: number };
}

beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

describe.skipIf(!hasPython)('keystore verify on a terminal', () => {
  it('after a wrong password: says how many it did not open, asks once, tries the new one on all of them', async () => {
    const d = fs.mkdtempSync(path.join(tmp, 'tty-'));
    writeKeystore(d, 'keystore-a.json', await makeKeystore({ secret: SECRETS[0], password: 'first password one', c: 2 ** 12 }));
    writeKeystore(d, 'keystore-b.json', await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', password: 'second password two', c: 2 ** 12 }));
    writeKeystore(d, 'keystore-c.json', await makeKeystore({ secret: '11'.repeat(32), path: 'm/12381/3600/2/0/0', password: 'second password two', c: 2 ** 12 }));
    const r = onTerminal(['keystore', 'verify', d], [['keystore password', 'first password one'], ['password for the other 2 keystores', 'second password two']]);
    expect(r.out).toMatch(/the password did not open 2 of 3 keystores/);
    expect(r.out.match(/password for the other/g)).toHaveLength(1);
    expect(r.out).not.toMatch(/keystore-wrong-password/);
    expect(r.out).not.toMatch(/first password one|second password two/);
    // The summary names what failed first.
    expect(r.out).toMatch(/password: the password did not open 2 of 3 keystores; the second password opened 2 of them \[keystore-password-failed\]/);
    expect(r.out.match(/✓ .*decrypted/g)).toHaveLength(3);
    expect(r.code).toBe(0);
  });
  it('an empty answer skips them, reported as not decrypted (not as a wrong password)', async () => {
    const d = fs.mkdtempSync(path.join(tmp, 'tty-'));
    writeKeystore(d, 'keystore-a.json', await makeKeystore({ secret: SECRETS[0], password: 'the only password', c: 2 ** 12 }));
    const r = onTerminal(['keystore', 'verify', d], [['keystore password', 'not it at all'], ['password for the other 1 keystore', '']]);
    expect(r.out).toMatch(/the password did not open 1 of 1 keystore\b/);
    expect(r.out).toMatch(/✗ error +.*keystore-a\.json: skipped on the terminal: not decrypted, so its password, secret and pubkey were not checked \[keystore-not-decrypted\]/);
    expect(r.out).not.toMatch(/keystore-wrong-password/);
    expect(r.code).toBe(1);
  });
  it('two wrong passwords: asked once only, each keystore a wrong password whose fix does not suggest --password-file', async () => {
    const d = fs.mkdtempSync(path.join(tmp, 'tty-'));
    writeKeystore(d, 'keystore-a.json', await makeKeystore({ secret: SECRETS[0], password: 'the only password', c: 2 ** 12 }));
    writeKeystore(d, 'keystore-b.json', await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', password: 'the only password', c: 2 ** 12 }));
    const r = onTerminal(['keystore', 'verify', d], [['keystore password', 'not it at all'], ['password for the other 2 keystores', 'still not it']]);
    expect(r.out.match(/password for the other/g)).toHaveLength(1);
    expect(r.out).toMatch(/keystore-a\.json: neither password typed decrypts this keystore.*\[keystore-wrong-password\]/);
    expect(r.out).toMatch(/keystore-b\.json: neither password typed decrypts this keystore.*\[keystore-wrong-password\]/);
    expect(r.out).toMatch(/the password did not open 2 of 2 keystores; the second password opened 0 of them/);
    expect(r.out).not.toMatch(/fix: .*--password-file/);
    expect(r.out).toMatch(/2 errors/);
    expect(r.code).toBe(1);
  });
});
