/**
 * Issue 7 audit: the real withdrawal secret key (m/12381/3600/0/0) of a fixture mnemonic planted
 * the four ways an operator might leave it, next to a clean validator tree, through the binary.
 * Neither the key nor any mnemonic word may appear in the output.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveSkAtPath, withdrawalPath } from '../../src/core/eth/derivation.js';
import { FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const F = path.join(FIXTURES, 'separation');
const used = JSON.parse(fs.readFileSync(path.join(F, 'mnemonics-used.json'), 'utf8')) as Array<{ id: string; mnemonic: string }>;
const mnemonic = used.find((u) => u.id === 'notes')!.mnemonic;
const wsk = deriveSkAtPath(bip39.mnemonicToSeedSync(mnemonic), withdrawalPath(0)).toString(16).padStart(64, '0');

let dir = '';
beforeAll(() => {
  dir = mkTmp('coldstake-sep-wd-');
  fs.cpSync(path.join(F, 'trees', 'clean'), dir, { recursive: true });
  const home = path.join(dir, 'home', 'validator');
  fs.writeFileSync(path.join(home, 'withdrawal_key.txt'), `${wsk}\n`);
  fs.writeFileSync(path.join(home, 'backup.json'), JSON.stringify({ note: 'offline copy', withdrawal_private_key: `0x${wsk}` }, null, 2));
  fs.writeFileSync(path.join(home, '.env'), `NETWORK=mainnet\nWITHDRAWAL_SK=0x${wsk}\nFEE_RECIPIENT=0x${'ab'.repeat(20)}\n`);
  fs.writeFileSync(path.join(home, 'withdrawal-secret.key'), wsk);
  fs.writeFileSync(path.join(home, 'withdrawal.json'), JSON.stringify({ withdrawal_credentials: `0x00${wsk.slice(2)}`, withdrawal_address: `0x${'cd'.repeat(20)}` }));
});
afterAll(() => rmTmp(dir));

describe('plaintext withdrawal keys on the validator machine', () => {
  it('all four plantings are errors with their own id; credentials, deposit data and the clean files stay quiet', () => {
    const r = runCli(['separation', 'check', dir, '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as { findings: Array<{ id: string; severity: string; subject: string; evidence: Record<string, unknown> }> };
    const errors = json.findings
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.id}:${path.basename(f.subject)}:${f.evidence['line'] ?? ''}:${f.evidence['field'] ?? ''}`)
      .sort();
    expect(errors).toEqual(
      [
        'separation-plaintext-withdrawal-key:.env:2:WITHDRAWAL_SK',
        'separation-plaintext-withdrawal-key:backup.json::withdrawal_private_key',
        'separation-plaintext-withdrawal-key:withdrawal-secret.key:1:',
        'separation-plaintext-withdrawal-key:withdrawal_key.txt:1:',
      ].sort(),
    );
    const human = runCli(['separation', 'check', dir]);
    expect(human.code).toBe(1);
    for (const out of [r.stdout, r.stderr, human.stdout, human.stderr]) {
      expect(out.includes(wsk)).toBe(false);
      const w = mnemonic.split(' ');
      for (let i = 0; i + 1 < w.length; i++) expect(out.includes(`${w[i]} ${w[i + 1]}`)).toBe(false);
    }
  });
});
