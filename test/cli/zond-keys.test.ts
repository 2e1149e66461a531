/**
 * `coldstake keys new --network zond-…` through the real binary (argon2id at --light-kdf memory: the
 * 256 MiB default is exercised by the one slow keystore test). Outputs are checked by our verifier
 * and by QRL's own @theqrl/mldsa87 (signatures with the Zond context), and keypairs by derivation.
 */
import fs from 'node:fs';
import path from 'node:path';
import { cryptoSignVerify } from '@theqrl/mldsa87';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeDomain, DOMAIN_DEPOSIT, ZERO_ROOT } from '../../src/core/eth/ssz.js';
import { deriveZondChildSeed, zondPublicKey } from '../../src/core/zond/derivation.js';
import { parseZondDepositData, zondDepositSigningRoot } from '../../src/core/zond/deposit.js';
import { zondDepositFindings } from '../../src/core/zond/deposit-checks.js';
import { deriveZondKeystoreKey, openZondKeystore, parseZondKeystore } from '../../src/core/zond/keystore.js';
import { resolveZondNetwork } from '../../src/core/zond/networks.js';
import { ZOND_SIGNING_CONTEXT } from '../../src/core/zond/signing.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const wallet = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'zond', 'wallet_vectors.json'), 'utf8'));
const addrs = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'zond', 'address_vectors.json'), 'utf8'));
const WORDS32 = (wallet.cases[0].mnemonic as string).split(' ').slice(2).join(' ');
const SEED = hexToBytes((wallet.cases[0].extended_seed as string).slice(6));
const ADDRESS = addrs.checksum_parity[1].checksummed as string;
const PASSWORD = 'zond-keystore-password-7';

let tmp: string;
beforeAll(() => { tmp = mkTmp('coldstake-zond-keys-'); });
afterAll(() => rmTmp(tmp));

function keysNew(out: string, extra: string[], input = `${WORDS32}\n${PASSWORD}\n`) {
  return runCli(['keys', 'new', '--network', 'zond-testnet', '--count', '2', '--withdrawal-address', ADDRESS, '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online', '--light-kdf', ...extra], { input, timeoutMs: 120_000 });
}

function expectOneError(r: { code: number | null; stderr: string; stdout: string }, code: number, re: RegExp): void {
  expect(r.code).toBe(code);
  assertCleanStderr(r.stderr);
  const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error: '));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(re);
  for (const w of WORDS32.split(' ').slice(0, 4)) expect(r.stderr).not.toContain(` ${w} ${WORDS32.split(' ')[WORDS32.split(' ').indexOf(w) + 1]}`);
  expect(r.stderr + r.stdout).not.toContain(PASSWORD);
}

