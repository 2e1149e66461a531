/**
 * `mnemonic check --scheme qrl` and `mnemonic new --scheme qrl` through the real binary:
 * go-qrllib v0.9.0's wallet vectors (34-word mnemonic → Q-address) and a CSPRNG seed written to a
 * 0600 file, confirmed by retyped words, then checked and used by `keys new`'s derivation rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatZondAddress, zondAddressBytes } from '../../src/core/zond/address.js';
import { parseZondSeed } from '../../src/core/zond/mnemonic.js';
import { zondKeypair } from '../../src/core/zond/derivation.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';

const wallet = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'zond', 'wallet_vectors.json'), 'utf8')) as { cases: Array<{ name: string; mnemonic: string; address: string; extended_seed: string }> };

let tmp: string;
beforeAll(() => { tmp = mkTmp('coldstake-zond-mn-'); });
afterAll(() => rmTmp(tmp));

describe('mnemonic check --scheme qrl', () => {
  it('go-qrllib wallet vectors: the 34-word and hex forms show the vector\'s Q-address, and say there is no checksum', () => {
    const c = wallet.cases[0]!;
    // The other forms (32 words, 0x seed) decode to the same seed in test/core/zond/zond-core.test.ts.
    const forms = [c.mnemonic, c.extended_seed];
    for (const [k, text] of forms.entries()) {
      const r = runCli(['mnemonic', 'check', '--scheme', 'qrl', '--mnemonic-file', '-', '--json'], { input: `${text}\n` });
      assertCleanStderr(r.stderr);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({ ok: true, scheme: 'qrl', checksum: false, form: ['mnemonic-34', 'hex-extended-seed'][k] });
      expect(j.address.toLowerCase()).toBe(c.address.toLowerCase());
      expect(j.address).toBe(formatZondAddress(hexToBytes(c.address.slice(1).toLowerCase())));
      expect(j.findings.map((f: { id: string }) => f.id)).toEqual(['zond-mnemonic-no-checksum']);
      expect(r.stdout).not.toContain(c.mnemonic.split(' ').slice(2, 5).join(' '));
    }
    for (const v of wallet.cases.slice(2)) {
      const r = runCli(['mnemonic', 'check', '--scheme', 'qrl', '--mnemonic-file', '-'], { input: `${v.mnemonic}\n` });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(formatZondAddress(hexToBytes(v.address.slice(1).toLowerCase())));
      expect(r.stdout).toMatch(/no checksum/);
    }
  });

  it('a word not on the list is named by position only', () => {
    const words = wallet.cases[0]!.mnemonic.split(' ');
    words[9] = 'qwertz';
    const r = runCli(['mnemonic', 'check', '--scheme', 'qrl', '--mnemonic-file', '-', '--json'], { input: `${words.join(' ')}\n` });
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((f: { id: string; message: string }) => `${f.id}: ${f.message}`)).toEqual(['zond-mnemonic-unknown-word: word 10 is not on the QRL word list']);
    expect(r.stdout + r.stderr).not.toContain(words[3]);
  });
});

describe('version --json', () => {
  it('names the pinned Zond format', () => {
    const r = runCli(['version', '--json']);
    expect(JSON.parse(r.stdout).zondFormat).toEqual({ qrysm: 'dfc813be8bcb2caba923a483f87ab1a7cbedfea2', goQrllib: 'v0.9.0', label: 'qrysm dfc813be (staking-deposit-cli format), go-qrllib v0.9.0 wallet rules' });
  });
});

describe('mnemonic new --scheme qrl', () => {
  it('writes a CSPRNG 32-word seed to a 0600 file once 8 retyped words match; no dice', async () => {
    const file = path.join(tmp, 'seed.txt');
    const child = spawnCli(['mnemonic', 'new', '--scheme', 'qrl', '--allow-online', '--out', file, '--json']);
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => { stdout += String(d); });
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += String(d);
        const m = /reading words ([\d, ]+) of the mnemonic from standard input/.exec(stderr);
        if (m && fs.existsSync(file) && child.stdin.writable) {
          const words = fs.readFileSync(file, 'utf8').trim().split(' ');
          child.stdin.end(`${m[1]!.split(', ').map((p) => words[Number(p) - 1]).join('\n')}\n`);
        }
      });
      child.on('close', resolve);
    });
    assertCleanStderr(stderr);
    expect(code).toBe(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const j = JSON.parse(stdout);
    expect(j).toMatchObject({ ok: true, scheme: 'qrl', words: 32, entropy_source: 'csprng' });
    expect(j.retyped_positions).toHaveLength(8);
    const seed = parseZondSeed(fs.readFileSync(file, 'utf8'));
    expect(seed.form).toBe('mnemonic-32');
    expect(j.address).toBe(formatZondAddress(zondAddressBytes(zondKeypair(seed.seed).publicKey)));
    const dice = runCli(['mnemonic', 'new', '--scheme', 'qrl', '--dice', '--allow-online', '--out', path.join(tmp, 'd.txt')]);
    expect(dice.code).toBe(2);
    expect(dice.stderr).toMatch(/--dice is not offered for QRL seeds/);
  });
});
