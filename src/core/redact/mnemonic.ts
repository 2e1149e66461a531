/**
 * A BIP39 mnemonic pasted into a log line: a run of 12+ lower-case words (Latin-script lists, as
 * logs are ASCII) in which 12, 15, 18, 21 or 24 consecutive words come from one list and pass the
 * checksum. Uses the separation scanner's word table and checksum.
 */
import { checksumValid, lookupWord, MNEMONIC_LANGUAGES } from '../separation/mnemonic-scan.js';

/** The candidate the master pattern hands over: 12+ words of 3-8 letters on one line. */
export const MNEMONIC_CANDIDATE = '(?<mnem>\\b(?:[a-z]{3,8}[ \\t,]+){11,}[a-z]{3,8}\\b)';

const LENGTHS = [24, 21, 18, 15, 12] as const;

/**
 * The [start, end) character span of the first mnemonic in `run`, or undefined.
 * Each window of a valid length is tried in every language, longest first at each start.
 */
export function classifyMnemonicRun(run: string): [number, number] | undefined {
  const words: { w: string; at: number }[] = [];
  for (const m of run.matchAll(/[a-z]+/g)) words.push({ w: m[0], at: m.index });
  const entries = words.map((x) => lookupWord(x.w));
  const window = new Int32Array(24);
  for (let start = 0; start + 12 <= words.length; start++) {
    for (const n of LENGTHS) {
      if (start + n > words.length) continue;
      for (let li = 0; li < MNEMONIC_LANGUAGES.length; li++) {
        let ok = true;
        for (let i = 0; i < n; i++) {
          const e = entries[start + i];
          const idx = e ? e[li]! : -1;
          if (idx < 0) {
            ok = false;
            break;
          }
          window[i] = idx;
        }
        if (ok && checksumValid(window, 0, n)) {
          const last = words[start + n - 1]!;
          return [words[start]!.at, last.at + last.w.length];
        }
      }
    }
  }
  return undefined;
}
