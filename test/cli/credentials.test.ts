/**
 * `coldstake credentials change|verify` through the real binary: ethstaker-deposit-cli's
 * generate-bls-to-execution-change outputs (fixtures/credentials/esd, public test mnemonic) reproduced
 * byte for byte but for deposit_cli_version; tampered files caught; bad input refused with one
 * error line, exit 2 and nothing written; one end-to-end run (sign two changes, verify them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '@noble/hashes/utils.js';
import { secretToPublicKey, sign } from '../../src/core/eth/bls.js';
import { credentialChangeDomain, credentialChangeSigningRoot, parseCredentialChanges } from '../../src/core/eth/credentials.js';
import { blsWithdrawalCredentials } from '../../src/core/eth/deposit.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { knownNetwork } from '../../src/core/eth/networks.js';
import { mnemonicToSeed } from '../../src/core/mnemonic/mnemonic.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC } from '../helpers/keystores.js';
import { PtySession, ptyAvailable } from '../helpers/pty.js';

const VECTORS = path.join(FIXTURES, 'credentials', 'esd');
const vectorFile = (net: string): string => {
  const dir = path.join(VECTORS, net);
  return path.join(dir, fs.readdirSync(dir)[0]!);
};
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const OTHER_ADDRESS = '0x000000000000000000000000000000000000dEaD';
const CRED_0 = '0x0049b6188ed20314309f617dd4030b8ddfac3c6e65759a03c226a13b2fe4cc72';
const VERSIONLESS = (text: string): string => text.replace(/"deposit_cli_version": "[^"]*"/g, '"deposit_cli_version": ""');

let tmp: string;
let mnemonicFile: string;
let seed: Uint8Array;
let n = 0;
const fresh = (name: string): string => path.join(tmp, `${name}-${n++}`);
/** 0x00 credentials of key i of the test mnemonic (computed by the core, checked against the peer's for i = 0). */
const blsCredentials = (i: number): string => `0x${bytesToHex(blsWithdrawalCredentials(secretToPublicKey(deriveValidatorKeys(seed, i).withdrawalSk)))}`;

function change(args: string[], out: string) {
  return runCli(['credentials', 'change', '--allow-online', '--mnemonic-file', mnemonicFile, '--out', out, ...args]);
}
function verify(args: string[]) {
  const r = runCli(['credentials', 'verify', '--json', ...args]);
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as { ok: boolean; network: string; findings: Array<{ id: string; severity: string }>; changes: Array<{ validator_index: string; key_index?: number | null; ok: boolean; errors: string[] }> }, stderr: r.stderr };
}
const ids = (j: { findings: Array<{ id: string }> }): string[] => j.findings.map((f) => f.id).sort();
/** Write a copy of a change file with entry 0 edited. */
function tampered(src: string, edit: (e: any) => void): string {
  const list = JSON.parse(fs.readFileSync(src, 'utf8')) as any[];
  edit(list[0]);
  const f = path.join(tmp, `tampered-${n++}.json`);
  fs.writeFileSync(f, JSON.stringify(list));
  return f;
}

beforeAll(() => {
  tmp = mkTmp('coldstake-credentials-');
  mnemonicFile = path.join(tmp, 'mnemonic');
  fs.writeFileSync(mnemonicFile, `${LIGHTHOUSE_MNEMONIC}\n`, { mode: 0o600 });
  seed = mnemonicToSeed(LIGHTHOUSE_MNEMONIC, '');
});
afterAll(() => rmTmp(tmp));

