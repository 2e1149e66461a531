/**
 * Detects secrets typed on the command line, where the shell history, `ps` and audit logs
 * would keep them. Pure: takes the argument list, returns the reason to refuse or null.
 */
import { wordlists } from 'bip39';

/** Options that only a secret could be the value of. */
const SECRET_OPTIONS = ['--mnemonic', '--password', '--seed', '--secret-key', '--private-key', '--secret'];
/** Boolean flags that must not take an inline value (`--passphrase` prompts for it). */
const SECRET_INLINE_OPTIONS = ['--passphrase'];

let words: Set<string> | undefined;
function allWords(): Set<string> {
  if (words === undefined) {
    words = new Set<string>();
    for (const [name, list] of Object.entries(wordlists)) {
      // bip39 exports aliases (EN, JA); each list is counted once either way.
      if (name.length === 2 && name !== 'EN' && name !== 'JA') continue;
      for (const w of list) words.add(w.normalize('NFKD'));
    }
  }
  return words;
}

function tokens(s: string): string[] {
  return s
    .normalize('NFKD')
    .toLowerCase()
    .split(/[\s,;\u3000]+/)
    .map((t) => t.replace(/^\d+[.):]?/, ''))
    .filter((t) => t.length > 0);
}

function isWord(t: string): boolean {
  return allWords().has(t);
}

/** Minimum number of wordlist words for something to look like a mnemonic (the shortest is 12). */
const MIN_WORDS = 12;

/**
 * Return why these arguments must be refused (a mnemonic or a secret option), or null.
 * Never returns the secret itself.
 */
export function secretOnArgv(args: readonly string[]): string | null {
  for (const a of args) {
    const name = a.split('=')[0] ?? a;
    if (SECRET_OPTIONS.includes(name)) return `secrets are never read from the command line (${name})`;
    if (SECRET_INLINE_OPTIONS.includes(name) && a.includes('=')) {
      return `secrets are never read from the command line (${name}=…)`;
    }
  }
  // One argument holding a whole mnemonic ("word word word ...").
  for (const a of args) {
    const t = tokens(a);
    if (t.length >= MIN_WORDS && t.filter(isWord).length >= MIN_WORDS - 1) {
      return 'an argument looks like a mnemonic';
    }
  }
  // A mnemonic typed unquoted: a run of separate arguments that are all wordlist words.
  let run = 0;
  for (const a of args) {
    const t = tokens(a);
    if (t.length === 1 && isWord(t[0] as string)) {
      run++;
      if (run >= MIN_WORDS) return 'the arguments look like a mnemonic';
    } else {
      run = 0;
    }
  }
  return null;
}
