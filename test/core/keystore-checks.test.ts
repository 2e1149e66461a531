import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptFindings, fileFindings, setFindings, type KeystoreEntry } from '../../src/core/eth/keystore-checks.js';
import { parseKeystore } from '../../src/core/eth/keystore.js';
import { FIXTURES } from '../helpers/cli.js';

const json = () => JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keystore', 'pbkdf2_keystore.json'), 'utf8'));
const entry = (file: string, mutate: (j: any) => void = () => {}, mode = 0o600): KeystoreEntry & { parsed: NonNullable<KeystoreEntry['parsed']> } => {
  const j = json();
  mutate(j);
  return { file, mode, parsed: parseKeystore(j, file) };
};

describe('keystore checks', () => {
  it('per file: path, mode, weak KDF, stray members', () => {
    const e = entry('a.json', (j) => { j.path = 'm/12381/3600/3/0'; j.crypto.kdf.params.c = 1000; j.secret = 'x'; j.name = 'n'; j.extra = 1; }, 0o604);
    expect(fileFindings(e).map((f) => [f.id, f.severity])).toEqual([
      ['keystore-file-world-readable', 'warning'],
      ['keystore-plaintext-secret', 'error'],
      ['keystore-unknown-field', 'warning'],
      ['keystore-weak-kdf', 'warning'],
      ['keystore-withdrawal-path', 'error'],
    ]);
    expect(fileFindings(entry('b.json', (j) => { j.path = ''; })).map((f) => f.id)).toEqual(['keystore-nonstandard-path']);
    expect(fileFindings(entry('c.json', (j) => { j.path = 'm/12381/3600/3/0/0'; })).map((f) => f.id)).toEqual([]);
  });
  it('across the set: duplicate pubkey (not a copy), shared KDF key with distinct IVs, each naming every file', () => {
    const a = entry('a.json');
    const b = entry('b.json', (j) => { j.crypto.cipher.params.iv = '00'.repeat(16); });
    const f = setFindings([a, b, { file: 'bad.json', mode: 0o600, problem: { id: 'keystore-not-json', field: undefined, detail: 'not valid JSON' } }]);
    expect(f.map((x) => [x.id, x.severity])).toEqual([['keystore-duplicate-pubkey', 'error'], ['keystore-kdf-shared', 'info']]);
    expect(f[0]!.evidence['files']).toEqual(['a.json', 'b.json']);
    expect(f[0]!.evidence['copies']).toBe(false);
  });
  it('an exact copy is one duplicate finding saying so; never also IV reuse', () => {
    const f = setFindings([entry('a.json'), entry('copy/a.json'), entry('copy2/a.json')]);
    expect(f.map((x) => x.id)).toEqual(['keystore-duplicate-pubkey']);
    expect(f[0]!.message).toMatch(/the same keystore is present 3 times/);
    expect(f[0]!.fix).toMatch(/^remove the copy/);
  });
  it('one KDF key and one IV for two secrets: iv-reused; another KDF function or salt with that IV: harmless', () => {
    const other = (j: any) => { j.crypto.cipher.message = 'ab'.repeat(32); j.pubkey = 'cd'.repeat(48); };
    expect(setFindings([entry('a.json'), entry('b.json', other)]).map((x) => x.id)).toEqual(['keystore-iv-reused']);
    const salted = (j: any) => { other(j); j.crypto.kdf.params.salt = '01'.repeat(32); };
    expect(setFindings([entry('a.json'), entry('b.json', salted)]).map((x) => [x.id, x.severity])).toEqual([['keystore-iv-shared-harmless', 'info']]);
    const iterated = (j: any) => { other(j); j.crypto.kdf.params.c += 1; };
    expect(setFindings([entry('a.json'), entry('b.json', iterated)]).map((x) => x.id)).toEqual(['keystore-iv-shared-harmless']);
  });
  it('the duplicate check uses the derived pubkey when given (keystores without a pubkey field)', () => {
    const a = entry('a.json');
    const b = entry('b.json', (j) => { j.crypto.cipher.params.iv = '00'.repeat(16); j.pubkey = 'cd'.repeat(48); });
    expect(setFindings([a, b]).map((x) => x.id)).toEqual(['keystore-kdf-shared']);
    const derived = new Map([['a.json', 'ef'.repeat(48)], ['b.json', 'ef'.repeat(48)]]);
    expect(setFindings([a, b], derived).map((x) => x.id)).toEqual(['keystore-duplicate-pubkey', 'keystore-kdf-shared']);
  });
  it('decryption outcomes', () => {
    const a = entry('a.json');
    expect(decryptFindings(a, { status: 'ok', derivedPubkey: a.parsed.keystore.pubkey })).toEqual([]);
    expect(decryptFindings(a, { status: 'ok', derivedPubkey: 'aa'.repeat(48) }).map((f) => f.id)).toEqual(['keystore-pubkey-mismatch']);
    expect(decryptFindings(a, { status: 'wrong-password' }).map((f) => f.id)).toEqual(['keystore-wrong-password']);
    expect(decryptFindings(a, { status: 'wrong-password' }, { passwordFile: 'pw.txt' })[0]!.fix).not.toMatch(/--password-file/);
    expect(decryptFindings(a, { status: 'wrong-password' }, { retried: true })[0]!.message).toMatch(/neither password/);
    expect(decryptFindings(a, { status: 'invalid-secret' }).map((f) => f.id)).toEqual(['keystore-invalid-secret']);
    expect(decryptFindings(a, { status: 'failed' }).map((f) => f.id)).toEqual(['keystore-decrypt-failed']);
  });

  it('members decryption does not need: absent is a warning naming the clients that refuse it', () => {
    const e = entry('np.json', (j) => { delete j.pubkey; delete j.path; delete j.uuid; });
    expect(e.parsed.missing).toEqual(['pubkey', 'path', 'uuid']);
    const f = fileFindings(e);
    expect(f.map((x) => [x.id, x.severity])).toEqual([
      ['keystore-missing-pubkey', 'warning'],
      ['keystore-missing-path', 'warning'],
      ['keystore-missing-uuid', 'warning'],
    ]);
    expect(f[0]!.message).toMatch(/Lighthouse, Teku, web3signer, Nimbus and Lodestar refuse such a file; Prysm imports it/);
    expect(f[1]!.evidence['refused_by']).toEqual(['nimbus', 'lodestar']);
    // Every refusal names its source: repository, file, commit (or the npm version read).
    for (const x of f) for (const r of x.evidence['rules'] as Array<{ source: string }>) expect(r.source).toMatch(/^[\w-]+\/[\w.-]+ (\S+ @[0-9a-f]{40}|[\d.]+ \(npm\) \S+)/);
    // The derived pubkey is all there is: no mismatch to report.
    expect(decryptFindings(e, { status: 'ok', derivedPubkey: 'aa'.repeat(48) })).toEqual([]);
    // Two pubkey-less keystores are not one duplicate key.
    expect(setFindings([e, entry('np2.json', (j) => { delete j.pubkey; j.crypto.kdf.params.salt = '11'.repeat(32); j.crypto.cipher.params.iv = '22'.repeat(16); })])).toEqual([]);
  });
  it('--client: that client\'s refusals are errors, the others info', () => {
    const e = entry('x.json', (j) => { delete j.path; j.cats = 1; });
    const lh = fileFindings(e, { client: 'lighthouse' });
    expect(lh.map((x) => [x.id, x.severity])).toEqual([['keystore-missing-path', 'info'], ['keystore-unknown-field', 'error']]);
    expect(lh[1]!.message).toMatch(/Lighthouse refuses this file \(JsonKeystore denies unknown fields\)/);
    const nimbus = fileFindings(e, { client: 'nimbus' });
    expect(nimbus.map((x) => [x.id, x.severity])).toEqual([['keystore-missing-path', 'error'], ['keystore-unknown-field', 'info']]);
    const prysm = fileFindings(e, { client: 'prysm' });
    expect(prysm.every((x) => x.severity === 'info')).toBe(true);
  });
  it('per-client KDF limits, pubkey spelling, path index range', () => {
    const kdf = (c: string, mutate: (j: any) => void) => fileFindings(entry('k.json', mutate), { client: c as never }).filter((x) => x.severity === 'error').map((x) => x.id);
    const scrypt = (n: number, r: number, p: number, saltBytes = 32) => (j: any) => { j.crypto.kdf = { function: 'scrypt', params: { dklen: 32, n, r, p, salt: 'ab'.repeat(saltBytes) }, message: '' }; };
    expect(kdf('nimbus', scrypt(2 ** 14, 8, 1))).toEqual(['keystore-client-kdf']);
    expect(kdf('nimbus', scrypt(2 ** 18, 8, 1))).toEqual([]);
    expect(kdf('teku', scrypt(2 ** 16, 1, 8))).toEqual(['keystore-client-kdf']);
    expect(kdf('web3signer', scrypt(2 ** 16, 1, 8))).toEqual(['keystore-client-kdf']);
    expect(kdf('lighthouse', scrypt(2 ** 16, 1, 8))).toEqual([]);
    expect(kdf('lighthouse', scrypt(2 ** 18, 8, 16))).toEqual(['keystore-client-kdf']);
    expect(kdf('lodestar', scrypt(2 ** 18, 8, 1, 16))).toEqual(['keystore-client-kdf']);
    expect(kdf('nimbus', (j) => { j.crypto.kdf.params.salt = 'ab'.repeat(12); })).toEqual(['keystore-client-kdf']);
    expect(kdf('lighthouse', (j) => { j.pubkey = `0x${j.pubkey}`; })).toEqual(['keystore-pubkey-format']);
    expect(kdf('prysm', (j) => { j.pubkey = `0x${j.pubkey}`; })).toEqual(['keystore-pubkey-format']);
    expect(kdf('prysm', (j) => { j.pubkey = j.pubkey.toUpperCase(); })).toEqual([]);
    expect(kdf('lighthouse', (j) => { j.pubkey = j.pubkey.toUpperCase(); })).toEqual(['keystore-pubkey-format']);
    const long = fileFindings(entry('l.json', (j) => { j.path = `m/${'1/'.repeat(20000)}1`; }));
    expect(long.map((x) => x.id)).toEqual(['keystore-nonstandard-path']);
    expect(long[0]!.message.length).toBeLessThan(200);
    const big = fileFindings(entry('p.json', (j) => { j.path = 'm/12381/3600/4294967296/0/0'; }));
    expect(big.map((x) => [x.id, x.severity])).toEqual([['keystore-path-index-range', 'error']]);
  });
});

