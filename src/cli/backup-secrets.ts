/**
 * The secrets `backup sheet` and `backup verify` read — the mnemonic, the optional BIP39
 * passphrase, the plate — and the fingerprint derived from them. Messages name positions only.
 */
import { mnemonicToSeedSync } from 'bip39';
import { secretToPublicKey } from '../core/bls.js';
import { deriveValidatorKeys } from '../core/derivation.js';
import { UsageError } from '../core/errors.js';
import { backupFingerprint, type BackupFingerprint } from '../core/backup/fingerprint.js';
import { indicesToMnemonic, parseEnglishMnemonic, type ParseMnemonicResult } from '../core/backup/mnemonic.js';
import { readSecret } from './io/secrets.js';

/** Why a mnemonic is not usable, by position, never quoting a word. */
export function mnemonicProblem(r: ParseMnemonicResult): string | null {
  if (r.ok) return null;
  switch (r.reason) {
    case 'word-count': return `expected 12, 15, 18, 21 or 24 english words, got ${r.count}`;
    case 'unknown-word': return `word${r.positions.length > 1 ? 's' : ''} ${r.positions.join(', ')} not in the bip39 english list (backup sheets are english only)`;
    case 'checksum': return 'all words are in the list but the checksum fails: a word is wrong or two are swapped (coldstake mnemonic check locates it)';
  }
}

/**
 * Read an English mnemonic (terminal, or --mnemonic-file; `-` = the next line of stdin) as indices.
 * @throws {UsageError} naming the position of a bad word, never the word.
 */
export async function readMnemonicIndices(file: string | undefined, what = 'mnemonic'): Promise<number[]> {
  const text = await readSecret({
    what,
    flag: '--mnemonic-file',
    file,
    prompt: `${what} (words separated by spaces): `,
    echo: true,
    validate: (v) => mnemonicProblem(parseEnglishMnemonic(v)),
  });
  const r = parseEnglishMnemonic(text);
  if (!r.ok) throw new UsageError(`${what}: ${mnemonicProblem(r)}`);
  return r.indices;
}

/**
 * Read the BIP39 passphrase: from the terminal (typed twice, no echo), or from the next line of
 * standard input when another secret of this run already comes from stdin.
 */
export async function readPassphrase(stdinInUse: boolean): Promise<string> {
  return readSecret({
    what: 'bip39 passphrase',
    flag: '--mnemonic-file -',
    file: stdinInUse ? '-' : undefined,
    prompt: 'bip39 passphrase: ',
    echo: false,
    confirm: true,
    validate: (v) => (v.length === 0 ? 'the passphrase is empty: leave out --passphrase for none' : null),
  });
}

/** Validator 0's signing public key (m/12381/3600/0/0/0) for a seed; the secret keys are zeroed. */
export function validator0Pubkey(seed: Uint8Array): Uint8Array {
  const keys = deriveValidatorKeys(seed, 0);
  try {
    return secretToPublicKey(keys.signingSk);
  } finally {
    keys.signingSk.fill(0);
    keys.withdrawalSk.fill(0);
  }
}

/** The public fingerprint of a mnemonic (+ passphrase); the seed is zeroed. */
export function fingerprintOf(indices: readonly number[], passphrase: string): BackupFingerprint {
  const seed = mnemonicToSeedSync(indicesToMnemonic(indices), passphrase);
  try {
    return backupFingerprint(seed, validator0Pubkey);
  } finally {
    seed.fill(0);
  }
}
