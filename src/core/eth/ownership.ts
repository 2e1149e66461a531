/**
 * `ownership check`: do these keystores and deposit entries derive from this mnemonic?
 * Pure matching of public data: the caller derives, once, the signing and withdrawal pubkeys of
 * indices 0..N (EIP-2334 m/12381/3600/i/0/0 and m/12381/3600/i/0) and passes them in.
 */
import { finding, type Finding } from '../findings.js';

export interface DerivedValidator {
  index: number;
  /** Hex, lower case, no 0x. */
  signingPubkey: string;
  withdrawalPubkey: string;
  /** 0x00 || sha256(withdrawal pubkey)[1:], hex. */
  blsCredentials: string;
}

export interface OwnershipTarget {
  /** A keystore file or `deposit_file[i]`. */
  subject: string;
  kind: 'keystore' | 'deposit';
  pubkey: string;
  /** Validator index from a keystore's EIP-2334 path, when it has one. */
  pathIndex?: number;
  /** 0x00 withdrawal credentials of a deposit entry (hex), when it has them. */
  blsCredentials?: string;
}

export interface OwnershipResult {
  subject: string;
  kind: 'keystore' | 'deposit';
  pubkey: string;
  /** Index whose signing key this is, or null. */
  index: number | null;
  /** For 0x00 entries: index whose withdrawal key the credentials commit to, or null. */
  credentials_index?: number | null;
  ok: boolean;
}

export function ownershipFindings(derived: readonly DerivedValidator[], targets: readonly OwnershipTarget[], maxIndex: number): { findings: Finding[]; results: OwnershipResult[] } {
  const bySigning = new Map(derived.map((d) => [d.signingPubkey, d.index]));
  const byWithdrawal = new Map(derived.map((d) => [d.withdrawalPubkey, d.index]));
  const byCredentials = new Map(derived.map((d) => [d.blsCredentials, d.index]));
  const findings: Finding[] = [];
  const results: OwnershipResult[] = [];
  const range = `indices 0..${maxIndex}`;
  for (const t of targets) {
    const pk = `0x${t.pubkey}`;
    const index = bySigning.get(t.pubkey) ?? null;
    let ok = index !== null;
    if (index === null) {
      const w = byWithdrawal.get(t.pubkey);
      if (w !== undefined) {
        findings.push(finding('ownership-withdrawal-key', 'error', t.subject, `pubkey ${pk.slice(0, 14)}… is the WITHDRAWAL key of index ${w}, not a signing key`, { pubkey: pk, index: w }, 'a withdrawal key must never be used or stored on a validator'));
      } else {
        findings.push(finding('ownership-pubkey-not-found', 'error', t.subject, `pubkey ${pk.slice(0, 14)}… does not derive from this mnemonic at ${range}`, { pubkey: pk, max_index: maxIndex }, 'check the mnemonic and passphrase, or raise --max-index'));
      }
    } else if (t.pathIndex !== undefined && t.pathIndex !== index) {
      findings.push(finding('ownership-path-index-mismatch', 'warning', t.subject, `the keystore path says index ${t.pathIndex} but the key is index ${index}`, { pubkey: pk, index, path_index: t.pathIndex }));
    }
    const result: OwnershipResult = { subject: t.subject, kind: t.kind, pubkey: pk, index, ok };
    if (t.blsCredentials !== undefined) {
      const ci = byCredentials.get(t.blsCredentials) ?? null;
      result.credentials_index = ci;
      if (ci === null) {
        ok = false;
        findings.push(finding('ownership-credentials-not-found', 'error', t.subject, `0x00 withdrawal credentials do not commit to a withdrawal key of this mnemonic at ${range}: whoever holds that key controls the withdrawals`, { withdrawal_credentials: `0x${t.blsCredentials}`, max_index: maxIndex }, 'do not deposit unless you hold the mnemonic of that withdrawal key'));
      } else if (index !== null && ci !== index) {
        findings.push(finding('ownership-credentials-index-mismatch', 'warning', t.subject, `0x00 credentials commit to the withdrawal key of index ${ci}, the signing key is index ${index}`, { index, credentials_index: ci }));
      }
    }
    result.ok = ok;
    results.push(result);
  }
  return { findings, results };
}
