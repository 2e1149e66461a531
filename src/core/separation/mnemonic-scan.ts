/**
 * Finding BIP39 mnemonics in text, streamed chunk by chunk, without ever returning the words.
 *
 * Text is tokenised once into runs of letters and combining marks (`[\p{L}\p{M}]+`): digits,
 * punctuation, quotes, commas, line breaks and spaces (including the ideographic space U+3000)
 * are separators, so numbering ("1.", "01:", "1)", "(1)", "#1", JSON keys `"1": "…"`), JSON arrays,
 * shell history prefixes and one word per line are all tolerated. A label before a number
 * ("Word 1: …", "Palabra 2) …") is a separator too, even when the label is itself a list word
 * (see `isLabel`). Each token is lower-cased and NFKD-normalised and looked up
 * once in a table that gives its index in every supported BIP39 list. Per language the scanner
 * keeps the current run of consecutive list words; each time a run grows, the 12/15/18/21/24-word
 * windows ending at the new word are checked (checksum over the 11-bit indices, confirmed by the
 * `bip39` package), so every window start in a run is tried at constant cost per word. At the end
 * of a run the credible valid windows (see `credible`) are reported, longest non-overlapping first.
 *
 * Streaming: state (open runs, the partial last token) is carried across `push` calls, so a
 * mnemonic split across chunk boundaries, even in the middle of a word, is found exactly as in
 * the whole text. Callers decode bytes with a streaming UTF-8 decoder.
 *
 * Near-miss (warning): a maximal run of exactly 12, 15, 18, 21 or 24 list words with no valid
 * window. A run delimited at exactly a mnemonic length is the shape of a written-down mnemonic; a
 * wrong checksum usually means one mistyped word, which leaves the real mnemonic a few thousand
 * guesses away, so it is still a leak. Runs of other lengths are not reported (ordinary text).
 *
 * Windows whose indices are strictly increasing are skipped: that is a copy of a BIP39 word
 * list (a real mnemonic is in increasing order with probability about 1/12!).
 *
 * Escapes (`EscapedMnemonicScanner`, escaped-scan.ts): a mnemonic inside a JSON string may be written with escape
 * sequences (`"seed:\nw1 w2 …"` from a notes app, `\u00e1` or `\u3042` from Python's `json.dump`).
 * In the raw text the escape glues "n" or "u00e1" onto a word and the run breaks, so the text is
 * scanned a second time with JSON escapes decoded, wherever they are (JSON files of any size, or a
 * JSON string embedded in a log line). A decoded `\n` becomes ESCAPED_NEWLINE: a line break for the
 * layout rules that does not count as a line, so hits keep the line of the raw file.
 *
 * Not found: Chinese mnemonics written without any separator between characters (every Chinese
 * sentence would be a candidate), words split by hyphens or inside longer words, text that is
 * not UTF-8, escapes escaped twice (`\\n`: JSON inside a JSON string).
 */
import * as bip39 from 'bip39';
import { sha256 } from '@noble/hashes/sha2.js';
import { publicMnemonicSource } from './public-vectors.js';
import { QRL_WORDLIST } from '../zond/wordlist.js';
import { QrlRun } from './qrl-run.js';

/** The BIP39 lists the scanner knows, in reporting priority order. */
export const MNEMONIC_LANGUAGES = [
  'english',
  'spanish',
  'french',
  'italian',
  'portuguese',
  'czech',
  'japanese',
  'korean',
  'chinese_simplified',
  'chinese_traditional',
] as const;
export type MnemonicLanguage = (typeof MNEMONIC_LANGUAGES)[number];

export const MNEMONIC_LENGTHS = [24, 21, 18, 15, 12] as const;

