/**
 * Numbered lists laid out in columns (mnemonic words, candidate last words).
 */

/** Lay out entries top-to-bottom in at most `maxColumns` columns that fit `width` characters. */
export function columns(items: readonly string[], width = 80, maxColumns = 8): string {
  if (items.length === 0) return '';
  const w = Math.max(...items.map((s) => [...s].length)) + 3;
  const perRow = Math.max(1, Math.min(maxColumns, Math.floor(width / w)));
  const rows = Math.ceil(items.length / perRow);
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const item = items[c * rows + r];
      if (item !== undefined) line += item + ' '.repeat(Math.max(0, w - [...item].length));
    }
    out.push(line.trimEnd());
  }
  return `${out.join('\n')}\n`;
}

/** "  1. word" entries, numbers right-aligned. */
export function numbered(words: readonly string[]): string[] {
  const width = String(words.length).length;
  return words.map((w, i) => `${String(i + 1).padStart(width)}. ${w}`);
}
