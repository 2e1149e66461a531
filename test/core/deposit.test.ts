import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import * as bip39 from 'bip39';
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/core/eth/address.js';
import { secretToPublicKey } from '../../src/core/eth/bls.js';
import {
  addressWithdrawalCredentials,
  blsWithdrawalCredentials,
  buildDepositEntry,
  checkDepositEntry,
  parseDepositData,
  parseEthAmount,
  serializeDepositData,
  type DepositEntry,
} from '../../src/core/eth/deposit.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { InputError } from '../../src/core/errors.js';
import { knownNetwork } from '../../src/core/eth/networks.js';
import { FIXTURES } from '../helpers/cli.js';

const KEYS = path.join(FIXTURES, 'keys');
const signing = JSON.parse(fs.readFileSync(path.join(KEYS, 'lighthouse_derived_signing.json'), 'utf8'));
const SEED = bip39.mnemonicToSeedSync(signing.mnemonic, signing.bip39_passphrase);
const ADDRESS = '0x0f51bb10119727a7e5ea3538074fb341f56b09ad';

interface Case { dir: string; file: string; network: string; start: number; count: number; prefix: 0 | 1 | 2 }

function cases(): Case[] {
  const out: Case[] = [];
  for (const tool of ['lighthouse_sdc', 'lighthouse_edc']) {
    for (const d of fs.readdirSync(path.join(KEYS, tool))) {
      const m = /^(\w+?)_first_(\d+)_count_(\d+)_(?:prefix_0x0(\d)_)?eth1_(true|false)$/.exec(d);
      if (!m) throw new Error(`unexpected vector folder ${d}`);
      const files = fs.readdirSync(path.join(KEYS, tool, d)).filter((f) => f.startsWith('deposit_data-'));
      expect(files.length).toBe(1);
      const prefix = m[4] !== undefined ? Number(m[4]) : m[5] === 'true' ? 1 : 0;
      out.push({ dir: `${tool}/${d}`, file: path.join(KEYS, tool, d, files[0]!), network: m[1]!, start: Number(m[2]), count: Number(m[3]), prefix: prefix as 0 | 1 | 2 });
    }
  }
  return out;
}

const ALL = cases();

function buildFor(c: Case, cliVersion: string): DepositEntry[] {
  const network = knownNetwork(c.network);
  const entries: DepositEntry[] = [];
  for (let i = c.start; i < c.start + c.count; i++) {
    const k = deriveValidatorKeys(SEED, i);
    const wc = c.prefix === 0
      ? blsWithdrawalCredentials(secretToPublicKey(k.withdrawalSk))
      : addressWithdrawalCredentials(hexToBytes(ADDRESS.slice(2)), c.prefix === 2);
    entries.push(buildDepositEntry({ signingSk: k.signingSk, withdrawalCredentials: wc, amount: 32_000_000_000, network, depositCliVersion: cliVersion }));
    k.signingSk.fill(0);
    k.withdrawalSk.fill(0);
  }
  return entries;
}

describe('deposit data vectors (staking-deposit-cli 2.7.0, ethstaker-deposit-cli 1.3.0)', () => {
  it('has all 17 vector files', () => {
    expect(ALL.length).toBe(17);
    expect(ALL.filter((c) => c.prefix === 2).length).toBe(2);
  });

  for (const c of ALL) {
    it(`${c.dir}: every entry byte-identical`, () => {
      const text = fs.readFileSync(c.file, 'utf8');
      const parsed = parseDepositData(text, c.file);
      expect(parsed.length).toBe(c.count);
      const cliVersion = parsed[0]!.depositCliVersion;
      const built = buildFor(c, cliVersion);
      // The whole file, byte for byte, when written with the same deposit_cli_version.
      expect(serializeDepositData(built)).toBe(text);
      // And with coldstake's own version only that field differs.
      const ours = serializeDepositData(buildFor(c, '0.1.0'));
      expect(ours).toBe(text.split(`"deposit_cli_version": "${cliVersion}"`).join('"deposit_cli_version": "0.1.0"'));
      for (const e of parsed) {
        expect(checkDepositEntry(e, knownNetwork(c.network).depositDomain)).toEqual({ messageRootOk: true, dataRootOk: true, signatureOk: true });
      }
    });
  }

  it('a signature for one network does not verify on another', () => {
    const c = ALL.find((x) => x.network === 'mainnet')!;
    const e = parseDepositData(fs.readFileSync(c.file, 'utf8'), c.file)[0]!;
    expect(checkDepositEntry(e, knownNetwork('hoodi').depositDomain).signatureOk).toBe(false);
    const tampered = { ...e, amount: e.amount + 1 };
    expect(checkDepositEntry(tampered, knownNetwork('mainnet').depositDomain)).toEqual({ messageRootOk: false, dataRootOk: false, signatureOk: false });
  });
});