/** A place in text where a mnemonic (or a near-miss) starts. Never carries the words. */
export interface MnemonicHit {
  /** 1-based line of the first word. */
  line: number;
  words: number;
  /** A BIP39 list, or 'qrl': the QRL (Zond) list, 12 bits a word, no checksum (qrl-run.ts). */
  language: MnemonicLanguage | 'qrl';
  /**
   * BIP39: checksum valid; false: near-miss (right length, bad checksum). QRL: a credible 32- or
   * 34-word mnemonic; false: a long run of QRL words that may hold one.
   */
  valid: boolean;
  /** Set when the words were written as the four-letter stamps of a metal plate (English only). */
  form?: 'stamps';
  /** Set when the mnemonic's entropy is that of a published test mnemonic (its source). */
  publicVector?: string;
  /**
   * Checksum valid but at most two distinct words ("abandon … about", "valid valid …"): a test
   * vector or repeated data, not a generated mnemonic (2^-100 odds). Reported as a warning.
   */
  degenerate?: boolean;
}

const LATIN = new Set<MnemonicLanguage>(['english', 'spanish', 'french', 'italian', 'portuguese', 'czech']);
/**
 * Lanes: one per BIP39 list, plus English written as the stamps `backup sheet` prints (the first
 * four letters of each word, the whole word for three-letter words; unique in the English list),
 * in any case: "ABAN ABIL ABLE …" copied from a plate.
 */
const STAMP_LANE = MNEMONIC_LANGUAGES.length;
const NLANG = STAMP_LANE + 1;
/** The QRL list's column in the table (not a BIP39 lane: its runs are judged by QrlRun). */
const QRL_LANE = NLANG;
const NCOLS = NLANG + 1;
const laneLanguage = (li: number): MnemonicLanguage => (li === STAMP_LANE ? 'english' : MNEMONIC_LANGUAGES[li]!);
const MAX_WINDOW = 24;
const MAX_CANDIDATES = 4096;

let TABLE: Map<string, Int16Array> | undefined;
let MAX_KEY_LENGTH = 0;

function stripMarks(s: string): string {
  return s.replace(/\p{M}/gu, '');
}

/** word (NFKD, lower case) → index in each language's list, or -1. Built once. */
function table(): Map<string, Int16Array> {
  if (TABLE) return TABLE;
  const t = new Map<string, Int16Array>();
  const put = (key: string, lang: number, index: number): void => {
    let e = t.get(key);
    if (!e) {
      e = new Int16Array(NCOLS).fill(-1);
      t.set(key, e);
    }
    if (e[lang] === -1) e[lang] = index;
  };
  MNEMONIC_LANGUAGES.forEach((lang, li) => {
    const list = bip39.wordlists[lang];
    if (!list || list.length !== 2048) throw new Error(`bip39 word list missing: ${lang}`);
    const keys = list.map((w) => w.normalize('NFKD').toLowerCase());
    keys.forEach((k, i) => put(k, li, i));
    // Accent-less spelling ("abaco" for "ábaco") for Latin-script lists, only when unambiguous.
    if (LATIN.has(lang)) {
      const stripped = keys.map(stripMarks);
      const count = new Map<string, number>();
      for (const s of stripped) count.set(s, (count.get(s) ?? 0) + 1);
      stripped.forEach((s, i) => {
        if (s !== keys[i] && count.get(s) === 1 && !keys.includes(s)) put(s, li, i);
      });
    }
  });
  bip39.wordlists['english']!.forEach((w, i) => put(w.slice(0, 4), STAMP_LANE, i));
  QRL_WORDLIST.forEach((w, i) => put(w, QRL_LANE, i));
  for (const k of t.keys()) MAX_KEY_LENGTH = Math.max(MAX_KEY_LENGTH, k.length);
  TABLE = t;
  return t;
}

/** Look a token up: its index in each language, or undefined when it is in no list. */
export function lookupWord(token: string): Int16Array | undefined {
  const t = TABLE ?? table();
  if (token.length > MAX_KEY_LENGTH) return undefined;
  const direct = t.get(token);
  if (direct) return direct;
  const lower = token.toLowerCase();
  if (lower !== token) {
    const e = t.get(lower);
    if (e) return e;
  }
  // Only non-ASCII text can change under NFKD.
  let ascii = true;
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return undefined;
  const nfkd = lower.normalize('NFKD');
  return nfkd !== lower ? t.get(nfkd) : undefined;
}

