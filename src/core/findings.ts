/**
 * Findings: the one data shape every check command reports.
 * A finding is data; rendering (human or --json) lives in src/cli/output.
 * Ids are kebab-case, stable, and documented in README.md ("Finding ids").
 */

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable kebab-case id, e.g. `keystore-pubkey-mismatch`. */
  id: string;
  severity: Severity;
  /** One lower-case sentence without a final period. Never contains a secret. */
  message: string;
  /** What the finding is about: a file path, a pubkey, an interface name. */
  subject: string;
  /** Machine-readable facts behind the finding (file read, value seen). Never a secret. */
  evidence: Record<string, unknown>;
  /** Optional one-line remedy shown by the human renderer ("rfkill block wlan"). */
  fix?: string;
}

/** The common --json shape of every check command (PRODUCT.md "Output"). */
export interface Report {
  ok: boolean;
  command: string;
  findings: Finding[];
  [extra: string]: unknown;
}

const ID_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Build a finding, checking the id's shape.
 * @throws {RangeError} when `id` is not kebab-case.
 */
export function finding(
  id: string,
  severity: Severity,
  subject: string,
  message: string,
  evidence: Record<string, unknown> = {},
  fix?: string,
): Finding {
  if (!ID_RE.test(id)) throw new RangeError(`finding id must be kebab-case: ${id}`);
  const f: Finding = { id, severity, message, subject, evidence };
  if (fix !== undefined) f.fix = fix;
  return f;
}

/** True when no finding has severity `error`. */
export function passes(findings: readonly Finding[]): boolean {
  return !findings.some((f) => f.severity === 'error');
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Findings sorted errors first, then warnings, then info; stable within a severity. */
export function bySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