describe('credentials change reproduces ethstaker-deposit-cli', () => {
  it.each(['hoodi', 'mainnet'])('%s: byte-identical but for deposit_cli_version, mode 0600, re-verified', (net) => {
    expect(blsCredentials(0)).toBe(CRED_0);
    const out = fresh(`change-${net}`);
    const r = change(['--network', net, '--validator-indices', '5000', '--bls-credentials', CRED_0, '--withdrawal-address', ADDRESS, '--json'], out);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/coldstake: warning: a credential change is PERMANENT/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.findings.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining(['credentials-outputs-verified', 'credentials-change-permanent']));
    const files = fs.readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^bls_to_execution_change-\d{10}\.json$/);
    const file = path.join(out, files[0]!);
    expect(json.file).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const ours = fs.readFileSync(file, 'utf8');
    const theirs = fs.readFileSync(vectorFile(net), 'utf8');
    expect(ours).toContain(`"deposit_cli_version": "${JSON.parse(fs.readFileSync(path.join(process.cwd(), 'package.json'), 'utf8')).version}"`);
    expect(VERSIONLESS(ours)).toBe(VERSIONLESS(theirs));
    expect(theirs).toContain('"deposit_cli_version": "1.3.1-dev"'); // the one field that differs
  });
});

describe('credentials verify', () => {
  it.each(['hoodi', 'mainnet'])("passes the peer's %s file: network from its metadata, the address and the mnemonic's key", (net) => {
    const r = verify([vectorFile(net), '--withdrawal-address', ADDRESS, '--mnemonic-file', mnemonicFile, '--allow-online', '--max-index', '3']);
    expect(r.code).toBe(0);
    expect(r.json.network).toBe(net);
    expect(r.json.changes).toEqual([expect.objectContaining({ validator_index: '5000', key_index: 0, ok: true })]);
  });

  it('an address changed after signing: invalid signature, and the expected address is not it', () => {
    const f = tampered(vectorFile('hoodi'), (e) => { e.message.to_execution_address = OTHER_ADDRESS.toLowerCase(); });
    expect(ids(verify([f]).json)).toEqual(['credentials-invalid-signature']);
    const r = verify([f, '--withdrawal-address', ADDRESS]);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['credentials-address-mismatch', 'credentials-invalid-signature']);
  });

  it('a validator index changed after signing', () => {
    const f = tampered(vectorFile('mainnet'), (e) => { e.message.validator_index = '5001'; });
    const r = verify([f, '--network', 'mainnet']);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['credentials-invalid-signature']);
  });

  it('the same message signed by another key (withdrawal key 1) does not pass under from_bls_pubkey', () => {
    const net = knownNetwork('hoodi');
    const [c] = parseCredentialChanges(fs.readFileSync(vectorFile('hoodi'), 'utf8'), 'v');
    const other = deriveValidatorKeys(seed, 1).withdrawalSk;
    const sig = `0x${bytesToHex(sign(other, credentialChangeSigningRoot(c!, credentialChangeDomain(net))))}`;
    const f = tampered(vectorFile('hoodi'), (e) => { e.signature = sig; });
    const r = verify([f]);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['credentials-invalid-signature']);
  });

  it('a file for another network: wrong network by metadata and by signature', () => {
    const r = verify([vectorFile('hoodi'), '--network', 'mainnet']);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['credentials-signed-for-other-network', 'credentials-wrong-network']);
  });

  it('from_bls_pubkey of another mnemonic is reported within the searched range', () => {
    const other = path.join(tmp, 'other-mnemonic');
    fs.writeFileSync(other, 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n', { mode: 0o600 });
    const r = verify([vectorFile('hoodi'), '--mnemonic-file', other, '--allow-online', '--max-index', '2']);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['credentials-key-not-from-mnemonic']);
    expect(r.json.changes[0]!.key_index).toBeNull();
  });

  it('a malformed file is credentials-schema, exit 2, with one error line naming the field', () => {
    const f = tampered(vectorFile('hoodi'), (e) => { e.message.validator_index = 5000; });
    const r = runCli(['credentials', 'verify', f]);
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'));
    expect(errors).toEqual([`coldstake: error: ${f}: [0].message.validator_index: must be a decimal string, got a number`]);
  });
});

