import { describe, expect, it } from 'vitest';
import { bySeverity, countBySeverity, finding, passes } from '../../src/core/findings.js';

describe('findings', () => {
  it('builds findings and refuses ids that are not kebab-case', () => {
    expect(finding('swap-active', 'warning', '/proc/swaps', 'swap is on', { file: '/proc/swaps' }, 'swapoff -a')).toEqual({
      id: 'swap-active', severity: 'warning', subject: '/proc/swaps', message: 'swap is on', evidence: { file: '/proc/swaps' }, fix: 'swapoff -a',
    });
    expect(() => finding('Swap_Active', 'error', 's', 'm')).toThrow(RangeError);
  });

  it('passes only without errors; counts and orders by severity', () => {
    const fs = [finding('a', 'info', 's', 'm'), finding('b', 'error', 's', 'm'), finding('c', 'warning', 's', 'm')];
    expect(passes(fs)).toBe(false);
    expect(passes(fs.filter((f) => f.severity !== 'error'))).toBe(true);
    expect(countBySeverity(fs)).toEqual({ error: 1, warning: 1, info: 1 });
    expect(bySeverity(fs).map((f) => f.id)).toEqual(['b', 'c', 'a']);
  });
});
