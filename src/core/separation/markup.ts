/**
 * The markup view of a text for the mnemonic search: notes saved as RTF (WordPad, TextEdit) or
 * exported as HTML/XML (a notes app's export, Evernote's ENEX, an SVG page) hide the words between
 * control words and tags: `abandon\par`, `abandon\` + line break, `<div>abandon</div>`,
 * `abandon<br>ability`. In the raw text `par`, `div` and `br` are tokens that break the run of
 * list words, so these files are scanned a second time as the reader sees them: markup removed,
 * paragraph and block breaks turned into ESCAPED_NEWLINE (a line break for the layout rules that
 * is not a line of the file), character escapes (`\'e1`, `\u12354`, `&aacute;`, `&#233;`)
 * decoded. Line breaks of the file are kept, so hits keep the line of the raw file.
 *
 * Both decoders stream: an escape or tag cut at the end of a piece is carried to the next
 * (bounded, so hostile input without a closing `>` cannot grow the carry).
 */
import { ESCAPED_NEWLINE } from './mnemonic-scan.js';

export type MarkupKind = 'rtf' | 'html';

const HTML_NAME = /\.(?:html?|xhtml|xml|svg|enex)$/i;

/**
 * Which markup a file holds, from its first characters (and its name for HTML/XML): RTF starts
 * with `{\rtf`; HTML, XML, SVG and ENEX start with `<` or are named so.
 */
export function markupKind(baseName: string, start: string): MarkupKind | undefined {
  const head = start.replace(/^\ufeff/, '').trimStart();
  if (head.startsWith('{\\rtf')) return 'rtf';
  if (head.startsWith('<') || HTML_NAME.test(baseName)) return 'html';
  return undefined;
}

export interface TextDecoderStream {
  /** Decode the next piece; returns the decoded text available so far. */
  push(text: string): string;
  /** The rest, at the end of the text. */
  end(): string;
}

/** Newlines of a removed stretch, so line numbers stay those of the file. */
function newlinesOf(s: string): string {
  let out = '';
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) out += '\n';
  return out;
}

/** Longer than any tag TAG matches (2 + 64 + 1 + 4096 + 1 characters), so a carried tag is never cut. */
const MAX_CARRY = 8192;

// ---------------------------------------------------------------------------------------------
// HTML / XML

/** Inline elements: a tag of these joins the text on both sides as the browser renders it. */
const INLINE = new Set([
  'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd', 'mark', 'q',
  's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);
/** Elements whose content stands next to the neighbours' on one line (table cells, SVG text). */
const CELL = new Set(['td', 'th', 'text', 'tspan']);

/**
 * A tag (name, then attributes only after a blank or `/`, so the two parts cannot trade characters
 * and a `<` without `>` costs at most one bounded scan), a comment/declaration, or an entity.
 */
const TAG = /<(\/?)([A-Za-z][A-Za-z0-9:-]{0,63})(?:[\s/][^<>]{0,4096})?>|<[!?][^<>]{0,4096}>|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/g;

/** Named entities: the few that are characters of their own, then any `&<letter><accent>;`. */
const NAMED: Readonly<Record<string, string>> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ensp: ' ', emsp: ' ', thinsp: ' ', shy: '', zwj: '', zwnj: '' };
const ACCENTS: Readonly<Record<string, string>> = {
  acute: '\u0301', grave: '\u0300', circ: '\u0302', tilde: '\u0303', uml: '\u0308', cedil: '\u0327', caron: '\u030c', ring: '\u030a',
};
const ACCENTED = /^([A-Za-z])(acute|grave|circ|tilde|uml|cedil|caron|ring)$/;

function entity(body: string): string | undefined {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return undefined;
    return code === 10 ? '\n' : String.fromCodePoint(code);
  }
  const named = NAMED[body];
  if (named !== undefined) return named;
  const m = ACCENTED.exec(body);
  return m ? m[1]! + ACCENTS[m[2]!]! : undefined;
}

/** Streaming HTML/XML to text (see the module comment). */
export class HtmlTextDecoder implements TextDecoderStream {
  private carry = '';

