/**
 * `mnemonic new` through the real binary: on a pseudo-terminal (display, retype, dice) and without
 * one (--out FILE with the retyped words on standard input; refusal to print to a pipe).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseMnemonic, diceToEntropy, entropyToWords } from '../../src/core/mnemonic/mnemonic.js';
import { assertCleanStderr, expectNoMnemonic, FIXTURES, mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const dice = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mnemonic', 'dice_vectors.json'), 'utf8')) as {
  vectors: { rolls: string; words?: number; mnemonic?: string }[];
};
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/** The numbered words shown on the terminal. */
function shownWords(output: string, n: number): string[] {
  const words: string[] = [];
  for (const m of strip(output).matchAll(/(\d+)\. (\S+)/g)) words[Number(m[1]) - 1] = m[2]!;
  return words.slice(0, n);
}

let tmp: string;
beforeAll(() => {
  tmp = mkTmp();
});
afterAll(() => rmTmp(tmp));

describe('without a terminal', () => {
  it('refuses to print the mnemonic to a pipe (exit 3) and prints no words', () => {
    const r = runCli(['mnemonic', 'new', '--allow-online']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('refusing to print the mnemonic to a non-terminal');
    assertCleanStderr(r.stderr);
  });

  it('is behind the airgap gate: refused (exit 3) on a machine that is not airgapped, nothing written', () => {
    const airgap = runCli(['airgap', '--json']);
    const f = path.join(tmp, 'gated.txt');
    const r = runCli(['mnemonic', 'new', '--out', f]);
    if (JSON.parse(airgap.stdout).airgapped === false) {
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("refusing to run 'mnemonic new'");
      expect(fs.existsSync(f)).toBe(false);
      expect(r.stdout).toBe('');
    } else {
      expect(r.stderr).not.toContain("refusing to run 'mnemonic new'");
    }
    assertCleanStderr(r.stderr);
  });

  it('bad options exit 2 before anything is generated', () => {
    for (const args of [['--words', '13'], ['--words', 'x'], ['--confirm', 'some'], ['--language', 'klingon']]) {
      const r = runCli(['mnemonic', 'new', '--allow-online', '--out', path.join(tmp, 'never.txt'), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      assertCleanStderr(r.stderr);
    }
    expect(fs.existsSync(path.join(tmp, 'never.txt'))).toBe(false);
  });

  it('refuses an existing --out file (exit 3) and leaves it alone', () => {
    const f = path.join(tmp, 'exists.txt');
    fs.writeFileSync(f, 'keep me\n');
    const r = runCli(['mnemonic', 'new', '--allow-online', '--out', f]);
    expect(r.code).toBe(3);
    expect(fs.readFileSync(f, 'utf8')).toBe('keep me\n');
  });

  /** Run `mnemonic new --out` and answer the retype prompts from the file, `wrong` wrong answers first. */
  async function newToFile(args: string[], wrongFirst: number): Promise<{ code: number | null; stderr: string; stdout: string; file: string; content: string | null; mode: number | null }> {
    const file = path.join(tmp, `m-${Math.random().toString(16).slice(2)}.txt`);
    const child = spawnCli(['mnemonic', 'new', '--allow-online', '--out', file, ...args]);
    let stderr = '';
    let stdout = '';
    let content: string | null = null;
    let mode: number | null = null;
    child.stdout.on('data', (d) => (stdout += d));
    const answered = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        const m = /reading words? ([\d, ]+) of the mnemonic from standard input/.exec(stderr);
        if (m && content === null) {
          content = fs.readFileSync(file, 'utf8');
          mode = fs.statSync(file).mode & 0o777;
          const words = content.trim().split(' ');
          const positions = m[1]!.split(', ').map(Number);
          const lines: string[] = [];
          for (let i = 0; i < wrongFirst; i++) lines.push('zzzz');
          for (const p of positions) lines.push(words[p - 1]!);
          child.stdin.end(`${lines.join('\n')}\n`);
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await Promise.race([answered, Promise.resolve()]);
    return { code, stderr, stdout, file, content, mode };
  }

  it('--out FILE: 0600 file, warning, retyped words read from stdin', async () => {
    const r = await newToFile(['--words', '12'], 0);
    expect(r.code).toBe(0);
    expect(r.mode).toBe(0o600);
    const d = diagnoseMnemonic(r.content!, { reveal: true });
    expect(d.ok).toBe(true);
    expect(d.wordCount).toBe(12);
    expect(fs.readFileSync(r.file, 'utf8')).toBe(r.content);
    expect(r.stderr).toMatch(/warning: the mnemonic is in .* unencrypted/);
    expect(r.stdout).toMatch(/^ok: 12-word english mnemonic/);
    expectNoMnemonic(r.stdout + r.stderr, r.content!.trim().split(' '));
    assertCleanStderr(r.stderr);
  });

  it('--out FILE --json: stdout is one JSON object saying what was done, never the words', async () => {
    const r = await newToFile(['--words', '12', '--json'], 0);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, command: 'mnemonic new', findings: [], words: 12, language: 'english', entropy_source: 'csprng', out: r.file });
    expect(j.retyped_positions).toHaveLength(4);
    expect(j.airgap).toEqual({ airgapped: false, allowed_online: true });
    expectNoMnemonic(r.stdout, r.content!.trim().split(' '));
  });

  it('--json without a confirmed retype: ok false, exit 1, file removed', async () => {
    const r = await newToFile(['--words', '12', '--json'], 5);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.findings.map((f: { id: string }) => f.id)).toEqual(['mnemonic-not-confirmed']);
    expect(j.out).toBeNull();
    expect(fs.existsSync(r.file)).toBe(false);
  });

  it('--json needs --out (exit 2): the words are only ever shown on a terminal', () => {
    const r = runCli(['mnemonic', 'new', '--allow-online', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('coldstake: error: --json needs --out FILE');
    expect(r.stdout).toBe('');
  });

  it('--out FILE --confirm all --language japanese asks every word', async () => {
    const r = await newToFile(['--words', '15', '--confirm', 'all', '--language', 'japanese'], 1);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('reading words 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 of');
    expect(r.stderr).toMatch(/warning: word 1 does not match/);
    expect(diagnoseMnemonic(r.content!).language).toBe('japanese');
  });

  it('a mnemonic that is not retyped correctly is rejected (exit 1) and the file removed', async () => {
    const r = await newToFile(['--words', '24'], 5);
    expect(r.code).toBe(1);
    expect(r.content).not.toBeNull();
    expect(fs.existsSync(r.file)).toBe(false);
    expect(r.stderr).toContain('the mnemonic was not confirmed');
    assertCleanStderr(r.stderr);
  });

  it('--dice needs a terminal', () => {
    const r = runCli(['mnemonic', 'new', '--allow-online', '--dice', '--out', path.join(tmp, 'dice.txt')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no terminal to read the dice rolls from');
  });
});

describe.skipIf(!ptyAvailable())('on a terminal', () => {
  it('shows numbered words, clears the screen, and accepts the retyped selection (abbreviations too)', async () => {
    const s = new PtySession(['mnemonic', 'new', '--words', '12', '--allow-online']);
    try {
      await s.expect(/press enter/);
      const words = shownWords(s.output, 12);
      expect(diagnoseMnemonic(words.join(' ')).ok).toBe(true);
      s.send('\r');
      await s.expect(/\x1b\[2J/);
      const m = await s.expect(/retype words ([\d, ]+) from your copy/);
      const positions = m[1]!.split(', ').map(Number);
      expect(positions.length).toBe(4);
      let first = true;
      for (const p of positions) {
        await s.expect(new RegExp(`word ${p}: `));
        if (first) {
          s.send('wrongword\r');
          await s.expect(new RegExp(`word ${p} does not match`));
          await s.expect(new RegExp(`word ${p}: `));
          first = false;
        }
        s.send(`${words[p - 1]!.slice(0, 4).toUpperCase()}\r`);
      }
      await s.expect(/ok: 12-word english mnemonic from the operating system's random generator, 4 words retyped correctly; nothing was saved/);
      expect(await s.exit()).toBe(0);
      // The words were shown once, before the screen was cleared.
      const after = strip(s.output.slice(s.output.indexOf('\x1b[2J')));
      expectNoMnemonic(after, words);
    } finally {
      s.kill();
    }
  });

  it("'?' shows the words again on request", async () => {
    const s = new PtySession(['mnemonic', 'new', '--words', '12', '--allow-online']);
    try {
      await s.expect(/press enter/);
      const words = shownWords(s.output, 12);
      s.send('\r');
      const m = await s.expect(/retype words ([\d, ]+) from your copy/);
      const positions = m[1]!.split(', ').map(Number);
      await s.expect(/word \d+: /);
      s.send('?\r');
      await s.expect(/press enter when done/);
      expect(shownWords(s.output.slice(s.output.lastIndexOf('write it down')), 12)).toEqual(words);
      s.send('\r');
      for (const p of positions) {
        await s.expect(new RegExp(`word ${p}: `));
        s.send(`${words[p - 1]}\r`);
      }
      expect(await s.exit()).toBe(0);
    } finally {
      s.kill();
    }
  });

  for (const v of dice.vectors.filter((x) => x.mnemonic)) {
    it(`--dice reproduces the ${v.words}-word vector (bad line rejected by position, too few rolls refused)`, async () => {
      const s = new PtySession(['mnemonic', 'new', '--dice', '--words', String(v.words), '--allow-online', '--confirm', 'all']);
      try {
        await s.expect(/rolls 0\/\d+: /);
        s.send('12x4\r');
        await s.expect(/character 3 of that line is not a die face/);
        await s.expect(/rolls 0\/\d+: /);
        const half = Math.floor(v.rolls.length / 2);
        s.send(`${v.rolls.slice(0, half).replace(/(.{5})/g, '$1 ')}\r`);
        await s.expect(new RegExp(`rolls ${half}/`));
        s.send('\r');
        await s.expect(/more rolls? needed/);
        s.send(`${v.rolls.slice(half)}\r`);
        await s.expect(new RegExp(`rolls ${v.rolls.length}/`));
        s.send('\r');
        await s.expect(/press enter/);
        const words = shownWords(s.output.slice(s.output.indexOf('your new')), v.words!);
        expect(words.join(' ')).toBe(v.mnemonic);
        s.send('\r');
        for (let p = 1; p <= v.words!; p++) {
          await s.expect(new RegExp(`word ${p}: `));
          s.send(`${words[p - 1]}\r`);
        }
        await s.expect(new RegExp(`from ${v.rolls.length} dice rolls, every word retyped correctly`));
        expect(await s.exit()).toBe(0);
      } finally {
        s.kill();
      }
    });
  }

  it('--dice warns about rolls that do not look fair; enter starts again, "use" keeps them', async () => {
    const s = new PtySession(['mnemonic', 'new', '--dice', '--words', '12', '--allow-online']);
    try {
      await s.expect(/rolls 0\/50: /);
      s.send(`${'6'.repeat(50)}\r`);
      await s.expect(/rolls 50\/50: /);
      s.send('\r');
      await s.expect(/do not look like a fair die/);
      await s.expect(/type 'use'/);
      s.send('\r');
      await s.expect(/rolls 0\/50: /);
      s.send(`${'6'.repeat(50)}\r`);
      await s.expect(/rolls 50\/50: /);
      s.send('\r');
      await s.expect(/type 'use'/);
      s.send('use\r');
      await s.expect(/when it is written down, press enter/);
      const words = shownWords(s.output.slice(s.output.indexOf('your new')), 12);
      expect(words).toEqual(entropyToWords(diceToEntropy('6'.repeat(50), 12)));
      s.send('\x03');
      expect(await s.exit()).toBe(130);
    } finally {
      s.kill();
    }
  });

  it('ctrl-c at a prompt stops with exit 130 ("interrupted") and nothing saved', async () => {
    const s = new PtySession(['mnemonic', 'new', '--words', '12', '--allow-online']);
    try {
      await s.expect(/press enter/);
      s.send('\x03');
      const code = await s.exit();
      expect(code).toBe(130);
      expect(s.output).toMatch(/coldstake: error: interrupted/);
    } finally {
      s.kill();
    }
  });
});