describe('credentials change refuses bad input: one error line, exit 2, nothing written', () => {
  const base = ['--network', 'hoodi', '--withdrawal-address', ADDRESS];
  it.each([
    ['mismatched list lengths', ['--validator-indices', '5000,5001', '--bls-credentials', CRED_0], /--validator-indices has 2 items but --bls-credentials has 1/],
    ['an index ≥ 2^64', ['--validator-indices', '18446744073709551616', '--bls-credentials', CRED_0], /--validator-indices position 1: a validator index must be below 2\^64/],
    ['an unknown network', ['--network', 'goerli', '--validator-indices', '5000', '--bls-credentials', CRED_0], /--network: unknown network 'goerli'/],
    ['0x01 credentials', ['--validator-indices', '5000', '--bls-credentials', `0x01${CRED_0.slice(4)}`], /--bls-credentials position 1 starts with 0x01, not 0x00/],
    ['the zero address', ['--withdrawal-address', '0x0000000000000000000000000000000000000000', '--validator-indices', '5000', '--bls-credentials', CRED_0], /the zero address/],
  ])('%s', (_, args, message) => {
    const out = fresh('bad');
    const r = change([...base, ...args], out);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
    expect(r.stderr).not.toMatch(/PERMANENT/); // refused before the gate and the mnemonic
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a 0x00 credential that is not this mnemonic\'s key names its position; nothing is signed', () => {
    const out = fresh('wrong-cred');
    const r = change([...base, '--validator-indices', '5000,5001', '--bls-credentials', `${CRED_0},${blsCredentials(5)}`], out);
    expect(r.code).toBe(2);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error:'));
    expect(errors).toEqual(["coldstake: error: --bls-credentials position 2 (validator 5001) is not the 0x00 credentials of this mnemonic's withdrawal key m/12381/3600/1/0: nothing was signed"]);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('end to end: sign changes on the airgapped laptop, verify before broadcasting', () => {
  it('keys 3 and 4 change validators 1000 and 1001; verify finds both keys in the mnemonic', () => {
    const out = fresh('e2e');
    const r = change(['--network', 'hoodi', '--start-index', '3', '--validator-indices', '1000,1001', '--bls-credentials', `${blsCredentials(3)},${blsCredentials(4)}`, '--withdrawal-address', ADDRESS, '--json'], out);
    expect(r.code).toBe(0);
    const file = JSON.parse(r.stdout).file as string;
    const list = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(list.map((e: any) => e.message.validator_index)).toEqual(['1000', '1001']);
    const v = verify([file, '--network', 'hoodi', '--withdrawal-address', ADDRESS, '--mnemonic-file', mnemonicFile, '--allow-online', '--max-index', '10']);
    expect(v.code).toBe(0);
    expect(v.json.changes.map((c) => [c.validator_index, c.key_index, c.ok])).toEqual([['1000', 3, true], ['1001', 4, true]]);
    const human = runCli(['credentials', 'verify', file]);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('✓ [1] validator 1001 → 0x0f51bb10119727a7e5ea3538074fb341f56b09ad');
    // The second run refuses the now non-empty --out before asking for anything (exit 3).
    expect(change(['--network', 'hoodi', '--validator-indices', '5000', '--bls-credentials', CRED_0, '--withdrawal-address', ADDRESS], out).code).toBe(3);
  });
});

describe.skipIf(!ptyAvailable())('credentials change at the keyboard', () => {
  it('reads the mnemonic on the terminal and has --withdrawal-address retyped (a mismatch is asked again)', async () => {
    const out = fresh('tty');
    const t = new PtySession(['credentials', 'change', '--allow-online', '--network', 'hoodi', '--validator-indices', '5000', '--bls-credentials', CRED_0, '--withdrawal-address', ADDRESS, '--out', out]);
    await t.expect(/PERMANENT/);
    await t.expect(/mnemonic[^\n]*:/);
    t.send(`${LIGHTHOUSE_MNEMONIC}\r`);
    await t.expect(/retype the withdrawal address to confirm it: /);
    t.send(`${OTHER_ADDRESS}\r`);
    await t.expect(/the two addresses differ, try again/);
    await t.expect(/retype the withdrawal address to confirm it: /);
    t.send(`${ADDRESS}\r`);
    expect(await t.exit()).toBe(0);
    const [file] = fs.readdirSync(out);
    expect(VERSIONLESS(fs.readFileSync(path.join(out, file!), 'utf8'))).toBe(VERSIONLESS(fs.readFileSync(vectorFile('hoodi'), 'utf8')));
  }, 60_000);
});
