/**
 * `coldstake keystore verify` through the real binary: every vector with its password, and a
 * mutation suite where each broken keystore must fail with the right finding id.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { makeKeystore, pubkeyOf, SECRETS, TEST_PASSWORD, writeKeystore } from '../helpers/keystores.js';
import { HAS_GNU_TIME, runCliCpu } from '../helpers/cpu.js';

const KDIR = path.join(FIXTURES, 'keystore');
const ERC_PASSWORD = '𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑';
let tmp: string;
let pwFile: string;
let base: Record<string, any>;
let other: Record<string, any>;

interface Json { ok: boolean; command: string; findings: Array<{ id: string; severity: string; subject: string; evidence: any }>; keystores: Array<Record<string, any>> }

function verify(paths: string[], password = pwFile, extra: string[] = []): { code: number | null; json: Json; stderr: string } {
  const r = runCli(['keystore', 'verify', ...paths, '--password-file', password, '--json', ...extra]);
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}

const ids = (j: Json) => j.findings.map((f) => f.id).sort();
const errorIds = (j: Json) => [...new Set(j.findings.filter((f) => f.severity === 'error').map((f) => f.id))].sort();

function pw(text: string): string {
  const f = path.join(tmp, `pw-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(f, `${text}\n`, { mode: 0o600 });
  return f;
}

/** A fresh directory holding the given keystores. */
function dirWith(files: Record<string, unknown>, mode = 0o600): string {
  const d = fs.mkdtempSync(path.join(tmp, 'set-'));
  for (const [name, ks] of Object.entries(files)) writeKeystore(d, name, ks, mode);
  return d;
}

/** Copy a vector without the `password`/`secret` members the ChainSafe vectors carry. */
function stripped(name: string): { file: string; password: string } {
  const j = JSON.parse(fs.readFileSync(path.join(KDIR, name), 'utf8'));
  const password = j.password ?? (name.startsWith('keystore-') ? 'testtest' : ERC_PASSWORD);
  delete j.password;
  delete j.secret;
  return { file: writeKeystore(fs.mkdtempSync(path.join(tmp, 'vec-')), 'keystore-vector.json', j), password };
}

beforeAll(async () => {
  tmp = mkTmp();
  pwFile = pw(TEST_PASSWORD);
  base = await makeKeystore({ secret: SECRETS[0], path: 'm/12381/3600/0/0/0' });
  other = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0' });
});
afterAll(() => rmTmp(tmp));

describe('vectors', () => {
  it.each(['pbkdf2_keystore.json', 'pbkdf2-0.json', 'pbkdf2-1.json'])('pbkdf2 vector %s decrypts and its secret derives its pubkey', (name) => {
    const v = stripped(name);
    const { code, json } = verify([v.file], pw(v.password));
    expect(errorIds(json)).toEqual([]);
    expect(code).toBe(0);
    expect(json.keystores[0]!['decrypted']).toBe('ok');
  });

  it('scrypt vectors at n=2^18 (targeted: ERC-2335, ChainSafe, ethdo)', () => {
    for (const name of ['scrypt_keystore.json', 'scrypt-0.json', 'scrypt-1.json', 'keystore-m_12381_3600_0_0_0-ethdo-test.json']) {
      const v = stripped(name);
      const { code, json } = verify([v.file], pw(v.password));
      expect(errorIds(json), name).toEqual([]);
      expect(code, name).toBe(0);
      expect(json.keystores[0]!['decrypted'], name).toBe('ok');
    }
  });

  it('a vector kept verbatim (password and secret inside the file) is flagged', () => {
    const { code, json } = verify([path.join(KDIR, 'pbkdf2-0.json')], pw('testpassword'));
    expect(errorIds(json)).toEqual(['keystore-plaintext-secret']);
    expect(code).toBe(1);
  });

  it('the same keystore copied twice is reported once, as a copy (not also as salt or IV reuse)', () => {
    const d = fs.mkdtempSync(path.join(tmp, 'erc-'));
    fs.copyFileSync(path.join(KDIR, 'pbkdf2_keystore.json'), path.join(d, 'keystore-a.json'));
    fs.copyFileSync(path.join(KDIR, 'pbkdf2_keystore.json'), path.join(d, 'keystore-b.json'));
    const { json } = verify([d], pw(ERC_PASSWORD));
    expect(errorIds(json)).toEqual(['keystore-duplicate-pubkey']);
    const dup = json.findings.filter((f) => f.id === 'keystore-duplicate-pubkey');
    expect(dup).toHaveLength(1);
    expect(dup[0]!.evidence.copies).toBe(true);
    expect((dup[0] as any).message).toMatch(/the same keystore is present twice/);
    expect((dup[0] as any).fix).toMatch(/^remove the copy/);
    expect(ids(json)).not.toContain('keystore-iv-reused');
    expect(ids(json)).not.toContain('keystore-kdf-shared');
  });
});

