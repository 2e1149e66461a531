/**
 * The keystore-set CPU budget (issue 14 point 4): KDF cost in default-keystore units and which
 * costly KDF keys a set may not run. Arithmetic only: no KDF runs here.
 */
import { describe, expect, it } from 'vitest';
import { KDF_LIMITS, KDF_SET_BUDGET_UNITS, kdfCostUnits, overKdfBudget, type KdfModule } from '../../src/core/eth/keystore.js';

const scrypt = (n: number, r: number, p: number, salt = 'aa'): KdfModule => ({ function: 'scrypt', params: { dklen: 32, n, r, p, salt }, message: '' });
const pbkdf2 = (c: number, salt = 'aa'): KdfModule => ({ function: 'pbkdf2', params: { dklen: 32, c, prf: 'hmac-sha256', salt }, message: '' });

describe('kdfCostUnits', () => {
  it('one unit is the EIP-2335 default scrypt; the per-keystore caps are 32 and 2 units', () => {
    expect(kdfCostUnits(scrypt(2 ** 18, 8, 1))).toBe(1);
    expect(kdfCostUnits(scrypt(2 ** 17, 8, 64))).toBe(KDF_LIMITS.scryptMaxWork / 2 ** 21);
    expect(kdfCostUnits(scrypt(2 ** 17, 8, 64))).toBe(KDF_SET_BUDGET_UNITS);
    expect(kdfCostUnits(pbkdf2(2 ** 18))).toBe(1 / 16);
    expect(kdfCostUnits(pbkdf2(KDF_LIMITS.pbkdf2MaxC))).toBe(2);
  });
});

describe('overKdfBudget', () => {
  const run = (kdfs: KdfModule[]) => [...overKdfBudget(kdfs, (k) => k, (k) => `${k.function}:${k.params.salt}`)].sort();

  it('default-cost KDFs are never refused, however many', () => {
    expect(run(Array.from({ length: 500 }, (_, i) => scrypt(2 ** 18, 8, 1, `s${i}`)))).toEqual([]);
    expect(run(Array.from({ length: 500 }, (_, i) => pbkdf2(2 ** 22, `p${i}`)))).toEqual([]);
  });

  it('one keystore at the scrypt cap fits alone; a second costly one is refused, the dearest first', () => {
    expect(run([scrypt(2 ** 17, 8, 64, 'cap')])).toEqual([]);
    // 1.5 units admitted first (cheapest first), then the 32-unit one no longer fits, whatever the order.
    expect(run([scrypt(2 ** 17, 8, 64, 'cap'), pbkdf2(3 * 2 ** 21, 'small')])).toEqual(['scrypt:cap']);
    expect(run([pbkdf2(3 * 2 ** 21, 'small'), scrypt(2 ** 17, 8, 64, 'cap')])).toEqual(['scrypt:cap']);
  });

  it('eight keystores at 8 units each: four run (32 units), four are refused', () => {
    const eight = Array.from({ length: 8 }, (_, i) => scrypt(2 ** 18, 8, 8, `e${i}`));
    expect(run(eight)).toEqual(['scrypt:e4', 'scrypt:e5', 'scrypt:e6', 'scrypt:e7']);
  });

  it('keystores sharing one KDF key cost one run', () => {
    expect(run(Array.from({ length: 100 }, () => scrypt(2 ** 17, 8, 64, 'shared')))).toEqual([]);
  });
});
