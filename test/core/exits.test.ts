/**
 * The pure parts of exits (src/core/eth/exits.ts) and the validators-file scanner
 * (src/core/eth/validator-set.ts), in-process: the peer's bytes round-trip through parse and
 * serialize, the signing root is the one the peer signed, and every bound holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@noble/hashes/utils.js';
import {
  currentEpoch,
  exitFileName,
  parseSignedExit,
  parseUint64Decimal,
  parseValidatorIndexList,
  serializeSignedExit,
  verifySignedExit,
  voluntaryExitDomain,
} from '../../src/core/eth/exits.js';
import { knownNetwork, resolveNetwork } from '../../src/core/eth/networks.js';
import { ValidatorSetScanner } from '../../src/core/eth/validator-set.js';
import { InputError } from '../../src/core/errors.js';

const FIX = path.resolve(__dirname, '..', '..', 'fixtures', 'exit');
const VECTOR = path.join(FIX, 'esd', 'exit-keystore', 'signed_exit_transaction-777-1796534776.json');
const PUBKEY_1 = 'a33ab9d93fb53c4f027944aaa11a13be0c150b7cc2e379d85d1ed4db38d178b4e4ebeae05832158b8c746c1961da00ce';

describe('signed exit files', () => {
  it('parse then serialize gives the peer\'s bytes back; the signature verifies for hoodi only', () => {
    const bytes = fs.readFileSync(VECTOR);
    const s = parseSignedExit(bytes, VECTOR);
    expect(s.message).toEqual({ epoch: 0n, validatorIndex: 777n });
    expect(serializeSignedExit(s)).toBe(bytes.toString('utf8'));
    expect(verifySignedExit(s, hexToBytes(PUBKEY_1), knownNetwork('hoodi'))).toBe(true);
    expect(verifySignedExit(s, hexToBytes(PUBKEY_1), knownNetwork('mainnet'))).toBe(false);
  });

  it('file name and the Capella domain; a devnet has none', () => {
    expect(exitFileName(18446744073709551615n, 1796534776.9)).toBe('signed_exit_transaction-18446744073709551615-1796534776.json');
    // compute_domain(0x04000000, 0x03000000, mainnet gvr)[:4] is the domain type.
    expect(Array.from(voluntaryExitDomain(knownNetwork('mainnet')).subarray(0, 4))).toEqual([4, 0, 0, 0]);
    expect(() => voluntaryExitDomain(resolveNetwork('mydevnet', '0x12345678'))).toThrow(/no built-in Capella fork version/);
  });

  it.each([
    ['{"message": {"epoch": "0", "validator_index": "1"}, "signature": "0x00", "signature": "0x00"}', /a key appears twice/],
    ['[]', /is a JSON array/],
    ['{"message": {"epoch": "0", "validator_index": "1"}}', /signature: missing/],
    [`{"message": {"epoch": "-1", "validator_index": "1"}, "signature": "0x${'a'.repeat(192)}"}`, /message\.epoch: must be a decimal whole number/],
    [`{"message": {"epoch": "18446744073709551615", "validator_index": "18446744073709551616"}, "signature": "0x${'a'.repeat(192)}"}`, /message\.validator_index: must be below 2\^64/],
    [`{"message": {"epoch": "1", "validator_index": "1"}, "signature": "${'a'.repeat(192)}"}`, /signature: must be 0x followed by hex digits/],
    [' '.repeat(5000), /more than the 4096-byte limit/],
  ])('refuses %#', (text, why) => {
    expect(() => parseSignedExit(Buffer.from(text), 'f.json')).toThrow(InputError);
    expect(() => parseSignedExit(Buffer.from(text), 'f.json')).toThrow(why);
  });

  it('uint64 decimals and index lists', () => {
    expect(parseUint64Decimal('18446744073709551615')).toBe(2n ** 64n - 1n);
    for (const bad of ['18446744073709551616', '', '+1', '01', '1e3', '1.0', ' 1', '٣']) expect(() => parseUint64Decimal(bad), bad).toThrow(RangeError);
    expect(parseValidatorIndexList('1000, 1001,0', 10)).toEqual([1000n, 1001n, 0n]);
    expect(() => parseValidatorIndexList('1,1', 10)).toThrow(/position 2: validator index 1 is listed twice/);
    expect(() => parseValidatorIndexList('1,,2', 10)).toThrow(/position 2/);
    expect(() => parseValidatorIndexList('1,2,3', 2)).toThrow(/more than 2/);
    expect(() => parseValidatorIndexList(' ', 2)).toThrow(/is empty/);
  });

  it('current epoch by the clock', () => {
    const mainnet = knownNetwork('mainnet');
    expect(currentEpoch(mainnet, 1606824023 + 384 * 10 + 383)).toBe(10n);
    expect(currentEpoch(mainnet, 0)).toBe(0n);
    expect(currentEpoch(resolveNetwork('mydevnet', '0x12345678'), 2e9)).toBeNull();
  });
});

describe('validators files, read in small chunks', () => {
  function scan(file: string, wanted: bigint[], chunk = 7) {
    const bytes = fs.readFileSync(file);
    const s = new ValidatorSetScanner(new Set(wanted), file);
    for (let i = 0; i < bytes.length; i += chunk) s.write(bytes.subarray(i, i + chunk));
    return s.end();
  }

  it('a beacon-API response and ethdo\'s offline-preparation.json', () => {
    const api = scan(path.join(FIX, 'validators', 'beacon-api-mainnet-1000-1002.json'), [1001n, 1002n, 5n]);
    expect(api.format).toBe('beacon-api');
    expect(api.count).toBe(3);
    expect([...api.found.values()].map((r) => [r.index, r.pubkey.slice(0, 8), r.status])).toEqual([[1001n, 'a33ab9d9', 'active_ongoing'], [1002n, '807d7219', 'exited_unslashed']]);
    const ethdo = scan(path.join(FIX, 'validators', 'offline-preparation-hoodi.json'), [1000n]);
    expect(ethdo).toMatchObject({ format: 'ethdo-offline-preparation', count: 3, epoch: 50000n, genesisValidatorsRoot: '212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f' });
  });

  it.each([
    [{ data: [{ index: '1', status: 'active_ongoing', validator: { pubkey: `0x${'a'.repeat(96)}` } }], validators: [] }, /has both data and validators/],
    [{ data: {} }, /single-validator response is not supported/],
    [{ data: [{ index: 1, status: 'active_ongoing', validator: { pubkey: `0x${'a'.repeat(96)}` } }] }, /data\[0\]\.index: must be a decimal string/],
    [{ data: [{ index: '1', status: 'Active Ongoing', validator: { pubkey: `0x${'a'.repeat(96)}` } }] }, /data\[0\]\.status: must be a validator status name/],
    [{ version: '1', validators: [] }, /missing/],
    [{ something: [] }, /neither a beacon-API validators response/],
    [{ data: [1n, 1n].map(() => ({ index: '1', status: 'active_ongoing', validator: { pubkey: `0x${'a'.repeat(96)}` } })) }, /data\[1\]\.index: validator index 1 is listed twice/],
    [{ data: [{ index: '1', status: 'active_ongoing', validator: { pubkey: '0x1234' } }] }, /data\[0\]\.validator\.pubkey: must be 0x \+ 96 hex digits/],
  ])('refuses %#', (doc, why) => {
    const s = new ValidatorSetScanner(new Set([1n]), 'v.json');
    expect(() => {
      s.write(Buffer.from(JSON.stringify(doc)));
      s.end();
    }).toThrow(why);
  });
});