describe('a clean low-cost set passes', () => {
  it('two signing keystores, mode 0600', () => {
    const d = dirWith({ 'keystore-m_12381_3600_0_0_0-1.json': base, 'keystore-m_12381_3600_1_0_0-1.json': other, 'deposit_data-1.json': [{ pubkey: 'x' }] });
    const { code, json } = verify([d]);
    expect(json.findings).toEqual([]);
    expect(code).toBe(0);
    expect(json.keystores.map((k) => k['pubkey'])).toEqual([`0x${pubkeyOf(SECRETS[0])}`, `0x${pubkeyOf(SECRETS[1])}`]);
  });
  it('human output: one line per file with a mark', () => {
    const d = dirWith({ 'keystore-a.json': base, 'keystore-b.json': other });
    const r = runCli(['keystore', 'verify', d, '--password-file', pwFile]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('✓ '))).toHaveLength(3);
    expect(r.stderr).toBe('');
  });
});

describe('mutations fail with the right finding', () => {
  const flip = (h: string, at = h.length - 1) => h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);
  const mutate = (f: (j: any) => void) => { const j = structuredClone(base); f(j); return j; };

  it.each([
    ['kdf salt', (j: any) => { j.crypto.kdf.params.salt = flip(j.crypto.kdf.params.salt); }, ['keystore-wrong-password']],
    ['checksum', (j: any) => { j.crypto.checksum.message = flip(j.crypto.checksum.message); }, ['keystore-wrong-password']],
    ['cipher message', (j: any) => { j.crypto.cipher.message = flip(j.crypto.cipher.message); }, ['keystore-wrong-password']],
    ['pubkey', (j: any) => { j.pubkey = flip(j.pubkey); }, ['keystore-pubkey-mismatch']],
  ])('flipped hex field: %s', (_n, f, want) => {
    const { code, json } = verify([dirWith({ 'keystore-x.json': mutate(f) })]);
    expect(errorIds(json)).toEqual(want);
    expect(code).toBe(1);
  });

  // The checksum does not cover the IV, so a flipped IV decrypts (to other bytes). With salt and IV
  // fixed those bytes are fixed too: a valid scalar of another key for one IV, and a value at or
  // above the curve order (no secret key at all) for the other.
  it.each([
    ['44'.repeat(16), 'a scalar of another key', 'keystore-pubkey-mismatch'],
    ['55'.repeat(16), 'a value at or above the curve order', 'keystore-invalid-secret'],
  ])('flipped IV %s: the secret decrypts to %s', async (iv, _what, want) => {
    const ks = await makeKeystore({ secret: SECRETS[0], salt: '11'.repeat(32), iv });
    expect(ks['crypto'].cipher.params.iv).toBe(iv);
    const { code, json } = verify([dirWith({ 'keystore-x.json': { ...ks, crypto: { ...ks['crypto'], cipher: { ...ks['crypto'].cipher, params: { iv: flip(iv) } } } } })]);
    expect(errorIds(json)).toEqual([want]);
    expect(json.findings.map((f) => f.id)).toEqual([want]);
    expect(code).toBe(1);
  });

  it('pubkey replaced by another valid pubkey (checksum still fine)', () => {
    const { code, json } = verify([dirWith({ 'keystore-x.json': mutate((j) => { j.pubkey = other['pubkey']; }) })]);
    expect(errorIds(json)).toEqual(['keystore-pubkey-mismatch']);
    expect(json.keystores[0]!['decrypted']).toBe('ok');
    const f = json.findings.find((x) => x.id === 'keystore-pubkey-mismatch')!;
    expect(f.evidence.derived_pubkey).toBe(`0x${pubkeyOf(SECRETS[0])}`);
    expect(code).toBe(1);
  });

  it('one salt, distinct IVs (the ethstaker-deposit-cli batch layout): info, exit 0', async () => {
    const a = await makeKeystore({ secret: SECRETS[0], salt: base['crypto'].kdf.params.salt });
    const b = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', salt: base['crypto'].kdf.params.salt });
    const { code, json } = verify([dirWith({ 'keystore-a.json': a, 'keystore-b.json': b })]);
    expect(ids(json)).toEqual(['keystore-kdf-shared']);
    expect(json.findings[0]!.severity).toBe('info');
    expect(json.findings[0]!.evidence.keystores).toBe(2);
    expect(json.keystores.map((k) => k['decrypted'])).toEqual(['ok', 'ok']);
    expect(code).toBe(0);
  });

  it('one salt AND one IV (one AES-CTR keystream, staking-deposit-cli < 2.8.0): keystore-iv-reused', async () => {
    const a = await makeKeystore({ secret: SECRETS[0], salt: base['crypto'].kdf.params.salt, iv: base['crypto'].cipher.params.iv });
    const b = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', salt: base['crypto'].kdf.params.salt, iv: base['crypto'].cipher.params.iv });
    const { code, json } = verify([dirWith({ 'keystore-a.json': a, 'keystore-b.json': b })]);
    expect(errorIds(json)).toEqual(['keystore-iv-reused']);
    const f = json.findings.find((x) => x.id === 'keystore-iv-reused') as any;
    expect(f.message).toMatch(/staking-deposit-cli before v2\.8\.0/);
    expect(f.fix).toMatch(/coldstake keys new with the same --start-index and --count\), then delete these files and every copy/);
    expect(ids(json)).not.toContain('keystore-kdf-shared');
    expect(code).toBe(1);
  });

  it('one IV under different salts: different keystreams, info only', async () => {
    const b = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', iv: base['crypto'].cipher.params.iv });
    const { code, json } = verify([dirWith({ 'keystore-a.json': base, 'keystore-b.json': b })]);
    expect(ids(json)).toEqual(['keystore-iv-shared-harmless']);
    expect(code).toBe(0);
  });

  it('a shared KDF key still tells a wrong password apart per keystore (one re-encrypted under another password)', async () => {
    const a = await makeKeystore({ secret: SECRETS[0], salt: base['crypto'].kdf.params.salt });
    const b = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/1/0/0', salt: base['crypto'].kdf.params.salt, password: 'another password entirely' });
    const { code, json } = verify([dirWith({ 'keystore-a.json': a, 'keystore-b.json': b })]);
    expect(json.keystores.map((k) => k['decrypted'])).toEqual(['ok', 'wrong-password']);
    expect(errorIds(json)).toEqual(['keystore-wrong-password']);
    // What failed first leads; with --password-file the fix does not suggest --password-file.
    expect(json.findings[0]!.id).toBe('keystore-password-failed');
    const wrong = json.findings.find((f) => f.id === 'keystore-wrong-password') as any;
    expect(wrong.fix).not.toMatch(/--password-file/);
    expect(wrong.message).toMatch(/password file/);
    expect(code).toBe(1);
  });

  it('the same key twice (double-signing risk)', async () => {
    const again = await makeKeystore({ secret: SECRETS[0] });
    const { json } = verify([dirWith({ 'keystore-a.json': base, 'keystore-b.json': again })]);
    expect(errorIds(json)).toEqual(['keystore-duplicate-pubkey']);
  });

  it('withdrawal-path keystore', async () => {
    const w = await makeKeystore({ secret: SECRETS[1], path: 'm/12381/3600/0/0' });
    const { code, json } = verify([dirWith({ 'keystore-w.json': w })]);
    expect(errorIds(json)).toEqual(['keystore-withdrawal-path']);
    expect(code).toBe(1);
  });

  it('world-readable and group-readable files', () => {
    expect(ids(verify([dirWith({ 'keystore-a.json': base }, 0o644)]).json)).toEqual(['keystore-file-world-readable']);
    expect(ids(verify([dirWith({ 'keystore-a.json': base }, 0o640)]).json)).toEqual(['keystore-file-group-readable']);
  });

  it('weak KDF is a warning, not a failure', async () => {
    const weak = await makeKeystore({ c: 2 ** 10 });
    const { code, json } = verify([dirWith({ 'keystore-a.json': weak })]);
    expect(ids(json)).toEqual(['keystore-weak-kdf']);
    expect(code).toBe(0);
  });

  it('wrong password', () => {
    const { code, json } = verify([dirWith({ 'keystore-a.json': base })], pw('not the password'));
    expect(errorIds(json)).toEqual(['keystore-wrong-password']);
    expect(code).toBe(1);
  });
});

