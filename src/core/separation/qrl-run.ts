/**
 * QRL (Zond) mnemonics in a run of consecutive QRL list words (the tokenising, separators, labels,
 * escapes and markup are MnemonicScanner's: it feeds this one the QRL index of each list word).
 *
 * The QRL list (go-qrllib v0.9.0) has 4096 words, 12 bits a word and no checksum, so any run of list
 * words decodes: 32 words = the 48-byte staking seed, 34 words = the 51-byte extended seed, whose
 * 3-byte descriptor 01 00 00 always spells `absorb aback` (indices 16, 0). Length and place are the
 * only signals:
 * - a run of 32 to 34 + QRL_SLACK words holding a window that is not strictly ascending: a mnemonic
 *   (34 words when an `absorb aback` window is in it). The slack admits list words around it in a
 *   note ("my seed: w1 … w32 ok"). When the run spans lines, the window must end a line: a run that
 *   spans lines is otherwise mostly chance joins of lines of other text (a file of BIP39 mnemonics:
 *   1,467 of the 2048 English words are QRL words), and is only a warning.
 * - in a longer run, each 32/34-word window that fills its line by itself (several mnemonics one per
 *   line, the way notes and files hold them): a mnemonic each.
 * - any other run longer than that with more than QRL_SLACK non-ascending windows: a warning (it
 *   may hold a mnemonic; runs that long are rare in prose: see README, separation).
 * - strictly ascending windows are copies of the (sorted) list itself, e.g. go-qrllib's wordlist.go
 *   in a Go module cache, and never count; a copy with a few stray list words at its ends has at
 *   most that many non-ascending windows, so it stays silent too (a real mnemonic inside a long run
 *   makes about 30).
 * Hits never carry the words.
 */
import type { MnemonicHit } from './mnemonic-scan.js';

/** Index of `absorb` and `aback`: the descriptor 01 00 00 (ML-DSA-87 wallet) as two words. */
const ABSORB = 16;
const ABACK = 0;
const SEED_WORDS = 32;
const EXTENDED_WORDS = 34;
/** Other list words a run may have around a mnemonic and still be judged one (see above). */
export const QRL_SLACK = 8;
const RING = 64;

interface Window {
  start: number;
  n: number;
  rawLine: number;
  distinct: number;
}

/** The current run of QRL list words of one text. `extend` per word, `close` at its end. */
export class QrlRun {
  len = 0;
  private readonly idx = new Int16Array(RING);
  private readonly lines = new Int32Array(RING);
  private readonly rawLines = new Int32Array(RING);
  private firstRawLine = 0;
  /** Non-ascending 32-word windows seen in this run. */
  private nonAscending = 0;
  private first32: Window | undefined;
  private first34: Window | undefined;
  /** Windows that fill their line, waiting for the next word to confirm it is on another line. */
  private pending: Window[] = [];
  private fills: Window[] = [];

  /** @param rawLine line in the file; @param line layout line (escaped line breaks counted) */
  extend(index: number, rawLine: number, line: number): void {
    if (this.len === 0) this.firstRawLine = rawLine;
    // The word after a pending window: the window fills its line when this word is on another one.
    if (this.pending.length > 0) {
      for (const w of this.pending) if (line !== this.lines[(w.start + w.n - 1) % RING]) this.fills.push(w);
      this.pending = [];
    }
    const slot = this.len % RING;
    this.idx[slot] = index;
    this.lines[slot] = line;
    this.rawLines[slot] = rawLine;
    this.len++;
    for (const n of [SEED_WORDS, EXTENDED_WORDS]) {
      if (this.len < n) continue;
      const start = this.len - n;
      if (n === EXTENDED_WORDS && !(this.at(start) === ABSORB && this.at(start + 1) === ABACK)) continue;
      if (this.ascending(start, n)) continue;
      const w: Window = { start, n, rawLine: this.rawLines[start % RING]!, distinct: this.distinct(start, n) };
      if (n === SEED_WORDS) {
        this.nonAscending++;
        this.first32 ??= w;
      } else this.first34 ??= w;
      const firstLine = this.lines[start % RING]!;
      if (firstLine === line && (start === 0 || this.lines[(start - 1) % RING] !== firstLine)) this.pending.push(w);
    }
  }

