/**
 * Findings about Zond keystores (ids documented in README "Zond (QRL)"). Pure: the caller reads the
 * files and runs the KDF (`openZondKeystoreWithPassword`).
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { finding, type Finding } from '../findings.js';
import { zondPublicKey } from './derivation.js';
import { ZOND_FORMAT } from './format.js';
import { deriveZondKeystoreKey, openZondKeystore, zondKdfIdentity, zondKdfIsWeak, type ZondKeystore, type ZondKeystoreParse } from './keystore.js';
import { alternateZondPassword, normaliseZondPassword } from './password.js';

/** Problems that make `keystore verify` exit 2 (the file is not a usable pinned-format keystore). */
export const ZOND_KEYSTORE_INPUT_PROBLEMS = new Set(['zond-keystore-schema', 'zond-keystore-kdf-bounds', 'zond-keystore-older-format', 'zond-keystore-unreadable']);

export interface ZondKeystoreEntry {
  file: string;
  mode: number | undefined;
  parsed?: ZondKeystoreParse;
  problem?: { id: string; field: string | undefined; detail: string };
}

const fmtMode = (m: number): string => `0${(m & 0o777).toString(8).padStart(3, '0')}`;

/** Findings that need no password: what the file is, KDF strength, file mode, pubkey presence. */
export function zondFileFindings(e: ZondKeystoreEntry): Finding[] {
  const out: Finding[] = [];
  if (e.problem) {
    out.push(finding(e.problem.id, 'error', e.file, e.problem.detail, { field: e.problem.field ?? null, zond_format: ZOND_FORMAT.label }));
    return out;
  }
  const p = e.parsed!;
  if (p.kind === 'gqrl-account') {
    out.push(finding('zond-keystore-account-file', 'error', e.file, `a go-qrl (gqrl) wallet ACCOUNT keystore${p.account.address ? ` for ${p.account.address.replace(/[^0-9A-Za-z]/g, '').slice(0, 140)}` : ''}: a wallet that can move funds, not a validator keystore; it does not belong in a validator's key directory`, { address: p.account.address, kdf: p.account.kdf, cipher: p.account.cipher }, 'move it to the machine that holds the wallet (or remove it after checking you have its seed)'));
    return out;
  }
  const ks = p.keystore;
  if (zondKdfIsWeak(ks.kdf)) out.push(finding('zond-keystore-weak-kdf', 'warning', e.file, `argon2id m=${ks.kdf.m} KiB t=${ks.kdf.t} is weaker than qrysm's default (m=262144 KiB, t=8): a stolen file is cheaper to brute-force`, { m: ks.kdf.m, t: ks.kdf.t, p: ks.kdf.p }));
  if (ks.pubkey === undefined) out.push(finding('zond-keystore-missing-pubkey', 'warning', e.file, 'the keystore has no pubkey member: qrysm\'s importer trusts that member, so it cannot import this file as it is', {}));
  if (p.unknownFields.length) out.push(finding('zond-keystore-unknown-fields', 'info', e.file, `members the pinned format does not define: ${p.unknownFields.join(', ')}`, { fields: p.unknownFields }));
  if (e.mode !== undefined && (e.mode & 0o007) !== 0) out.push(finding('keystore-file-world-readable', 'warning', e.file, `file mode ${fmtMode(e.mode)} lets every user on this machine read it`, { mode: fmtMode(e.mode) }));
  else if (e.mode !== undefined && (e.mode & 0o070) !== 0) out.push(finding('keystore-file-group-readable', 'info', e.file, `file mode ${fmtMode(e.mode)} lets the file's group read it`, { mode: fmtMode(e.mode) }));
  return out;
}

/** Which form of the password opened the keystore: the validator's (normalised or alternate) or only the raw one. */
export type ZondOpenForm = 'normalised' | 'alternate' | 'raw-only';

export interface ZondDecryptOutcome {
  status: 'ok' | 'wrong-password';
  form?: ZondOpenForm;
  derivedPubkey?: string;
}

/**
 * Open keystores with `password` as qrysm's validator would (NFKD form, then its alternate form),
 * then with the raw form the deposit CLI encrypts with. One KDF run per distinct (parameters, salt,
 * password form); `derive` is injected so the caller can schedule it.
 */
