/**
 * BIP39 wordlists as the `bip39` package ships them, NFKD-normalised, with the lookups the
 * rest of coldstake needs: exact words, accent-free spellings and unique 4-letter prefixes.
 * Pure: no I/O.
 */
import { wordlists } from 'bip39';

/** Every language the `bip39` package ships, in the order language detection prefers them. */
export const LANGUAGES = [
  'english',
  'japanese',
  'korean',
  'spanish',
  'chinese_simplified',
  'chinese_traditional',
  'french',
  'italian',
  'czech',
  'portuguese',
] as const;

export type Language = (typeof LANGUAGES)[number];

/** Languages written in Latin script: accent-free spellings and 4-letter prefixes are accepted. */
const LATIN: ReadonlySet<Language> = new Set(['english', 'spanish', 'french', 'italian', 'czech', 'portuguese']);

const ALIASES: Record<string, Language> = {
  en: 'english',
  ja: 'japanese',
  jp: 'japanese',
  ko: 'korean',
  kr: 'korean',
  es: 'spanish',
  zh: 'chinese_simplified',
  'zh-cn': 'chinese_simplified',
  'zh-hans': 'chinese_simplified',
  'zh-tw': 'chinese_traditional',
  'zh-hant': 'chinese_traditional',
  fr: 'french',
  it: 'italian',
  cs: 'czech',
  cz: 'czech',
  pt: 'portuguese',
};

/**
 * The language for a `--language` value: a name (`english`, `chinese-simplified`) or a
 * two-letter code (`en`, `ja`, `zh-hant`). Returns null when unknown.
 */
export function parseLanguage(value: string): Language | null {
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if ((LANGUAGES as readonly string[]).includes(v)) return v as Language;
  return ALIASES[v.replace(/_/g, '-')] ?? null;
}

/** How a typed token was matched to a list word. */
export type MatchKind = 'exact' | 'accent' | 'prefix';

export interface Wordlist {
  language: Language;
  /** The 2048 words, NFKD. */
  words: readonly string[];
  latin: boolean;
  /** Look a normalised token up: index and how it matched, or null. */
  resolve(token: string): { index: number; how: MatchKind } | null;
  /** Index of the one word whose (accent-free) first four letters are `token`'s, or null. */
  uniquePrefix4(token: string): number | null;
  /** Accent-free form of word `i` (the word itself for non-Latin lists). */
  plain(i: number): string;
}

/** Remove combining marks from an NFKD string ("élève" → "eleve"). */
export function stripMarks(s: string): string {
  return s.replace(/\p{M}/gu, '');
}

const cache = new Map<Language, Wordlist>();

function build(language: Language): Wordlist {
  const source = wordlists[language];
  if (!source || source.length !== 2048) throw new RangeError(`bip39 wordlist missing: ${language}`);
  const words = source.map((w) => w.normalize('NFKD'));
  const latin = LATIN.has(language);
  const exact = new Map<string, number>();
  words.forEach((w, i) => exact.set(w, i));
  const plainWords = latin ? words.map(stripMarks) : words;
  // Accent-free spellings and 4-letter prefixes; -1 marks an ambiguous key.
  const plainIndex = new Map<string, number>();
  const byPrefix4 = new Map<string, number[]>();
  plainWords.forEach((p, i) => {
    plainIndex.set(p, plainIndex.has(p) ? -1 : i);
    const k = p.slice(0, 4);
    const list = byPrefix4.get(k);
    if (list) list.push(i);
    else byPrefix4.set(k, [i]);
  });
  const uniquePrefix4 = (token: string): number | null => {
    if (!latin) return null;
    const p = stripMarks(token);
    if (p.length < 4) return null;
    const list = byPrefix4.get(p.slice(0, 4));
    return list && list.length === 1 ? (list[0] as number) : null;
  };
  return {
    language,
    words,
    latin,
    plain: (i) => plainWords[i] as string,
    uniquePrefix4,
    resolve(token) {
      const e = exact.get(token);
      if (e !== undefined) return { index: e, how: 'exact' };
      if (!latin) return null;
      const p = stripMarks(token);
      const a = plainIndex.get(p);
      if (a !== undefined && a >= 0) return { index: a, how: 'accent' };
      if (p.length < 4) return null;
      const candidates = (byPrefix4.get(p.slice(0, 4)) ?? []).filter((i) => (plainWords[i] as string).startsWith(p));
      return candidates.length === 1 ? { index: candidates[0] as number, how: 'prefix' } : null;
    },
  };
}

/** The NFKD wordlist for a language (built once). */
export function wordlist(language: Language): Wordlist {
  let wl = cache.get(language);
  if (!wl) {
    wl = build(language);
    cache.set(language, wl);
  }
  return wl;
}

/**
 * Split typed text into normalised tokens: NFKD, lower case, any whitespace (including the
 * ideographic space U+3000 and a byte-order mark) separates words. A run of Chinese characters
 * is split into single characters: every word of the Chinese lists is one character, and they
 * are often written without spaces (the Japanese list is all kana, so no list word is lost).
 */
export function tokenize(input: string): string[] {
  return input
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .split(/[\s\u3000]+/u)
    .flatMap((t) => (t.length > 1 && /^\p{Script=Han}+$/u.test(t) ? [...t] : [t]))
    .filter((t) => t.length > 0);
}

/** True when a token is made only of letters and combining marks. */
export function isLetters(token: string): boolean {
  return /^[\p{L}\p{M}]+$/u.test(token);
}
