/**
 * Secrets on the screen (issue 18), on a real pseudo-terminal: a typed mnemonic is cleared from the
 * screen and the scrollback once read, a mistyped word is diagnosed as `mnemonic check` does and
 * retyped alone, `mnemonic new` clears the retyped words, and Ctrl-C at a prompt exits 130.
 *
 * What stays visible is what follows the last clear (ESC[2J ESC[3J ESC[H: screen and scrollback):
 * the secrets typed must appear only before one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';
// Trezor BIP39 vector: every word distinctive enough not to appear in coldstake's own messages.
const WORDS = 'legal winner thank year wave sausage worth useful legal winner thank yellow'.split(' ');
const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');

/** What a terminal still shows: everything after the last clear of screen and scrollback. */
function visible(output: string): string {
  const at = output.lastIndexOf(CLEAR);
  return at < 0 ? output : output.slice(at + CLEAR.length);
}

/** Every stretch of output between two clears that contains `text` is followed by a clear. */
function expectOnlyBeforeAClear(output: string, text: string): void {
  const segments = output.split(CLEAR);
  expect(segments.slice(0, -1).some((seg) => strip(seg).includes(text)), `${text} was typed`).toBe(true);
  expect(strip(segments[segments.length - 1]!)).not.toContain(text);
}

let tmp: string;
beforeEach(() => { tmp = mkTmp('coldstake-screen-'); });
afterEach(() => rmTmp(tmp));

describe.skipIf(!ptyAvailable())('a mnemonic typed on the terminal', () => {
  it('backup sheet: a mistyped word is diagnosed like mnemonic check, retyped alone, and nothing typed stays on screen', async () => {
    const typo = [...WORDS];
    typo[5] = 'sausagx'; // word 6: not in the list, close to sausage
    const out = path.join(tmp, 'sheet.txt');
    const s = new PtySession(['backup', 'sheet', '--allow-online', '--out', out]);
    try {
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send(`${typo.join(' ')}\r`);
      await s.expect(/mnemonic: 12 words read \(cleared from the screen\)/);
      await s.expect(/coldstake: error: word 6 is not in the wordlist; \d+ close match/);
      await s.expect(/word 6: nearest [a-z, ]*\bsausage\b/);
      await s.expect(/retype word 6 from your backup \(enter alone: the whole mnemonic again\): /);
      s.send('two words\r');
      await s.expect(/type one word/);
      await s.expect(/retype word 6 from your backup/);
      s.send('sausage\r');
      await s.expect(/mnemonic: 12 words read/);
      expect(await s.exit()).toBe(0);
      // Every typed form was cleared: the mnemonic, the typo, the suggestion list, the retyped word.
      expectOnlyBeforeAClear(s.output, 'legal winner thank');
      expectOnlyBeforeAClear(s.output, 'sausagx');
      expectOnlyBeforeAClear(s.output, 'nearest');
      for (const w of ['winner', 'sausage', 'yellow']) expect(strip(visible(s.output))).not.toContain(w);
    } finally {
      s.kill();
    }
    // The sheet is the one for the corrected mnemonic.
    const mf = path.join(tmp, 'm.txt');
    fs.writeFileSync(mf, `${WORDS.join(' ')}\n`);
    const ref = path.join(tmp, 'ref.txt');
    expect(runCli(['backup', 'sheet', '--allow-online', '--out', ref, '--mnemonic-file', mf]).code).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(fs.readFileSync(ref, 'utf8'));
  });

  it('keys new: a wrong count asks for the whole mnemonic again, a mistyped word just that word, each entry cleared; ctrl-c at the password exits 130', async () => {
    const s = new PtySession(['keys', 'new', '--network', 'hoodi', '--count', '1', '--kdf', 'pbkdf2', '--out', path.join(tmp, 'k'),
      '--withdrawal-address', '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', '--allow-online']);
    try {
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send(`${WORDS.slice(0, 11).join(' ')}\r`);
      await s.expect(/mnemonic: 11 words read/);
      await s.expect(/coldstake: error: 11 words: a mnemonic has 12, 15, 18, 21 or 24 words/);
      await s.expect(/mnemonic \(words separated by spaces\): /);
      const typo = [...WORDS];
      typo[7] = 'usefull'; // word 8
      s.send(`${typo.join(' ')}\r`);
      await s.expect(/mnemonic: 12 words read/);
      await s.expect(/coldstake: error: word 8 is not in the wordlist; \d+ close match/);
      await s.expect(/word 8: nearest [a-z, ]*\buseful\b/);
      await s.expect(/retype word 8 from your backup/);
      s.send('useful\r');
      await s.expect(/mnemonic: 12 words read/);
      await s.expect(/password.*: /i);
      s.send('\x03');
      expect(await s.exit()).toBe(130);
      expect(strip(s.output)).toMatch(/coldstake: error: interrupted/);
      expectOnlyBeforeAClear(s.output, 'legal winner thank');
      expectOnlyBeforeAClear(s.output, 'usefull');
      expect(strip(visible(s.output))).not.toMatch(/winner|useful|yellow/);
      expect(fs.existsSync(path.join(tmp, 'k'))).toBe(false);
    } finally {
      s.kill();
    }
  });

  it('enter alone at a retype prompt asks for the whole mnemonic again; ctrl-c while typing it clears it and exits 130', async () => {
    const typo = [...WORDS];
    typo[2] = 'thxnk';
    const s = new PtySession(['backup', 'sheet', '--allow-online', '--out', path.join(tmp, 'sheet.txt')]);
    try {
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send(`${typo.join(' ')}\r`);
      await s.expect(/retype word 3 from your backup/);
      s.send('\r');
      await s.expect(/mnemonic \(words separated by spaces\): /);
      s.send('legal winner');
      await s.expect(/legal winner/);
      s.send('\x03');
      expect(await s.exit()).toBe(130);
      expectOnlyBeforeAClear(s.output, 'legal winner');
      expect(fs.existsSync(path.join(tmp, 'sheet.txt'))).toBe(false);
    } finally {
      s.kill();
    }
  });
});

