/**
 * The `keystore verify` checks as findings (PRODUCT.md "Verification before import").
 * Pure: it receives what was read from disk and what the decryption workers found, and
 * returns findings with stable ids. The ids are documented in README.md.
 */
import { finding, type Finding } from '../findings.js';
import { classifyPath, duplicates, kdfStrength, type Keystore, type ParsedKeystore } from './keystore.js';
import { CLIENT_LABEL, compatRules, namesList, type ClientName } from './keystore-clients.js';

/** Finding ids that mean "malformed input" (the command exits 2 when one is present). */
export const KEYSTORE_INPUT_PROBLEMS = new Set(['keystore-unreadable', 'keystore-not-json', 'keystore-schema', 'keystore-version', 'keystore-kdf-bounds', 'keystore-foreign-format']);

export interface KeystoreEntry {
  file: string;
  /** Permission bits, when known. */
  mode: number | undefined;
  parsed?: ParsedKeystore;
  /** Why the file is not a usable keystore (id is a KEYSTORE_INPUT_PROBLEMS member). */
  problem?: { id: string; field: string | undefined; detail: string };
}

/** `skipped`: the user gave an empty password for it on the terminal; `not-tried`: never attempted. */
export type DecryptStatus = 'ok' | 'wrong-password' | 'invalid-secret' | 'failed' | 'skipped' | 'not-tried';

export interface DecryptOutcome {
  status: DecryptStatus;
  /** Pubkey derived from the decrypted secret (hex, lower case), when status is ok. */
  derivedPubkey?: string;
}

const short = (pubkey: string): string => `0x${pubkey.slice(0, 12)}…`;

export interface FileCheckOptions {
  /** `--client NAME`: that client's refusals are errors; without it they are warnings naming the clients. */
  client?: ClientName;
}

/**
 * Per-file findings that need no password: schema, KDF, path, file mode, stray fields, and which
 * clients refuse the file (src/core/keystore-clients.ts).
 */
export function fileFindings(e: KeystoreEntry, opts: FileCheckOptions = {}): Finding[] {
  const out: Finding[] = [];
  if (e.problem) {
    const where = e.problem.field ? `${e.problem.field}: ` : '';
    out.push(finding(e.problem.id, 'error', e.file, `${where}${e.problem.detail}`, { field: e.problem.field ?? null }));
  }
  if (e.mode !== undefined && (e.mode & 0o007) !== 0) {
    out.push(finding('keystore-file-world-readable', 'warning', e.file, `file mode ${fmtMode(e.mode)} lets every user on this machine read it`, { mode: fmtMode(e.mode) }, `chmod 600 ${shellQuote(e.file)}`));
  } else if (e.mode !== undefined && (e.mode & 0o070) !== 0) {
    out.push(finding('keystore-file-group-readable', 'info', e.file, `file mode ${fmtMode(e.mode)} lets the file's group read it`, { mode: fmtMode(e.mode) }, `chmod 600 ${shellQuote(e.file)}`));
  }
  const p = e.parsed;
  if (!p) return out;
  const ks = p.keystore;
  if (p.secretLikeFields.length > 0) {
    out.push(finding('keystore-plaintext-secret', 'error', e.file, `file has member(s) ${p.secretLikeFields.map((f) => `"${f}"`).join(', ')} that EIP-2335 does not define and that may hold a plaintext secret`, { fields: p.secretLikeFields }, 'remove the member(s), or treat the key as exposed'));
  }
  out.push(...compatFindings(e.file, p, opts.client));
  const strength = kdfStrength(ks.crypto.kdf);
  if (strength.weak) {
    out.push(finding('keystore-weak-kdf', 'warning', e.file, `weak key derivation: ${strength.reasons.join('; ')}`, { function: ks.crypto.kdf.function, work: strength.work }, 're-encrypt with scrypt n=2^18, r=8, p=1 (the deposit-cli default)'));
  }
  const path = classifyPath(ks.path);
  // Any string is a path now: keep a hostile 60 KiB one out of the one-line message (evidence has it).
  const shown = ks.path.length > 80 ? `${ks.path.slice(0, 80)}…` : ks.path;
  if (p.pathIndexTooLarge) {
    out.push(finding('keystore-path-index-range', 'error', e.file, `path ${shown} has an index of 2^32 or more: not an EIP-2334 path, so no tool derives this key from a mnemonic by it`, { path: ks.path }, 'regenerate the keystore from the mnemonic with its real index'));
  } else if (path.kind === 'withdrawal') {
    out.push(finding('keystore-withdrawal-path', 'error', e.file, `path ${ks.path} is a withdrawal key path, not a signing key: it must never be on a validator`, { path: ks.path }, 'remove it from the validator machine; only m/12381/3600/i/0/0 keys are imported'));
  } else if (path.kind === 'other') {
    out.push(finding('keystore-nonstandard-path', 'warning', e.file, `path ${shown} is not an EIP-2334 signing path (m/12381/3600/i/0/0)`, { path: ks.path }));
  } else if (path.kind === 'none' && !p.missing.includes('path')) {
    out.push(finding('keystore-nonstandard-path', 'warning', e.file, 'path is empty: the key\'s origin is unknown', { path: '' }));
  }
  return out;
}

