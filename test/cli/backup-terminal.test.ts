/**
 * `backup verify` reading the plate on a terminal (pseudo-terminal through test/helpers/pty.ts):
 * typed one entry per line, the plate goes on until it is complete, so no entry is left over for
 * the shell. Skipped where python3's pty module is missing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEnglishMnemonic } from '../../src/core/backup/mnemonic.js';
import { plateText, type PlateFormat } from '../../src/core/backup/plate.js';
import { FIXTURES } from '../helpers/cli.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const VECTORS = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'backup', 'seedqr_vectors.json'), 'utf8')) as {
  vectors: { mnemonic: string }[];
}).vectors;
function indicesOf(m: string): number[] {
  const r = parseEnglishMnemonic(m);
  if (!r.ok) throw new Error('bad test mnemonic');
  return r.indices;
}
const IDX24 = indicesOf(VECTORS[0]!.mnemonic);
const IDX12 = indicesOf(VECTORS[3]!.mnemonic);

/** Longer than the paste window (PASTE_SETTLE_MS, 150 ms): each line is typed, not pasted. */
const TYPING_PAUSE_MS = 250;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function session(format: PlateFormat): PtySession {
  return new PtySession(['backup', 'verify', '--allow-online', '--from', format]);
}

/** Type `lines` one at a time, waiting for each to be echoed and then pausing like a person. */
async function typeLines(s: PtySession, lines: readonly string[]): Promise<void> {
  for (const line of lines) {
    s.send(`${line}\r`);
    if (line !== '') await s.expect(new RegExp(escape(line)));
    await pause(TYPING_PAUSE_MS);
  }
}

async function prompt(s: PtySession): Promise<void> {
  await s.expect(/what is on the plate, as [^\n]*separated by spaces or one per line, then an empty line/);
}

describe.skipIf(!ptyAvailable())('backup verify: the plate typed on a terminal', () => {
  it('24 entries typed one per line: read until the 24th, then checked (exit 0)', async () => {
    const s = session('words');
    try {
      await prompt(s);
      await typeLines(s, plateText(IDX24, 'words').split('\n'));
      await s.expect(/plate: 24 entries read as whole words/);
      await s.expect(/checksum: valid/);
      expect(await s.exit()).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('12 entries typed one per line: it says there are 12, and an empty line checks them (exit 0)', async () => {
    const s = session('index');
    try {
      await prompt(s);
      const lines = plateText(IDX12, 'index').split('\n');
      await typeLines(s, lines.slice(0, 11));
      expect(s.output).not.toContain('plate:');
      await typeLines(s, lines.slice(11));
      await s.expect(/\(12 entries: an empty line checks them, or go on typing\)/);
      await pause(TYPING_PAUSE_MS);
      expect(s.output).not.toContain('plate:');
      s.send('\r');
      await s.expect(/plate: 12 entries read as 0-based indices/);
      await s.expect(/checksum: valid/);
      expect(await s.exit()).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('a 24-word plate typed as two rows of 12 (two columns of a plate) is not cut at 12', async () => {
    const s = session('prefix');
    try {
      await prompt(s);
      const stamps = plateText(IDX24, 'prefix').split('\n');
      await typeLines(s, [stamps.slice(0, 12).join(' ')]);
      await s.expect(/\(12 entries: an empty line checks them, or go on typing\)/);
      await typeLines(s, [stamps.slice(12).join(' ')]);
      await s.expect(/plate: 24 entries read as four-letter stamps/);
      await s.expect(/checksum: valid/);
      expect(await s.exit()).toBe(0);
    } finally {
      s.kill();
    }
  });

  it('an empty line at another count says how many there are; a second one checks them as they are', async () => {
    const s = session('index');
    try {
      await prompt(s);
      await typeLines(s, [...plateText(IDX12, 'index').split('\n').slice(0, 11), '']);
      await s.expect(/\(11 entries so far: a plate has 12, 15, 18, 21 or 24; go on typing, or press enter once more to check what is there\)/);
      expect(s.output).not.toContain('plate:');
      s.send('\r');
      await s.expect(/plate: 11 entries read as 0-based indices/);
      await s.expect(/the plate has 11 entries: a mnemonic has 12, 15, 18, 21 or 24/);
      expect(await s.exit()).toBe(1);
    } finally {
      s.kill();
    }
  });
});