/**
 * BIP39 checksum over word indices: the first n/3 bits of SHA-256(entropy) equal the last n/3 bits.
 * Fast pre-filter; every hit is confirmed with `bip39.validateMnemonic`.
 */
export function checksumValid(indices: ArrayLike<number>, start: number, n: number): boolean {
  const { ent, cs } = unpack(indices, start, n);
  const csBits = n / 3;
  const h = sha256(ent)[0]! >>> (8 - csBits);
  ent.fill(0);
  return h === cs;
}

/** The entropy bytes and checksum bits of the n words at `start` of the ring. */
function unpack(indices: ArrayLike<number>, start: number, n: number): { ent: Uint8Array; cs: number } {
  const bits = n * 11;
  const csBits = n / 3;
  const entBytes = (bits - csBits) / 8;
  const ent = new Uint8Array(entBytes);
  let acc = 0;
  let accBits = 0;
  let out = 0;
  let cs = 0;
  for (let i = 0; i < n; i++) {
    acc = (acc << 11) | (indices[(start + i) % MAX_WINDOW]! & 0x7ff);
    accBits += 11;
    while (accBits >= 8 && out < entBytes) {
      ent[out++] = (acc >>> (accBits - 8)) & 0xff;
      accBits -= 8;
      acc &= (1 << accBits) - 1;
    }
  }
  cs = acc & ((1 << csBits) - 1);
  return { ent, cs };
}

/** The published test mnemonic these n words are (by entropy), or undefined. */
function publicSource(indices: ArrayLike<number>, start: number, n: number): string | undefined {
  const { ent } = unpack(indices, start, n);
  const source = publicMnemonicSource(ent);
  ent.fill(0);
  return source;
}

function confirmWithBip39(indices: ArrayLike<number>, start: number, n: number): boolean {
  const english = bip39.wordlists['english']!;
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(english[indices[(start + i) % MAX_WINDOW]!]!);
  const ok = bip39.validateMnemonic(words.join(' '), english);
  words.fill('');
  return ok;
}

interface Candidate {
  /** Position of the first word within the run (0-based). */
  start: number;
  n: number;
  /** Line of the first word in the file (escaped line breaks not counted). */
  rawLine: number;
  /** Layout line (escaped line breaks counted) of the first and of the last word. */
  line: number;
  lastLine: number;
  /** Line of the run's word just before / after the window (-1: none). */
  prevLine: number;
  nextLine: number;
  distinct: number;
  /** Source of the published test mnemonic with this entropy, if it is one. */
  publicVector: string | undefined;
}

/**
 * How many other list words a run may have around a valid window of n words and still be
 * reported as a mnemonic (an error): SHORT_RUN_EXTRA for any window, or more for long windows
 * while the run's expected chance hits for that length stay at most 1/4,
 * (L - n + 1) / 2^(n/3) <= 1/4 (18 words: 15, 21: 31, 24: 63).
 *
 * Why up to 15 other words even for a 12-word window, where a run of 27 has about one chance
 * hit (16 windows, each valid 1 time in 16): runs of more than a dozen list words in a row are
 * themselves rare outside a mnemonic (measured: none in 57 MB of /usr/share/doc; 11 in 47 MB of
 * Python and Perl libraries, all keyword tables), so a short run with a valid window is far more
 * often a mnemonic written inside a sentence ("keep this private key seed safe w1 … w12 cat
 * echo") than chance, and missing it costs funds. Longer runs (word lists, generated text) are
 * warnings, except for 24-word windows.
 */
const SHORT_RUN_EXTRA = 15;

function embeddedSlack(n: number): number {
  return Math.max(SHORT_RUN_EXTRA, 2 ** (n / 3) / 4 - 1);
}

