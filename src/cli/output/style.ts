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
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    return cp <= 0xff ? `\\x${cp.toString(16).padStart(2, '0')}` : `\\u{${cp.toString(16)}}`;
  });
}
