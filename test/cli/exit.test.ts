/**
 * `coldstake exit sign` and `exit verify` through the real binary, against ethstaker-deposit-cli's
 * own signed exits (fixtures/exit/esd, see its PROVENANCE.md) for the public test mnemonic: every
 * file reproduced byte for byte (the unixtime in the name aside), every one verified, and each kind
 * of tampering caught. BLS work is kept to the few vectors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAirgapCheck } from '../../src/cli/airgap-host.js';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC } from '../helpers/keystores.js';

const ESD = path.join(FIXTURES, 'exit', 'esd');
const VALIDATORS = path.join(FIXTURES, 'exit', 'validators');
const BEACON_MAINNET = path.join(VALIDATORS, 'beacon-api-mainnet-1000-1002.json');
const ETHDO_HOODI = path.join(VALIDATORS, 'offline-preparation-hoodi.json');
const ETHDO_MAINNET = path.join(VALIDATORS, 'offline-preparation-mainnet.json');
const KEYSTORE_DIR = path.join(ESD, 'keystore');
const KEYSTORE = path.join(KEYSTORE_DIR, 'keystore-m_12381_3600_1_0_0-1796534743.json');
const KEYSTORE_EXIT = path.join(ESD, 'exit-keystore', 'signed_exit_transaction-777-1796534776.json');
/** The signing pubkeys of keys 0 and 1 of the test mnemonic (validators 1000 and 1001 in the vectors). */
const PUBKEY_0 = '0x88b6b3a9b391fa5593e8bce8d06102df1a56248368086929709fbb4a8570dc6a560febeef8159b19789e9c1fd13572f0';
const PUBKEY_1 = '0xa33ab9d93fb53c4f027944aaa11a13be0c150b7cc2e379d85d1ed4db38d178b4e4ebeae05832158b8c746c1961da00ce';
const NAME_RE = /^signed_exit_transaction-(\d+)-(\d+)\.json$/;

let tmp: string;
let mnemonicFile: string;
let passwordFile: string;

interface Json { ok: boolean; command: string; findings: Array<{ id: string; severity: string; subject: string; evidence: any }>; exits: Array<Record<string, any>>; [k: string]: unknown }

