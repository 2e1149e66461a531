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
  });

  it('never returns the secret', () => {
    const why = secretOnArgv([M12]) ?? '';
    for (const w of M12.split(' ')) expect(why).not.toContain(w);
  });
});