export async function openZondKeystores(
  keystores: readonly ZondKeystore[],
  password: string,
  derive: typeof deriveZondKeystoreKey = deriveZondKeystoreKey,
  onKdf?: () => void,
): Promise<ZondDecryptOutcome[]> {
  const forms: Array<[ZondOpenForm, string]> = [['normalised', normaliseZondPassword(password)]];
  const alt = alternateZondPassword(password);
  if (alt !== forms[0]![1]) forms.push(['alternate', alt]);
  if (password !== forms[0]![1] && password !== alt) forms.push(['raw-only', password]);
  const out: ZondDecryptOutcome[] = keystores.map(() => ({ status: 'wrong-password' }));
  const keys = new Map<string, Uint8Array>();
  try {
    for (const [form, pw] of forms) {
      for (let i = 0; i < keystores.length; i++) {
        if (out[i]!.status === 'ok') continue;
        const ks = keystores[i]!;
        const id = `${form}:${zondKdfIdentity(ks.kdf)}`;
        let key = keys.get(id);
        if (!key) {
          key = await derive(ks.kdf, pw);
          keys.set(id, key);
          onKdf?.();
        }
        const seed = openZondKeystore(key, ks);
        if (seed) {
          const pk = bytesToHex(zondPublicKey(seed));
          seed.fill(0);
          out[i] = { status: 'ok', form, derivedPubkey: pk };
        }
      }
    }
  } finally {
    for (const k of keys.values()) k.fill(0);
  }
  return out;
}

/** Findings from one keystore's decryption outcome. */
export function zondDecryptFindings(file: string, ks: ZondKeystore, o: ZondDecryptOutcome): Finding[] {
  if (o.status !== 'ok') return [finding('zond-keystore-wrong-password', 'error', file, 'the password does not open this keystore (AES-GCM tag check failed: wrong password or a damaged file)', {})];
  const out: Finding[] = [];
  if (o.form === 'raw-only') {
    out.push(finding('zond-keystore-raw-password-only', 'error', file, 'opens only with the raw password, not with the NFKD-normalised form qrysm\'s validator uses: the validator cannot import it (a non-ASCII or control character in the password)', {}, 'decrypt and re-encrypt it with an ASCII password (coldstake keys new with the same seed)'));
  }
  if (ks.pubkey !== undefined && ks.pubkey !== o.derivedPubkey) {
    out.push(finding('zond-keystore-pubkey-mismatch', 'error', file, 'the decrypted seed derives another ML-DSA-87 key than the file\'s pubkey (a tampered file, or a Dilithium-era keystore of qrysm before 2025-09-25)', { derived_pubkey_prefix: `0x${o.derivedPubkey!.slice(0, 16)}` }));
  }
  return out;
}

/** Set findings: the same key twice, and a (salt, IV) pair reused (GCM nonce reuse leaks plaintext). */
export function zondSetFindings(entries: ReadonlyArray<{ file: string; ks: ZondKeystore; derivedPubkey?: string }>): Finding[] {
  const out: Finding[] = [];
  const byKey = new Map<string, string[]>();
  const byIv = new Map<string, Array<{ file: string; message: string }>>();
  for (const e of entries) {
    const pk = e.derivedPubkey ?? e.ks.pubkey;
    if (pk) byKey.set(pk, [...(byKey.get(pk) ?? []), e.file]);
    const iv = `${zondKdfIdentity(e.ks.kdf)}:${e.ks.iv}`;
    byIv.set(iv, [...(byIv.get(iv) ?? []), { file: e.file, message: e.ks.message }]);
  }
  for (const [pk, files] of byKey) if (files.length > 1) out.push(finding('zond-keystore-duplicate-pubkey', 'error', files[1]!, `${files.length} keystores hold the same validator key 0x${pk.slice(0, 16)}…: importing both risks double signing`, { files }));
  // Copies of one file share everything; distinct ciphertexts under one key and IV are the danger.
  for (const group of byIv.values()) {
    if (new Set(group.map((g) => g.message)).size < 2) continue;
    const files = group.map((g) => g.file);
    out.push(finding('zond-keystore-iv-reuse', 'error', files[1]!, `${files.length} keystores share one salt and one GCM IV: AES-GCM under a reused nonce leaks the XOR of the seeds`, { files }));
  }
  return out;
}
