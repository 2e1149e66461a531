/**
 * Findings about the probing itself: a file that could not be read or parsed is a note,
 * never a crash. Where a missing answer could hide a network path, the probe that needs
 * it reports an error of its own instead (fail closed).
 */
import { finding, type Finding } from '../findings.js';
import { clip } from './fs.js';

/** A file under the root that could not be read (`code` from the fs) or parsed (`malformed`). */
export function unreadable(file: string, code: string, detail?: string): Finding {
  const why = code === 'malformed' ? 'unexpected content' : code === 'ENOENT' ? 'missing' : `unreadable (${code})`;
  const evidence: Record<string, unknown> = { file, value: null, error: code };
  if (detail !== undefined) evidence['detail'] = clip(detail);
  return finding('probe-unreadable', 'info', file, `${why}: this signal was not checked`, evidence);
}
