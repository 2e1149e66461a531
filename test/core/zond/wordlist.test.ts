import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QRL_WORDLIST, qrlWordIndex } from '../../../src/core/zond/wordlist.js';

describe('QRL word list', () => {
  it('has 4096 sorted unique words of 3-6 lower-case letters', () => {
    expect(QRL_WORDLIST).toHaveLength(4096);
    expect(new Set(QRL_WORDLIST).size).toBe(4096);
    expect([...QRL_WORDLIST].sort()).toEqual(QRL_WORDLIST);
    for (const w of QRL_WORDLIST) expect(w).toMatch(/^[a-z]{3,6}$/);
  });
  it('matches go-qrllib v0.9.0 wordlist.go word for word (sha256 of the list pinned)', () => {
    const digest = createHash('sha256').update(QRL_WORDLIST.join('\n') + '\n').digest('hex');
    // sha256 of ../shared/vectors/zond/wordlist.txt (go-qrllib qrl/wordlist.go @ 6f99783, one word per line)
    expect(digest).toBe('367f2dc28cbae5dae99103e33a7999358df9df50097eb378a2458f0c2a0511a1');
  });
  it('indexes words by position', () => {
    expect(qrlWordIndex('aback')).toBe(0);
    expect(qrlWordIndex('absorb')).toBe(QRL_WORDLIST.indexOf('absorb'));
    expect(qrlWordIndex('Aback')).toBe(-1);
    expect(qrlWordIndex('notaword')).toBe(-1);
  });
});