describe('malformed input: exit 2 with the file and field named, never a KDF run', () => {
  const bomb = (kdf: Record<string, unknown>) => {
    const j = structuredClone(base);
    j.crypto.kdf = { function: 'scrypt', params: { dklen: 32, n: 2 ** 18, r: 8, p: 1, salt: j.crypto.kdf.params.salt, ...kdf }, message: '' };
    return j;
  };
  it.each([
    ['scrypt n = 2^33 (1 TiB)', () => bomb({ n: 2 ** 33 }), 'crypto.kdf.params.n'],
    ['scrypt r = 2^24', () => bomb({ r: 2 ** 24 }), 'crypto.kdf.params.n'],
    ['scrypt p = 2^30', () => bomb({ p: 2 ** 30 }), 'crypto.kdf.params.p'],
    ['scrypt dklen = 2^31', () => bomb({ dklen: 2 ** 31 }), 'crypto.kdf.params.dklen'],
    ['pbkdf2 c = 2^40', () => { const j = structuredClone(base); j.crypto.kdf.params.c = 2 ** 40; return j; }, 'crypto.kdf.params.c'],
  ])('KDF bomb: %s', (_n, make, field) => {
    const ks = make();
    // Refused before any KDF work: bounded in CPU time (launcher and program), which a loaded
    // machine does not stretch; a 2^33 scrypt would run for hours.
    const r = runCliCpu(['keystore', 'verify', dirWith({ 'keystore-bomb.json': ks }), '--password-file', pwFile, '--json']);
    assertCleanStderr(r.stderr);
    if (HAS_GNU_TIME) expect(r.cpuMs).not.toBeNull();
    if (r.cpuMs !== null) expect(r.cpuMs).toBeLessThan(5000);
    const { code, json, stderr } = { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
    expect(code).toBe(2);
    expect(errorIds(json)).toEqual(['keystore-kdf-bounds']);
    expect(json.findings[0]!.evidence.field).toBe(field);
    expect(stderr).toMatch(new RegExp(`^coldstake: error: .*keystore-bomb\\.json: ${field.replace(/\./g, '\\.')}: `, 'm'));
  });

  it.each([
    ['truncated', (s: string) => s.slice(0, s.length / 2), 'keystore-not-json'],
    ['not JSON', () => 'hello\n', 'keystore-not-json'],
    ['not UTF-8', () => '\u00ff', 'keystore-not-json'],
    ['version 3', (s: string) => s.replace('"version": 4', '"version": 3'), 'keystore-version'],
    // An absent pubkey is not malformed (decrypted, derived pubkey reported: keystore-wild.test.ts); a broken one is.
    ['pubkey not hex', (s: string) => s.replace(/"pubkey": "[0-9a-fA-Fx]+"/, '"pubkey": "zz"'), 'keystore-schema'],
  ])('%s', (name, f, id) => {
    const d = fs.mkdtempSync(path.join(tmp, 'bad-'));
    const text = f(`${JSON.stringify(base, null, 2)}\n`);
    fs.writeFileSync(path.join(d, 'keystore-bad.json'), name === 'not UTF-8' ? Buffer.from([0xff, 0xfe, 0x7b]) : text, { mode: 0o600 });
    writeKeystore(d, 'keystore-good.json', other);
    const { code, json, stderr } = verify([d]);
    expect(code).toBe(2);
    expect(errorIds(json)).toEqual([id]);
    expect(json.keystores.find((k) => k['file'].endsWith('keystore-good.json'))!['decrypted']).toBe('ok');
    expect(stderr).toMatch(/keystore-bad\.json: /);
    expect(stderr).not.toMatch(/crypto.*kdf.*salt.*[0-9a-f]{16}/);
  });

  it('a file over 64 KiB is refused before parsing', () => {
    const d = fs.mkdtempSync(path.join(tmp, 'big-'));
    fs.writeFileSync(path.join(d, 'keystore-big.json'), JSON.stringify({ ...base, description: 'x'.repeat(70_000) }), { mode: 0o600 });
    const { code, json } = verify([d]);
    expect(code).toBe(2);
    expect(errorIds(json)).toEqual(['keystore-unreadable']);
  });

  it('a missing path and an empty directory are usage errors', () => {
    const r = runCli(['keystore', 'verify', path.join(tmp, 'nope'), '--password-file', pwFile]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coldstake: error: .*nope: no such file or directory$/m);
    const r2 = runCli(['keystore', 'verify', fs.mkdtempSync(path.join(tmp, 'empty-')), '--password-file', pwFile]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/no keystore files found/);
  });

  it('without a terminal and without --password-file it says how to give the password', () => {
    const r = runCli(['keystore', 'verify', dirWith({ 'keystore-a.json': base })]);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/--password-file/);
  });
});

