import { describe, expect, it } from 'vitest';
import { expectNoMnemonic } from './cli.js';

const words = 'metal system random abandon legal winner thank year wave sausage worth useful'.split(' ');

describe('expectNoMnemonic (the leak check used by CLI tests)', () => {
  it('accepts messages that merely contain common list words', () => {
    expect(() => expectNoMnemonic("copy it onto paper or metal; the operating system's random generator", words)).not.toThrow();
  });

  it('catches the mnemonic in a line, numbered, in columns, or as JSON', () => {
    expect(() => expectNoMnemonic(`ok ${words.join(' ')}`, words)).toThrow(/side by side/);
    expect(() => expectNoMnemonic(' 5. legal\n 6. winner', words)).toThrow();
    expect(() => expectNoMnemonic('3) random', words)).toThrow(/numbered/);
    expect(() => expectNoMnemonic(JSON.stringify({ w: words }), words)).toThrow(/side by side/);
    expect(() => expectNoMnemonic('legal,winner', words)).toThrow(/side by side/);
  });
});