describe.skipIf(!ptyAvailable())('mnemonic new on a terminal', () => {
  it('clears the retyped words before the verdict', async () => {
    const s = new PtySession(['mnemonic', 'new', '--words', '12', '--allow-online']);
    try {
      await s.expect(/press enter/);
      const words: string[] = [];
      for (const m of strip(s.output).matchAll(/(\d+)\. (\S+)/g)) words[Number(m[1]) - 1] = m[2]!;
      s.send('\r');
      const m = await s.expect(/retype words ([\d, ]+) from your copy/);
      const positions = m[1]!.split(', ').map(Number);
      for (const p of positions) {
        await s.expect(new RegExp(`word ${p}: `));
        s.send(`${words[p - 1]}\r`);
      }
      await s.expect(/ok: 12-word english mnemonic/);
      expect(await s.exit()).toBe(0);
      const last = strip(visible(s.output));
      expect(last).toMatch(/^ok: 12-word english mnemonic/m);
      for (const p of positions) expect(last).not.toMatch(new RegExp(`\\b${words[p - 1]}\\b`));
    } finally {
      s.kill();
    }
  });

  it('a failed retype: the wrong words are cleared, the reason stays on screen (exit 1)', async () => {
    const s = new PtySession(['mnemonic', 'new', '--words', '12', '--allow-online']);
    try {
      await s.expect(/press enter/);
      s.send('\r');
      const m = await s.expect(/retype words ([\d, ]+) from your copy/);
      const p = Number(m[1]!.split(', ')[0]);
      for (let i = 0; i < 5; i++) {
        await s.expect(new RegExp(`word ${p}: `));
        s.send('qqqq\r');
      }
      expect(await s.exit()).toBe(1);
      expectOnlyBeforeAClear(s.output, 'qqqq');
      const last = strip(visible(s.output));
      expect(last).toContain(`coldstake: error: word ${p} did not match after 5 attempts`);
      expect(last).toContain('coldstake: error: the mnemonic was not confirmed');
    } finally {
      s.kill();
    }
  });
});
