/**
 * The escaped view of a text for the mnemonic search: a mnemonic inside a JSON string may be written
 * with escape sequences (`"seed:\nw1 w2 …"` from a notes app, `\u00e1` or `\u3042` from Python's
 * `json.dump`). In the raw text the escape glues "n" or "u00e1" onto a word and the run breaks, so the
 * text is scanned a second time with JSON escapes decoded (see mnemonic-scan.ts for the search).
 */
import { ESCAPED_NEWLINE, LETTER, MnemonicScanner, type MnemonicHit } from './mnemonic-scan.js';

/** JSON's two-character escapes, decoded; `\n` becomes ESCAPED_NEWLINE. */
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { n: ESCAPED_NEWLINE, t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
const HEX4 = /^[0-9a-fA-F]{0,4}$/;

/**
 * Decodes JSON string escapes (`\n`, `\t`, `\"`, `\\`, `\uXXXX`, …) wherever they are in a text,
 * streamed: an escape split across pieces is carried (at most 5 characters). A backslash before
 * anything else stays as it is. `\n` and `\u000a` become ESCAPED_NEWLINE.
 */
export class JsonEscapeDecoder {
  private carry = '';

  /** Decode the next piece; returns the decoded text available so far. */
  push(text: string): string {
    const s = this.carry + text;
    this.carry = '';
    let out = '';
    let last = 0;
    for (let i = s.indexOf('\\'); i !== -1; ) {
      const c = s[i + 1];
      let decoded: string | undefined;
      let len = 2;
      if (c === undefined) {
        this.carry = s.slice(i);
        return out + s.slice(last, i);
      } else if (c === 'u') {
        const hex = s.slice(i + 2, i + 6);
        if (HEX4.test(hex)) {
          if (hex.length < 4) {
            // Only at the very end of the piece: the rest of the escape comes next.
            this.carry = s.slice(i);
            return out + s.slice(last, i);
          }
          const code = parseInt(hex, 16);
          decoded = code === 10 ? ESCAPED_NEWLINE : String.fromCharCode(code);
          len = 6;
        }
      } else {
        decoded = SIMPLE_ESCAPES[c];
      }
      if (decoded === undefined) {
        i = s.indexOf('\\', i + 1);
        continue;
      }
      out += s.slice(last, i) + decoded;
      last = i + len;
      i = s.indexOf('\\', last);
    }
    return out + s.slice(last);
  }

  /** The undecodable rest (a lone trailing backslash or a cut `\u` escape), as it was. */
  end(): string {
    const rest = this.carry;
    this.carry = '';
    return rest;
  }
}

/** An escape that changes what the tokeniser sees. */
const ESCAPE = /\\(?:[nrtbf"\\/]|u[0-9a-fA-F]{4})/;
/**
 * How much text before the first escape the escaped view also scans, when the escape comes in a
 * later piece: more than any mnemonic window with its separators (24 × (8 + 256) characters).
 */
const ESCAPE_CONTEXT = 8192;

/**
 * The escaped view of a text: a MnemonicScanner over the text with JSON escapes decoded. It
 * starts at the first piece holding an escape (with up to ESCAPE_CONTEXT characters before it,
 * from a line start), so text without escapes costs one regular-expression search per piece, and
 * a file read in one piece is scanned whole. Merge its hits with the raw scan's with
 * `mergeEscapedHits`.
 */
export class EscapedMnemonicScanner {
  private scanner: MnemonicScanner | undefined;
  private readonly decoder = new JsonEscapeDecoder();
  /** Text not yet scanned, before any escape: the context kept for a later escape. */
  private before = '';
  /** Line number at the start of `before`. */
  private line = 1;

  push(text: string): void {
    if (this.scanner) {
      this.scanner.push(this.decoder.push(text));
      return;
    }
    const s = this.before + text;
    if (ESCAPE.test(s)) {
      this.before = '';
      this.scanner = new MnemonicScanner(this.line);
      this.scanner.push(this.decoder.push(s));
      return;
    }
    if (s.length <= ESCAPE_CONTEXT) {
      this.before = s;
      return;
    }
    // Keep the last ESCAPE_CONTEXT characters, from a line start or else from a token boundary.
    let cut = s.length - ESCAPE_CONTEXT;
    const nl = s.indexOf('\n', cut);
    if (nl !== -1) {
      cut = nl + 1;
    } else {
      while (cut < s.length && LETTER.test(s[cut]!)) cut++;
    }
    for (let i = s.indexOf('\n'); i !== -1 && i < cut; i = s.indexOf('\n', i + 1)) this.line++;
    this.before = s.slice(cut);
  }

  /** Finish; hits of the escaped view (none when the text had no escape). */
  end(): MnemonicHit[] {
    if (!this.scanner) {
      this.before = '';
      return [];
    }
    this.scanner.push(this.decoder.end());
    return this.scanner.end();
  }
}

/**
 * One report per place, from the raw scan's hits and the escaped view's. Hits are grouped by
 * line and language; where both views have hits in a group, the view with more valid mnemonics
 * wins, the escaped view on a tie (it reads the text as its author wrote it). So a mnemonic that
 * no escape touches, seen by both, is reported once, and a run that escapes broke in the raw
 * text gives way to the whole mnemonic.
 */
export function mergeEscapedHits(raw: readonly MnemonicHit[], escaped: readonly MnemonicHit[]): MnemonicHit[] {
  if (escaped.length === 0) return [...raw];
  const group = (hits: readonly MnemonicHit[]) => {
    const m = new Map<string, MnemonicHit[]>();
    for (const h of hits) {
      const k = `${h.line}:${h.language}`;
      const g = m.get(k);
      if (g) g.push(h);
      else m.set(k, [h]);
    }
    return m;
  };
  const validCount = (hits: readonly MnemonicHit[] | undefined) => (hits ?? []).filter((h) => h.valid).length;
  const rawGroups = group(raw);
  const escapedGroups = group(escaped);
  const out: MnemonicHit[] = [];
  for (const [k, hits] of rawGroups) {
    const other = escapedGroups.get(k);
    if (!other || validCount(hits) > validCount(other)) out.push(...hits);
  }
  for (const [k, hits] of escapedGroups) {
    const other = rawGroups.get(k);
    if (!other || validCount(hits) >= validCount(other)) out.push(...hits);
  }
  return out.sort((a, b) => a.line - b.line || b.words - a.words);
}
