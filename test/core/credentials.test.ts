/**
 * src/core/eth/credentials.ts and top-up.ts without the CLI: the peer's signatures from the core
 * functions, the strict parser's refusals, and exact amount parsing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '@noble/hashes/utils.js';
import { parseCredentialChanges, parseValidatorIndex, serializeCredentialChanges, signCredentialChange, UINT64_MAX } from '../../src/core/eth/credentials.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { knownNetwork } from '../../src/core/eth/networks.js';
import { parseTopUpAmount, topUpProblem } from '../../src/core/eth/top-up.js';
import { mnemonicToSeed } from '../../src/core/mnemonic/mnemonic.js';
import { FIXTURES } from '../helpers/cli.js';
import { LIGHTHOUSE_MNEMONIC } from '../helpers/keystores.js';

const HOODI_DIR = path.join(FIXTURES, 'credentials', 'esd', 'hoodi');
const HOODI = fs.readFileSync(path.join(HOODI_DIR, fs.readdirSync(HOODI_DIR)[0]!), 'utf8');

describe('credential changes', () => {
  it("sign + serialize gives the peer's hoodi file with its own version string; parse + serialize round-trips it", () => {
    const keys = deriveValidatorKeys(mnemonicToSeed(LIGHTHOUSE_MNEMONIC, ''), 0);
    const c = signCredentialChange({ withdrawalSk: keys.withdrawalSk, validatorIndex: 5000n, toExecutionAddress: hexToBytes('0f51bb10119727a7e5ea3538074fb341f56b09ad'), network: knownNetwork('hoodi'), depositCliVersion: '1.3.1-dev' });
    expect(serializeCredentialChanges([c])).toBe(HOODI);
    expect(serializeCredentialChanges(parseCredentialChanges(HOODI, 'f'))).toBe(HOODI);
  });

  it.each([
    ['an unknown field', (e: any) => { e.extra = 1; }, /\[0\]\.extra: unexpected field/],
    ['a missing signature', (e: any) => { delete e.signature; }, /\[0\]\.signature: missing/],
    ['a numeric index', (e: any) => { e.message.validator_index = 5000; }, /must be a decimal string/],
    ['an index with a leading zero', (e: any) => { e.message.validator_index = '05000'; }, /without leading zeros/],
    ['an index of 2^64', (e: any) => { e.message.validator_index = '18446744073709551616'; }, /below 2\^64/],
    ['a pubkey without 0x', (e: any) => { e.message.from_bls_pubkey = e.message.from_bls_pubkey.slice(2); }, /from_bls_pubkey: must start with 0x/],
    ['a short address', (e: any) => { e.message.to_execution_address = '0x1234'; }, /must be 40 hex digits/],
    ['a signature with a non-hex digit', (e: any) => { e.signature = `0x${'g'.repeat(192)}`; }, /not a hex digit/],
  ])('refuses %s, naming the field', (_, edit, message) => {
    const list = JSON.parse(HOODI);
    edit(list[0]);
    expect(() => parseCredentialChanges(JSON.stringify(list), 'f')).toThrow(message);
  });

  it('refuses a key given twice, an empty list and a non-array', () => {
    expect(() => parseCredentialChanges(HOODI.replace('"signature": ', '"signature": "0x00", "signature": '), 'f')).toThrow(/a key appears twice/);
    expect(() => parseCredentialChanges('[]', 'f')).toThrow(/no credential changes/);
    expect(() => parseCredentialChanges('{}', 'f')).toThrow(/must be a JSON array/);
  });

  it('validator indices: 0 to 2^64-1, decimal only', () => {
    expect(parseValidatorIndex('0')).toBe(0n);
    expect(parseValidatorIndex('18446744073709551615')).toBe(UINT64_MAX);
    for (const bad of ['18446744073709551616', '-1', '1e3', '0x10', ' 1', '01', '']) expect(() => parseValidatorIndex(bad)).toThrow(RangeError);
  });
});

describe('top-up amounts', () => {
  it('are exact decimal ETH to gwei, 1 to 2048, at most 9 decimals', () => {
    expect(parseTopUpAmount('1')).toBe(1_000_000_000);
    expect(parseTopUpAmount('1.5')).toBe(1_500_000_000);
    expect(parseTopUpAmount('1.000000001')).toBe(1_000_000_001);
    expect(parseTopUpAmount('2047.999999999')).toBe(2_047_999_999_999);
    expect(parseTopUpAmount('2048')).toBe(2_048_000_000_000);
    for (const bad of ['0.999999999', '2048.000000001', '1.0000000001', '1e3', '-1', '1.', '.5', '0x10', ' 1', '1,5', '']) expect(() => parseTopUpAmount(bad)).toThrow(RangeError);
  });

  it('a 0x01 top-up above 32 ETH is refused; 0x02 up to 2048 is not', () => {
    expect(topUpProblem(32_000_000_000, false)).toBeNull();
    expect(topUpProblem(32_000_000_001, false)).toMatch(/above 32 ETH/);
    expect(topUpProblem(2_048_000_000_000, true)).toBeNull();
  });
});