  /**
   * End of the run: its hits (possibly none); the run is reset.
   * @param atBreak the run ends at a line break or at the end of the text (not before a word on its last line)
   */
  close(atBreak: boolean): MnemonicHit[] {
    const out: MnemonicHit[] = [];
    if (this.len >= SEED_WORDS && this.nonAscending > 0) {
      if (atBreak) this.fills.push(...this.pending);
      if (this.len <= EXTENDED_WORDS + QRL_SLACK) {
        const oneLine = this.lines[0] === this.lines[(this.len - 1) % RING];
        const ext = this.first34 && (oneLine || this.endsLine(this.first34.start + EXTENDED_WORDS, atBreak)) ? this.first34 : undefined;
        const w = ext ?? (oneLine ? (this.first34 ?? this.alignedWindow(atBreak, false) ?? this.first32) : this.alignedWindow(atBreak, true));
        out.push(w ? hitOf(w) : { line: this.firstRawLine, words: this.len, language: 'qrl', valid: false });
      } else if (this.fills.length > 0) {
        // Longest first (a 34-word line holds no line-filling 32-word window, but be safe), no overlaps.
        const chosen: Window[] = [];
        for (const w of this.fills.sort((a, b) => b.n - a.n || a.start - b.start)) {
          if (!chosen.some((o) => w.start < o.start + o.n && o.start < w.start + w.n)) chosen.push(w);
        }
        for (const w of chosen.sort((a, b) => a.start - b.start)) out.push(hitOf(w));
      } else if (this.nonAscending > QRL_SLACK) {
        out.push({ line: this.firstRawLine, words: this.len, language: 'qrl', valid: false });
      }
    }
    this.len = 0;
    this.nonAscending = 0;
    this.first32 = undefined;
    this.first34 = undefined;
    this.pending = [];
    this.fills = [];
    this.idx.fill(0);
    return out;
  }

  /**
   * In a short run, the last 32-word window that starts and ends a line (a title line of list words
   * before a mnemonic written one word a line, or numbered, is not part of it); undefined if none.
   */
  private alignedWindow(atBreak: boolean, mustEndLine: boolean): Window | undefined {
    let endingOnly: Window | undefined;
    for (let start = this.len - SEED_WORDS; start >= 0; start--) {
      const end = start + SEED_WORDS;
      const startsLine = start === 0 || this.lines[(start - 1) % RING] !== this.lines[start % RING];
      const endsLine = this.endsLine(end, atBreak);
      if (this.ascending(start, SEED_WORDS)) continue;
      const w = { start, n: SEED_WORDS, rawLine: this.rawLines[start % RING]!, distinct: this.distinct(start, SEED_WORDS) };
      if (startsLine && endsLine) return w;
      if (endsLine) endingOnly ??= w;
    }
    return mustEndLine ? endingOnly : undefined;
  }

  /** Whether the word before position `end` of the run is the last on its line. */
  private endsLine(end: number, atBreak: boolean): boolean {
    return end === this.len ? atBreak : this.lines[end % RING] !== this.lines[(end - 1) % RING];
  }

  private at(i: number): number {
    return this.idx[i % RING]!;
  }

  private ascending(start: number, n: number): boolean {
    for (let i = start + 1; i < start + n; i++) if (this.at(i) <= this.at(i - 1)) return false;
    return true;
  }

  private distinct(start: number, n: number): number {
    const seen = new Set<number>();
    for (let i = start; i < start + n; i++) seen.add(this.at(i));
    return seen.size;
  }
}

function hitOf(w: Window): MnemonicHit {
  const hit: MnemonicHit = { line: w.rawLine, words: w.n, language: 'qrl', valid: true };
  if (w.distinct <= 2) hit.degenerate = true;
  return hit;
}