/**
 * The identity of a keystore's KDF key, password aside: function, every parameter and the salt.
 * Two keystores with equal identities, opened with one password, share one derived key (one KDF
 * run opens both); that is ethstaker-deposit-cli's batch layout since its "re-use same decryption
 * key and salt" change (its PR #457).
 */
export function kdfIdentity(ks: Keystore): string {
  const k = ks.crypto.kdf;
  return k.function === 'scrypt'
    ? `scrypt:${k.params.dklen}:${k.params.n}:${k.params.r}:${k.params.p}:${k.params.salt}`
    : `pbkdf2:${k.params.dklen}:${k.params.c}:${k.params.prf}:${k.params.salt}`;
}

/** Same KDF key, IV, ciphertext and checksum: the same encrypted secret, i.e. a copy of one keystore. */
function cryptoIdentity(ks: Keystore): string {
  return `${kdfIdentity(ks)}|${ks.crypto.cipher.params.iv}|${ks.crypto.cipher.message}|${ks.crypto.checksum.message}`;
}

type Loaded = KeystoreEntry & { parsed: ParsedKeystore };

/**
 * Findings across the set: duplicate keys, copies, AES-CTR keystream reuse, shared KDF keys.
 *
 * - Two files holding one key are a double-signing risk (`keystore-duplicate-pubkey`); when they
 *   are copies of one keystore (same encrypted secret), the message says so and the fix is to
 *   remove the copy. A copy is never also reported as IV reuse.
 * - One AES-CTR keystream used twice — the same KDF key (function, parameters, salt; the one
 *   password tried) and the same IV for two different encrypted secrets — leaks the XOR of the two
 *   secrets: `keystore-iv-reused`, an error. staking-deposit-cli before v2.8.0 wrote such batches.
 * - A KDF key shared by keystores with distinct IVs is the deposit tool's batch convention, not a
 *   defect: `keystore-kdf-shared`, info.
 * - The same IV under different KDF keys is harmless: `keystore-iv-shared-harmless`, info.
 *
 * `derivedPubkeys` (file → pubkey derived from the decrypted secret, hex) is used for the duplicate
 * check when given, so a keystore without a `pubkey` field is still compared; without it, the
 * `pubkey` field is.
 */