/**
 * A valid window is a credible mnemonic (an error) when:
 * - it is the whole run, or it fills its line by itself (several mnemonics one per line);
 * - the run has exactly 24 words (its own checksum failed: most likely a mistyped 24-word
 *   mnemonic, the validator default) and a shorter window inside beats 1/64 odds: otherwise the
 *   run stays a near-miss warning rather than a chance "valid 12-word mnemonic" (13 windows pass
 *   1 time in 16 each). Runs of 15, 18 or 21 words are judged like any run: those lengths are
 *   rare for mnemonics, and "note: keep this private key safe w1 … w12 cat echo" may be 21 words;
 * - otherwise, the run has few enough other list words (`embeddedSlack`).
 * Anything else is a warning (`separation-mnemonic-near-miss`), never silence.
 */
function credible(c: Candidate, runLen: number): boolean {
  if (runLen === c.n || fillsLine(c)) return true;
  const extra = runLen - c.n;
  if (runLen === MAX_WINDOW) return extra <= Math.floor(2 ** (c.n / 3) / 64 - 1);
  return extra <= embeddedSlack(c.n);
}

function fillsLine(c: Candidate): boolean {
  return c.line === c.lastLine && c.prevLine !== c.line && c.nextLine !== c.lastLine;
}

interface Run {
  len: number;
  /** Line in the file of the run's first word. */
  firstLine: number;
  /** Global ordinal of the run's first token (for de-duplication across languages). */
  firstOrdinal: number;
  indices: Int16Array;
  /** Layout line and line in the file of each word in the window ring. */
  lines: Int32Array;
  rawLines: Int32Array;
  candidates: Candidate[];
}

function newRun(): Run {
  return {
    len: 0,
    firstLine: 0,
    firstOrdinal: 0,
    indices: new Int16Array(MAX_WINDOW),
    lines: new Int32Array(MAX_WINDOW),
    rawLines: new Int32Array(MAX_WINDOW),
    candidates: [],
  };
}

function distinctWords(indices: Int16Array, start: number, n: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < n; i++) seen.add(indices[(start + i) % MAX_WINDOW]!);
  return seen.size;
}

function strictlyAscending(indices: Int16Array, start: number, n: number): boolean {
  for (let i = 1; i < n; i++) {
    if (indices[(start + i) % MAX_WINDOW]! <= indices[(start + i - 1) % MAX_WINDOW]!) return false;
  }
  return true;
}

/**
 * What a decoded `\n` escape becomes in the escaped view: U+FDD0, a noncharacter (not for use in
 * interchanged text), a line break for the layout rules but not a line of the file.
 */
export const ESCAPED_NEWLINE = '\ufdd0';

const TOKEN = /[\p{L}\p{M}]+/gu;
/** Most characters other than blanks between two words of one mnemonic. */
const MAX_SEPARATOR = 64;
/**
 * Most characters of any kind between two words: a backup sheet's row puts the stamp, two numbers
 * and an 11-column punch row (about 90 characters, mostly blanks) between one word and the next.
 */
const MAX_SEPARATOR_RAW = 256;
const LIGHT = new Set([...' \t\r\n\v\f\u00a0\u3000,;"\'`|[]*#-_\u2022\u3001\uff0c\u25cf\u25cb0123456789', ESCAPED_NEWLINE]);
const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\u00a0' || c === '\u3000';

const hasBreak = (sep: string): boolean => sep.includes('\n') || sep.includes(ESCAPED_NEWLINE);

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function isUpperAscii(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 65 || c > 90) return false;
  }
  return true;
}

/** `.`, `)` or `:` right after a number, possibly closing a quoted number: "1.", "2)", `"3":`. */
function afterNumber(sep: string, i: number): boolean {
  let j = i - 1;
  while (j >= 0 && i - j <= 3 && (sep[j] === '"' || sep[j] === "'" || sep[j] === ' ')) j--;
  return j >= 0 && isDigit(sep.charCodeAt(j));
}

/**
 * What may stand between two words of one mnemonic: spaces, line breaks, commas, quotes,
 * brackets, bullets and numbering ("1.", "02:", "3)", "(4)", "#5", a JSON key `"6": "`). Code
 * punctuation (`.`, `(`, `&&`, `=`) ends a run, which keeps identifiers in source code from
 * forming runs of list words.
 */
