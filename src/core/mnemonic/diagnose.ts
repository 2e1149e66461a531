/**
 * Diagnosis of a typed mnemonic: word count, words not in the list (by position, with the
 * nearest list words), 4-letter abbreviations and accent-free spellings, language detection,
 * and a checksum failure told apart from a bad word — with the one substitution or adjacent
 * swap that fixes it when there is exactly one.
 *
 * Results carry positions, counts and ids; words appear only when the caller passes
 * `reveal: true` (the CLI's --show-words), and then only in the `revealed` field.
 */
import { checksumValid, isWordCount, WORD_COUNTS } from './checksum.js';
import { isLetters, LANGUAGES, type Language, type MatchKind, stripMarks, tokenize, wordlist, type Wordlist } from './words.js';

/** More tokens than this is not a mnemonic with a few mistakes: only the count is reported. */
const MAX_ANALYSED_TOKENS = 48;
/** The longest BIP39 word is 8 letters (Latin lists); anything this long is not a typo of one. */
const MAX_TOKEN_LENGTH = 32;
/** Suggestions per unknown word. */
const MAX_SUGGESTIONS = 3;
/** Fix candidates listed (more means the checksum alone cannot locate the mistake). */
const MAX_FIXES = 5;

export type ChecksumFix =
  | { kind: 'swap'; positions: [number, number] }
  | { kind: 'substitute'; position: number; candidates: number };

export type MnemonicProblem =
  | { id: 'mnemonic-empty'; severity: 'error' }
  | { id: 'mnemonic-word-count'; severity: 'error'; count: number; expected: number[] }
  | { id: 'mnemonic-not-a-word'; severity: 'error'; position: number; reason: 'characters' | 'length' }
  | { id: 'mnemonic-unknown-word'; severity: 'error'; position: number; suggestions: number; prefixMatch: boolean; otherLanguages: Language[] }
  | { id: 'mnemonic-mixed-languages'; severity: 'error'; language: Language; others: Language[]; positions: number[] }
  | { id: 'mnemonic-language-unknown'; severity: 'error' }
  | { id: 'mnemonic-checksum'; severity: 'error'; fixes: ChecksumFix[]; fixCount: number }
  | { id: 'mnemonic-word-expanded'; severity: 'info'; position: number; how: Exclude<MatchKind, 'exact'> }
  | { id: 'mnemonic-language-ambiguous'; severity: 'info'; language: Language; others: Language[] };

export interface MnemonicDiagnosis {
  ok: boolean;
  /** The list the words were checked against (null when no word is in any list). */
  language: Language | null;
  languageSource: 'given' | 'detected';
  wordCount: number;
  /** Errors first, then notes, each in position order. */
  problems: MnemonicProblem[];
  /** Present only with `reveal: true`. */
  revealed?: {
    /** The canonical mnemonic (list words, NFKD, single spaces) when valid. */
    mnemonic?: string;
    /** Word indices in the list when every word resolved. */
    indices?: number[];
    /** Nearest list words for each unknown position. */
    suggestions: Record<number, string[]>;
    /** Words that fix the checksum at a position (substitutions). */
    fixWords: Record<number, string[]>;
  };
}

const ROW = 64;
const rows = [new Int32Array(ROW + 1), new Int32Array(ROW + 1), new Int32Array(ROW + 1)];

/** Restricted Damerau-Levenshtein (optimal string alignment) distance, or `max + 1` once above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la > ROW || lb > ROW) return max + 1;
  let prev2 = rows[0] as Int32Array;
  let prev = rows[1] as Int32Array;
  let cur = rows[2] as Int32Array;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let v = (prev[j - 1] as number) + (ca === cb ? 0 : 1);
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      if (del < v) v = del;
      if (ins < v) v = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const t = (prev2[j - 2] as number) + 1;
        if (t < v) v = t;
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const tmp = prev2;
    prev2 = prev;
    prev = cur;
    cur = tmp;
  }
  const d = prev[lb] as number;
  return d > max ? max + 1 : d;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

function commonSuffix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/**
 * The nearest list words to a token that is not in the list, best first (indices): words within
 * edit distance 2 (1 for tokens of three letters or fewer), closer first; among equally close
 * words the one sharing the token's first four letters (BIP39 Latin lists are unique there),
 * then a longer shared prefix, then a longer shared suffix. The word for a unique 4-letter
 * prefix is always included, even when further away.
 */