export function setFindings(entries: readonly KeystoreEntry[], derivedPubkeys?: ReadonlyMap<string, string>): Finding[] {
  const ok = entries.filter((e): e is Loaded => e.parsed !== undefined);
  const out: Finding[] = [];
  const keyOf = (e: Loaded): string | undefined => derivedPubkeys?.get(e.file) ?? (e.parsed.keystore.pubkey || undefined);
  for (const [pubkey, group] of duplicates(ok.filter((e) => keyOf(e) !== undefined), (e) => keyOf(e)!)) {
    const files = group.map((e) => e.file);
    const copies = new Set(group.map((e) => cryptoIdentity(e.parsed.keystore))).size === 1;
    out.push(copies
      ? finding('keystore-duplicate-pubkey', 'error', `0x${pubkey}`, `the same keystore is present ${files.length === 2 ? 'twice' : `${files.length} times`} (identical encrypted secret): importing both into clients risks double signing (slashing)`, { pubkey: `0x${pubkey}`, files, copies: true }, 'remove the copy: keep exactly one file of each validator key')
      : finding('keystore-duplicate-pubkey', 'error', `0x${pubkey}`, `${files.length} keystores hold the same validator key: importing both into clients risks double signing (slashing)`, { pubkey: `0x${pubkey}`, files, copies: false }, 'keep exactly one copy of each validator key'));
  }
  // Copies count once from here on: a copy shares salt and IV with its original by construction.
  const distinct = [...new Map(ok.map((e) => [cryptoIdentity(e.parsed.keystore), e] as const)).values()];
  const reusedIv = new Set<Loaded>();
  for (const group of duplicates(distinct, (e) => kdfIdentity(e.parsed.keystore)).values()) {
    for (const [iv, same] of duplicates(group, (e) => e.parsed.keystore.crypto.cipher.params.iv)) {
      const files = same.map((e) => e.file);
      for (const e of same) reusedIv.add(e);
      out.push(finding('keystore-iv-reused', 'error', files[0]!, `${files.length} keystores share one KDF key (same salt and parameters) AND one AES-CTR IV: with one password they are encrypted with one keystream, which leaks the XOR of their secrets; staking-deposit-cli before v2.8.0 (2024-11) wrote whole batches this way`, { iv_prefix: iv.slice(0, 8), files }, 'make new keystores for the same keys from the mnemonic with a current tool (e.g. coldstake keys new with the same --start-index and --count), then delete these files and every copy of them'));
    }
    const clean = group.filter((e) => !reusedIv.has(e));
    if (clean.length >= 2) {
      const files = clean.map((e) => e.file);
      const kdf = clean[0]!.parsed.keystore.crypto.kdf;
      out.push(finding('keystore-kdf-shared', 'info', files[0]!, `${files.length} keystores share one KDF key (one ${kdf.function} salt, each its own IV): ethstaker-deposit-cli's batch layout; opened with one KDF run`, { keystores: files.length, function: kdf.function, salt_prefix: kdf.params.salt.slice(0, 8), files }));
    }
  }
  for (const [iv, same] of duplicates(distinct, (e) => e.parsed.keystore.crypto.cipher.params.iv)) {
    const keys = new Set(same.map((e) => kdfIdentity(e.parsed.keystore)));
    if (keys.size < 2) continue; // one KDF key: reported above as keystore-iv-reused
    const files = same.filter((e) => !reusedIv.has(e)).map((e) => e.file);
    if (files.length < 2) continue;
    out.push(finding('keystore-iv-shared-harmless', 'info', files[0]!, `${files.length} keystores use one AES-CTR IV under different KDF keys (different salts or KDF parameters): different keystreams, so nothing leaks`, { iv_prefix: iv.slice(0, 8), files }));
  }
  return out;
}

/** How the password was given, so a wrong-password fix suggests what the user can do next. */
export interface PasswordSource {
  /** The `--password-file` path, when the password came from one. */
  passwordFile?: string | undefined;
  /** A second password was asked on the terminal and tried too. */
  retried?: boolean;
}

function wrongPassword(e: KeystoreEntry, how: PasswordSource): Finding {
  if (how.passwordFile !== undefined) {
    // The file's name is never repeated: a secret typed where the path belongs must not be echoed.
    return finding('keystore-wrong-password', 'error', e.file, 'the password in the password file does not decrypt this keystore (checksum mismatch)', { password_from: 'file' }, "check that the password file holds this keystore's password, character for character (a different keystore set may have another password)");
  }
  if (how.retried) {
    return finding('keystore-wrong-password', 'error', e.file, 'neither password typed decrypts this keystore (checksum mismatch)', { attempts: 2 }, 'find the password this keystore was made with and verify it again');
  }
  return finding('keystore-wrong-password', 'error', e.file, 'the password does not decrypt this keystore (checksum mismatch)', {}, 'check the password; pass it with --password-file FILE');
}

