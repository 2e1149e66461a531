import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { KNOWN_NETWORKS, knownNetwork, networkByForkVersion, resolveNetwork, DOMAIN_BLS_TO_EXECUTION_CHANGE, DOMAIN_VOLUNTARY_EXIT } from '../../src/core/eth/networks.js';
import { computeDomain, computeForkDataRoot, ZERO_ROOT } from '../../src/core/eth/ssz.js';
import { FIXTURES } from '../helpers/cli.js';

const vectors = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keys', 'networks.json'), 'utf8'));
const hex = (s: string) => s.replace(/^0x/, '').toLowerCase();

describe('networks', () => {
  it('covers exactly the networks of the vector file', () => {
    expect([...KNOWN_NETWORKS].sort()).toEqual(Object.keys(vectors.networks).sort());
  });

  for (const name of KNOWN_NETWORKS) {
    it(`${name}: constants and computed domains equal networks.json`, () => {
      const v = vectors.networks[name];
      const n = knownNetwork(name);
      expect(n.name).toBe(name);
      expect(bytesToHex(n.genesisForkVersion)).toBe(hex(v.genesis_fork_version));
      expect(bytesToHex(n.capellaForkVersion!)).toBe(hex(v.capella_fork_version));
      expect(bytesToHex(n.genesisValidatorsRoot!)).toBe(hex(v.genesis_validators_root));
      expect(n.depositChainId).toBe(v.deposit_chain_id);
      expect(n.depositContractAddress).toBe(v.deposit_contract_address);
      expect(bytesToHex(computeForkDataRoot(n.genesisForkVersion, ZERO_ROOT))).toBe(hex(v.computed.deposit_fork_data_root));
      expect(bytesToHex(n.depositDomain)).toBe(hex(v.computed.deposit_domain));
      // The other domains (used by exits and BLS changes) follow the same formula with the real root.
      expect(bytesToHex(computeDomain(DOMAIN_BLS_TO_EXECUTION_CHANGE, n.genesisForkVersion, n.genesisValidatorsRoot!))).toBe(
        hex(v.computed.bls_to_execution_change_domain),
      );
      expect(bytesToHex(computeDomain(DOMAIN_VOLUNTARY_EXIT, n.capellaForkVersion!, n.genesisValidatorsRoot!))).toBe(
        hex(v.computed.voluntary_exit_domain_eip7044),
      );
      expect(networkByForkVersion(n.genesisForkVersion)?.name).toBe(name);
    });
  }

  it('DOMAIN_DEPOSIT is the spec constant', () => {
    expect(bytesToHex(knownNetwork('mainnet').depositDomain.subarray(0, 4))).toBe(hex(vectors.constants.DOMAIN_DEPOSIT.value));
  });

  it('rejects unknown networks and malformed or contradicting fork versions', () => {
    expect(() => knownNetwork('goerli')).toThrow(/unknown network/);
    expect(resolveNetwork('Mainnet').name).toBe('mainnet');
    expect(resolveNetwork('HOODI').name).toBe('hoodi');
    expect(() => resolveNetwork('Goerli')).toThrow(/unknown network/);
    expect(() => resolveNetwork('mainnet', '0x10000910')).toThrow(/not mainnet/);
    expect(() => resolveNetwork('mydevnet', '10000038')).toThrow(/0x followed by 8 hex/);
    expect(() => resolveNetwork('mydevnet', '0x1000003')).toThrow(/0x followed by 8 hex/);
    expect(() => resolveNetwork('mydevnet', '0x10000910')).toThrow(/belongs to hoodi/);
    expect(() => resolveNetwork('My Devnet', '0x10000038')).toThrow(/devnet name/);
    expect(resolveNetwork('mainnet', '0x00000000').name).toBe('mainnet');
  });

  it('builds a devnet from --fork-version with the deposit domain of that version', () => {
    const n = resolveNetwork('kurtosis', '0x10000038');
    expect(n.known).toBe(false);
    expect(n.name).toBe('kurtosis');
    expect(bytesToHex(n.genesisForkVersion)).toBe('10000038');
    expect(bytesToHex(n.depositDomain)).toBe(bytesToHex(computeDomain(Uint8Array.of(3, 0, 0, 0), n.genesisForkVersion, ZERO_ROOT)));
    expect(bytesToHex(n.depositDomain)).not.toBe(bytesToHex(knownNetwork('mainnet').depositDomain));
  });
});