export function suggestWords(token: string, wl: Wordlist, max = MAX_SUGGESTIONS): number[] {
  const t = wl.latin ? stripMarks(token) : token;
  if (t.length === 0 || t.length > MAX_TOKEN_LENGTH) return [];
  const limit = t.length <= 3 ? 1 : 2;
  const p4 = wl.uniquePrefix4(token);
  const scored: { i: number; d: number; p: number; s: number }[] = [];
  for (let i = 0; i < 2048; i++) {
    const w = wl.plain(i);
    const d = editDistance(t, w, limit);
    if (d <= limit) scored.push({ i, d, p: i === p4 ? 99 : commonPrefix(t, w), s: commonSuffix(t, w) });
  }
  scored.sort((x, y) => x.d - y.d || y.p - x.p || y.s - x.s || x.i - y.i);
  const out = scored.slice(0, max).map((c) => c.i);
  if (p4 !== null && !out.includes(p4)) {
    if (out.length >= max) out.pop();
    out.push(p4);
  }
  return out;
}

interface Resolved {
  index: number;
  how: MatchKind;
}

function resolveAll(tokens: readonly string[], wl: Wordlist): (Resolved | null)[] {
  return tokens.map((t) => (isLetters(t) && t.length <= MAX_TOKEN_LENGTH ? wl.resolve(t) : null));
}

/** Pick the list that explains the most words; among lists explaining all, one with a valid checksum. */
function detectLanguage(tokens: readonly string[], allButLast: boolean): { language: Language | null; ambiguousWith: Language[] } {
  const scores = LANGUAGES.map((language) => {
    const r = resolveAll(tokens, wordlist(language));
    const resolved = r.filter(Boolean).length;
    const exact = r.filter((x) => x?.how === 'exact').length;
    const full = resolved === tokens.length;
    const valid = full && !allButLast && isWordCount(tokens.length) && checksumValid(r.map((x) => (x as Resolved).index));
    return { language, resolved, exact, full, valid };
  });
  const best = [...scores].sort(
    (a, b) => Number(b.valid) - Number(a.valid) || b.resolved - a.resolved || b.exact - a.exact,
  )[0];
  if (!best || best.resolved === 0) return { language: null, ambiguousWith: [] };
  // Ambiguous: another list reads every word too and agrees on validity with as many exact matches —
  // or, whatever the exact matches, gives a valid checksum as well (a plate stamped without accents
  // can be a valid French and a valid English mnemonic: two different seeds).
  const ambiguousWith = scores
    .filter((s) => s.language !== best.language && s.full && best.full && s.valid === best.valid && (s.exact === best.exact || s.valid))
    .map((s) => s.language);
  return { language: best.language, ambiguousWith };
}

/** Substitutions (list words within edit distance 1 of the word or of what was typed) and adjacent swaps that fix the checksum. */
function checksumFixes(indices: readonly number[], typed: readonly string[], wl: Wordlist): { fixes: ChecksumFix[]; fixCount: number; words: Record<number, number[]> } {
  const fixes: ChecksumFix[] = [];
  const words: Record<number, number[]> = {};
  let fixCount = 0;
  const trial = [...indices];
  for (let p = 0; p < indices.length; p++) {
    // Near the list word, or near what was typed when that was expanded from an abbreviation.
    const near = [wl.plain(indices[p] as number), wl.latin ? stripMarks(typed[p] as string) : (typed[p] as string)];
    const found: number[] = [];
    for (let i = 0; i < 2048; i++) {
      if (i === indices[p] || !near.some((n) => editDistance(n, wl.plain(i), 1) <= 1)) continue;
      trial[p] = i;
      if (checksumValid(trial)) found.push(i);
    }
    trial[p] = indices[p] as number;
    if (found.length > 0) {
      fixes.push({ kind: 'substitute', position: p + 1, candidates: found.length });
      words[p + 1] = found;
      fixCount += found.length;
    }
  }
  for (let p = 0; p + 1 < indices.length; p++) {
    if (indices[p] === indices[p + 1]) continue;
    [trial[p], trial[p + 1]] = [trial[p + 1] as number, trial[p] as number];
    if (checksumValid(trial)) {
      fixes.push({ kind: 'swap', positions: [p + 1, p + 2] });
      fixCount++;
    }
    [trial[p], trial[p + 1]] = [trial[p + 1] as number, trial[p] as number];
  }
  trial.fill(0);
  return { fixes: fixes.slice(0, MAX_FIXES), fixCount, words };
}

export interface DiagnoseOptions {
  /** Check against this list instead of detecting the language. */
  language?: Language;
  /** Put words (canonical mnemonic, suggestions, fixing words) in `revealed`. */
  reveal?: boolean;
  /** The input is a mnemonic without its last word (11, 14, 17, 20 or 23 words): no checksum. */
  allButLast?: boolean;
}

/**
 * Diagnose typed text as a BIP39 mnemonic. With `language` the words are checked against that
 * list; otherwise the language is detected. Never throws on any input.
 */