/** Findings from decryption: wrong password, secret not a BLS key, secret not matching `pubkey`. */
export function decryptFindings(e: KeystoreEntry & { parsed: ParsedKeystore }, outcome: DecryptOutcome, how: PasswordSource = {}): Finding[] {
  const ks = e.parsed.keystore;
  switch (outcome.status) {
    case 'wrong-password':
      return [wrongPassword(e, how)];
    case 'invalid-secret':
      return [finding('keystore-invalid-secret', 'error', e.file, 'the decrypted secret is not a valid BLS12-381 secret key', {})];
    case 'failed':
      return [finding('keystore-decrypt-failed', 'error', e.file, 'decryption failed inside the KDF or cipher (the secret and its pubkey were not checked)', {})];
    // An error, not a warning: exit 0 must mean every keystore was opened and its secret checked.
    case 'skipped':
      return [finding('keystore-not-decrypted', 'error', e.file, 'skipped on the terminal: not decrypted, so its password, secret and pubkey were not checked', { reason: 'skipped' }, 'run keystore verify again with its password (--password-file FILE)')];
    case 'not-tried':
      return [finding('keystore-not-decrypted', 'error', e.file, 'not decrypted: its password, secret and pubkey were not checked', { reason: 'not-tried' })];
    case 'ok': {
      // No pubkey member: nothing to compare; the report shows the derived pubkey (keystore-missing-pubkey says so).
      if (ks.pubkey !== undefined && outcome.derivedPubkey !== ks.pubkey) {
        return [finding('keystore-pubkey-mismatch', 'error', e.file, `the decrypted secret derives ${short(outcome.derivedPubkey ?? '')}, not the pubkey field ${short(ks.pubkey)}: a client importing it would sign as another validator`, { pubkey_field: `0x${ks.pubkey}`, derived_pubkey: `0x${outcome.derivedPubkey ?? ''}` }, 'do not import this file; regenerate it from the mnemonic')];
      }
      return [];
    }
  }
}

/**
 * One finding per client-compatibility rule the file triggers. Without `client`: a warning naming
 * the clients that refuse the file (info when none does). With `client`: an error when that client
 * refuses it, else an info saying it imports it.
 */
export function compatFindings(file: string, p: ParsedKeystore, client?: ClientName): Finding[] {
  const out: Finding[] = [];
  for (const rule of compatRules(p)) {
    const refusers = rule.refusals.map((r) => r.client);
    const evidence = { refused_by: [...new Set(refusers)], accepted_by: rule.accepts, rules: rule.refusals.map((r) => ({ client: r.client, reason: r.reason, source: r.source })) };
    if (client !== undefined) {
      const mine = rule.refusals.filter((r) => r.client === client);
      if (mine.length > 0) {
        out.push(finding(rule.id, 'error', file, `${rule.what}: ${CLIENT_LABEL[client]} refuses this file (${mine.map((r) => r.reason).join('; ')})`, { ...evidence, client }, rule.fix));
      } else {
        const known = rule.accepts.includes(client) ? 'imports it' : 'is not known to refuse it';
        out.push(finding(rule.id, 'info', file, `${rule.what}: ${CLIENT_LABEL[client]} ${known}${refusers.length > 0 ? `; ${namesList(refusers)} refuse${new Set(refusers).size === 1 ? 's' : ''} it` : ''}`, { ...evidence, client }));
      }
      continue;
    }
    if (refusers.length === 0) {
      out.push(finding(rule.id, 'info', file, rule.what, evidence));
    } else {
      const accepts = rule.accepts.length > 0 ? `; ${namesList(rule.accepts)} import${rule.accepts.length === 1 ? 's' : ''} it` : '';
      out.push(finding(rule.id, 'warning', file, `${rule.what}: ${namesList(refusers)} refuse${new Set(refusers).size === 1 ? 's' : ''} such a file${accepts}`, evidence, rule.fix ? `${rule.fix}, or check with --client NAME` : 'check with --client NAME for the client you import into'));
    }
  }
  return out;
}

export function fmtMode(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

function shellQuote(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}
