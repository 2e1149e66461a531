/**
 * Issue 14 point 2, through the real binary on a terminal: `keystore verify`'s retry prompt names
 * a keystore file, and a hostile name (OSC 52 clipboard write, ESC[2K erase line, U+202E right-to-
 * left override) reaches the terminal only as visible escapes. Skipped where python3 is missing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { makeKeystore, SECRETS, writeKeystore } from '../helpers/keystores.js';

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

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
read_until('(1 error', 60)
read_until('__end__', 1)
_, status = os.waitpid(pid, 0)
sys.stdout.write(json.dumps({'out': out.decode('utf8', 'replace'), 'code': os.WEXITSTATUS(status)}))
`;

let tmp: string;
beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

describe.skipIf(!hasPython)('a hostile file name in a prompt', () => {
  it('keystore verify: the retry prompt shows OSC 52, ESC[2K and U+202E as escapes, never raw', async () => {
    const d = fs.mkdtempSync(path.join(tmp, 'tty-'));
    const hostile = 'keystore-\u001b]52;c;aGFja2Vk\u0007-\u001b[2K-\u202enosj.json';
    writeKeystore(d, hostile, await makeKeystore({ secret: SECRETS[0], password: 'the real password', c: 2 ** 12 }));
    const r = spawnSync('python3', ['-c', DRIVER, JSON.stringify([BIN, 'keystore', 'verify', d]), JSON.stringify([['keystore password', 'not the password'], ['password for', '']])], { encoding: 'utf8', timeout: 120_000 });
    const { out, code } = JSON.parse(r.stdout) as { out: string; code: number };
    // The retry prompt counts the keystores it asks for; the file is named in the report, escaped.
    expect(out).toContain('password for the other 1 keystore (empty to skip)');
    expect(out).toContain('keystore-\\x1b]52;c;aGFja2Vk\\x07-\\x1b[2K-\\u{202e}nosj.json');
    // No raw sequence anywhere on the terminal: no clipboard write, no line erase, no reordering.
    expect(out).not.toContain('\u001b]52');
    expect(out).not.toContain('\u001b[2K');
    expect(out).not.toContain('\u202e');
    expect(out).not.toContain('\u0007');
    expect(code).toBe(1);
  }, 120_000);
});

describe('a hostile file name in --json', () => {
  it('keystore verify --json: U+202E and U+009B (left raw by JSON.stringify) are \\u escapes, and the value reads back', async () => {
    const d = fs.mkdtempSync(path.join(tmp, 'json-'));
    const file = writeKeystore(d, 'keystore-\u202e\u009b2J\u2066x.json', await makeKeystore({ secret: SECRETS[0], password: 'the real password', c: 2 ** 12 }));
    const pw = path.join(tmp, 'pw.txt');
    fs.writeFileSync(pw, 'the real password\n');
    const r = runCli(['keystore', 'verify', file, '--password-file', pw, '--json']);
    expect(r.code).toBe(0);
    expect(/[\u0080-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(r.stdout)).toBe(false);
    expect(r.stdout).toContain('keystore-\\u202e\\u009b2J\\u2066x.json');
    expect(r.stdout).toContain(JSON.stringify(file).slice(1, -1).replace('\u202e', '\\u202e').replace('\u009b', '\\u009b').replace('\u2066', '\\u2066'));
  });
});

describe('styles never run on into the next line', () => {
  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('a coloured report resets every style at each line end', () => {
    const e: NodeJS.ProcessEnv = { ...process.env };
    delete e['NO_COLOR'];
    // util-linux script gives the CLI a pseudo-terminal, so the report is coloured.
    const out = spawnSync('script', ['-qec', `${BIN} airgap`, '/dev/null'], { encoding: 'utf8', env: e, timeout: 60_000 }).stdout;
    const lines = out.split(/\r?\n/).filter((l) => l.includes('\u001b['));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l.endsWith('\u001b[0m')).toBe(true);
  }, 60_000);
});
