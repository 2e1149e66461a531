/**
 * Issue 14 point 7 through the real binary: a key given twice in one JSON object makes a deposit
 * file or a keystore ambiguous (readers disagree on which value counts): refused, exit 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, mkTmp, rmTmp, runCli, FIXTURES } from '../helpers/cli.js';

const WILD = path.join(FIXTURES, 'wild');
let tmp: string;
beforeAll(() => { tmp = mkTmp(); });
afterAll(() => rmTmp(tmp));

describe('duplicate JSON keys are refused', () => {
  it('deposit file with two withdrawal_credentials: exit 2, naming where; the clean file passes', () => {
    const src = fs.readFileSync(path.join(WILD, 'deposit', 'sigp-lighthouse', 'mainnet_first_0_count_2_eth1_true-1715584107.json'), 'utf8');
    const other = `"withdrawal_credentials": "01${'0'.repeat(22)}${'ab'.repeat(20)}", `;
    const twice = src.replace('"withdrawal_credentials": ', `${other}"withdrawal_credentials": `);
    expect(twice).not.toBe(src);
    const f = path.join(tmp, 'deposit_data-dup.json');
    fs.writeFileSync(f, twice);
    const r = runCli(['deposit', 'verify', f, '--network', 'mainnet', '--json']);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    const json = JSON.parse(r.stdout) as { findings: Array<{ id: string; message: string; evidence: Record<string, unknown> }> };
    expect(json.findings.map((x) => x.id)).toEqual(['deposit-schema']);
    expect(json.findings[0]!.message).toMatch(/a key appears twice in one object/);
    expect(json.findings[0]!.evidence['field']).toBe('[0].withdrawal_credentials');
    const clean = path.join(tmp, 'deposit_data-clean.json');
    fs.writeFileSync(clean, src);
    expect(runCli(['deposit', 'verify', clean, '--network', 'mainnet']).code).toBe(0);
  });

  it('keystore with two "version" members: exit 2, never decrypted', () => {
    const src = fs.readFileSync(path.join(WILD, 'keystores', 'ethstaker-deposit-cli', 'test0-pbkdf2.json'), 'utf8');
    const twice = src.replace(/"version": 4/, '"version": 3, "version": 4');
    expect(twice).not.toBe(src);
    const f = path.join(tmp, 'keystore-dup.json');
    fs.writeFileSync(f, twice, { mode: 0o600 });
    const pw = path.join(tmp, 'pw.txt');
    fs.writeFileSync(pw, 'wrong password', { mode: 0o600 });
    const r = runCli(['keystore', 'verify', f, '--password-file', pw]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coldstake: error: .*keystore-dup\.json: version: a key appears twice in one object/m);
  });
});
