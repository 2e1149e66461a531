/**
 * A Zond seed from --mnemonic-file FILE, standard input (`-`) or the terminal, the way Ethereum
 * mnemonics are read (src/cli/io/mnemonic-input.ts): 32 or 34 QRL words, or the seed in hex (96
 * digits, or 102 starting 010000). On the terminal a word not on the QRL list is asked again by
 * position. Errors name positions, never words.
 */
import { InputError } from '../../core/errors.js';
import { parseZondSeed, QrlWordError, type ZondSeed } from '../../core/zond/mnemonic.js';
import { readMnemonicText } from './mnemonic-input.js';

export async function readZondSeed(file: string | undefined, what = 'QRL seed'): Promise<ZondSeed> {
  const read = await readMnemonicText({
    file,
    what,
    diagnose: (text) => {
      try {
        parseZondSeed(text).seed.fill(0);
        return null;
      } catch (err) {
        if (err instanceof QrlWordError) return { errors: [err.message], detail: {}, general: [], retype: err.positions };
        return { errors: [(err as Error).message], detail: {}, general: [], retype: [] };
      }
    },
  });
  try {
    return parseZondSeed(read.text);
  } catch (err) {
    throw new InputError((err as Error).message, { file: read.source, field: what, hint: 'a QRL seed is 32 words (staking seed), 34 words (wallet extended seed), or its hex form' });
  } finally {
    read.text = '';
  }
}