describe('launchpad guards on what we write', () => {
  const [c] = ALL;
  const entries = buildFor(c!, '0.1.0');
  const text = serializeDepositData(entries);
  const json = JSON.parse(text);

  it('amount is a JSON number, never a string', () => {
    for (const e of json) expect(typeof e.amount).toBe('number');
    expect(text).toMatch(/"amount": 32000000000,/);
  });
  it('no 0x prefix and exact hex lengths', () => {
    expect(text).not.toContain('0x');
    for (const e of json) {
      expect(e.pubkey).toMatch(/^[0-9a-f]{96}$/);
      expect(e.withdrawal_credentials).toMatch(/^[0-9a-f]{64}$/);
      expect(e.signature).toMatch(/^[0-9a-f]{192}$/);
      expect(e.deposit_message_root).toMatch(/^[0-9a-f]{64}$/);
      expect(e.deposit_data_root).toMatch(/^[0-9a-f]{64}$/);
      expect(e.fork_version).toMatch(/^[0-9a-f]{8}$/);
      expect(Object.keys(e)).toEqual(['pubkey', 'withdrawal_credentials', 'amount', 'signature', 'deposit_message_root', 'deposit_data_root', 'fork_version', 'network_name', 'deposit_cli_version']);
    }
  });
  it('round-trips through the strict parser', () => {
    expect(serializeDepositData(parseDepositData(text, 'x.json'))).toBe(text);
  });
});

