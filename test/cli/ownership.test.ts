/**
 * `coldstake ownership check` through the real binary, with the Lighthouse test mnemonic behind
 * fixtures/deposit and low-cost keystores made from keys derived from it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { mnemonicToSeed } from '../../src/core/mnemonic/mnemonic.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC, makeKeystore, SECRETS, writeKeystore } from '../helpers/keystores.js';

const DIR = path.join(FIXTURES, 'deposit');
const HOODI_0X00_1024 = path.join(DIR, 'lighthouse_edc', 'hoodi_first_1024_count_3_prefix_0x00_eth1_false', 'deposit_data-1785211434.json');
const HOODI_0X00_0 = path.join(DIR, 'lighthouse_edc', 'hoodi_first_0_count_1_prefix_0x00_eth1_false', 'deposit_data-1785211404.json');
const MAINNET_0X01 = path.join(DIR, 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_true', 'deposit_data-1715584107.json');
const MAINNET_0X00_DIR = path.join(DIR, 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_false');
const MAINNET_0X00 = path.join(MAINNET_0X00_DIR, fs.readdirSync(MAINNET_0X00_DIR)[0]!);
let tmp: string;
let mnemonicFile: string;

interface Json { ok: boolean; command: string; airgap: { airgapped: boolean; allowed_online: boolean }; findings: Array<{ id: string; severity: string; subject: string; evidence: any }>; results: Array<{ subject: string; index: number | null; credentials_index?: number | null; ok: boolean }> }
function check(args: string[], mnemonic = mnemonicFile): { code: number | null; json: Json; stderr: string } {
  const r = runCli(['ownership', 'check', '--allow-online', '--mnemonic-file', mnemonic, '--json', ...args], { timeoutMs: 120_000 });
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}

beforeAll(() => {
  tmp = mkTmp();
  mnemonicFile = path.join(tmp, 'mnemonic');
  fs.writeFileSync(mnemonicFile, `${LIGHTHOUSE_MNEMONIC}\n`, { mode: 0o600 });
});
afterAll(() => rmTmp(tmp));

describe('ownership check', () => {
  it('0x00 deposit entries: signing key and credentials found at their indices (1024..1026)', () => {
    const { code, json, stderr } = check(['--network', 'hoodi', '--deposit-data', HOODI_0X00_1024, '--max-index', '1027']);
    expect(code).toBe(0);
    expect(json.airgap.allowed_online).toBe(true);
    expect(stderr).toMatch(/not airgapped/);
    expect(json.results.map((r) => [r.index, r.credentials_index])).toEqual([[1024, 1024], [1025, 1025], [1026, 1026]]);
  }, 120_000);

  it('0x00 credentials of another index of the same mnemonic: ownership-credentials-index-mismatch (a warning)', () => {
    // The real mainnet 0x00 file for indices 0 and 1, with the two withdrawal credentials swapped.
    const entries = JSON.parse(fs.readFileSync(MAINNET_0X00, 'utf8')) as Array<Record<string, unknown>>;
    [entries[0]!['withdrawal_credentials'], entries[1]!['withdrawal_credentials']] = [entries[1]!['withdrawal_credentials'], entries[0]!['withdrawal_credentials']];
    const f = path.join(tmp, 'deposit_data-swapped-credentials.json');
    fs.writeFileSync(f, JSON.stringify(entries));
    const { code, json } = check(['--network', 'mainnet', '--deposit-data', f, '--max-index', '2']);
    expect(code).toBe(0);
    expect(json.results.map((r) => [r.index, r.credentials_index])).toEqual([[0, 1], [1, 0]]);
    expect(json.findings.map((x) => [x.id, x.severity, x.subject, x.evidence])).toEqual([
      ['ownership-credentials-index-mismatch', 'warning', `${f}[0]`, { index: 0, credentials_index: 1 }],
      ['ownership-credentials-index-mismatch', 'warning', `${f}[1]`, { index: 1, credentials_index: 0 }],
    ]);
    const human = runCli(['ownership', 'check', '--allow-online', '--mnemonic-file', mnemonicFile, '--network', 'mainnet', '--deposit-data', f, '--max-index', '2'], { timeoutMs: 120_000 });
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`! warning ${f}[0]: 0x00 credentials commit to the withdrawal key of index 1, the signing key is index 0 [ownership-credentials-index-mismatch]`);
  }, 120_000);

  it('keystores: signing keys found; withdrawal key, foreign key and path mismatch reported', async () => {
    const seed = mnemonicToSeed(LIGHTHOUSE_MNEMONIC);
    const k0 = deriveValidatorKeys(seed, 0);
    const k1 = deriveValidatorKeys(seed, 1);
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const d = fs.mkdtempSync(path.join(tmp, 'ks-'));
    writeKeystore(d, 'keystore-0.json', await makeKeystore({ secret: hex(k0.signingSk), path: k0.signingPath, c: 2 ** 10 }));
    writeKeystore(d, 'keystore-1.json', await makeKeystore({ secret: hex(k1.signingSk), path: 'm/12381/3600/5/0/0', c: 2 ** 10 }));
    writeKeystore(d, 'keystore-w.json', await makeKeystore({ secret: hex(k0.withdrawalSk), path: k0.withdrawalPath, c: 2 ** 10 }));
    writeKeystore(d, 'keystore-x.json', await makeKeystore({ secret: SECRETS[1], c: 2 ** 10 }));
    const { code, json } = check(['--network', 'mainnet', '--keystores', d, '--deposit-data', MAINNET_0X01, '--max-index', '3']);
    expect(code).toBe(1);
    const by = Object.fromEntries(json.results.map((r) => [path.basename(r.subject), r]));
    expect(by['keystore-0.json']!.index).toBe(0);
    expect(by['keystore-1.json']!.index).toBe(1);
    expect(by['keystore-w.json']!.ok).toBe(false);
    expect(by['keystore-x.json']!.ok).toBe(false);
    expect(by['deposit_data-1715584107.json[0]']!.index).toBe(0);
    expect(by['deposit_data-1715584107.json[1]']!.index).toBe(1);
    expect(json.findings.map((f) => [f.id, path.basename(f.subject)]).sort()).toEqual([
      ['ownership-path-index-mismatch', 'keystore-1.json'],
      ['ownership-pubkey-not-found', 'keystore-x.json'],
      ['ownership-withdrawal-key', 'keystore-w.json'],
    ]);
  }, 120_000);

  it('another mnemonic: nothing belongs (error), the words never appear in the output', () => {
    const other = path.join(tmp, 'other');
    fs.writeFileSync(other, 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about\n');
    const r = runCli(['ownership', 'check', '--allow-online', '--mnemonic-file', other, '--network', 'hoodi', '--deposit-data', HOODI_0X00_0, '--max-index', '2', '--json']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.findings.map((f) => f.id).sort()).toEqual(['ownership-credentials-not-found', 'ownership-pubkey-not-found']);
    expect(r.stdout + r.stderr).not.toMatch(/abandon|waste/);
  }, 120_000);

  it('refuses on a machine that is not airgapped without --allow-online (or runs when it is airgapped)', () => {
    const r = runCli(['ownership', 'check', '--mnemonic-file', mnemonicFile, '--network', 'hoodi', '--deposit-data', HOODI_0X00_0, '--max-index', '1', '--json']);
    assertCleanStderr(r.stderr);
    // With --json a refusal prints the gate's report (and nothing derived from the mnemonic).
    if (r.code === 3) expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, command: 'ownership check', refused: 'not-airgapped' });
    else expect((JSON.parse(r.stdout) as Json).airgap.airgapped).toBe(true);
  });

  it('usage errors: nothing to check, bad --max-index, malformed deposit file (exit 2)', () => {
    expect(runCli(['ownership', 'check', '--allow-online', '--network', 'hoodi', '--mnemonic-file', mnemonicFile]).code).toBe(2);
    expect(runCli(['ownership', 'check', '--allow-online', '--network', 'hoodi', '--deposit-data', HOODI_0X00_0, '--max-index', '-1', '--mnemonic-file', mnemonicFile]).code).toBe(2);
    const bad = path.join(tmp, 'deposit_data-bad.json');
    fs.writeFileSync(bad, '[{"pubkey": 1}]');
    const r = runCli(['ownership', 'check', '--allow-online', '--network', 'hoodi', '--deposit-data', bad, '--mnemonic-file', mnemonicFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(bad);
  });
});
