import fs from 'node:fs';
import path from 'node:path';
import { bls12_381 } from '@noble/curves/bls12-381.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import * as bip39 from 'bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDepositData } from '../../src/core/eth/deposit.js';
import { deriveSkAtPath, withdrawalPath } from '../../src/core/eth/derivation.js';
import { blsWithdrawalCredential, classifyJson, pathKind, recognizeKeystore, SeparationAudit, TextFileScan } from '../../src/core/separation.js';
import { hex64Runs, HexSecretScanner, isBlsSecretHex, isHdWalletstore, jsonSecrets, keyishName, nameKind } from '../../src/core/separation/secrets.js';
import { FIXTURES } from '../helpers/cli.js';

const F = path.join(FIXTURES, 'separation');
const T = path.join(F, 'trees');
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));
const ethdoKs = readJson(path.join(F, 'vectors/deposit/ethdo/keystore-m_12381_3600_0_0_0-ethdo-test.json'));
const eip2334 = readJson(path.join(F, 'vectors/eip2334.json'));
const R = bls12_381.fields.Fr.ORDER;
const hex64 = (v: bigint) => v.toString(16).padStart(64, '0');

describe('secret key values', () => {
  it('accepts exactly the non-zero scalars below the curve order', () => {
    expect(isBlsSecretHex(hex64(1n))).toBe(true);
    expect(isBlsSecretHex(`0x${hex64(R - 1n)}`)).toBe(true);
    expect(isBlsSecretHex(hex64(R))).toBe(false);
    expect(isBlsSecretHex(hex64(0n))).toBe(false);
    expect(isBlsSecretHex('f'.repeat(64))).toBe(false);
    expect(isBlsSecretHex('1'.repeat(63))).toBe(false);
    expect(isBlsSecretHex('g'.repeat(64))).toBe(false);
  });

  it('names that say key, and names that do not count', () => {
    for (const n of ['secret_key', 'privateKey', 'SK', 'validator_secret.txt', 'priv.key', 'seed.hex', 'VALIDATOR_PRIVATE_KEY', 'keys.json']) expect(keyishName(n), n).toBe(true);
    for (const n of ['pubkey', 'withdrawal_credentials', 'deposit_data_root', 'signature', 'jwt.hex', 'jwtsecret', 'nodekey', 'p2p-key', 'public_key', 'keystore-m_12381_3600_0_0_0.json', 'notes.txt', 'monkey.txt']) expect(keyishName(n), n).toBe(false);
  });
});

