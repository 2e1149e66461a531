/**
 * The stderr grammar: one line each, `coldstake: error|warning|hint: …`, lower case, no final period.
 */
import { printable } from './style.js';

function clean(message: string): string {
  // One line, no final period; the first letter lower-cased unless it starts an acronym or a path;
  // control characters from inputs (file names) escaped.
  let m = printable(message.replace(/\s*\n\s*/g, ' ').trim().replace(/\.$/, ''));
  if (/^[A-Z][a-z]/.test(m)) m = m[0]!.toLowerCase() + m.slice(1);
  return m;
}

export function printError(message: string): void {
  process.stderr.write(`coldstake: error: ${clean(message)}\n`);
}

export function printWarning(message: string): void {
  process.stderr.write(`coldstake: warning: ${clean(message)}\n`);
}

export function printHint(message: string): void {
  process.stderr.write(`coldstake: hint: ${clean(message)}\n`);
}