export function diagnoseMnemonic(input: string, opts: DiagnoseOptions = {}): MnemonicDiagnosis {
  const tokens = tokenize(input);
  const expected: readonly number[] = opts.allButLast ? WORD_COUNTS.map((n) => n - 1) : WORD_COUNTS;
  const countOk = expected.includes(tokens.length);
  const problems: MnemonicProblem[] = [];
  const notes: MnemonicProblem[] = [];
  const languageSource = opts.language ? 'given' : 'detected';
  const suggestionsRevealed: Record<number, string[]> = {};
  const done = (language: Language | null, extra: Partial<NonNullable<MnemonicDiagnosis['revealed']>> = {}): MnemonicDiagnosis => {
    const d: MnemonicDiagnosis = { ok: problems.length === 0, language, languageSource, wordCount: tokens.length, problems: [...problems, ...notes] };
    if (opts.reveal) d.revealed = { suggestions: suggestionsRevealed, fixWords: {}, ...extra };
    return d;
  };

  if (tokens.length === 0) {
    problems.push({ id: 'mnemonic-empty', severity: 'error' });
    return done(opts.language ?? null);
  }
  if (!countOk) problems.push({ id: 'mnemonic-word-count', severity: 'error', count: tokens.length, expected: [...expected] });
  if (tokens.length > MAX_ANALYSED_TOKENS) return done(opts.language ?? null);

  let language: Language | null = opts.language ?? null;
  if (!language) {
    const detected = detectLanguage(tokens, opts.allButLast === true);
    language = detected.language;
    if (language && detected.ambiguousWith.length > 0) {
      notes.push({ id: 'mnemonic-language-ambiguous', severity: 'info', language, others: detected.ambiguousWith });
    }
  }
  if (!language) {
    tokens.forEach((t, i) => {
      if (!isLetters(t)) problems.push({ id: 'mnemonic-not-a-word', severity: 'error', position: i + 1, reason: 'characters' });
      else if (t.length > MAX_TOKEN_LENGTH) problems.push({ id: 'mnemonic-not-a-word', severity: 'error', position: i + 1, reason: 'length' });
    });
    problems.push({ id: 'mnemonic-language-unknown', severity: 'error' });
    return done(null);
  }

  const wl = wordlist(language);
  const resolved = resolveAll(tokens, wl);
  const foreign = new Map<Language, number[]>();
  tokens.forEach((t, i) => {
    const position = i + 1;
    const r = resolved[i];
    if (r) {
      if (r.how !== 'exact') notes.push({ id: 'mnemonic-word-expanded', severity: 'info', position, how: r.how });
      return;
    }
    if (!isLetters(t)) {
      problems.push({ id: 'mnemonic-not-a-word', severity: 'error', position, reason: 'characters' });
      return;
    }
    if (t.length > MAX_TOKEN_LENGTH) {
      problems.push({ id: 'mnemonic-not-a-word', severity: 'error', position, reason: 'length' });
      return;
    }
    const otherLanguages = LANGUAGES.filter((l) => {
      if (l === language) return false;
      const hit = wordlist(l).resolve(t);
      return hit !== null && hit.how !== 'prefix';
    });
    for (const l of otherLanguages) foreign.set(l, [...(foreign.get(l) ?? []), position]);
    const suggestions = suggestWords(t, wl);
    if (opts.reveal) suggestionsRevealed[position] = suggestions.map((s) => wl.words[s] as string);
    problems.push({
      id: 'mnemonic-unknown-word',
      severity: 'error',
      position,
      suggestions: suggestions.length,
      prefixMatch: wl.uniquePrefix4(t) !== null,
      otherLanguages,
    });
  });
  if (foreign.size > 0) {
    const positions = [...new Set([...foreign.values()].flat())].sort((a, b) => a - b);
    problems.push({ id: 'mnemonic-mixed-languages', severity: 'error', language, others: [...foreign.keys()], positions });
  }

  if (resolved.every(Boolean)) {
    const indices = resolved.map((r) => (r as Resolved).index);
    if (!opts.allButLast && isWordCount(indices.length) && !checksumValid(indices)) {
      const { fixes, fixCount, words } = checksumFixes(indices, tokens, wl);
      problems.push({ id: 'mnemonic-checksum', severity: 'error', fixes, fixCount });
      const fixWords: Record<number, string[]> = {};
      for (const [p, list] of Object.entries(words)) fixWords[Number(p)] = list.map((i) => wl.words[i] as string);
      return done(language, { indices, fixWords });
    }
    if (problems.length === 0) return done(language, { indices, mnemonic: indices.map((i) => wl.words[i]).join(' ') });
    return done(language, { indices });
  }
  return done(language);
}

