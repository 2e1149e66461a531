/**
 * The secrets `backup sheet` and `backup verify` read — the mnemonic, the optional BIP39
 * passphrase, the plate — and the fingerprint derived from them. Messages name positions only.
 */
import { mnemonicToSeedSync } from 'bip39';
import { secretToPublicKey } from '../core/eth/bls.js';
import { deriveValidatorKeys } from '../core/eth/derivation.js';
import { UsageError } from '../core/errors.js';
import { backupFingerprint, type BackupFingerprint } from '../core/backup/fingerprint.js';
import { indicesToMnemonic, parseEnglishMnemonic, type ParseMnemonicResult } from '../core/backup/mnemonic.js';
import { readMnemonicSecret, warnPassphrase } from './io/mnemonic-input.js';
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
 * Read the mnemonic (and, with `passphrase`, its BIP39 passphrase) through the shared reader
 * (terminal, or --mnemonic-file; see src/cli/io/mnemonic-input.ts for the line layout) and
 * turn it into English word indices. The language is detected, not assumed, so that a valid
 * mnemonic of another list is told it is in the wrong list rather than that its words are unknown.
 * @throws {UsageError|InputError} (exit 2) invalid mnemonic (positions only) or not English.
 */
export async function readMnemonicIndices(file: string | undefined, opts: { what?: string; passphrase?: boolean } = {}): Promise<{ indices: number[]; passphrase: string }> {
  const what = opts.what ?? 'mnemonic';
  const secret = await readMnemonicSecret({ file, what, passphrase: opts.passphrase === true });
  if (secret.language !== 'english') {
    secret.mnemonic = '';
    throw new UsageError(
      `the ${what} is a valid ${secret.language.replace('_', ' ')} mnemonic, but backup sheets are english only`,
      'the four-letter stamps, the indices and seedqr on the sheet are defined for the english wordlist',
    );
  }
  const r = parseEnglishMnemonic(secret.mnemonic);
  secret.mnemonic = '';
  if (!r.ok) throw new UsageError(`${what}: ${mnemonicProblem(r)}`);
  return { indices: r.indices, passphrase: secret.passphrase };
}

/**
 * Read the BIP39 passphrase alone (when no mnemonic is read in this run), from the terminal, typed
 * twice without echo. Never from standard input: `--plate-file -` takes all of it.
 */
export async function readPassphraseOnly(): Promise<string> {
  warnPassphrase();
  return readSecret({
    what: 'bip39 passphrase',
    flag: '--compare --mnemonic-file',
    prompt: 'BIP39 passphrase (not shown): ',
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