describe('parseDepositData rejects malformed files naming file and field', () => {
  const c = ALL.find((x) => x.count === 3)!;
  const good = JSON.parse(fs.readFileSync(c.file, 'utf8')) as Record<string, unknown>[];
  const mutate = (i: number, f: (e: Record<string, unknown>) => void): string => {
    const copy = good.map((e) => ({ ...e }));
    f(copy[i]!);
    return JSON.stringify(copy);
  };
  const expectError = (text: string, re: RegExp) => {
    let err: unknown;
    try {
      parseDepositData(text, 'dd.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message.startsWith('dd.json')).toBe(true);
  };

  it('string amount', () => expectError(mutate(2, (e) => { e['amount'] = '32000000000'; }), /^dd\.json: \[2\]\.amount: must be a JSON number/));
  it('fractional or negative or huge amount', () => {
    expectError(mutate(0, (e) => { e['amount'] = 1.5; }), /\[0\]\.amount: must be a non-negative whole/);
    expectError(mutate(0, (e) => { e['amount'] = -1; }), /\[0\]\.amount/);
    expectError(mutate(0, (e) => { e['amount'] = 2 ** 64; }), /\[0\]\.amount/);
  });
  it('0x prefix', () => expectError(mutate(1, (e) => { e['pubkey'] = `0x${e['pubkey'] as string}`; }), /\[1\]\.pubkey: must be hex without a 0x prefix/));
  it('wrong hex lengths', () => {
    expectError(mutate(0, (e) => { e['signature'] = (e['signature'] as string).slice(2); }), /\[0\]\.signature: must be 192 hex digits/);
    expectError(mutate(0, (e) => { e['withdrawal_credentials'] = `${e['withdrawal_credentials'] as string}00`; }), /\[0\]\.withdrawal_credentials: must be 64/);
    expectError(mutate(0, (e) => { e['fork_version'] = '0000'; }), /\[0\]\.fork_version: must be 8/);
    expectError(mutate(0, (e) => { e['deposit_data_root'] = 'zz'.repeat(32); }), /\[0\]\.deposit_data_root: contains a character/);
  });
  it('missing and extra fields', () => {
    expectError(mutate(2, (e) => { delete e['deposit_message_root']; }), /\[2\]\.deposit_message_root: missing/);
    expectError(mutate(0, (e) => { e['eth1_withdrawal_address'] = 'x'; }), /\[0\]\.eth1_withdrawal_address: unexpected field/);
    expectError(mutate(0, (e) => { e['eth2_network_name'] = e['network_name']; }), /both network_name and eth2_network_name/);
  });
  it('deposit-cli 1.1-1.2 eth2_network_name, and the launchpad fields alone, parse', () => {
    const old = parseDepositData(mutate(0, (e) => { e['eth2_network_name'] = e['network_name']; delete e['network_name']; }), 'dd.json');
    expect(old[0]!.networkName).toBe(good[0]!['network_name']);
    expect(old[0]!.networkNameKey).toBe('eth2_network_name');
    const bare = parseDepositData(mutate(1, (e) => { delete e['network_name']; delete e['deposit_cli_version']; }), 'dd.json');
    expect(bare[1]!.networkName).toBe('');
    expect(bare[1]!.networkNameKey).toBe(null);
  });
  it('a key given twice in one object is refused, naming where (readers disagree on which wins)', () => {
    const text = serializeDepositData(parseDepositData(JSON.stringify(good), 'dd.json'));
    const twice = text.replace('"withdrawal_credentials": "', '"withdrawal_credentials": "' + '00'.repeat(32) + '", "withdrawal_credentials": "');
    expectError(twice, /^dd\.json: \[0\]\.withdrawal_credentials: a key appears twice in one object \(line 1, column \d+\)/);
  });
  it('wrong types', () => {
    expectError(mutate(0, (e) => { e['pubkey'] = 5; }), /\[0\]\.pubkey: must be a hex string, got a number/);
    expectError(mutate(0, (e) => { e['network_name'] = null; }), /\[0\]\.network_name: must be a string, got null/);
    expectError(mutate(0, (e) => { e['deposit_cli_version'] = ''; }), /\[0\]\.deposit_cli_version: must not be empty/);
    expectError(JSON.stringify([good[0], 7]), /\[1\]: must be an object, got a number/);
  });
  it('not an array, empty, not JSON, too large', () => {
    expectError(JSON.stringify(good[0]), /single deposit object, not the JSON array/);
    expectError('{"a": 1}', /must be a JSON array/);
    expectError('[]', /no deposit entries/);
    expectError('[{"pubkey": ', /not valid JSON/);
    expectError(' '.repeat(16 * 1024 * 1024 + 1), /limit/);
    // Counted in UTF-8 bytes, not characters: 6 Mi three-byte characters are 18 MiB.
    expectError(`["${'€'.repeat(6 * 1024 * 1024)}"]`, /16777216-byte limit/);
  });
  it('never quotes the input in the message', () => {
    try {
      parseDepositData(mutate(0, (e) => { e['pubkey'] = 'SECRETSECRET'; }), 'dd.json');
    } catch (e) {
      expect((e as Error).message).not.toContain('SECRET');
    }
  });
});

describe('withdrawal credentials and amounts', () => {
  it('0x01 and 0x02 from an address', () => {
    const a = checkAddress('0x0f51bb10119727a7e5ea3538074fb341f56b09ad');
    if (!a.ok) throw new Error('address');
    expect(bytesToHex(addressWithdrawalCredentials(a.bytes, false))).toBe('010000000000000000000000' + '0f51bb10119727a7e5ea3538074fb341f56b09ad');
    expect(bytesToHex(addressWithdrawalCredentials(a.bytes, true))).toBe('020000000000000000000000' + '0f51bb10119727a7e5ea3538074fb341f56b09ad');
    expect(() => addressWithdrawalCredentials(new Uint8Array(19), false)).toThrow(TypeError);
  });
  it('amount in ETH → gwei with on-chain bounds', () => {
    expect(parseEthAmount('32')).toBe(32_000_000_000);
    expect(parseEthAmount('33.5')).toBe(33_500_000_000);
    expect(parseEthAmount('1')).toBe(1_000_000_000);
    expect(parseEthAmount('2048')).toBe(2_048_000_000_000);
    expect(parseEthAmount('1.000000001')).toBe(1_000_000_001);
    for (const bad of ['0', '0.5', '2048.000000001', '2049', '-1', '32e0', '0x20', '32.', '.5', '1.0000000001', ' 32', '']) {
      expect(() => parseEthAmount(bad), bad).toThrow(RangeError);
    }
  });
  it('build refuses amounts outside 1–2048 ETH', () => {
    const k = deriveValidatorKeys(SEED, 0);
    const wc = new Uint8Array(32);
    wc[0] = 1;
    const base = { signingSk: k.signingSk, withdrawalCredentials: wc, network: knownNetwork('hoodi'), depositCliVersion: '0.1.0' };
    expect(() => buildDepositEntry({ ...base, amount: 999_999_999 })).toThrow(RangeError);
    expect(() => buildDepositEntry({ ...base, amount: 2_048_000_000_001 })).toThrow(RangeError);
    const e = buildDepositEntry({ ...base, amount: 2_048_000_000_000 });
    expect(checkDepositEntry(e, knownNetwork('hoodi').depositDomain).signatureOk).toBe(true);
  });
});

describe('parseDepositData on arbitrary input', () => {
  it('returns entries or throws InputError, never anything else', async () => {
    const fc = await import('fast-check');
    const c = ALL[0]!;
    const good = JSON.parse(fs.readFileSync(c.file, 'utf8')) as Record<string, unknown>[];
    const keys = Object.keys(good[0]!);
    const mutated = fc.record({ key: fc.constantFrom(...keys), value: fc.jsonValue() }).map(({ key, value }) => JSON.stringify([{ ...good[0], [key]: value }]));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), mutated), (text) => {
        try {
          parseDepositData(text, 'f.json');
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          expect(e.message.startsWith('f.json')).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});
