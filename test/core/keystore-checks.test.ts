import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decryptFindings, fileFindings, setFindings, type KeystoreEntry } from '../../src/core/keystore-checks.js';
import { parseKeystore } from '../../src/core/keystore.js';
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
      ['keystore-unknown-field', 'info'],
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