export function lightSeparator(sep: string): boolean {
  if (sep.length > MAX_SEPARATOR_RAW) return false;
  let solid = 0;
  for (let i = 0; i < sep.length; i++) {
    const c = sep[i]!;
    if (!isBlank(c) && ++solid > MAX_SEPARATOR) return false;
    if (LIGHT.has(c)) continue;
    if ((c === '.' || c === ')' || c === ':') && afterNumber(sep, i)) continue;
    if (c === '(' && i + 1 < sep.length && isDigit(sep.charCodeAt(i + 1))) continue;
    return false;
  }
  return true;
}

/** A separator that ends in a number: the next token is a numbered word ("1) w", `"2": "w`). */
const NUMBER_BEFORE = /\d[^\p{L}\p{N}\n\ufdd0]{0,4}$/u;
/** What follows a label: a small number and numbering punctuation (" 1:", "#2)", " 03 -", "4."). */
const LABEL_AFTER = /^[ \t]{0,2}#?\d{1,2}[ \t]?[:.)\-]/;
/** Characters after a token needed to decide whether it is a label (LABEL_AFTER's longest match). */
const LABEL_LOOKAHEAD = 8;
const MAX_LABEL = 16;
export const LETTER = /[\p{L}\p{M}]/u;

/**
 * A label is a word that introduces a number ("Word 1: abandon", "Palabra 2) ábaco", "word #3 -
 * …"). It is a separator, not a word of the run, even when it is a list word itself ("word" is
 * one): otherwise "Word 1: w1 / Word 2: w2 …" interleaves "word" with the mnemonic. A token is a
 * label when it is not itself numbered, is followed on its line by a small number with numbering
 * punctuation, and either follows a numbered word ("… 1: w1 Word 2: …", also on one line) or
 * starts a line outside any run of list words (the first label). The last conditions keep a
 * mnemonic written one word per line, followed by "12)" on its last line, from losing that word.
 * Single-word labels only ("Seed word 1:" is not one).
 */
function isLabel(token: string, numbered: boolean, freshLine: boolean, prevNumbered: boolean): boolean {
  if (token.length > MAX_LABEL || numbered) return false;
  return freshLine || prevNumbered;
}

/** A digit after at most two spaces/tabs and a '#': the prefix of LABEL_AFTER, tested without slicing. */
function digitSoonAfter(s: string, i: number): boolean {
  let c = s.charCodeAt(i);
  for (let k = 0; k < 2 && (c === 32 || c === 9); k++) c = s.charCodeAt(++i);
  if (c === 35) c = s.charCodeAt(++i);
  return isDigit(c);
}

/** NUMBER_BEFORE on s[from, to) without slicing (that range holds no letters: it is a separator). */
function numberBefore(s: string, from: number, to: number): boolean {
  for (let j = to - 1, k = 0; j >= from && k <= 4; j--, k++) {
    const c = s.charCodeAt(j);
    if (isDigit(c)) return true;
    if (c === 10 || c === 0xfdd0) return false;
  }
  return false;
}

/**
 * Streaming mnemonic scanner for one text. `push` text in order, then `end()`; read `hits`.
 */
export class MnemonicScanner {
  readonly hits: MnemonicHit[] = [];
  private readonly runs: Run[] = Array.from({ length: NLANG }, newRun);
  private readonly qrl = new QrlRun();
  private readonly reported = new Set<string>();
  private carry = '';
  /** Line number at the start of `carry`. */
  private line: number;
  /** Escaped line breaks before `carry` (layout line = line + soft). */
  private soft = 0;
  private ordinal = 0;
  private ended = false;
  /** Text after the last token of the previous piece (for the separator rule across pieces). */
  private pendingSep = '';
  /** Number of languages with an open run. */
  private open = 0;
  /** The last token that was not a label followed a number ("1) w"): labels may follow it on its line. */
  private prevNumbered = false;
  /** English index of the previous word (-1: none), and whether it was in capitals. */
  private prevEnglish = -1;
  private prevUpper = false;