describe('real batches (fixtures/keystore/batches, PROVENANCE.md)', () => {
  const batch = (dir: string): KeystoreEntry[] => {
    const d = path.join(FIXTURES, 'keystore', 'batches', dir);
    return fs.readdirSync(d).sort().map((f) => ({ file: f, mode: 0o600, parsed: parseKeystore(JSON.parse(fs.readFileSync(path.join(d, f), 'utf8')), f) }));
  };
  it('ethstaker-deposit-cli: one salt, distinct IVs → one info, no error', () => {
    const f = setFindings(batch('esd-hoodi-4'));
    expect(f.map((x) => [x.id, x.severity])).toEqual([['keystore-kdf-shared', 'info']]);
    expect(f[0]!.evidence['keystores']).toBe(4);
  });
  it('staking-deposit-cli before v2.8.0: one salt and one IV → keystore-iv-reused naming every file', () => {
    const f = setFindings(batch('staking-deposit-cli-pre-2.8'));
    expect(f.map((x) => [x.id, x.severity])).toEqual([['keystore-iv-reused', 'error']]);
    expect((f[0]!.evidence['files'] as string[]).length).toBe(3);
    expect(f[0]!.message).toMatch(/staking-deposit-cli before v2\.8\.0/);
  });
  it('ethstaker-deposit-cli test vectors: one salt and IV under pbkdf2 and scrypt (different keys) → harmless info; one secret twice → duplicate, not a copy', () => {
    const f = setFindings(batch('esd-test-vectors'));
    expect(f.map((x) => [x.id, x.severity])).toEqual([['keystore-duplicate-pubkey', 'error'], ['keystore-iv-shared-harmless', 'info']]);
    expect(f[0]!.evidence['copies']).toBe(false);
  });
});
