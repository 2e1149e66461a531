/**
 * Issue 10, pure core under fast-check: the parsers that face hostile files either accept or
 * throw their own documented error class — never a TypeError, RangeError or stack overflow —
 * and the KDF bound check decides before any KDF could run.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { parseDepositData } from '../../src/core/eth/deposit.js';
import { assertKdfWithinBounds, KeystoreError, parseKeystore } from '../../src/core/eth/keystore.js';
import { FIXTURES } from '../helpers/cli.js';
import { mutateJson, rng } from './mutate.js';
import { cpuMs } from '../helpers/cpu.js';

const RUNS = process.env['COLDSTAKE_LONG'] === '1' ? 20_000 : 500;
const keystore = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keystore', 'scrypt_keystore.json'), 'utf8'));
const depositDir = path.join(FIXTURES, 'keys', 'lighthouse_edc', 'hoodi_first_0_count_2_prefix_0x01_eth1_true');
const depositText = fs.readFileSync(path.join(depositDir, fs.readdirSync(depositDir)[0] as string), 'utf8');

function classify(fn: () => unknown): 'ok' | 'input-error' {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof InputError) return 'input-error';
    throw e;
  }
}

describe('keystore parser and KDF bounds', () => {
  it('arbitrary JSON values: parseKeystore accepts or throws KeystoreError', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
      try {
        parseKeystore(v, 'k.json');
      } catch (e) {
        expect(e).toBeInstanceOf(KeystoreError);
      }
    }), { numRuns: RUNS });
  });

  it('mutations of a real keystore: parse and bounds never throw anything else', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const c = mutateJson(keystore, rng(seed));
      let parsed: unknown;
      try {
        parsed = JSON.parse(c.bytes.toString('utf8'));
      } catch {
        return; // not JSON: the CLI's reader answers that before the parser
      }
      classify(() => {
        const k = parseKeystore(parsed, 'k.json');
        assertKdfWithinBounds(k.keystore.crypto.kdf, 'k.json');
      });
    }), { numRuns: RUNS });
  });

  it('any scrypt or pbkdf2 parameters: the bound check answers within a millisecond budget and refuses > 1 GiB or work beyond the cap', () => {
    const big = fc.oneof(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(2 ** 40, 2 ** 53, 1e300, -1, 0.5));
    fc.assert(fc.property(big, big, big, big, (n, r, p, c) => {
      const scrypt = { ...keystore, crypto: { ...keystore.crypto, kdf: { ...keystore.crypto.kdf, params: { ...keystore.crypto.kdf.params, n, r, p } } } };
      const pbkdf2 = { ...keystore, crypto: { ...keystore.crypto, kdf: { function: 'pbkdf2', message: '', params: { dklen: 32, c, prf: 'hmac-sha256', salt: keystore.crypto.kdf.params.salt } } } };
      for (const doc of [scrypt, pbkdf2]) {
        const { value: verdict, ms } = cpuMs(() => classify(() => assertKdfWithinBounds(parseKeystore(doc, 'k.json').keystore.crypto.kdf, 'k.json')));
        // Arithmetic only: far below one real KDF run (a 2^18 scrypt takes ~700 ms of CPU), with room
        // for a GC pause. CPU time, not wall time: waiting for a core on a loaded machine is not work.
        expect(ms).toBeLessThan(200);
        if (doc === scrypt && verdict === 'ok') expect(128 * n * r).toBeLessThanOrEqual(2 ** 30);
      }
    }), { numRuns: RUNS });
  });
});

describe('deposit data parser', () => {
  it('mutations of a real deposit file: parseDepositData accepts or throws InputError', () => {
    const original = JSON.parse(depositText);
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const c = mutateJson(original, rng(seed));
      classify(() => parseDepositData(c.bytes.toString('utf8'), 'deposit_data.json'));
    }), { numRuns: RUNS });
  });

  it('arbitrary strings: parseDepositData accepts or throws InputError', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), (s) => {
      classify(() => parseDepositData(s, 'deposit_data.json'));
    }), { numRuns: RUNS });
  });
});
