/** Key stores: public fields only, Lighthouse definitions, Teku key specs, Web3Signer configs. */
import { describe, expect, it } from 'vitest';
import { normalizePubkey, parseDefinitions, parseSignerConfig, parseTekuKeySpecs } from '../../../src/core/host/keystores.js';

const A = `0x${'a1'.repeat(48)}`;
const B = `0x${'B2'.repeat(48)}`;

describe('validator_definitions.yml', () => {
  const text = `---
- enabled: true
  voting_public_key: "${A}"
  description: "x"
  type: local_keystore
  voting_keystore_path: /v/${A}/voting-keystore.json
  voting_keystore_password: "enabled: false"
- enabled: false # moved to teku
  voting_public_key: ${B}
  type: local_keystore
  voting_keystore_password: |
    voting_public_key: 0x${'cc'.repeat(48)}
- enabled: true
  voting_public_key: "0x${'dd'.repeat(48)}"
  type: web3signer
  url: "https://signer:9000"
`;
  it('reads only public fields; a password value that looks like a field never counts', () => {
    const e = parseDefinitions(text);
    expect(e.map((x) => [x.line, x.enabled, x.pubkey, x.type])).toEqual([
      [2, true, A, 'local_keystore'],
      [8, false, normalizePubkey(B), 'local_keystore'],
      [13, true, `0x${'dd'.repeat(48)}`, 'web3signer'],
    ]);
    expect(JSON.stringify(e)).not.toContain('password');
    expect(JSON.stringify(e)).not.toContain('cc'.repeat(48));
  });
});

describe('pubkeys, teku specs, web3signer configs', () => {
  it('normalises pubkeys', () => {
    expect(normalizePubkey(B.slice(2))).toBe(`0x${'b2'.repeat(48)}`);
    expect(normalizePubkey('0x1234')).toBeUndefined();
    expect(normalizePubkey(42)).toBeUndefined();
  });

  it('splits KEYS:PASSWORDS', () => {
    expect(parseTekuKeySpecs(['/k:/p', '/k/one.json:/p/one.txt', '/only'])).toEqual([
      { keys: '/k', passwords: '/p' },
      { keys: '/k/one.json', passwords: '/p/one.txt' },
      { keys: '/only', passwords: undefined },
    ]);
  });

  it('keeps only type and keystoreFile of each YAML document', () => {
    const docs = parseSignerConfig('type: "file-keystore"\nkeystoreFile: "/k/a.json"\nkeystorePasswordFile: "/p"\n---\ntype: file-raw\nprivateKey: "0x25"\n');
    expect(docs).toEqual([
      { type: 'file-keystore', keystoreFile: '/k/a.json', line: 1 },
      { type: 'file-raw', keystoreFile: undefined, line: 5 },
    ]);
    expect(JSON.stringify(docs)).not.toContain('0x25');
  });
});