describe('hex run finder', () => {
  it('finds exactly what the lookaround regex finds', () => {
    const REF = /(?<![0-9A-Za-z_])(?:0x)?[0-9a-fA-F]{64}(?![0-9A-Za-z_])/g;
    const piece = fc.oneof(
      fc.stringMatching(/^[0-9a-f]{60,70}$/),
      fc.constant('0x'),
      fc.constantFrom(' ', '\n', 'x', '_', 'g', '=', '"', 'Q'),
      fc.stringMatching(/^[0-9a-fA-F]{0,10}$/),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const s = parts.join('');
        const ref = [...s.matchAll(REF)].map((m) => m.index!);
        expect(hex64Runs(s)).toEqual(ref);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('secrets in JSON and text', () => {
  const sk = hex64(123456789n);
  it('JSON: values under key-ish names only (unless the file name says key)', () => {
    const doc = { validators: [{ pubkey: `0x${'a'.repeat(96)}`, secret_key: `0x${sk}`, withdrawal_credentials: `00${sk.slice(2)}` }], deposit_data_root: sk, note: sk };
    expect(jsonSecrets(doc, false)).toEqual([{ line: 0, field: 'validators[0].secret_key', withdrawal: false }]);
    expect(jsonSecrets(doc, true).map((h) => h.field).sort()).toEqual(['note', 'validators[0].secret_key']);
  });

  it('text: assignments name the key; a key-ish file name makes bare hex count', () => {
    const text = `A=1\nexport SECRET_KEY=0x${sk}\nHASH=${sk}\npubkey: ${sk}\n${sk}\n`;
    const s = new HexSecretScanner(false);
    s.push(text);
    expect(s.end()).toEqual([{ line: 2, field: 'SECRET_KEY', withdrawal: false }]);
    const k = new HexSecretScanner(true);
    k.push(text);
    expect(k.end().map((h) => h.line)).toEqual([2, 5]);
  });

  it('text: a value split across chunks is still found, on the right line', () => {
    const text = `x\ny\nprivate_key = "${sk}"\n`;
    for (let cut = 0; cut < text.length; cut++) {
      const s = new HexSecretScanner(false);
      s.push(text.slice(0, cut));
      s.push(text.slice(cut));
      expect(s.end()).toEqual([{ line: 3, field: 'private_key', withdrawal: false }]);
    }
  });

  it('very long lines are scanned whole, in any chunking, without duplicates', () => {
    const filler = 'a=1;'.repeat(5000);
    const text = `first\n${filler}secret_key="${sk}";${filler}private_key=0x${sk};${filler}\nSK=${sk}\n`;
    const want = [
      { line: 2, field: 'secret_key', withdrawal: false },
      { line: 2, field: 'private_key', withdrawal: false },
      { line: 3, field: 'SK', withdrawal: false },
    ];
    for (const size of [1, 97, 1000, 4096, 5000, 100000]) {
      const s = new HexSecretScanner(false);
      for (let i = 0; i < text.length; i += size) s.push(text.slice(i, i + size));
      expect(s.end(), `chunk ${size}`).toEqual(want);
    }
  });

  it('deposit data, keystores and walletstores are classified, not searched for secrets', () => {
    const dep = fs.readFileSync(path.join(T, 'secrets/deposit_data-1715584089.json'), 'utf8');
    expect(classifyJson(JSON.parse(dep), 'deposit_data-1715584089.json')).toMatchObject({ depositData: true, secrets: [] });
    const ks = classifyJson(ethdoKs, 'my-secret-key.json');
    expect(ks.keystore).toEqual({ pubkey: ethdoKs.pubkey, path: 'm/12381/3600/0/0/0', strict: true, secretLikeFields: [], sealedId: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(ks.secrets).toEqual([]);
    const ws = readJson(path.join(T, 'secrets/ethdo/wallets/6b9ef0c7-8d3e-4f4b-9c1a-2f4e5d6a7b8c/6b9ef0c7-8d3e-4f4b-9c1a-2f4e5d6a7b8c'));
    expect(isHdWalletstore(ws)).toBe(true);
    expect(isHdWalletstore({ ...ws, type: 'non-deterministic' })).toBe(false);
  });
});

describe('keystores', () => {
  it('recognises EIP-2335 keystores, strictly or loosely', () => {
    expect(recognizeKeystore(ethdoKs)?.strict).toBe(true);
    const loose = { ...ethdoKs, uuid: 'not-a-uuid', path: 'm/12381/3600/0/0' };
    expect(recognizeKeystore(loose)).toMatchObject({ strict: false, path: 'm/12381/3600/0/0', pubkey: ethdoKs.pubkey });
    expect(recognizeKeystore({ crypto: {}, version: 3 })).toBeUndefined();
    expect(recognizeKeystore([1, 2])).toBeUndefined();
    const { path: _p, ...ndAccount } = { ...ethdoKs, name: 'Account 1' };
    // No path member is not malformed any more (Prysm, Charon, ethdo omit it): strict, path ''.
    expect(recognizeKeystore(ndAccount)).toMatchObject({ strict: true, path: '', pubkey: ethdoKs.pubkey });
    const withPw = { ...ethdoKs, password: 'testtest' };
    expect(recognizeKeystore(withPw)?.secretLikeFields).toEqual(['password']);
  });

  it('classifies EIP-2334 paths', () => {
    expect(pathKind('m/12381/3600/0/0/0')).toBe('signing');
    expect(pathKind('m/12381/3600/7/0')).toBe('withdrawal');
    expect(pathKind('m/12381/60/0/0')).toBe('other');
    expect(pathKind('m/12381/3600/0/0/1')).toBe('other');
    expect(pathKind('')).toBe('none');
  });

  it('0x00 credential: sha256(pubkey) with byte 0 zeroed', () => {
    const pk = eip2334.mnemonic_path_to_key_vectors.cases[0].pubkey.slice(2);
    const h = sha256(hexToBytes(pk));
    expect(blsWithdrawalCredential(pk)).toBe(`00${bytesToHex(h).slice(2)}`);
  });
});

describe('the audit', () => {
  const withdrawalPk = eip2334.mnemonic_path_to_key_vectors.cases[0].pubkey.slice(2);
  const dep = parseDepositData(fs.readFileSync(path.join(F, 'deposit_data-withdrawal-key.json'), 'utf8'), 'd.json').map((e) => ({
    pubkey: bytesToHex(e.pubkey),
    withdrawalCredentials: bytesToHex(e.withdrawalCredentials),
  }));

  it('withdrawal, non-signing, pathless, readable, duplicate, and withdrawal-key-present', () => {
    const a = new SeparationAudit();
    a.keystore('w.json', { pubkey: withdrawalPk, path: 'm/12381/3600/0/0', strict: true, secretLikeFields: [] }, 0o100600);
    a.keystore('o.json', { pubkey: 'ab'.repeat(48), path: 'm/44/60/0/0', strict: true, secretLikeFields: [] }, 0o100640);
    a.keystore('n.json', { pubkey: withdrawalPk, path: '', strict: true, secretLikeFields: [] }, 0o100604);
    const f = a.finish({ file: 'd.json', entries: dep });
    const ids = f.map((x) => `${x.id}:${x.subject}`).sort();
    expect(ids).toEqual(
      [
        'separation-withdrawal-keystore:w.json',
        'separation-non-signing-keystore:o.json',
        'separation-keystore-readable-by-others:o.json',
        'separation-keystore-without-path:n.json',
        'separation-keystore-readable-by-others:n.json',
        `separation-duplicate-keystore:0x${withdrawalPk}`,
        'separation-withdrawal-key-present:w.json',
        'separation-withdrawal-key-present:n.json',
      ].sort(),
    );
    const present = f.find((x) => x.id === 'separation-withdrawal-key-present')!;
    expect(present.evidence['validators']).toEqual([`0x${dep[0]!.pubkey}`]);
    expect(f.find((x) => x.subject === 'o.json' && x.id.includes('readable'))!.message).toContain('group');
  });

  it('a copied keystore (same encrypted secret) is reported as the same keystore present twice: remove the copy', () => {
    const a = new SeparationAudit();
    const info = recognizeKeystore(ethdoKs)!;
    expect(info.sealedId).toMatch(/^[0-9a-f]{64}$/);
    a.keystore('keys/k.json', info, 0o100600);
    a.keystore('backup/k.json', recognizeKeystore(structuredClone(ethdoKs))!, 0o100600);
    const dup = a.finish().find((x) => x.id === 'separation-duplicate-keystore')!;
    expect(dup.message).toMatch(/^the same keystore is present twice/);
    expect(dup.fix).toMatch(/^remove the copy/);
    expect(dup.evidence['copies']).toBe(true);
    // Re-encrypted (another IV): the same key in two keystores, not a copy.
    const b = new SeparationAudit();
    const other = structuredClone(ethdoKs);
    other.crypto.cipher.params.iv = '00'.repeat(16);
    b.keystore('keys/k.json', info, 0o100600);
    b.keystore('other/k.json', recognizeKeystore(other)!, 0o100600);
    expect(b.finish().find((x) => x.id === 'separation-duplicate-keystore')!.evidence['copies']).toBe(false);
  });

  it('deposit data with only 0x01 credentials: an info note and no match', () => {
    const a = new SeparationAudit();
    a.keystore('w.json', { pubkey: withdrawalPk, path: 'm/12381/3600/0/0/0', strict: true, secretLikeFields: [] }, 0o100600);
    const f = a.finish({ file: 'd.json', entries: [{ pubkey: withdrawalPk, withdrawalCredentials: `01${'0'.repeat(22)}${'ab'.repeat(20)}` }] });
    expect(f.map((x) => x.id)).toEqual(['separation-no-bls-credentials']);
  });

  it('mnemonic findings: error, near-miss wording by length, test pattern', () => {
    const a = new SeparationAudit();
    a.mnemonicHits('n.txt', [
      { line: 3, words: 24, language: 'english', valid: true },
      { line: 5, words: 24, language: 'english', valid: false },
      { line: 9, words: 16, language: 'english', valid: false },
      { line: 11, words: 12, language: 'chinese_simplified', valid: true, degenerate: true },
    ]);
    expect(a.finish().map((f) => [f.id, f.severity, f.message])).toEqual([
      ['separation-mnemonic', 'error', 'line 3: a valid 24-word english bip39 mnemonic'],
      ['separation-mnemonic-near-miss', 'warning', 'line 5: 24 english bip39 words in a row with a wrong checksum (a mistyped mnemonic is still a leak)'],
      ['separation-mnemonic-near-miss', 'warning', 'line 9: 16 english bip39 words in a row containing a checksum-valid stretch that is likely chance'],
      ['separation-mnemonic-test-pattern', 'warning', expect.stringContaining('line 11: a checksum-valid 12-word chinese simplified sequence')],
    ]);
  });

  it('text scan: file name decides whether bare hex counts', () => {
    const t = new TextFileScan('validator_secret.txt');
    t.push(`0x${hex64(42n)}\n`);
    expect(t.end().secrets).toHaveLength(1);
    const u = new TextFileScan('notes.txt');
    u.push(`0x${hex64(42n)}\n`);
    expect(u.end().secrets).toHaveLength(0);
  });
});

describe('withdrawal secret keys (the worst plaintext secret)', () => {
  // The real withdrawal key m/12381/3600/0/0 of a fixture mnemonic (never printed).
  const used = readJson(path.join(F, 'mnemonics-used.json')) as Array<{ id: string; mnemonic: string }>;
  const seed = bip39.mnemonicToSeedSync(used.find((u) => u.id === 'notes')!.mnemonic);
  const wsk = hex64(deriveSkAtPath(seed, withdrawalPath(0)));

  it('names that say withdrawal and secret/private/sk/key are secrets; credentials and address stay public', () => {
    for (const n of ['withdrawal_private_key', 'withdrawal_sk', 'WITHDRAWAL_SK', 'withdrawal_key', 'withdrawal_key.txt', 'withdrawal-secret', 'withdrawal-secret.key', 'withdrawalPrivateKey']) {
      expect(nameKind(n), n).toBe('secret');
    }
    for (const n of ['withdrawal_credentials', 'withdrawal_address', 'withdrawalCredentials', 'withdrawal_pubkey', 'withdrawal_credentials_key', 'jwt_secret', 'node_private_key']) {
      expect(nameKind(n), n).toBe('public');
    }
    expect(nameKind('withdrawal')).toBe('neutral');
  });

  it('the four plantings are found and marked withdrawal', () => {
    const file = new TextFileScan('withdrawal_key.txt');
    file.push(`${wsk}\n`);
    expect(file.end().secrets).toEqual([{ line: 1, field: '', withdrawal: true }]);
    const json = classifyJson({ withdrawal_private_key: `0x${wsk}` }, 'backup.json');
    expect(json.secrets).toEqual([{ line: 0, field: 'withdrawal_private_key', withdrawal: true }]);
    const env = new TextFileScan('.env');
    env.push(`NETWORK=mainnet\nWITHDRAWAL_SK=0x${wsk}\n`);
    expect(env.end().secrets).toEqual([{ line: 2, field: 'WITHDRAWAL_SK', withdrawal: true }]);
    const key = new TextFileScan('withdrawal-secret.key');
    key.push(`${wsk}`);
    expect(key.end().secrets).toEqual([{ line: 1, field: '', withdrawal: true }]);
  });

  it('withdrawal credentials and addresses, even in a key-ish file, are not secrets', () => {
    const cred = `0x00${wsk.slice(2)}`;
    const doc = { withdrawal_credentials: cred, withdrawal_address: `0x${'ab'.repeat(20)}`, creds: [{ withdrawal_credentials: `0x01${'0'.repeat(22)}${'ab'.repeat(20)}` }] };
    expect(jsonSecrets(doc, { keyish: true, withdrawal: true })).toEqual([]);
    const t = new HexSecretScanner({ keyish: true, withdrawal: true });
    t.push(`withdrawal_credentials: ${cred}\nWITHDRAWAL_CREDENTIALS=0x02${wsk.slice(2)}\n`);
    expect(t.end()).toEqual([]);
  });

  it('the audit reports them with their own id, as errors', () => {
    const a = new SeparationAudit();
    a.secretHits('backup.json', [{ line: 0, field: 'withdrawal_private_key', withdrawal: true }]);
    a.secretHits('.env', [{ line: 2, field: 'SECRET_KEY', withdrawal: false }]);
    expect(a.finish().map((f) => [f.id, f.severity])).toEqual([
      ['separation-plaintext-withdrawal-key', 'error'],
      ['separation-plaintext-secret-key', 'error'],
    ]);
  });
});
