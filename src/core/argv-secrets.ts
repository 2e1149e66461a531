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
let abbreviations: Set<string> | undefined;
function allWords(): Set<string> {
  if (words === undefined) {
    words = new Set<string>();
    abbreviations = new Set<string>();
    for (const [name, list] of Object.entries(wordlists)) {
      // bip39 exports aliases (EN, JA); each list is counted once either way.
      if (name.length === 2 && name !== 'EN' && name !== 'JA') continue;
      for (const w of list) {
        const n = w.normalize('NFKD');
        words.add(n);
        // The four-letter stamps of metal plates (`mnemonic check` accepts them as abbreviations).
        if ([...n].length > 4) abbreviations.add([...n].slice(0, 4).join(''));
      }
    }
  }
  return words;
}

/** Ideographs: the Chinese lists are one character a word, often written without separators. */
const HAN = /^\p{Script=Han}+$/u;

/**
 * The words of an argument: split on white space, punctuation and the separators people join
 * words with (`-`, `_`, `.`, `/`, `|`); Chinese split into characters; numbering ("1.", "2)") dropped.
 */
function tokens(s: string): string[] {
  const out: string[] = [];
  for (const raw of s.normalize('NFKD').toLowerCase().split(/[\s,;:.|/\\_\-\u3000\u3001\u3002()[\]#]+/u)) {
    if (raw.length === 0 || /^\d+$/.test(raw)) continue;
    if (HAN.test(raw)) out.push(...raw);
    else out.push(raw.replace(/^\d+/, ''));
  }
  return out.filter((t) => t.length > 0);
}

function isWord(t: string): boolean {
  return allWords().has(t) || abbreviations!.has(t);
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
  // One argument holding a whole mnemonic ("word word word ...", "word-word-...", numbered lines),
  // with one typo tolerated: MIN_WORDS consecutive tokens of which at most one is not a list word.
  // Consecutive, not in total: a long file path is made of many words too
  // (`/check/work/main/fixtures/wild/deposit/…-deposit_data_file-example-HEAD.json` has 12 list
  // words among 17 tokens, never 11 in a row of 12).
  for (const a of args) {
    const t = tokens(a);
    if (t.length < MIN_WORDS) continue;
    const hit = t.map(isWord);
    let inWindow = 0;
    for (let i = 0; i < hit.length; i++) {
      if (hit[i]) inWindow++;
      if (i >= MIN_WORDS && hit[i - MIN_WORDS]) inWindow--;
      if (i >= MIN_WORDS - 1 && inWindow >= MIN_WORDS - 1) return 'an argument looks like a mnemonic';
    }
  }
  // A mnemonic spread over several arguments (typed unquoted, numbered, or partly quoted): a run
  // of wordlist words across arguments, broken by any option or any argument with other words.
  // Bare numbers ("1", "2.") neither count nor break the run.
  let run = 0;
  for (const a of args) {
    if (a.startsWith('-') && a !== '-') {
      run = 0;
      continue;
    }
    const t = tokens(a);
    if (t.length === 0) continue;
    if (t.every(isWord)) {
      run += t.length;
      if (run >= MIN_WORDS) return 'the arguments look like a mnemonic';
    } else {
      run = 0;
    }
  }
  return null;
}
