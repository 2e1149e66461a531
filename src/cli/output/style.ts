/**
 * Colour and symbols. Colour only when the stream is a TTY and NO_COLOR is unset
 * (https://no-color.org: any value, even empty, disables colour).
 */
export function colourEnabled(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env['NO_COLOR'] === undefined;
}

export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

/** SGR reset: every style off. */
export const RESET = '\u001b[0m';

/**
 * Coloured text with every style reset at each line end (and at its end), so no style, whatever
 * opened it, runs on into the next line: a verdict line always starts plain. Plain text is returned
 * as it is.
 */
export function resetAtLineEnds(text: string, stream: NodeJS.WriteStream): string {
  if (!colourEnabled(stream)) return text;
  return text.replace(/\n/g, `${RESET}\n`);
}

export function styleFor(stream: NodeJS.WriteStream): Style {
  if (!colourEnabled(stream)) {
    const id = (s: string) => s;
    return { red: id, yellow: id, green: id, dim: id, bold: id };
  }
  return { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

export const MARK = { ok: '✓', fail: '✗', warn: '!', info: '·' } as const;

/**
 * Text from an input (a file name, a JSON field, a path inside a keystore) made safe to print on a
 * terminal: control characters (C0, DEL, C1: escape sequences, carriage returns, newlines) and the
 * bidirectional overrides that reorder what is shown are written as visible escapes, so a hostile
 * file can neither hide a line, move the cursor, nor forge a line of coldstake's own output.
 */
export function printable(s: string): string {
  return s.replace(TERMINAL_UNSAFE, (c) => {
    const cp = c.codePointAt(0)!;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  });
}

/**
 * Characters a terminal acts on or that reorder or hide what it shows: C0 (but tab), DEL, C1
 * (U+009B is a one-byte CSI on some terminals), the bidi marks, embeddings, overrides and isolates,
 * and the other invisible format controls (zero-width and word joiners, the Arabic letter mark,
 * the line and paragraph separators, the byte order mark, the interlinear annotation controls).
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/gu;

/** The same characters as `printable`, for JSON: JSON.stringify escapes C0 but leaves these raw. */
const JSON_UNSAFE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]/gu;

/**
 * JSON text (whole or a chunk of it) with those characters written as `\uXXXX` escapes: the same
 * value for every JSON reader, but inert when the JSON is shown on a terminal (`\u202e` reverses
 * what follows it, `\u009b` starts an escape sequence). Outside strings JSON has none of them, so
 * a chunk boundary anywhere is fine.
 */
export function jsonInert(json: string): string {
  return json.replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