describe('keys new --network zond-testnet', () => {
  it('writes qrysm-shaped keystores and deposit data that re-verify, and QRL\'s own library accepts', async () => {
    const out = path.join(tmp, 'batch');
    const r = keysNew(out, ['--json', '--start-index', '3']);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({
      ok: true, command: 'keys new', network: 'zond-testnet', network_name: 'testnet', fork_version: '20000089',
      withdrawal_address: ADDRESS, amount_shor: 40000000000000, kdf: { function: 'argon2id', params: { t: 8, m: 4096, p: 1, dklen: 32 } },
      kdf_salt: 'per-batch', kdf_runs: 2, zond_format: expect.stringContaining('qrysm dfc813be'),
    });
    expect(report.findings.map((f: { id: string }) => f.id).sort()).toEqual(['keys-generated-online', 'keys-outputs-verified', 'zond-keys-light-kdf']);
    expect(r.stdout).not.toContain(PASSWORD);
    expect(r.stdout).not.toContain(WORDS32.split(' ').slice(0, 3).join(' '));

    const files = fs.readdirSync(out).sort();
    const t = /^deposit_data-(\d+)\.json$/.exec(files[0]!)![1];
    expect(files.slice(1)).toEqual([`keystore-m_12381_238_3_0-${t}.json`, `keystore-m_12381_238_4_0-${t}.json`]);
    for (const f of files) expect(fs.statSync(path.join(out, f)).mode & 0o777).toBe(0o600);

    // Keystores: one batch salt, distinct IVs, each opens to qrysm's child seed of its index.
    const kss = files.slice(1).map((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')));
    expect(kss[0].crypto.kdf.params.salt).toBe(kss[1].crypto.kdf.params.salt);
    expect(kss[0].crypto.cipher.params.iv).not.toBe(kss[1].crypto.cipher.params.iv);
    const key = await deriveZondKeystoreKey({ t: 8, m: 4096, p: 1, dklen: 32, salt: kss[0].crypto.kdf.params.salt }, PASSWORD);
    kss.forEach((ks, k) => {
      const p = parseZondKeystore(ks);
      if (p.kind !== 'validator-keystore') throw new Error('not a keystore');
      expect(ks.path).toBe(`m/12381/238/${3 + k}/0`);
      expect(ks.version).toBe(0);
      expect(bytesToHex(openZondKeystore(key, p.keystore)!)).toBe(bytesToHex(deriveZondChildSeed(SEED, 3 + k)));
      expect(ks.pubkey).toBe(`0x${bytesToHex(zondPublicKey(deriveZondChildSeed(SEED, 3 + k)))}`);
    });

    // Deposit file: qrysm's shape, our checks pass, QRL's library verifies every signature.
    const text = fs.readFileSync(path.join(out, files[0]!), 'utf8');
    expect(text.startsWith('[{"pubkey":"0x')).toBe(true);
    expect(text.endsWith('}]')).toBe(true);
    const entries = parseZondDepositData(text);
    const net = resolveZondNetwork('zond-testnet');
    expect(zondDepositFindings('f', entries, { network: net }).findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const domain = computeDomain(DOMAIN_DEPOSIT, hexToBytes('20000089'), ZERO_ROOT);
    entries.forEach((e, k) => {
      expect(`0x${bytesToHex(e.pubkey)}`).toBe(kss[k].pubkey);
      const signed = zondDepositSigningRoot(e.messageRoot, domain);
      expect(cryptoSignVerify(e.signature, signed, e.pubkey, ZOND_SIGNING_CONTEXT)).toBe(true);
      expect(cryptoSignVerify(e.signature, signed, e.pubkey, new TextEncoder().encode('ZOND'))).toBe(false);
    });

    // The built CLI's own verifiers accept the batch: keystore verify and deposit verify.
    const pwFile = path.join(tmp, 'pw');
    fs.writeFileSync(pwFile, `${PASSWORD}\n`, { mode: 0o600 });
    const kv = runCli(['keystore', 'verify', out, '--deposit-data', path.join(out, files[0]!), '--password-file', pwFile, '--json'], { timeoutMs: 120_000 });
    expect(kv.code).toBe(0);
    const kr = JSON.parse(kv.stdout);
    expect(kr.keystores.map((k: { decrypted: string; family: string }) => `${k.family}:${k.decrypted}`)).toEqual(['zond:ok', 'zond:ok']);
    expect(kr).toMatchObject({ network: 'zond-testnet', count: 2, entries: [{ ok: true }, { ok: true }] });
    expect(kr.findings.map((f: { id: string }) => f.id).sort()).toEqual(['keystore-deposit-network-inferred', 'zond-deposit-shared-fork-version', 'zond-format-pinned', 'zond-keystore-weak-kdf', 'zond-keystore-weak-kdf']);
    const dv = runCli(['deposit', 'verify', path.join(out, files[0]!), '--network', 'zond-testnet', '--withdrawal-address', ADDRESS, '--keystores', out, '--json'], { timeoutMs: 120_000 });
    expect(dv.code).toBe(0);
    const dr = JSON.parse(dv.stdout);
    expect(dr).toMatchObject({ ok: true, network: 'zond-testnet', network_name: 'testnet', count: 2, zond_format: expect.stringContaining('dfc813be') });
    expect(dr.findings.map((f: { id: string }) => f.id)).toEqual(['zond-deposit-shared-fork-version']);
    fs.writeFileSync(path.join(tmp, 'batch-deposit.json'), text);
  });

  it('deposit verify catches a tampered file, the wrong network and address, and names older formats', () => {
    const text = fs.readFileSync(path.join(tmp, 'batch-deposit.json'), 'utf8');
    const a = JSON.parse(text);
    a[0].amount = 39000000000000;
    const s = a[1].signature as string;
    a[1].signature = `${s.slice(0, 80)}${s[80] === 'a' ? 'b' : 'a'}${s.slice(81)}`;
    const tampered = path.join(tmp, 'tampered.json');
    fs.writeFileSync(tampered, JSON.stringify(a));
    const other = addrs.checksum_parity[2].checksummed as string;
    const r = runCli(['deposit', 'verify', tampered, '--network', 'zond-betanet', '--withdrawal-address', other, '--json'], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.entries[0].errors.sort()).toEqual(['zond-deposit-data-root', 'zond-deposit-message-root', 'zond-deposit-network', 'zond-deposit-signature', 'zond-deposit-withdrawal-address']);
    expect(rep.entries[1].errors.sort()).toEqual(['zond-deposit-data-root', 'zond-deposit-network', 'zond-deposit-signature', 'zond-deposit-withdrawal-address']);
    // Real qrysm deposits signed with the older "ZOND" context: older format (exit 2), never "signature".
    const older = runCli(['deposit', 'verify', path.join(FIXTURES, 'zond', 'real', 'assembled', 'assembled-deposit_data-qrysm-testutil-1f4c9fd5_9bed46b6.json'), '--network', 'zond-testnet', '--json'], { timeoutMs: 120_000 });
    expect(older.code).toBe(2);
    const ids = JSON.parse(older.stdout).findings.map((f: { id: string }) => f.id);
    expect(ids).toContain('zond-deposit-older-format');
    expect(ids).not.toContain('zond-deposit-signature');
    expectOneError(runCli(['deposit', 'verify', path.join(FIXTURES, 'zond', 'real', 'assembled', 'assembled-deposit_data-qrysm-testutil-b562c63b_f1416d40.json'), '--network', 'zond-testnet']), 2, /older Zond deposit format \(32-byte withdrawal credentials/);
  });

  it('ownership check finds the batch\'s keys in their seed by their keystore paths (indices 3, 4 with --max-index 0) and not in another seed', () => {
    const out = path.join(tmp, 'batch');
    const dep = path.join(out, fs.readdirSync(out).find((f) => f.startsWith('deposit_data'))!);
    const args = ['ownership', 'check', '--network', 'zond-testnet', '--keystores', out, '--deposit-data', dep, '--mnemonic-file', '-', '--allow-online', '--json'];
    const mine = runCli([...args, '--max-index', '0'], { input: `${WORDS32}\n`, timeoutMs: 120_000 });
    expect(mine.code).toBe(0);
    expect(JSON.parse(mine.stdout).results.map((r: { kind: string; index: number }) => `${r.kind}:${r.index}`)).toEqual(['keystore:3', 'keystore:4', 'deposit:3', 'deposit:4']);
    const other = (wallet.cases[1].mnemonic as string);
    const theirs = runCli([...args, '--max-index', '2'], { input: `${other}\n`, timeoutMs: 120_000 });
    expect(theirs.code).toBe(1);
    const j = JSON.parse(theirs.stdout);
    expect(j.findings.map((f: { id: string }) => f.id)).toEqual(['zond-ownership-not-derived', 'zond-ownership-not-derived', 'zond-ownership-not-derived', 'zond-ownership-not-derived']);
    expect(theirs.stdout + theirs.stderr).not.toContain(other.split(' ').slice(3, 6).join(' '));
  });

  it('refuses a password the qrysm validator would normalise, older addresses and bad seeds with exit 2, before writing anything', () => {
    const nfkd = path.join(tmp, 'nfkd');
    expectOneError(keysNew(nfkd, [], `${WORDS32}\nmüller-password-2026\n`), 2, /NFKD-normalised password/);
    expect(fs.existsSync(nfkd)).toBe(false);
    expectOneError(runCli(['keys', 'new', '--network', 'zond-testnet', '--count', '1', '--withdrawal-address', `Q${'ab'.repeat(20)}`, '--out', path.join(tmp, 'x'), '--mnemonic-file', '-', '--password-file', '-', '--allow-online'], { input: '' }), 2, /20-byte Q-address of an older Zond format/);
    const badWord = WORDS32.split(' ');
    badWord[6] = 'zzzzz';
    expectOneError(keysNew(path.join(tmp, 'w'), [], `${badWord.join(' ')}\n${PASSWORD}\n`), 2, /word 7 is not on the QRL word list/);
  });
});
