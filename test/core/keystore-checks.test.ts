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
  it('across the set: duplicate pubkey, salt and IV reuse, each naming every file', () => {
    const a = entry('a.json');
    const b = entry('b.json', (j) => { j.crypto.cipher.params.iv = '00'.repeat(16); });
    const f = setFindings([a, b, { file: 'bad.json', mode: 0o600, problem: { id: 'keystore-not-json', field: undefined, detail: 'not valid JSON' } }]);
    expect(f.map((x) => x.id)).toEqual(['keystore-duplicate-pubkey', 'keystore-salt-reused']);
    expect(f[0]!.evidence['files']).toEqual(['a.json', 'b.json']);
  });
  it('decryption outcomes', () => {
    const a = entry('a.json');
    expect(decryptFindings(a, { status: 'ok', derivedPubkey: a.parsed.keystore.pubkey })).toEqual([]);
    expect(decryptFindings(a, { status: 'ok', derivedPubkey: 'aa'.repeat(48) }).map((f) => f.id)).toEqual(['keystore-pubkey-mismatch']);
    expect(decryptFindings(a, { status: 'wrong-password' }).map((f) => f.id)).toEqual(['keystore-wrong-password']);
    expect(decryptFindings(a, { status: 'invalid-secret' }).map((f) => f.id)).toEqual(['keystore-invalid-secret']);
    expect(decryptFindings(a, { status: 'failed' }).map((f) => f.id)).toEqual(['keystore-decrypt-failed']);
  });
});
