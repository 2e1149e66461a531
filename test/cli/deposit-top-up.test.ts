/**
 * `coldstake deposit top-up` through the real binary: ethstaker-deposit-cli's partial-deposit output
 * (fixtures/deposit/esd_partial_deposit, made from fixtures/keystore/batches/esd-hoodi-4 key 1 with
 * password MyPassword12) reproduced byte for byte but for deposit_cli_version; `deposit verify
 * --top-up` passes it and still catches a changed amount; bad input refused with one error line,
 * exit 2, nothing written. The top-up itself is the end-to-end test (sign, then verify).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { depositDataRoot, depositMessageRoot } from '../../src/core/eth/deposit.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const VECTOR_DIR = path.join(FIXTURES, 'deposit', 'esd_partial_deposit');
const VECTOR = path.join(VECTOR_DIR, fs.readdirSync(VECTOR_DIR)[0]!);
const KEYSTORE_DIR = path.join(FIXTURES, 'keystore', 'batches', 'esd-hoodi-4');
const KEYSTORE = path.join(KEYSTORE_DIR, fs.readdirSync(KEYSTORE_DIR).find((f) => f.startsWith('keystore-m_12381_3600_1_0_0-'))!);
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const VERSIONLESS = (text: string): string => text.replace(/"deposit_cli_version": "[^"]*"/g, '"deposit_cli_version": ""');

let tmp: string;
let passwordFile: string;
let n = 0;
const fresh = (name: string): string => path.join(tmp, `${name}-${n++}`);

function topUp(args: string[], out: string) {
  return runCli(['deposit', 'top-up', '--allow-online', '--keystore', KEYSTORE, '--password-file', passwordFile, '--out', out, ...args]);
}
function depositVerify(file: string, args: string[]) {
  const r = runCli(['deposit', 'verify', file, '--json', ...args]);
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as { ok: boolean; findings: Array<{ id: string; severity: string; fix?: string }> } };
}
const ids = (j: { findings: Array<{ id: string }> }): string[] => j.findings.map((f) => f.id).sort();
/** The vector with entry 0 edited, both roots recomputed (so only the signature can tell). */
function edited(edit: (e: Record<string, any>) => void): string {
  const [e] = JSON.parse(fs.readFileSync(VECTOR, 'utf8')) as Array<Record<string, any>>;
  edit(e!);
  const pk = hexToBytes(e!['pubkey']);
  const wc = hexToBytes(e!['withdrawal_credentials']);
  e!['deposit_message_root'] = bytesToHex(depositMessageRoot(pk, wc, e!['amount']));
  e!['deposit_data_root'] = bytesToHex(depositDataRoot(pk, wc, e!['amount'], hexToBytes(e!['signature'])));
  const f = path.join(tmp, `deposit_data-edited-${n++}.json`);
  fs.writeFileSync(f, JSON.stringify([e]));
  return f;
}

beforeAll(() => {
  tmp = mkTmp('coldstake-top-up-');
  passwordFile = path.join(tmp, 'password');
  fs.writeFileSync(passwordFile, 'MyPassword12', { mode: 0o600 });
});
afterAll(() => rmTmp(tmp));

