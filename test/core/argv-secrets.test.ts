import { describe, expect, it } from 'vitest';
import { secretOnArgv } from '../../src/core/argv-secrets.js';

const M12 = 'legal winner thank year wave sausage worth useful legal winner thank yellow';

describe('secretOnArgv', () => {
  it('finds a mnemonic in one argument, in separate arguments, numbered, or in upper case', () => {
    expect(secretOnArgv(['keys', 'new', M12])).toMatch(/mnemonic/);
    expect(secretOnArgv(['keys', 'new', ...M12.split(' ')])).toMatch(/mnemonic/);
    expect(secretOnArgv([M12.toUpperCase()])).toMatch(/mnemonic/);
    expect(secretOnArgv([M12.split(' ').map((w, i) => `${i + 1}) ${w}`).join('\n')])).toMatch(/mnemonic/);
  });

  it('finds the ways a mnemonic gets typed unquoted, numbered, split, abbreviated or joined', () => {
    const w = M12.split(' ');
    expect(secretOnArgv(['mnemonic', 'check', ...w.flatMap((x, i) => [String(i + 1), x])])).toMatch(/mnemonic/);
    expect(secretOnArgv(['mnemonic', 'check', ...w.flatMap((x, i) => [`${i + 1}.`, x])])).toMatch(/mnemonic/);
    expect(secretOnArgv(['mnemonic', 'check', w.slice(0, 6).join(' '), ...w.slice(6)])).toMatch(/mnemonic/);
    expect(secretOnArgv(['mnemonic', 'check', w.slice(0, 6).join(' '), w.slice(6).join(' ')])).toMatch(/mnemonic/);
    expect(secretOnArgv([w.map((x) => x.slice(0, 4)).join(' ')])).toMatch(/mnemonic/);
    for (const sep of ['-', '.', '_', '/', '|', ', ']) expect(secretOnArgv(['keys', 'new', w.join(sep)])).toMatch(/mnemonic/);
    // Chinese (simplified) written without separators: one character a word.
    expect(secretOnArgv(['的一是在不了有和人这中大为'])).toMatch(/mnemonic/);
  });

  it('tolerates one typo in a 12-word mnemonic', () => {
    expect(secretOnArgv([M12.replace('wave', 'wavy')])).toMatch(/mnemonic/);
  });

  it('finds secret options in both forms', () => {
    expect(secretOnArgv(['--password', 'x'])).toMatch(/--password/);
    expect(secretOnArgv(['--mnemonic=x'])).toMatch(/--mnemonic/);
    expect(secretOnArgv(['--passphrase=x'])).toMatch(/--passphrase/);
    expect(secretOnArgv(['--passphrase'])).toBeNull();
  });

  it('leaves ordinary command lines alone', () => {
    expect(secretOnArgv(['keys', 'new', '--network', 'mainnet', '--count', '2', '--out', 'validator_keys'])).toBeNull();
    expect(secretOnArgv(['separation', 'check', '/home/user/notes about the key'])).toBeNull();
    expect(secretOnArgv('a b c d e f g h i j k'.split(' '))).toBeNull();
    expect(secretOnArgv(['deposit', 'verify', 'deposit_data-1.json', '--withdrawal-address', '0x' + 'ab'.repeat(20)])).toBeNull();
    expect(secretOnArgv(['keystore', 'verify', '/media/usb/backup/2024/validator_keys/keystore-m_12381_3600_0_0_0-1700000000.json'])).toBeNull();
    expect(secretOnArgv(['separation', 'check', '/home/operator/old notes/wallet/keys/test/copy/of/the/real/one/here'])).toBeNull();
    // An option breaks a run of words in separate arguments.
    expect(secretOnArgv(['a', 'b', 'c', 'test', 'test', 'test', '--json', 'test', 'test', 'test', 'test', 'test', 'test'])).toBeNull();
  });

  it('never returns the secret', () => {
    const why = secretOnArgv([M12]) ?? '';
    for (const w of M12.split(' ')) expect(why).not.toContain(w);
  });
  it('a long file path made of list words is not a mnemonic (found on a CI clone under /check/work/main)', () => {
    const p = '/check/work/main/fixtures/wild/deposit/ethstaker-ethstaker-deposit-cli/docs-deposit_data_file-example-HEAD.json';
    expect(secretOnArgv(['deposit', 'verify', p, '--network', 'hoodi'])).toBeNull();
    // …while a mnemonic inside a longer argument, even with one typo, still is.
    const m = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    expect(secretOnArgv([`/tmp/notes/${m.replace(/ /g, '-')}.txt`])).not.toBeNull();
    expect(secretOnArgv([`my words: ${m.replace('about', 'abuot')} thanks`])).not.toBeNull();
  });
});
