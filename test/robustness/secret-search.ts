/**
 * The forms a mnemonic's secrets can leak in, and the search for them, shared by the leak test and
 * the crash test: the words (whole, and any three consecutive ones in any layout), the entropy and
 * seed in hex, and the secret keys derived from it.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { deriveValidatorKeys } from '../../src/core/eth/derivation.js';
import { mnemonicToSeed, wordsToEntropy } from '../../src/core/mnemonic/mnemonic.js';

export interface SecretForm {
  name: string;
  value: string;
  /** Searched as words: in a copy of the text where every run of non-letters is one space. */
  words?: boolean;
}

export interface Haystack {
  what: string;
  text: string;
}

/**
 * Every form of an English `mnemonic`'s secrets: the words, any three consecutive words, the
 * entropy hex, the seed hex for each of `passphrases`, and the signing and withdrawal secret keys
 * of validators 0..keyCount-1 for each. `label` prefixes the names.
 */
export function mnemonicForms(mnemonic: string, passphrases: readonly string[], keyCount: number, label = ''): SecretForm[] {
  const words = mnemonic.split(' ');
  const forms: SecretForm[] = [
    { name: `${label}mnemonic`, value: mnemonic },
    { name: `${label}mnemonic entropy hex`, value: bytesToHex(wordsToEntropy(mnemonic)) },
  ];
  for (let i = 0; i + 3 <= words.length; i++) forms.push({ name: `${label}words ${i + 1}-${i + 3}`, value: words.slice(i, i + 3).join(' '), words: true });
  for (const pass of passphrases) {
    const tag = pass ? ` (passphrase ${pass.slice(0, 4)}…)` : ' (no passphrase)';
    const seed = mnemonicToSeed(mnemonic, pass);
    forms.push({ name: `${label}seed hex${tag}`, value: bytesToHex(seed) });
    for (let i = 0; i < keyCount; i++) {
      const k = deriveValidatorKeys(seed, i);
      forms.push({ name: `${label}signing sk ${i}${tag}`, value: bytesToHex(k.signingSk) });
      forms.push({ name: `${label}withdrawal sk ${i}${tag}`, value: bytesToHex(k.withdrawalSk) });
    }
  }
  return forms;
}

/** "FORM in WHERE" for every form found in a haystack (case-insensitive). */
export function findSecrets(forms: readonly SecretForm[], haystacks: readonly Haystack[]): string[] {
  const hits: string[] = [];
  for (const h of haystacks) {
    const text = h.text.toLowerCase();
    const letters = ` ${text.replace(/[^a-z]+/g, ' ')} `;
    for (const s of forms) {
      const found = s.words ? letters.includes(` ${s.value.toLowerCase()} `) : text.includes(s.value.toLowerCase());
      if (found) hits.push(`${s.name} in ${h.what}`);
    }
  }
  return hits;
}