/** "word 3", "words 3 and 7", "words 1, 2 and 5". */
export function positionsText(ps: readonly number[]): string {
  if (ps.length === 1) return `word ${ps[0]}`;
  return `words ${ps.slice(0, -1).join(', ')} and ${ps[ps.length - 1]}`;
}

/**
 * One line for all the errors of a diagnosis (for a single error message): positions and
 * problems, never words; unknown and non-word positions are grouped.
 */
export function summariseProblems(d: MnemonicDiagnosis): string {
  const errors = d.problems.filter((p) => p.severity === 'error');
  const unknown = errors.flatMap((p) => (p.id === 'mnemonic-unknown-word' ? [p.position] : []));
  const notWords = errors.flatMap((p) => (p.id === 'mnemonic-not-a-word' ? [p.position] : []));
  const parts: string[] = [];
  for (const p of errors) if (p.id === 'mnemonic-word-count' || p.id === 'mnemonic-empty') parts.push(describeProblem(p));
  const are = (ps: readonly number[]) => (ps.length === 1 ? 'is' : 'are');
  if (notWords.length > 0) parts.push(`${positionsText(notWords)} ${are(notWords)} not ${notWords.length === 1 ? 'a word' : 'words'} (characters other than letters, or too long)`);
  if (unknown.length > 0) parts.push(`${positionsText(unknown)} ${are(unknown)} not in the ${d.language ? languageName(d.language) : ''} wordlist`.replace('  ', ' '));
  for (const p of errors) {
    if (p.id === 'mnemonic-mixed-languages' || p.id === 'mnemonic-language-unknown' || p.id === 'mnemonic-checksum') parts.push(describeProblem(p));
  }
  return parts.join('; ');
}

function languageName(l: Language): string {
  return l.replace(/_/g, ' ');
}

/** One lower-case line describing a problem, naming positions, never words. */
export function describeProblem(p: MnemonicProblem): string {
  switch (p.id) {
    case 'mnemonic-empty':
      return 'no words were given';
    case 'mnemonic-word-count': {
      const list = `${p.expected.slice(0, -1).join(', ')} or ${p.expected[p.expected.length - 1]}`;
      const what = p.expected[0] === 12 ? 'a mnemonic has' : 'give the mnemonic without its last word:';
      return `${p.count} word${p.count === 1 ? '' : 's'}: ${what} ${list} words`;
    }
    case 'mnemonic-not-a-word':
      return p.reason === 'characters'
        ? `word ${p.position} contains characters that are not letters`
        : `word ${p.position} is too long to be a wordlist word`;
    case 'mnemonic-unknown-word': {
      const other = p.otherLanguages.length > 0 ? ` (it is in the ${p.otherLanguages.map(languageName).join(', ')} list)` : '';
      const near = p.suggestions === 0 ? 'no close match' : `${p.suggestions} close match${p.suggestions === 1 ? '' : 'es'}`;
      return `word ${p.position} is not in the wordlist${other}; ${near}`;
    }
    case 'mnemonic-mixed-languages':
      return `${positionsText(p.positions)} ${p.positions.length === 1 ? 'belongs' : 'belong'} to the ${p.others.map(languageName).join(', ')} list, the rest to ${languageName(p.language)}: a mnemonic uses one list`;
    case 'mnemonic-language-unknown':
      return 'no word is in any supported wordlist';
    case 'mnemonic-checksum': {
      const base = 'all words are valid but the checksum fails: a word is wrong or two are swapped';
      if (p.fixCount === 1) {
        const f = p.fixes[0] as ChecksumFix;
        return f.kind === 'swap'
          ? `${base}; swapping words ${f.positions[0]} and ${f.positions[1]} makes it valid`
          : `${base}; replacing word ${f.position} with the one similar word that fits makes it valid`;
      }
      if (p.fixCount > 1 && p.fixCount <= MAX_FIXES) {
        const parts = p.fixes.map((f) => (f.kind === 'swap' ? `swap words ${f.positions[0]} and ${f.positions[1]}` : `change word ${f.position}`));
        return `${base}; ${p.fixCount} small changes would make it valid (${parts.join(', ')}): check each against your backup`;
      }
      return base;
    }
    case 'mnemonic-word-expanded':
      return p.how === 'prefix' ? `word ${p.position} was expanded from its first letters` : `word ${p.position} was matched without its accents`;
    case 'mnemonic-language-ambiguous':
      return `the words are valid in ${languageName(p.language)} and also in ${p.others.map(languageName).join(', ')}; checked as ${languageName(p.language)}`;
  }
}