describe('--deposit-data: keystores and deposit entries one to one', () => {
  const deposit = path.join(FIXTURES, 'deposit', 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_true', 'deposit_data-1715584107.json');
  /** Keystores of the Lighthouse vectors' validators `indices`, named keystore-<i>.json, in a fresh directory. */
  async function lighthouseKeystores(indices: number[]): Promise<string> {
    const { deriveValidatorKeys } = await import('../../src/core/eth/derivation.js');
    const { mnemonicToSeed } = await import('../../src/core/mnemonic/mnemonic.js');
    const { LIGHTHOUSE_MNEMONIC } = await import('../helpers/keystores.js');
    const seed = mnemonicToSeed(LIGHTHOUSE_MNEMONIC);
    const files: Record<string, unknown> = {};
    for (const i of indices) {
      const k = deriveValidatorKeys(seed, i);
      files[`keystore-${i}.json`] = await makeKeystore({ secret: Buffer.from(k.signingSk).toString('hex'), path: k.signingPath });
    }
    return dirWith(files);
  }

  it('matching keystores pass; with --network the deposit file is verified too', async () => {
    const d = await lighthouseKeystores([0, 1]);
    const ok = verify([d], pwFile, ['--deposit-data', deposit, '--network', 'mainnet']);
    expect(ok.json.findings).toEqual([]);
    expect(ok.code).toBe(0);
    const wrongNet = verify([d], pwFile, ['--deposit-data', deposit, '--network', 'hoodi']);
    expect(errorIds(wrongNet.json)).toEqual(['deposit-wrong-network']); // issue 18: one lead finding
    const one = await lighthouseKeystores([0]);
    const missing = verify([one], pwFile, ['--deposit-data', deposit]);
    expect(errorIds(missing.json)).toEqual(['deposit-keystore-missing']);
    expect(missing.code).toBe(1);
  });

  it('human output: one ✓/✗ line per keystore and per deposit entry; --json has the entries', async () => {
    const pubkeys = JSON.parse(fs.readFileSync(deposit, 'utf8')).map((e: { pubkey: string }) => `0x${e.pubkey}`);
    const both = await lighthouseKeystores([0, 1]);
    const ok = runCli(['keystore', 'verify', both, '--password-file', pwFile, '--deposit-data', deposit, '--network', 'mainnet']);
    expect(ok.code).toBe(0);
    const okLines = ok.stdout.split('\n');
    expect(okLines.filter((l) => /^✓ .*keystore-[01]\.json  0x/.test(l))).toHaveLength(2);
    expect(okLines).toContain(`${deposit}: 2 entries for mainnet`);
    expect(okLines).toContain(`✓ [0] ${pubkeys[0].slice(0, 14)}…`);
    expect(okLines).toContain(`✓ [1] ${pubkeys[1].slice(0, 14)}…`);

    // Keystore 1 missing: its deposit entry is ✗ with the reason; entry 0 stays ✓ (network inferred).
    const one = await lighthouseKeystores([0]);
    const bad = runCli(['keystore', 'verify', one, '--password-file', pwFile, '--deposit-data', deposit]);
    expect(bad.code).toBe(1);
    const badLines = bad.stdout.split('\n');
    expect(badLines).toContain(`${deposit}: 2 entries for mainnet`);
    expect(badLines).toContain(`✓ [0] ${pubkeys[0].slice(0, 14)}…`);
    expect(badLines).toContain(`✗ [1] ${pubkeys[1].slice(0, 14)}…  deposit-keystore-missing`);

    const { json } = verify([one], pwFile, ['--deposit-data', deposit]);
    expect(json).toMatchObject({ deposit_file: deposit, network: 'mainnet', count: 2 });
    expect((json as unknown as { entries: unknown }).entries).toEqual([
      { index: 0, pubkey: pubkeys[0], ok: true, errors: [] },
      { index: 1, pubkey: pubkeys[1], ok: false, errors: ['deposit-keystore-missing'] },
    ]);
  });

  it('a malformed --deposit-data file is one ✗ line naming the problem (exit 2)', () => {
    const f = path.join(tmp, 'deposit_data-broken.json');
    fs.writeFileSync(f, '[{"pubkey": ');
    const r = runCli(['keystore', 'verify', dirWith({ 'keystore-a.json': base }), '--password-file', pwFile, '--deposit-data', f, '--network', 'mainnet']);
    expect(r.code).toBe(2);
    expect(r.stdout.split('\n')).toContain(`✗ ${f}  deposit-schema`);
  });
});


describe('real batches through the binary (fixtures/keystore/batches)', () => {
  const copyBatch = (dir: string): string => {
    const d = fs.mkdtempSync(path.join(tmp, 'batch-'));
    const src = path.join(KDIR, 'batches', dir);
    for (const f of fs.readdirSync(src)) { fs.copyFileSync(path.join(src, f), path.join(d, f)); fs.chmodSync(path.join(d, f), 0o600); }
    return d;
  };
  it('an ethstaker-deposit-cli batch (scrypt n=2^18, one salt, 4 IVs) verifies clean with one KDF run: exit 0 and the info', () => {
    const { code, json } = verify([copyBatch('esd-hoodi-4')], pw('MyPassword12'));
    expect(ids(json)).toEqual(['keystore-kdf-shared']);
    expect(json.keystores.map((k) => k['decrypted'])).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(code).toBe(0);
  });
  it('a staking-deposit-cli < 2.8.0 batch (one salt and one IV) decrypts (one KDF run) and fails with keystore-iv-reused only', () => {
    const { code, json } = verify([copyBatch('staking-deposit-cli-pre-2.8')], pw('MyTestPassword'));
    expect(errorIds(json)).toEqual(['keystore-iv-reused']);
    expect(json.keystores.map((k) => k['decrypted'])).toEqual(['ok', 'ok', 'ok']);
    expect(code).toBe(1);
  });
});
