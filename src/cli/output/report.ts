/**
 * Rendering a Report: `--json` prints exactly the data; the human view renders the same data.
 */
import { bySeverity, countBySeverity, type Finding, type Report } from '../../core/findings.js';
import { printError } from './diagnostics.js';
import { jsonInert, MARK, printable, resetAtLineEnds, styleFor, type Style } from './style.js';

/** Print a report as JSON on stdout (and nothing else on stdout). */
export function printJson(report: Report): void {
  process.stdout.write(`${jsonInert(JSON.stringify(report, null, 2))}\n`);
}

function severityMark(f: Finding, s: Style): string {
  if (f.severity === 'error') return s.red(`${MARK.fail} error  `);
  if (f.severity === 'warning') return s.yellow(`${MARK.warn} warning`);
  return s.dim(`${MARK.info} info   `);
}

/** Human lines for a list of findings, grouped errors → warnings → info, each with its fix. */
export function renderFindings(findings: readonly Finding[], s: Style = styleFor(process.stdout)): string {
  const lines: string[] = [];
  for (const f of bySeverity(findings)) {
    lines.push(`${severityMark(f, s)} ${printable(f.subject)}: ${printable(f.message)} ${s.dim(`[${f.id}]`)}`);
    if (f.fix) lines.push(`          fix: ${printable(f.fix)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** One summary line: "2 errors, 1 warning, 0 notes". */
export function renderCounts(findings: readonly Finding[]): string {
  const c = countBySeverity(findings);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.info, 'note')}`;
}

/**
 * Print a report: JSON when asked, otherwise `header` (the command's own view of its data)
 * followed by the findings and a count line.
 */
export function printReport(report: Report, opts: { json: boolean; header?: string }): void {
  if (opts.json) return printJson(report);
  const s = styleFor(process.stdout);
  let out = opts.header ?? '';
  out += renderFindings(report.findings, s);
  const verdict = report.ok ? s.green(`${MARK.ok} ok`) : s.red(`${MARK.fail} failed`);
  out += `${verdict} (${renderCounts(report.findings)})\n`;
  process.stdout.write(resetAtLineEnds(out, process.stdout));
}

/** Exit code for a check report: 0 all good, 1 a finding with severity error. */
export function exitCodeFor(report: Report): 0 | 1 {
  return report.ok ? 0 : 1;
}

/**
 * Exit code for a report that may hold unreadable or malformed input: when `malformed`, every
 * finding `isInputProblem` selects is repeated on stderr as one error line naming file and field,
 * and the code is 2; otherwise 0 or 1 as `exitCodeFor`.
 */
export function exitCodeWithInputProblems(report: Report, malformed: boolean, isInputProblem: (f: Finding) => boolean = () => true): 0 | 1 | 2 {
  if (!malformed) return exitCodeFor(report);
  for (const f of report.findings) if (isInputProblem(f)) printError(`${f.subject}: ${f.message}`);
  return 2;
}