function vectorDir(name: string): string {
  return path.join(ESD, 'exit-mnemonic', name);
}
function filesIn(dir: string): string[] {
  return fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
}
function verify(files: string[], args: string[]): { code: number | null; json: Json; stderr: string } {
  const r = runCli(['exit', 'verify', ...files, '--json', ...args]);
  assertCleanStderr(r.stderr);
  return { code: r.code, json: JSON.parse(r.stdout) as Json, stderr: r.stderr };
}
function ids(json: Json): string[] {
  return json.findings.map((f) => f.id);
}
/** A copy of `file` in the temp dir with its JSON changed by `edit`, written as the peer writes (Python separators). */
function tampered(file: string, name: string, edit: (o: any) => void): string {
  const o = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(o);
  const out = path.join(tmp, name);
  fs.writeFileSync(out, JSON.stringify(o).replace(/":/g, '": ').replace(/,"/g, ', "'));
  return out;
}

beforeAll(() => {
  tmp = mkTmp();
  mnemonicFile = path.join(tmp, 'mnemonic');
  fs.writeFileSync(mnemonicFile, `${LIGHTHOUSE_MNEMONIC}\n`, { mode: 0o600 });
  passwordFile = path.join(tmp, 'password');
  fs.writeFileSync(passwordFile, 'MyPassword12\n', { mode: 0o600 });
});
afterAll(() => rmTmp(tmp));

describe('exit sign reproduces ethstaker-deposit-cli byte for byte', () => {
  it.each([
    ['mainnet', '0'],
    ['mainnet', '305000'],
    ['hoodi', '0'],
    ['hoodi', '305000'],
  ])('from the mnemonic: %s, epoch %s (keys 0, 1 exit validators 1000, 1001)', (network, epoch) => {
    const out = path.join(tmp, `sign-${network}-${epoch}`);
    const r = runCli(['exit', 'sign', '--allow-online', '--network', network, '--epoch', epoch, '--start-index', '0', '--validator-indices', '1000,1001', '--mnemonic-file', mnemonicFile, '--out', out, '--json']);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    expect(json.exits.map((e) => [e['validator_index'], e['key_index'], e['pubkey']])).toEqual([['1000', 0, PUBKEY_0], ['1001', 1, PUBKEY_1]]);
    expect(ids(json)).toContain('exit-irreversible');
    const ours = fs.readdirSync(out).sort();
    const theirs = fs.readdirSync(vectorDir(`${network}-epoch${epoch}`)).sort();
    expect(ours.map((f) => NAME_RE.exec(f)?.[1])).toEqual(theirs.map((f) => NAME_RE.exec(f)?.[1]));
    ours.forEach((f, i) => {
      expect(fs.readFileSync(path.join(out, f))).toEqual(fs.readFileSync(path.join(vectorDir(`${network}-epoch${epoch}`), theirs[i]!)));
      expect(fs.statSync(path.join(out, f)).mode & 0o777).toBe(0o600);
    });
  });

  it('from a keystore: hoodi, validator 777', () => {
    const out = path.join(tmp, 'sign-keystore');
    const r = runCli(['exit', 'sign', '--allow-online', '--network', 'hoodi', '--keystore', KEYSTORE, '--validator-index', '777', '--password-file', passwordFile, '--out', out]);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/irreversible once broadcast/);
    const [f] = fs.readdirSync(out);
    expect(NAME_RE.exec(f!)?.[1]).toBe('777');
    expect(fs.readFileSync(path.join(out, f!))).toEqual(fs.readFileSync(KEYSTORE_EXIT));
  });

  it('a wrong keystore password: exit 2, nothing written', () => {
    const bad = path.join(tmp, 'bad-password');
    fs.writeFileSync(bad, 'NotThePassword\n', { mode: 0o600 });
    const out = path.join(tmp, 'sign-bad-password');
    const r = runCli(['exit', 'sign', '--allow-online', '--network', 'hoodi', '--keystore', KEYSTORE, '--validator-index', '777', '--password-file', bad, '--out', out]);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/password in --password-file does not open/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('exit sign refuses bad input before any secret: exit 2, nothing written', () => {
  it.each([
    [['--validator-indices', '1000,18446744073709551616'], /--validator-indices position 2: must be below 2\^64/],
    [['--validator-indices', '1,2', '--start-index', '4294967295'], /goes past the last key index 2\^32-1/],
    [['--validator-indices', '1000', '--network', 'goerli'], /--network: unknown network 'goerli'/],
    [['--keystore', KEYSTORE], /--keystore needs --validator-index N/],
    [['--keystore', KEYSTORE, '--validator-index', '7', '--validator-indices', '1'], /--validator-indices belong to signing from the mnemonic/],
  ])('%j', (args, message) => {
    const out = path.join(tmp, 'never-created');
    const argv = ['exit', 'sign', '--allow-online', ...(args.includes('--keystore') ? [] : ['--mnemonic-file', mnemonicFile]), '--out', out, ...args];
    if (!args.includes('--network')) argv.push('--network', 'mainnet');
    const r = runCli(argv);
    assertCleanStderr(r.stderr);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(fs.existsSync(out)).toBe(false);
  });

  it.skipIf(runAirgapCheck().airgapped)('on a machine that is not airgapped, without --allow-online: refused (exit 3), nothing written', () => {
    const out = path.join(tmp, 'gated');
    const r = runCli(['exit', 'sign', '--network', 'mainnet', '--validator-indices', '1000', '--mnemonic-file', mnemonicFile, '--out', out, '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, command: 'exit sign', refused: 'not-airgapped' });
    expect(fs.existsSync(out)).toBe(false);
  });

  it('a non-empty --out is refused (exit 3) before the mnemonic is read', () => {
    const out = path.join(tmp, 'not-empty');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'x'), '');
    const r = runCli(['exit', 'sign', '--allow-online', '--network', 'mainnet', '--validator-indices', '1', '--mnemonic-file', '/nonexistent', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is not empty/);
  });
});

describe('exit verify', () => {
  it('passes every vector: mainnet against a beacon-API response, hoodi against ethdo\'s offline-preparation.json', () => {
    const mainnet = verify([...filesIn(vectorDir('mainnet-epoch0')), ...filesIn(vectorDir('mainnet-epoch305000'))], ['--network', 'mainnet', '--validators', BEACON_MAINNET]);
    expect(mainnet.code).toBe(0);
    expect(mainnet.json.exits.map((e) => [e['validator_index'], e['epoch'], e['pubkey'], e['ok']])).toEqual([
      ['1000', '0', PUBKEY_0, true], ['1001', '0', PUBKEY_1, true], ['1000', '305000', PUBKEY_0, true], ['1001', '305000', PUBKEY_1, true],
    ]);
    expect(mainnet.json['validators_file']).toMatchObject({ format: 'beacon-api', validators: 3 });
    expect(ids(mainnet.json)).toEqual(['exit-duplicate-validator', 'exit-duplicate-validator']);

    const hoodi = verify([...filesIn(vectorDir('hoodi-epoch0')), ...filesIn(vectorDir('hoodi-epoch305000'))], ['--network', 'hoodi', '--validators', ETHDO_HOODI]);
    expect(hoodi.code).toBe(0);
    expect(hoodi.json.exits.every((e) => e['ok'])).toBe(true);
    expect(hoodi.json['validators_file']).toMatchObject({ format: 'ethdo-offline-preparation', epoch: '50000' });
    // Hoodi's epoch 305000 is years ahead: valid, but not includable yet.
    expect(hoodi.json.findings.filter((f) => f.id === 'exit-epoch-future').map((f) => f.severity)).toEqual(['warning', 'warning']);
  });

  it('passes the keystore vector with --pubkey and with --keystores + --index-map', () => {
    expect(verify([KEYSTORE_EXIT], ['--network', 'hoodi', '--pubkey', PUBKEY_1]).code).toBe(0);
    const map = path.join(tmp, 'index-map');
    fs.writeFileSync(map, `# validator index = keystore file\n777=${path.basename(KEYSTORE)}\n`);
    const r = verify([KEYSTORE_EXIT], ['--network', 'hoodi', '--keystores', KEYSTORE_DIR, '--index-map', map]);
    expect(r.code).toBe(0);
    expect(r.json.exits[0]).toMatchObject({ validator_index: '777', pubkey: PUBKEY_1, pubkey_from: KEYSTORE, ok: true });
  });

  it('catches a changed index, a changed epoch and a signature from another key', () => {
    const v1000 = filesIn(vectorDir('mainnet-epoch0'))[0]!;
    const v1001 = filesIn(vectorDir('mainnet-epoch0'))[1]!;
    const index = tampered(v1000, 'index.json', (o) => { o.message.validator_index = '1002'; });
    const epoch = tampered(v1000, 'epoch.json', (o) => { o.message.epoch = '1'; });
    const otherKey = tampered(v1000, 'other-key.json', (o) => { o.signature = JSON.parse(fs.readFileSync(v1001, 'utf8')).signature; });
    const r = verify([index, epoch, otherKey], ['--network', 'mainnet', '--validators', BEACON_MAINNET]);
    expect(r.code).toBe(1);
    expect(r.json.exits.map((e) => [e['validator_index'], e['ok'], e['errors']])).toEqual([
      ['1002', false, ['exit-signature-invalid']], ['1000', false, ['exit-signature-invalid']], ['1000', false, ['exit-signature-invalid']],
    ]);
    // Validator 1002 has exited in that validators file: said too.
    expect(ids(r.json)).toContain('exit-validator-already-exiting');
    // The same with the pubkey given: the changed index still fails.
    expect(verify([index], ['--network', 'mainnet', '--pubkey', PUBKEY_0]).json.findings.map((f) => f.id)).toEqual(['exit-signature-invalid']);
  });

  it('catches another network: the file, and the validators file', () => {
    const r = verify(filesIn(vectorDir('hoodi-epoch0')), ['--network', 'mainnet', '--validators', BEACON_MAINNET]);
    expect(r.code).toBe(1);
    expect(r.json.findings.map((f) => [f.id, f.evidence['signed_for']])).toEqual([['exit-other-network', ['hoodi']], ['exit-other-network', ['hoodi']]]);
    const wrongSet = verify(filesIn(vectorDir('hoodi-epoch0')), ['--network', 'hoodi', '--validators', ETHDO_MAINNET]);
    expect(wrongSet.code).toBe(1);
    expect(ids(wrongSet.json)).toEqual(['exit-validators-other-network']);
    expect(wrongSet.json.exits.map((e) => e['ok'])).toEqual([false, false]);
  });

  it('a validator the source does not know: exit-validator-unknown', () => {
    const r = verify([KEYSTORE_EXIT], ['--network', 'hoodi', '--validators', ETHDO_HOODI]);
    expect(r.code).toBe(1);
    expect(ids(r.json)).toEqual(['exit-validator-unknown']);
  });

  it('malformed files: one exit-schema finding each, naming the field; exit 2', () => {
    const cases: Array<[string, (o: any) => void, string]> = [
      ['an extra field', (o) => { o.message.extra = '1'; }, 'message.extra: unexpected field'],
      ['a number instead of a decimal string', (o) => { o.message.epoch = 0; }, 'message.epoch: must be a decimal string, got a number'],
      ['a leading zero', (o) => { o.message.validator_index = '01000'; }, 'message.validator_index: must be a decimal whole number without sign or leading zeros'],
      ['an index of 2^64', (o) => { o.message.validator_index = '18446744073709551616'; }, 'message.validator_index: must be below 2^64'],
      ['an epoch of 2^64', (o) => { o.message.epoch = '18446744073709551616'; }, 'message.epoch: must be below 2^64'],
      ['a short signature', (o) => { o.signature = o.signature.slice(0, 100); }, 'signature: must be 96 bytes'],
      ['a signature off the curve', (o) => { o.signature = `0x${'ff'.repeat(96)}`; }, 'signature: is not a BLS signature'],
      ['no message', (o) => { delete o.message; }, 'message: missing'],
    ];
    const files = cases.map(([name, edit]) => tampered(filesIn(vectorDir('mainnet-epoch0'))[0]!, `malformed-${name.replace(/\W+/g, '-')}.json`, edit));
    const good = filesIn(vectorDir('mainnet-epoch0'))[0]!;
    const r = verify([...files, good], ['--network', 'mainnet', '--validators', BEACON_MAINNET]);
    expect(r.code).toBe(2);
    expect(r.json.findings.map((x) => [x.id, x.severity, x.subject])).toEqual(files.map((f) => ['exit-schema', 'error', f]));
    cases.forEach(([, , detail], i) => expect(r.stderr).toContain(`coldstake: error: ${files[i]}: ${detail}`));
    // The well-formed file among them is still checked.
    expect(r.json.exits.map((e) => e['ok'])).toEqual([...files.map(() => false), true]);
  });

  it('bad flags and inputs: exit 2 with one error line', () => {
    const one = filesIn(vectorDir('mainnet-epoch0'));
    const cases: Array<[string[], RegExp]> = [
      [[...one, '--network', 'mainnet'], /does not carry its validator's pubkey/],
      [[...one, '--network', 'mainnet', '--pubkey', PUBKEY_0], /--pubkey checks one file, got 2/],
      [[one[0]!, '--network', 'mainnet', '--pubkey', '0x1234'], /--pubkey must be 0x followed by 96 hex digits/],
      [[one[0]!, '--network', 'mainnet', '--validators', mnemonicFile], /not valid JSON/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['exit', 'verify', ...args]);
      assertCleanStderr(r.stderr);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // An unreadable file with --json: exit 2, the report on stdout, one error line.
    const missing = verify([path.join(tmp, 'no-such-exit.json')], ['--network', 'mainnet', '--pubkey', PUBKEY_0]);
    expect(missing.code).toBe(2);
    expect(missing.json).toMatchObject({ ok: false, command: 'exit verify', findings: [{ id: 'input-unreadable' }] });
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('end to end: mnemonic → exit sign → exit verify', () => {
  it('signs three exits, verifies them against a beacon-API validators file and against the mnemonic', () => {
    const out = path.join(tmp, 'e2e');
    const signed = runCli(['exit', 'sign', '--allow-online', '--network', 'mainnet', '--validator-indices', '1000,1001,1002', '--mnemonic-file', mnemonicFile, '--out', out, '--json']);
    expect(signed.code).toBe(0);
    const files = filesIn(out);
    expect(files.map((f) => NAME_RE.exec(path.basename(f))?.[1])).toEqual(['1000', '1001', '1002']);
    const r = verify(files, ['--network', 'mainnet', '--validators', BEACON_MAINNET]);
    expect(r.code).toBe(0);
    expect(r.json.exits.map((e) => [e['validator_index'], e['status'], e['ok']])).toEqual([['1000', 'active_ongoing', true], ['1001', 'active_ongoing', true], ['1002', 'exited_unslashed', true]]);
    expect(r.json.findings.map((f) => [f.id, f.severity])).toEqual([['exit-validator-already-exiting', 'warning']]);
    const byMnemonic = verify(files, ['--network', 'mainnet', '--allow-online', '--mnemonic-file', mnemonicFile, '--validator-indices', '1000,1001,1002']);
    expect(byMnemonic.code).toBe(0);
    expect(byMnemonic.json['pubkey_source']).toBe('mnemonic');
    expect(byMnemonic.json.exits.map((e) => e['pubkey_from'])).toEqual(['mnemonic key 0 (m/12381/3600/0/0/0)', 'mnemonic key 1 (m/12381/3600/1/0/0)', 'mnemonic key 2 (m/12381/3600/2/0/0)']);
    // A BIP39 passphrase (second line of the mnemonic file) gives other keys, and verify re-derives them with it.
    const withPassphrase = path.join(tmp, 'mnemonic-passphrase');
    fs.writeFileSync(withPassphrase, `${LIGHTHOUSE_MNEMONIC}\nan example passphrase\n`, { mode: 0o600 });
    const pOut = path.join(tmp, 'e2e-passphrase');
    const pSigned = runCli(['exit', 'sign', '--allow-online', '--network', 'hoodi', '--validator-indices', '1000', '--mnemonic-file', withPassphrase, '--passphrase', '--out', pOut, '--json']);
    expect(pSigned.code).toBe(0);
    expect((JSON.parse(pSigned.stdout) as Json).exits[0]!['pubkey']).not.toBe(PUBKEY_0);
    const pVerified = verify(filesIn(pOut), ['--network', 'hoodi', '--allow-online', '--mnemonic-file', withPassphrase, '--passphrase', '--validator-indices', '1000']);
    expect(pVerified.code).toBe(0);
    expect(pVerified.json.exits[0]).toMatchObject({ pubkey: (JSON.parse(pSigned.stdout) as Json).exits[0]!['pubkey'], ok: true });
    // Keys in another order: each file is then checked against another validator's key.
    const swapped = verify(files.slice(0, 2), ['--network', 'mainnet', '--allow-online', '--mnemonic-file', mnemonicFile, '--validator-indices', '1001,1000']);
    expect(swapped.code).toBe(1);
    expect(swapped.json.findings.filter((f) => f.severity === 'error').map((f) => f.id)).toEqual(['exit-signature-invalid', 'exit-signature-invalid']);
  });
});
