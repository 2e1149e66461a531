/**
 * `keystore verify` for Zond keystores (pinned format: qrysm dfc813be, go-qrllib v0.9.0), alone or
 * mixed with Ethereum keystores in one directory. Zond files are recognised by structure
 * (`looksLikeZondKeystore`), bounded before any KDF (memory ≤ 1 GiB, m·t ≤ 4× qrysm's default),
 * decrypted with the password as qrysm's validator reads it (NFKD form, then its alternate form, then
 * the raw form: a file that opens only raw gets `zond-keystore-raw-password-only`), and the pubkey
 * derived from the decrypted child seed is compared with the file's. go-qrl ACCOUNT keystores are
 * named for what they are.
 */
import fs from 'node:fs';
import { bytesToHex } from '@noble/hashes/utils.js';
import { InputError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { ZOND_FORMAT } from '../../core/zond/format.js';
import { looksLikeZondKeystore, parseZondKeystore, ZOND_KEYSTORE_MAX_BYTES, ZondKeystoreError, type ZondKeystore } from '../../core/zond/keystore.js';
import { openZondKeystores, ZOND_KEYSTORE_INPUT_PROBLEMS, zondDecryptFindings, zondFileFindings, zondSetFindings, type ZondDecryptOutcome, type ZondKeystoreEntry } from '../../core/zond/keystore-checks.js';
import { findKeystoreCandidates } from '../io/keystore-files.js';
import { decodeUtf8, parseJsonText, readBoundedFile } from '../io/read-input.js';
import { progressBar } from '../output/progress.js';

/**
 * The Zond keystores under `paths` (a candidate that does not look like one is left to the
 * Ethereum checks). A keystore larger than 64 KiB or not JSON is left to them too: they report it.
 */
export function readZondKeystoreEntries(paths: readonly string[]): ZondKeystoreEntry[] {
  const out: ZondKeystoreEntry[] = [];
  for (const c of findKeystoreCandidates(paths)) {
    let json: unknown;
    try {
      json = parseJsonText(decodeUtf8(readBoundedFile(c.file, ZOND_KEYSTORE_MAX_BYTES), c.file), c.file);
    } catch (err) {
      if (err instanceof InputError) continue;
      throw err;
    }
    if (!looksLikeZondKeystore(json)) continue;
    let mode: number | undefined;
    try { mode = fs.statSync(c.file).mode & 0o777; } catch { mode = undefined; }
    try {
      out.push({ file: c.file, mode, parsed: parseZondKeystore(json, c.file) });
    } catch (err) {
      if (!(err instanceof ZondKeystoreError)) throw err;
      out.push({ file: c.file, mode, problem: { id: err.id, field: err.field, detail: err.detail } });
    }
  }
  return out;
}

export interface ZondKeystoreVerifyResult {
  findings: Finding[];
  keystores: Array<Record<string, unknown>>;
  malformed: boolean;
}

/** Check Zond entries; `password` is asked by the caller only when some entry can be decrypted. */
export async function verifyZondKeystores(entries: readonly ZondKeystoreEntry[], password: string | undefined): Promise<ZondKeystoreVerifyResult> {
  const findings: Finding[] = [];
  for (const e of entries) findings.push(...zondFileFindings(e));
  const decryptable = entries.flatMap((e) => (e.parsed?.kind === 'validator-keystore' && !e.problem ? [{ e, ks: e.parsed.keystore }] : []));
  const outcomes = new Map<ZondKeystoreEntry, ZondDecryptOutcome>();
  if (decryptable.length > 0 && password !== undefined) {
    const bar = progressBar('argon2id (Zond keystores)', decryptable.length);
    try {
      const results = await openZondKeystores(decryptable.map((d) => d.ks), password, undefined, () => bar.tick());
      decryptable.forEach((d, i) => outcomes.set(d.e, results[i]!));
    } finally {
      bar.done();
    }
    for (const d of decryptable) findings.push(...zondDecryptFindings(d.e.file, d.ks, outcomes.get(d.e)!));
  }
  findings.push(...zondSetFindings(decryptable.map((d) => ({ file: d.e.file, ks: d.ks, ...(outcomes.get(d.e)?.derivedPubkey ? { derivedPubkey: outcomes.get(d.e)!.derivedPubkey! } : {}) }))));
  if (entries.length > 0) findings.push(finding('zond-format-pinned', 'info', 'zond', `Zond keystores read as ${ZOND_FORMAT.label}`, { qrysm: ZOND_FORMAT.qrysmCommit, go_qrllib: ZOND_FORMAT.goQrllib }));
  const keystores = entries.map((e) => {
    const errors = findings.filter((f) => f.severity === 'error' && (f.subject === e.file || (Array.isArray(f.evidence['files']) && (f.evidence['files'] as string[]).includes(e.file)))).map((f) => f.id);
    const ks: ZondKeystore | undefined = e.parsed?.kind === 'validator-keystore' ? e.parsed.keystore : undefined;
    const o = outcomes.get(e);
    return {
      file: e.file,
      family: 'zond',
      kind: e.parsed?.kind ?? null,
      ok: errors.length === 0,
      pubkey: ks?.pubkey !== undefined ? `0x${ks.pubkey}` : o?.derivedPubkey !== undefined ? `0x${o.derivedPubkey}` : null,
      path: ks ? ks.path : null,
      shape: ks ? ks.shape : null,
      kdf: ks ? { function: 'argon2id', t: ks.kdf.t, m: ks.kdf.m, p: ks.kdf.p } : null,
      mode: e.mode !== undefined ? `0${e.mode.toString(8).padStart(3, '0')}` : null,
      decrypted: o ? (o.status === 'ok' ? 'ok' : 'wrong-password') : 'not-tried',
      password_form: o?.form ?? null,
      errors,
    };
  });
  return { findings, keystores, malformed: findings.some((f) => ZOND_KEYSTORE_INPUT_PROBLEMS.has(f.id)) };
}

/** Whether any entry will need the password. */
export function zondNeedsPassword(entries: readonly ZondKeystoreEntry[]): boolean {
  return entries.some((e) => e.parsed?.kind === 'validator-keystore' && !e.problem);
}

/**
 * `--deposit-data`: each Zond keystore (by the pubkey its seed derives, else its member) has exactly
 * one deposit entry and each entry one keystore.
 */
export function matchZondKeystoresToDeposits(file: string, deposits: ReadonlyArray<{ pubkey: Uint8Array }>, keystores: ReadonlyArray<Record<string, unknown>>): Finding[] {
  const out: Finding[] = [];
  const keyPubs = new Map<string, string>();
  for (const k of keystores) if (k['kind'] === 'validator-keystore' && typeof k['pubkey'] === 'string') keyPubs.set((k['pubkey'] as string).slice(2), k['file'] as string);
  const depPubs = new Set(deposits.map((d) => bytesToHex(d.pubkey)));
  deposits.forEach((d, i) => {
    if (!keyPubs.has(bytesToHex(d.pubkey))) out.push(finding('deposit-without-keystore', 'error', `${file}[${i}]`, 'no keystore given holds this entry\'s key', { pubkey: `0x${bytesToHex(d.pubkey).slice(0, 16)}…` }));
  });
  for (const [pk, f] of keyPubs) if (!depPubs.has(pk)) out.push(finding('keystore-without-deposit', 'error', f, 'the deposit file has no entry for this keystore\'s key', { pubkey: `0x${pk.slice(0, 16)}…` }));
  return out;
}

export function zondReport(r: ZondKeystoreVerifyResult): Report {
  return { ok: passes(r.findings), command: 'keystore verify', findings: r.findings, client: null, keystores: r.keystores };
}
