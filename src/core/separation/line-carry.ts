/**
 * The streaming frame both hex-secret scanners share: text arrives in pieces; the complete lines
 * are scanned now and the partial last line is carried (up to MAX_LINE_CARRY characters), so a value
 * split across two pieces is still seen whole. Of a very long line, all but its last LONG_LINE_TAIL
 * characters are scanned and those are carried with CONTEXT characters before them.
 */
export const MAX_LINE_CARRY = 4096;
/** Of a very long line, the characters carried unscanned, and the context carried before them. */
export const LONG_LINE_TAIL = 300;
export const CONTEXT = 200;

export abstract class LineCarryScanner {
  private carry = '';
  /** Line number at the start of the next scanned text. */
  protected line = 1;
  /** Offset in the next scanned text before which runs were already judged (carried context). */
  protected minStart = 0;

  push(text: string): void {
    const s = this.carry + text;
    const lastNl = s.lastIndexOf('\n');
    let limit = lastNl + 1;
    let carryStart = limit;
    if (s.length - limit > MAX_LINE_CARRY) {
      limit = s.length - LONG_LINE_TAIL;
      carryStart = limit - CONTEXT;
    }
    if (limit > 0) this.scan(s, limit);
    this.carry = s.slice(carryStart);
    this.minStart = limit - carryStart;
  }

  /** Scan what is still carried (the last line); call once, at the end of the text. */
  protected finish(): void {
    if (this.carry) this.scan(this.carry, this.carry.length);
    this.carry = '';
  }

  /** Report runs starting in [minStart, limit) of `s`; count lines up to `limit` into `line`. */
  protected abstract scan(s: string, limit: number): void;
}