  push(text: string): string {
    let s = this.carry + text;
    this.carry = '';
    // Carry an unfinished tag or entity at the end (within bounds).
    const lt = s.lastIndexOf('<');
    if (lt !== -1 && s.indexOf('>', lt) === -1 && s.length - lt <= MAX_CARRY) {
      this.carry = s.slice(lt);
      s = s.slice(0, lt);
    } else {
      const amp = s.lastIndexOf('&');
      if (amp !== -1 && s.length - amp <= 40 && s.indexOf(';', amp) === -1) {
        this.carry = s.slice(amp);
        s = s.slice(0, amp);
      }
    }
    return this.decode(s);
  }

  end(): string {
    const rest = this.carry;
    this.carry = '';
    // The carry may hold whole tags after an unfinished entity ("&<u>"): decode it as the whole text would be.
    return this.decode(rest);
  }

  private decode(s: string): string {
    return s.replace(TAG, (match: string, _close: string | undefined, name: string | undefined, ent: string | undefined) => {
      if (ent !== undefined) return entity(ent) ?? match;
      const nl = newlinesOf(match);
      if (name === undefined) return nl; // comment, doctype, processing instruction, CDATA start
      const lower = name.toLowerCase();
      if (INLINE.has(lower)) return nl;
      if (CELL.has(lower)) return ` ${nl}`;
      return ESCAPED_NEWLINE + nl;
    });
  }
}

// ---------------------------------------------------------------------------------------------
// RTF

/** Destinations whose text is not document text (font and colour tables, metadata, pictures). */
const SKIP_DESTINATIONS = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'object', 'header', 'footer', 'headerl', 'headerr', 'footerl', 'footerr',
  'listtable', 'listoverridetable', 'rsidtbl', 'generator', 'xmlnstbl', 'themedata', 'colorschememapping', 'latentstyles',
  'datastore', 'filetbl', 'revtbl', 'expandedcolortbl', 'fldinst',
]);
/** Control words that end a line or a cell. */
const BREAKS = new Set(['par', 'line', 'sect', 'page', 'row']);
const BLANKS = new Set(['tab', 'cell', 'emspace', 'enspace', 'qmspace']);

/** Characters at the end of a piece within which a control word is carried to the next. */
const RTF_TAIL = 48;
const RTF_TOKEN = /\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|\\'[0-9a-fA-F]?$|\\$|[{}]|[^\\{}]+/g;

/** The text decoder for an ANSI code page (`\ansicpgN`), Windows-1252 when unknown. */
function codePageDecoder(cp: number): { decode(bytes: Uint8Array): string } {
  const label = cp === 932 ? 'shift_jis' : cp === 936 ? 'gbk' : cp === 949 ? 'euc-kr' : cp === 950 ? 'big5' : cp >= 874 && cp <= 1258 ? `windows-${cp}` : 'windows-1252';
  try {
    return new TextDecoder(label);
  } catch {
    return new TextDecoder('windows-1252');
  }
}

/**
 * Streaming RTF to text (see the module comment): groups of skipped destinations (`{\fonttbl …}`,
 * `{\*\…}`) produce only their line breaks; `\par`, `\line` and `\` + line break end a line;
 * `\'hh` bytes are decoded with the document's code page, `\uN` as UTF-16 with its `\ucN`
 * fallback characters dropped.
 */
export class RtfTextDecoder implements TextDecoderStream {
  private carry = '';
  /** Group depth, and the depth at which a skipped group started (0: not skipping). */
  private depth = 0;
  private skipFrom = 0;
  /** The next token starts a group (`{`): `\*` or a skipped destination word makes it skipped. */
  private groupStart = false;
  private uc = 1;
  /** Fallback characters still to drop after a `\uN`. */
  private dropping = 0;
  private bytes: number[] = [];
  private cp = codePageDecoder(1252);