  /** @param firstLine line number of the first piece's start (a scan that begins inside a file) */
  constructor(firstLine = 1) {
    this.line = firstLine;
  }

  /** Feed the next piece of text. */
  push(text: string): void {
    if (this.ended) throw new Error('mnemonic scanner already ended');
    let s = this.carry + text;
    // Keep a trailing partial token (letters or marks at the very end) for the next piece.
    let cut = s.length;
    while (cut > 0 && /[\p{L}\p{M}]/u.test(s[cut - 1]!)) cut--;
    // A lone high surrogate at the end belongs to the next piece too.
    if (cut > 0 && /[\uD800-\uDBFF]/.test(s[cut - 1]!)) cut--;
    // Whether a short token is a label depends on the characters after it: keep it for the next
    // piece when fewer than LABEL_LOOKAHEAD of them are here.
    let j = cut;
    while (j > 0 && cut - j < LABEL_LOOKAHEAD && !LETTER.test(s[j - 1]!)) j--;
    if (j > 0 && cut - j < LABEL_LOOKAHEAD && LETTER.test(s[j - 1]!)) {
      let k = j;
      while (k > 0 && j - k <= MAX_LABEL && LETTER.test(s[k - 1]!)) k--;
      if (j - k <= MAX_LABEL) cut = k;
    }
    if (cut === 0 && s.length > 0 && s.length < 256) {
      this.carry = s;
      return;
    }
    if (cut === 0) cut = s.length; // a single enormous token: no word is that long
    this.consume(s.slice(0, cut));
    this.carry = s.slice(cut);
    s = '';
  }

  /** Finish: flush the last token and close every open run. */
  end(): MnemonicHit[] {
    if (this.ended) return this.hits;
    this.consume(this.carry);
    this.carry = '';
    this.ended = true;
    for (let li = 0; li < NLANG; li++) this.closeRun(li);
    this.closeQrl(true);
    this.hits.sort((a, b) => a.line - b.line || b.words - a.words);
    return this.hits;
  }