describe('deposit top-up (end to end: sign on the airgapped laptop, verify before depositing)', () => {
  it("reproduces the peer's partial-deposit byte for byte (but deposit_cli_version), and deposit verify --top-up passes it", () => {
    const out = fresh('top-up');
    const r = topUp(['--amount', '1.5', '--compounding', '--withdrawal-address', ADDRESS, '--network', 'hoodi', '--json'], out);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.amount_gwei).toBe(1_500_000_000);
    expect(json.findings.map((f: { id: string }) => f.id)).toContain('top-up-output-verified');
    const files = fs.readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^deposit_data-\d{10}\.json$/);
    const file = path.join(out, files[0]!);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const ours = fs.readFileSync(file, 'utf8');
    const theirs = fs.readFileSync(VECTOR, 'utf8');
    expect(theirs).toContain('"deposit_cli_version": "1.3.1-dev"');
    expect(ours).not.toContain('1.3.1-dev');
    expect(VERSIONLESS(ours)).toBe(VERSIONLESS(theirs));

    const v = depositVerify(file, ['--network', 'hoodi', '--top-up', '--withdrawal-address', ADDRESS]);
    expect(v.code).toBe(0);
    expect(ids(v.json)).toEqual(['deposit-top-up']);
  });

  it("deposit verify: the peer's file without --top-up only warns below 32 ETH; a changed amount fails even with roots recomputed", () => {
    const plain = depositVerify(VECTOR, ['--network', 'hoodi']);
    expect(plain.code).toBe(0);
    expect(ids(plain.json)).toEqual(['deposit-amount-below-32']);
    const changed = depositVerify(edited((e) => { e['amount'] = 2_500_000_000; }), ['--network', 'hoodi', '--top-up']);
    expect(changed.code).toBe(1);
    expect(ids(changed.json)).toEqual(['deposit-invalid-signature', 'deposit-top-up']);
  });

  it('a 0x01 entry above 32 ETH: deposit-amount-not-32 names --top-up; with --top-up it is a warning, the signature still checked', () => {
    const f = edited((e) => { e['withdrawal_credentials'] = `01${String(e['withdrawal_credentials']).slice(2)}`; e['amount'] = 33_000_000_000; });
    const plain = depositVerify(f, ['--network', 'hoodi']);
    expect(plain.code).toBe(1);
    expect(ids(plain.json)).toEqual(['deposit-amount-not-32', 'deposit-invalid-signature']);
    expect(plain.json.findings.find((x) => x.id === 'deposit-amount-not-32')!.fix).toMatch(/--top-up/);
    const top = depositVerify(f, ['--network', 'hoodi', '--top-up']);
    expect(top.code).toBe(1);
    expect(ids(top.json)).toEqual(['deposit-invalid-signature', 'deposit-top-up', 'deposit-top-up-above-32']);
  });
});

describe('deposit top-up refuses bad input: one error line, exit 2, nothing written', () => {
  const base = ['--withdrawal-address', ADDRESS, '--network', 'hoodi'];
  it.each([
    ['below 1 ETH', ['--amount', '0.5', '--compounding'], /--amount: amount must be between 1 and 2048 ETH/],
    ['above 2048 ETH', ['--amount', '2048.000000001', '--compounding'], /--amount: amount must be between 1 and 2048 ETH/],
    ['more than 9 decimals', ['--amount', '1.0000000001', '--compounding'], /--amount: amount must be a number of ETH such as 32 or 33.5 \(at most 9 decimals\)/],
    ['an exponent', ['--amount', '1e3', '--compounding'], /--amount: amount must be a number of ETH/],
    ['0x01 above 32 ETH', ['--amount', '33'], /--amount: a 0x01 \(non-compounding\) top-up above 32 ETH/],
    ['an unknown network', ['--amount', '1', '--network', 'mainnett'], /--network: unknown network 'mainnett'/],
  ])('%s', (_, args, message) => {
    const out = fresh('bad');
    const r = topUp([...base, ...args], out);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a keystore of a withdrawal key (path m/12381/3600/i/0): refused before the password, nothing written', () => {
    const out = fresh('withdrawal-key');
    const ks = JSON.parse(fs.readFileSync(KEYSTORE, 'utf8'));
    ks.path = 'm/12381/3600/1/0';
    const file = path.join(tmp, 'keystore-withdrawal.json');
    fs.writeFileSync(file, JSON.stringify(ks), { mode: 0o600 });
    const r = runCli(['deposit', 'top-up', '--allow-online', '--keystore', file, '--password-file', passwordFile, '--out', out, ...base, '--amount', '1', '--compounding']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'))).toEqual([`coldstake: error: ${file} holds a withdrawal key (path m/12381/3600/1/0), not a validator's signing key: a deposit signed with it would not top up your validator`]);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a wrong password: exit 2, nothing written', () => {
    const out = fresh('wrong-password');
    const wrong = path.join(tmp, 'wrong-password');
    fs.writeFileSync(wrong, 'NotMyPassword', { mode: 0o600 });
    const r = runCli(['deposit', 'top-up', '--allow-online', '--keystore', KEYSTORE, '--password-file', wrong, '--out', out, ...base, '--amount', '1', '--compounding']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'))).toEqual([`coldstake: error: the password does not open ${KEYSTORE}`]);
    expect(fs.existsSync(out)).toBe(false);
  });
});