  push(text: string): string {
    const s = this.carry + text;
    this.carry = '';
    let out = '';
    RTF_TOKEN.lastIndex = 0;
    for (let m = RTF_TOKEN.exec(s); m !== null; m = RTF_TOKEN.exec(s)) {
      const tok = m[0];
      // A control word or escape near the end may go on in the next piece ("\\pa|r", "\\u-|3",
      // "\\'e|1"): decide it, and what follows it, there.
      if (tok[0] === '\\' && m[4] === undefined && s.length - m.index <= RTF_TAIL) {
        this.carry = s.slice(m.index);
        break;
      }
      out += this.token(m);
    }
    return out;
  }

  end(): string {
    const rest = this.carry;
    this.carry = '';
    let out = '';
    if (rest) {
      RTF_TOKEN.lastIndex = 0;
      for (let m = RTF_TOKEN.exec(rest); m !== null; m = RTF_TOKEN.exec(rest)) out += this.token(m);
    }
    return out + this.flushBytes();
  }

  private flushBytes(): string {
    if (this.bytes.length === 0) return '';
    const text = this.cp.decode(new Uint8Array(this.bytes));
    this.bytes = [];
    return text;
  }

  private skipping(): boolean {
    return this.skipFrom > 0;
  }

  private token(m: RegExpExecArray): string {
    const tok = m[0];
    const hex = m[3];
    if (hex !== undefined) {
      this.groupStart = false;
      if (this.dropping > 0) {
        this.dropping--;
        return '';
      }
      if (!this.skipping()) this.bytes.push(parseInt(hex, 16));
      return '';
    }
    let out = this.flushBytes();
    const word = m[1];
    if (tok === '{') {
      this.depth++;
      this.groupStart = true;
      this.dropping = 0;
      return out;
    }
    if (tok === '}') {
      if (this.skipFrom === this.depth) this.skipFrom = 0;
      this.depth = Math.max(0, this.depth - 1);
      this.groupStart = false;
      this.dropping = 0;
      return out;
    }
    const wasStart = this.groupStart;
    this.groupStart = false;
    if (word !== undefined) {
      if (wasStart && SKIP_DESTINATIONS.has(word) && !this.skipping()) this.skipFrom = this.depth;
      if (this.skipping()) return out + newlinesOf(tok);
      const param = m[2] === undefined ? undefined : Number(m[2]);
      if (word === 'ansicpg' && param !== undefined) this.cp = codePageDecoder(param);
      else if (word === 'uc' && param !== undefined) this.uc = Math.max(0, Math.min(param, 16));
      else if (word === 'u' && param !== undefined) {
        out += String.fromCharCode(param < 0 ? param + 65536 : param);
        this.dropping = this.uc;
      } else if (BREAKS.has(word)) out += ESCAPED_NEWLINE;
      else if (BLANKS.has(word)) out += ' ';
      return out + newlinesOf(tok);
    }
    const symbol = m[4];
    if (symbol !== undefined) {
      if (symbol === '*' && wasStart && !this.skipping()) this.skipFrom = this.depth;
      if (this.skipping()) return out + newlinesOf(tok);
      if (this.dropping > 0) {
        this.dropping--;
        return out;
      }
      if (symbol === '\n' || symbol === '\r') return `${out}${ESCAPED_NEWLINE}${symbol === '\n' ? '\n' : ''}`;
      if (symbol === '~') return `${out} `;
      if (symbol === '\\' || symbol === '{' || symbol === '}') return out + symbol;
      if (symbol === '_') return `${out}-`;
      return out;
    }
    if (tok[0] === '\\') return out; // a lone backslash at the very end
    // Plain text: raw line breaks are not text in RTF, but keep them as lines of the file.
    if (this.skipping()) return out + newlinesOf(tok);
    let t = tok;
    if (this.dropping > 0) {
      const n = Math.min(this.dropping, t.length);
      t = t.slice(n);
      this.dropping -= n;
    }
    return out + t.replace(/\r/g, '');
  }
}

export function markupDecoder(kind: MarkupKind): TextDecoderStream {
  return kind === 'rtf' ? new RtfTextDecoder() : new HtmlTextDecoder();
}
