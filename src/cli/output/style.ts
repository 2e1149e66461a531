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