  private consume(s: string): void {
    let line = this.line;
    let soft = this.soft;
    // Next line break not yet counted (searched once each: a long line is not searched per word).
    let nextNl = s.indexOf('\n');
    let nextSoft = s.indexOf(ESCAPED_NEWLINE);
    let prevEnd = -1;
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(s); m !== null; m = TOKEN.exec(s)) {
      const end = m.index + m[0].length;
      const sepStart = prevEnd;
      const numbered = sepStart < 0 ? NUMBER_BEFORE.test(this.pendingSep + s.slice(0, m.index)) : numberBefore(s, sepStart, m.index);
      prevEnd = end;
      // Cheap test first: most tokens are followed by a space and a letter (code units >= 58 are
      // neither digits nor the spaces and '#' a label's number may start with).
      const c1 = s.charCodeAt(end);
      if (
        c1 < 58 &&
        (isDigit(c1) || s.charCodeAt(end + 1) < 58) &&
        !numbered &&
        m[0].length <= MAX_LABEL &&
        digitSoonAfter(s, end) &&
        LABEL_AFTER.test(s.slice(end, end + LABEL_LOOKAHEAD))
      ) {
        const sep = this.separator(s, sepStart, m.index);
        const freshLine = !this.anyOpen() && (this.ordinal === 0 || hasBreak(sep));
        if (isLabel(m[0], numbered, freshLine, this.prevNumbered)) {
          // The label and the text before it join the separator of the next word.
          if (this.anyOpen() && !lightSeparator(sep)) this.closeAll(this.qrl.len >= 32 && hasBreak(sep));
          continue;
        }
      }
      const entry = lookupWord(m[0]);
      const upper = isUpperAscii(m[0]);
      // (prevEnglish -1: no English word before; a token that is no stamp has -1 too, and must not match it.)
      if (entry && upper && this.prevEnglish >= 0 && entry[STAMP_LANE] === this.prevEnglish && !this.prevUpper && m[0].length <= 4) {
        // A backup sheet's row: the word, then its stamp ("mixed MIXE 1137 …", in the SVG sheet on
        // the next line). The stamp repeats the word: part of the separator, not a second word.
        this.prevEnglish = -1;
        continue;
      }
      this.prevNumbered = numbered;
      this.prevEnglish = entry ? entry[0]! : -1;
      this.prevUpper = upper;
      const ord = this.ordinal++;
      if (!entry) {
        this.closeAll(this.qrlBreak(s, sepStart, m.index));
        continue;
      }
      // A single space (most separators in prose) is light: judged without slicing the separator.
      const oneSpace = sepStart >= 0 && m.index - sepStart === 1 && s.charCodeAt(sepStart) === 32;
      if (!oneSpace && this.anyOpen() && !lightSeparator(this.separator(s, sepStart, m.index))) this.closeAll(this.qrlBreak(s, sepStart, m.index));
      // Advance the line counters to this token.
      while (nextNl !== -1 && nextNl < m.index) {
        line++;
        nextNl = s.indexOf('\n', nextNl + 1);
      }
      while (nextSoft !== -1 && nextSoft < m.index) {
        soft++;
        nextSoft = s.indexOf(ESCAPED_NEWLINE, nextSoft + 1);
      }
      for (let li = 0; li < NLANG; li++) {
        const idx = entry[li]!;
        if (idx < 0) {
          if (this.runs[li]!.len > 0) this.closeRun(li);
        } else {
          this.extend(li, idx, line, line + soft, ord);
        }
      }
      const q = entry[QRL_LANE]!;
      if (q < 0) this.closeQrl(this.qrlBreak(s, sepStart, m.index));
      else {
        if (this.qrl.len === 0) this.open++;
        this.qrl.extend(q, line, line + soft);
      }
    }
    for (; nextNl !== -1; nextNl = s.indexOf('\n', nextNl + 1)) line++;
    for (; nextSoft !== -1; nextSoft = s.indexOf(ESCAPED_NEWLINE, nextSoft + 1)) soft++;
    this.line = line;
    this.soft = soft;
    const tail = prevEnd < 0 ? this.pendingSep + s : s.slice(prevEnd);
    // A long separator is never light; keep its start, whether it breaks a line, and its end
    // (for NUMBER_BEFORE), so the next piece judges it as it would in the whole text.
    this.pendingSep =
      tail.length > MAX_SEPARATOR_RAW + 9
        ? tail.slice(0, MAX_SEPARATOR_RAW + 1) + (hasBreak(tail.slice(MAX_SEPARATOR_RAW + 1, -8)) ? '\n' : '') + tail.slice(-8)
        : tail;
  }

  /**
   * Whether the token at `to` is on a later line than the previous token: a QRL run it ends ends at
   * a line break. Asked only of runs long enough to matter.
   */
  private qrlBreak(s: string, from: number, to: number): boolean {
    return this.qrl.len >= 32 && hasBreak(this.separator(s, from, to));
  }

  /** The text between the previous token (or the previous piece's last token) and `to`. */
  private separator(s: string, from: number, to: number): string {
    return from < 0 ? this.pendingSep + s.slice(0, to) : s.slice(from, to);
  }

  private anyOpen(): boolean {
    return this.open > 0;
  }

  /** @param atBreak the token that closes the runs is on a later line (see QrlRun.close) */
  private closeAll(atBreak: boolean): void {
    if (this.open === 0) return;
    for (let li = 0; li < NLANG; li++) if (this.runs[li]!.len > 0) this.closeRun(li);
    this.closeQrl(atBreak);
  }

  private closeQrl(atBreak: boolean): void {
    if (this.qrl.len === 0) return;
    this.open--;
    for (const h of this.qrl.close(atBreak)) this.hits.push(h);
  }

  /** @param rawLine line in the file; @param line layout line (escaped line breaks counted) */
  private extend(li: number, idx: number, rawLine: number, line: number, ord: number): void {
    const r = this.runs[li]!;
    if (r.len === 0) {
      this.open++;
      r.firstOrdinal = ord;
      r.firstLine = rawLine;
    }
    for (let i = r.candidates.length - 1; i >= 0; i--) {
      const c = r.candidates[i]!;
      if (c.start + c.n === r.len) c.nextLine = line;
      else break;
    }
    const slot = r.len % MAX_WINDOW;
    r.indices[slot] = idx;
    r.lines[slot] = line;
    r.rawLines[slot] = rawLine;
    r.len++;
    if (r.len < 12 || r.candidates.length >= MAX_CANDIDATES) return;
    for (const n of MNEMONIC_LENGTHS) {
      if (r.len < n) continue;
      const start = r.len - n;
      const ring = start % MAX_WINDOW;
      if (strictlyAscending(r.indices, ring, n)) continue;
      if (checksumValid(r.indices, ring, n) && confirmWithBip39(r.indices, ring, n)) {
        const prevLine = start > 0 ? r.lines[(start - 1) % MAX_WINDOW]! : -1;
        r.candidates.push({ start, n, rawLine: r.rawLines[ring]!, line: r.lines[ring]!, lastLine: line, prevLine, nextLine: -1, distinct: distinctWords(r.indices, ring, n), publicVector: publicSource(r.indices, ring, n) });
      }
    }
  }

  private closeRun(li: number): void {
    const r = this.runs[li]!;
    if (r.len === 0) return;
    if (r.len < 12) {
      // Short runs (most list words in ordinary text) cannot hold a mnemonic: nothing to judge.
      r.len = 0;
      this.open--;
      return;
    }
    const lang = laneLanguage(li);
    const accepted = r.candidates.filter((c) => credible(c, r.len));
    if (accepted.length > 0) {
      // Windows that fill their line first, then longest, then earliest; keep windows that do
      // not overlap one already chosen.
      const rank = (c: Candidate) => (fillsLine(c) ? 0 : 1);
      const sorted = accepted.sort((a, b) => rank(a) - rank(b) || b.n - a.n || a.start - b.start);
      const chosen: Candidate[] = [];
      for (const c of sorted) {
        if (chosen.some((o) => c.start < o.start + o.n && o.start < c.start + c.n)) continue;
        chosen.push(c);
      }
      for (const c of chosen) {
        const hit: MnemonicHit = { line: c.rawLine, words: c.n, language: lang, valid: true };
        if (li === STAMP_LANE) hit.form = 'stamps';
        if (c.publicVector) hit.publicVector = c.publicVector;
        if (c.distinct <= 2) hit.degenerate = true;
        this.report(`${r.firstOrdinal + c.start}:${c.n}`, hit);
      }
    } else if (r.candidates.length > 0 || (MNEMONIC_LENGTHS as readonly number[]).includes(r.len)) {
      // A mnemonic-length run with a wrong checksum, or a long run whose valid windows are
      // likely chance: a warning, never silence.
      if (r.len > MAX_WINDOW || !strictlyAscending(r.indices, 0, r.len)) {
        const hit: MnemonicHit = { line: r.firstLine, words: r.len, language: lang, valid: false };
        if (li === STAMP_LANE) hit.form = 'stamps';
        this.report(`${r.firstOrdinal}:${r.len}`, hit);
      }
    }
    r.len = 0;
    this.open--;
    r.indices.fill(0);
    r.candidates = [];
  }

  private report(key: string, hit: MnemonicHit): void {
    // The same words can be list words in two languages (English and French share some):
    // one place, one report; a valid mnemonic in any language wins over a near-miss.
    const prev = this.reported.has(`v:${key}`) || (!hit.valid && this.reported.has(`n:${key}`));
    if (prev) return;
    if (hit.valid && this.reported.has(`n:${key}`)) {
      const i = this.hits.findIndex((h) => !h.valid && h.line === hit.line && h.words === hit.words);
      if (i >= 0) this.hits.splice(i, 1);
    }
    this.reported.add(`${hit.valid ? 'v' : 'n'}:${key}`);
    this.hits.push(hit);
  }
}

/** Scan a whole text at once. */
export function findMnemonics(text: string): MnemonicHit[] {
  const s = new MnemonicScanner();
  s.push(text);
  return s.end();
}
