/**
 * Finding and reading EIP-2335 keystore files under the paths a user gives.
 *
 * Which files are keystores:
 * - a path given explicitly as a file is always read as a keystore;
 * - inside a directory (walked recursively, at most 8 levels, symbolic links not followed),
 *   every `keystore*.json` is a keystore, and any other `*.json` file of at most 64 KiB is one
 *   when it parses as a JSON object with a `crypto` member (Prysm/Teku/web3signer name keystores
 *   freely); other JSON files (deposit data, slashing protection, configs) are skipped silently.
 *
 * Every keystore file is read bounded at 64 KiB. A file that cannot be read, is not JSON or
 * fails the EIP-2335 schema comes back as a `KeystoreFileProblem` (reported as a finding), so one
 * bad file does not hide the others. A path that does not exist is an InputError (exit 2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../../core/errors.js';
import type { KeystoreEntry } from '../../core/eth/keystore-checks.js';
import { kdfBounds, KEYSTORE_MAX_BYTES, KeystoreError, parseKeystore, type ParsedKeystore } from '../../core/eth/keystore.js';
import { decodeUtf8, parseJsonText, readBoundedFile } from './read-input.js';

export const MAX_SCAN_DEPTH = 8;
/** Bound on files considered in one scan (a mistyped `/` must not read the whole disk). */
export const MAX_SCAN_FILES = 100_000;

export type KeystoreFileProblemId = 'keystore-unreadable' | 'keystore-not-json' | KeystoreError['id'];

export interface KeystoreFileOk extends ParsedKeystore {
  ok: true;
  file: string;
  /** Permission bits (mode & 0o777). */
  mode: number;
}

export interface KeystoreFileProblem {
  ok: false;
  file: string;
  mode: number | undefined;
  id: KeystoreFileProblemId;
  /** JSON field at fault, when known. */
  field: string | undefined;
  /** Why, without the file name (never quotes file content). */
  detail: string;
}

export type KeystoreFileResult = KeystoreFileOk | KeystoreFileProblem;

export interface Candidate {
  file: string;
  /** true: read as a keystore whatever it contains; false: only when it looks like one. */
  certain: boolean;
}

function isKeystoreName(name: string): boolean {
  return /^keystore.*\.json$/i.test(name);
}

/**
 * List the candidate keystore files under `paths`, sorted, without duplicates.
 * @throws {InputError} when a path does not exist or cannot be listed.
 */
export function findKeystoreCandidates(paths: readonly string[]): Candidate[] {
  // Keyed by real path: the same file named twice (a directory and a file in it, `./x` and `x`, a
  // symlink) is one keystore, not a duplicate key.
  const out = new Map<string, Candidate>();
  const key = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      throw new InputError('cannot list directory', { file: dir });
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < MAX_SCAN_DEPTH) walk(p, depth + 1);
      } else if (e.isFile() && /\.json$/i.test(e.name)) {
        if (out.size >= MAX_SCAN_FILES) throw new InputError(`more than ${MAX_SCAN_FILES} json files`, { file: dir, hint: 'point at the keystore directory itself' });
        if (!out.has(key(p))) out.set(key(p), { file: p, certain: isKeystoreName(e.name) });
      }
    }
  };
  for (const p of paths) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? 'no such file or directory' : 'cannot access', { file: p });
    }
    if (st.isDirectory()) walk(p, 0);
    else if (!out.has(key(p))) out.set(key(p), { file: p, certain: true });
  }
  return [...out.values()];
}

function problem(file: string, mode: number | undefined, id: KeystoreFileProblemId, field: string | undefined, detail: string): KeystoreFileProblem {
  return { ok: false, file, mode, id, field, detail };
}

function fileMode(file: string): number | undefined {
  try {
    return fs.statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Read one candidate; `null` when it is a non-keystore JSON file found in a directory. */
export function readKeystoreFile(c: Candidate): KeystoreFileResult | null {
  const mode = fileMode(c.file);
  let json: unknown;
  try {
    const buf = readBoundedFile(c.file, KEYSTORE_MAX_BYTES);
    json = parseJsonText(decodeUtf8(buf, c.file), c.file);
  } catch (err) {
    if (!c.certain) return null;
    if (err instanceof InputError) {
      const detail = err.message.startsWith(`${c.file}: `) ? err.message.slice(c.file.length + 2) : err.message;
      return problem(c.file, mode, /JSON|UTF-8/.test(detail) ? 'keystore-not-json' : 'keystore-unreadable', undefined, detail);
    }
    throw err;
  }
  if (!c.certain && !(typeof json === 'object' && json !== null && !Array.isArray(json) && 'crypto' in json)) return null;
  try {
    return { ok: true, file: c.file, mode: mode ?? 0, ...parseKeystore(json, c.file) };
  } catch (err) {
    if (err instanceof KeystoreError) return problem(c.file, mode, err.id, err.field, err.detail);
    throw err;
  }
}

/**
 * Find and read every keystore under `paths`.
 * @throws {InputError} when a path does not exist.
 */
export function readKeystores(paths: readonly string[], skip?: ReadonlySet<string>): KeystoreFileResult[] {
  const out: KeystoreFileResult[] = [];
  for (const c of findKeystoreCandidates(paths)) {
    // Files another key family claimed (Zond keystores in a mixed directory).
    if (skip?.has(c.file)) continue;
    const r = readKeystoreFile(c);
    if (r) out.push(r);
  }
  return out;
}

/**
 * Read the paths into entries, with KDF bounds checked (a bomb is a problem, never decrypted).
 * @throws {InputError} when a path does not exist or holds no keystore.
 */
export function loadKeystoreEntries(paths: readonly string[], skip?: ReadonlySet<string>): KeystoreEntry[] {
  const files = readKeystores(paths, skip);
  if (files.length === 0) {
    throw new InputError('no keystore files found', { file: paths.join(', '), hint: 'give keystore-*.json files or the directory that holds them' });
  }
  return files.map((f): KeystoreEntry => {
    if (!f.ok) return { file: f.file, mode: f.mode, problem: { id: f.id, field: f.field, detail: f.detail } };
    const entry: KeystoreEntry = { file: f.file, mode: f.mode, parsed: { keystore: f.keystore, missing: f.missing, pubkeyForm: f.pubkeyForm, pathIndexTooLarge: f.pathIndexTooLarge, unknownFields: f.unknownFields, secretLikeFields: f.secretLikeFields } };
    const bounds = kdfBounds(f.keystore.crypto.kdf);
    if (bounds.length > 0) entry.problem = { id: 'keystore-kdf-bounds', field: bounds[0]!.field, detail: bounds.map((b) => b.detail).join('; ') };
    return entry;
  });
}

