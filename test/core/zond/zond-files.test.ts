/**
 * Zond keystore and deposit_data formats in core: seal/open (argon2id at --lightkdf memory only),
 * strict parsing, bounds before any KDF, other eras refused by name, deposit roots and signatures,
 * tampering caught. Real older-era files from QRL's tools (fixtures/zond/real) get "older format".
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { zondAddressBytes } from '../../../src/core/zond/address.js';
import { deriveZondChildSeed, zondKeypair, zondValidatorPath } from '../../../src/core/zond/derivation.js';
import { parseZondDepositData, ZOND_DEPOSIT_AMOUNT, zondDepositFileText, zondDepositMessageRoot, zondDepositSigningRoot, ZondFormatError } from '../../../src/core/zond/deposit.js';
import { zondDepositFindings } from '../../../src/core/zond/deposit-checks.js';
import { deriveZondKeystoreKey, looksLikeZondKeystore, openZondKeystore, parseZondKeystore, sealZondKeystore, ZOND_KDF_LIGHT, ZondKeystoreError } from '../../../src/core/zond/keystore.js';
import { resolveZondNetwork } from '../../../src/core/zond/networks.js';
import { zondSign } from '../../../src/core/zond/signing.js';

const fxDir = new URL('../../../fixtures/zond/', import.meta.url);
const wallet = JSON.parse(readFileSync(new URL('wallet_vectors.json', fxDir), 'utf8'));
const seed = hexToBytes(wallet.cases[0].extended_seed.slice(6));
const kv = JSON.parse(readFileSync(new URL('keystore_vectors.json', fxDir), 'utf8'));

describe('Zond keystore', () => {
  it('seals in the deposit-CLI shape and opens with the password only', async () => {
    const child = deriveZondChildSeed(seed, 3);
    const { publicKey } = zondKeypair(child);
    const kdf = { ...ZOND_KDF_LIGHT, dklen: 32 as const, salt: 'ab'.repeat(32) };
    const key = await deriveZondKeystoreKey(kdf, 'correct horse');
    const text = sealZondKeystore(key, child, { kdf, iv: new Uint8Array(12).fill(7), pubkey: publicKey, path: zondValidatorPath(3), uuid: '6a1bb1a5-8c0c-4d51-9a7e-3f0c2d1e7b44' });
    expect(text).toMatch(/^\{"crypto":\{"kdf":\{"function":"argon2id","params":\{"dklen":32,"m":4096,"p":1,"salt":"(ab){32}","t":8\},"message":""\},"checksum":null,"cipher":\{"function":"aes-256-gcm","params":\{"iv":"(07){12}"\},"message":"[0-9a-f]{128}"\}\},"description":"","pubkey":"0x[0-9a-f]{5184}","path":"m\/12381\/238\/3\/0","uuid":"6a1bb1a5-8c0c-4d51-9a7e-3f0c2d1e7b44","version":0\}$/);
    const parsed = parseZondKeystore(JSON.parse(text));
    expect(parsed.kind).toBe('validator-keystore');
    if (parsed.kind !== 'validator-keystore') return;
    expect(parsed.keystore.shape).toBe('deposit-cli');
    const again = await deriveZondKeystoreKey(parsed.keystore.kdf, 'correct horse');
    expect(bytesToHex(openZondKeystore(again, parsed.keystore)!)).toBe(bytesToHex(child));
    const wrong = await deriveZondKeystoreKey(parsed.keystore.kdf, 'correct horsf');
    expect(openZondKeystore(wrong, parsed.keystore)).toBeNull();
  });

  it('qrysm error vectors are refused before any KDF', () => {
    const byName = Object.fromEntries((kv.decrypt as Array<{ name: string; input: unknown }>).map((c) => [c.name, c.input]));
    const wrap = (crypto: unknown) => ({ crypto, uuid: 'x', pubkey: '', version: 1 });
    expect(() => parseZondKeystore(wrap(byName['NoCipher']))).toThrow(/crypto.cipher: must be an object/);
    expect(() => parseZondKeystore(wrap(byName['BadSalt']))).toThrow(/salt: must be hex/);
    expect(() => parseZondKeystore(wrap(byName['BadKDF']))).toThrow(/unsupported KDF/);
    expect(() => parseZondKeystore(wrap(byName['BadCipherMessage']))).toThrow(/cipher.message: must be hex/);
    expect(() => parseZondKeystore(wrap(byName['BadIV']))).toThrow(/iv: must be hex/);
    expect(() => parseZondKeystore(wrap(byName['BadCipher']))).toThrow(/older Zond keystore format|unsupported cipher/);
  });

  it('bounds argon2 memory and work before running it', () => {
    const good = JSON.parse(readFileSync(new URL('qrysm-keystore-good-validator-shape.json', fxDir), 'utf8'));
    const withParams = (p: Record<string, number>) => ({ ...good, crypto: { ...good.crypto, kdf: { ...good.crypto.kdf, params: { ...good.crypto.kdf.params, ...p } } } });
    const r = parseZondKeystore(good);
    expect(r.kind === 'validator-keystore' && r.keystore.shape).toBe('validator');
    expect(() => parseZondKeystore(withParams({ m: (1 << 20) + 1 }))).toThrow(/above the 1 GiB limit/);
    expect(() => parseZondKeystore(withParams({ m: 1 << 20, t: 9 }))).toThrow(/work m·t/);
    expect(() => parseZondKeystore(withParams({ t: 65, m: 4096 }))).toThrow(/t ≤ 64/);
    expect(() => parseZondKeystore(withParams({ dklen: 16 }))).toThrow(ZondKeystoreError);
    expect(parseZondKeystore(withParams({ m: 1 << 20, t: 8 })).kind).toBe('validator-keystore');
  });

  it('names go-qrl account keystores and older qrysm keystores', () => {
    const dir = new URL('real/keystores/', fxDir);
    const files = readdirSync(dir).filter((f) => f !== 'manifest.json');
    expect(files.length).toBeGreaterThan(40);
    for (const f of files) {
      const v = JSON.parse(readFileSync(new URL(f, dir), 'utf8'));
      expect(looksLikeZondKeystore(v)).toBe(true);
      expect(parseZondKeystore(v).kind).toBe('gqrl-account');
    }
    const older = { crypto: { kdf: { function: 'custom', params: {} }, cipher: { function: 'aes-128-ctr', params: {}, message: '' } }, pubkey: 'ab'.repeat(2592), path: 'm/12381/238/0/0/0', version: 0 };
    expect(looksLikeZondKeystore(older)).toBe(true);
    expect(() => parseZondKeystore(older)).toThrow(/older Zond keystore format .*before 2025-07-11/);
    const eth = JSON.parse(readFileSync(new URL('../../fixtures/keystore/', fxDir).pathname + readdirSync(new URL('../../fixtures/keystore/', fxDir)).find((f) => f.endsWith('.json'))!, 'utf8'));
    expect(looksLikeZondKeystore(eth)).toBe(false);
  });
});

describe('Zond deposit_data', () => {
  const net = resolveZondNetwork('zond-testnet');
  const entries = [0, 1].map((i) => {
    const kp = zondKeypair(deriveZondChildSeed(seed, i));
    const creds = zondAddressBytes(zondKeypair(seed).publicKey);
    const signature = zondSign(zondDepositSigningRoot(zondDepositMessageRoot(kp.publicKey, creds, ZOND_DEPOSIT_AMOUNT), net.depositDomain), kp.secretKey);
    return { pubkey: kp.publicKey, withdrawalCredentials: creds, amount: ZOND_DEPOSIT_AMOUNT, signature, forkVersion: net.genesisForkVersion, networkName: net.networkName };
  });
  const text = zondDepositFileText(entries);
  const ids = (t: string, n = net, wa?: Uint8Array) => zondDepositFindings('f', parseZondDepositData(t), { network: n, ...(wa ? { withdrawalAddress: wa } : {}) }).findings.filter((f) => f.severity !== 'info').map((f) => f.id);
  const edit = (fn: (e: Record<string, unknown>) => void) => {
    const a = JSON.parse(text);
    fn(a[1]);
    return JSON.stringify(a);
  };

  it('is written in qrysm\'s shape and verifies', () => {
    expect(text.endsWith(']')).toBe(true);
    expect(Object.keys(JSON.parse(text)[0])).toEqual(['pubkey', 'amount', 'withdrawal_credentials', 'deposit_data_root', 'signature', 'message_root', 'fork_version', 'network_name', 'deposit_cli_version']);
    expect(text).toContain('"amount":40000000000000,');
    expect(ids(text, net, entries[0]!.withdrawalCredentials)).toEqual([]);
  });

  it('catches tampering: address, amount, pubkey, signature, network', () => {
    const other = zondAddressBytes(zondKeypair(deriveZondChildSeed(seed, 9)).publicKey);
    expect(ids(text, net, other)).toEqual(['zond-deposit-withdrawal-address', 'zond-deposit-withdrawal-address']);
    expect(ids(edit((e) => { e['withdrawal_credentials'] = `0x${bytesToHex(other)}`; }))).toEqual(expect.arrayContaining(['zond-deposit-message-root', 'zond-deposit-data-root', 'zond-deposit-signature']));
    expect(ids(edit((e) => { e['amount'] = 32000000000000; }))).toEqual(expect.arrayContaining(['zond-deposit-message-root', 'zond-deposit-signature', 'zond-deposit-amount']));
    expect(ids(edit((e) => { e['pubkey'] = JSON.parse(text)[0].pubkey; }))).toEqual(expect.arrayContaining(['zond-deposit-signature', 'zond-deposit-duplicate-pubkey']));
    expect(ids(edit((e) => { const s = e['signature'] as string; e['signature'] = `${s.slice(0, 50)}${s[50] === '0' ? '1' : '0'}${s.slice(51)}`; }))).toEqual(['zond-deposit-data-root', 'zond-deposit-signature']);
    // betanet verifies the testnet signature (shared fork version): only network_name differs.
    expect(ids(text, resolveZondNetwork('zond-betanet'))).toEqual(['zond-deposit-network', 'zond-deposit-network']);
    expect(ids(edit((e) => { e['network_name'] = 'betanet'; }))).toEqual(['zond-deposit-network']);
    expect(ids(text, resolveZondNetwork('zond-dev', '0x10000038'))).toEqual(expect.arrayContaining(['zond-deposit-fork-version', 'zond-deposit-network']));
  });

  it('refuses other eras by name', () => {
    expect(() => parseZondDepositData(edit((e) => { e['withdrawal_recipient'] = e['withdrawal_credentials']; delete e['withdrawal_credentials']; }))).toThrow(ZondFormatError);
    expect(() => parseZondDepositData(edit((e) => { e['randao_commitment'] = `0x${'00'.repeat(32)}`; }))).toThrow(/randao_commitment/);
    expect(() => parseZondDepositData(edit((e) => { e['withdrawal_credentials'] = `0x${'00'.repeat(32)}`; }))).toThrow(/32-byte withdrawal credentials/);
    expect(() => parseZondDepositData(edit((e) => { e['withdrawal_credentials'] = `0x${'ab'.repeat(48)}`; }))).toThrow(/48-byte address/);
    expect(() => parseZondDepositData(edit((e) => { e['signature'] = `0x${'ab'.repeat(4595)}`; }))).toThrow(/4595-byte Dilithium signature/);
    expect(() => parseZondDepositData(edit((e) => { e['extra'] = 1; }))).toThrow(/unknown member 'extra'/);
    const ethDir = new URL('../../fixtures/deposit/lighthouse_edc/hoodi_first_0_count_2_prefix_0x01_eth1_true/', fxDir);
    const ethFile = readdirSync(ethDir).find((f) => f.startsWith('deposit_data'))!;
    expect(() => parseZondDepositData(readFileSync(new URL(ethFile, ethDir), 'utf8'))).toThrow(/Ethereum deposit file/);
  });

  it('real qrysm deposits of older eras: "older format", never "tampered"', () => {
    const dir = new URL('real/assembled/', fxDir);
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.json'))) {
      const t = readFileSync(new URL(f, dir), 'utf8');
      let verdict: string[];
      try {
        verdict = ids(t);
      } catch (e) {
        expect(e).toBeInstanceOf(ZondFormatError);
        expect((e as Error).message).toMatch(/older Zond deposit format/);
        continue;
      }
      expect(verdict).toContain('zond-deposit-older-format');
      expect(verdict).not.toContain('zond-deposit-signature');
    }
  });
});
