/**
 * `ownership check --network zond-… [--deposit-data FILE] [--keystores DIR] [--max-index N]`: prove
 * that Zond keystores and deposit entries derive from THIS QRL seed (read as a secret, behind the
 * airgap gate). A keystore's path `m/12381/238/i/0` names its index, which is tried first; other
 * pubkeys are searched over indices 0..N (default 100: an ML-DSA-87 keygen costs tens of ms), stopping
 * once every pubkey is found.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { deriveZondChildSeed, zondPathIndex, zondPublicKey } from '../../core/zond/derivation.js';
import { ZOND_FORMAT } from '../../core/zond/format.js';
import { ZOND_KEYSTORE_INPUT_PROBLEMS, zondFileFindings } from '../../core/zond/keystore-checks.js';
import { parseIntOption } from '../common.js';
import { airgapGate } from '../gate.js';
import { readZondSeed } from '../io/zond-seed-input.js';
import { assertStdinConsumed } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { readZondDepositFile, zondNetworkOption } from './deposit-verify.js';
import { readZondKeystoreEntries } from './keystore-verify.js';

export const ZOND_DEFAULT_MAX_INDEX = 100;
export const ZOND_MAX_MAX_INDEX = 100_000;

interface Target {
  subject: string;
  kind: 'keystore' | 'deposit';
  pubkey: string;
  pathIndex?: number;
}

interface Result {
  subject: string;
  kind: string;
  pubkey: string;
  index: number | null;
  ok: boolean;
}

export async function runZondOwnership(opts: { json: boolean; allowOnline: boolean; network?: string; forkVersion?: string; depositData?: string; keystores?: string; maxIndex?: string; mnemonicFile?: string; passphrase?: boolean; language?: string }): Promise<number> {
  const network = zondNetworkOption(opts.network!, opts.forkVersion);
  if (opts.passphrase) throw new UsageError('--passphrase is a BIP39 option: a QRL seed has no passphrase');
  if (opts.language !== undefined) throw new UsageError('--language is a BIP39 option: the QRL list is English only');
  const maxIndex = opts.maxIndex === undefined ? ZOND_DEFAULT_MAX_INDEX : parseIntOption('--max-index', opts.maxIndex, 0, ZOND_MAX_MAX_INDEX);
  if (opts.depositData === undefined && opts.keystores === undefined) throw new UsageError('nothing to check', 'give --deposit-data FILE and/or --keystores DIR');
  const gate = await airgapGate('ownership check', { allowOnline: opts.allowOnline, json: opts.json });
  const findings: Finding[] = [];
  const targets: Target[] = [];
  if (opts.keystores !== undefined) {
    const entries = readZondKeystoreEntries([opts.keystores]);
    if (entries.length === 0) throw new UsageError(`${opts.keystores}: no Zond keystores found`);
    for (const e of entries) {
      const problems = zondFileFindings(e).filter((f) => ZOND_KEYSTORE_INPUT_PROBLEMS.has(f.id) || f.id === 'zond-keystore-account-file');
      if (problems.length || e.parsed?.kind !== 'validator-keystore') {
        findings.push(...problems);
        continue;
      }
      const ks = e.parsed.keystore;
      if (ks.pubkey === undefined) {
        findings.push(finding('zond-keystore-missing-pubkey', 'error', e.file, 'the keystore has no pubkey member, so its key cannot be checked without decrypting it', {}, 'run coldstake keystore verify on it'));
        continue;
      }
      const pathIndex = zondPathIndex(ks.path);
      targets.push({ subject: e.file, kind: 'keystore', pubkey: ks.pubkey, ...(pathIndex !== undefined ? { pathIndex } : {}) });
    }
  }
  if (opts.depositData !== undefined) {
    readZondDepositFile(opts.depositData).forEach((e, i) => targets.push({ subject: `${opts.depositData}[${i}]`, kind: 'deposit', pubkey: bytesToHex(e.pubkey) }));
  }
  const malformed = findings.some((f) => ZOND_KEYSTORE_INPUT_PROBLEMS.has(f.id));
  const found = new Map<string, number>();
  if (!malformed && targets.length > 0) {
    const z = await readZondSeed(opts.mnemonicFile);
    assertStdinConsumed();
    const wanted = new Set(targets.map((t) => t.pubkey));
    const tryIndex = (i: number): void => {
      const child = deriveZondChildSeed(z.seed, i);
      try {
        const pk = bytesToHex(zondPublicKey(child));
        if (wanted.has(pk) && !found.has(pk)) found.set(pk, i);
      } finally {
        child.fill(0);
      }
    };
    const bar = progressBar('deriving Zond keys', maxIndex + 1);
    try {
      for (const t of targets) if (t.pathIndex !== undefined && !found.has(t.pubkey)) tryIndex(t.pathIndex);
      for (let i = 0; i <= maxIndex && found.size < wanted.size; i++) {
        tryIndex(i);
        bar.tick();
      }
    } finally {
      bar.done();
      z.seed.fill(0);
    }
  }
  const results: Result[] = targets.map((t) => {
    const index = found.get(t.pubkey) ?? null;
    return { subject: t.subject, kind: t.kind, pubkey: `0x${t.pubkey}`, index, ok: index !== null };
  });
  for (const [k, r] of results.entries()) {
    const t = targets[k]!;
    if (r.index === null) {
      findings.push(finding('zond-ownership-not-derived', 'error', r.subject, `this ${t.kind}'s key is not derived from this QRL seed at indices ${t.pathIndex !== undefined ? `${t.pathIndex} (its path) or ` : ''}0..${maxIndex}`, { max_index: maxIndex }, `if it may be further out, raise --max-index (up to ${ZOND_MAX_MAX_INDEX})`));
    } else if (t.pathIndex !== undefined && t.pathIndex !== r.index) {
      findings.push(finding('zond-ownership-path-mismatch', 'warning', r.subject, `the keystore's path says index ${t.pathIndex} but its key is at index ${r.index}`, { path_index: t.pathIndex, index: r.index }));
    }
  }
  const report: Report = {
    ok: passes(findings),
    command: 'ownership check',
    findings,
    zond_format: ZOND_FORMAT.label,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: network.id,
    max_index: maxIndex,
    results,
  };
  const s = styleFor(process.stdout);
  const header = results.map((r) => `${r.ok ? s.green(MARK.ok) : s.red(MARK.fail)} ${printable(r.subject)}  ${r.pubkey.slice(0, 14)}…  ${r.index !== null ? `index ${r.index}` : 'not from this seed'}`).join('\n');
  printReport(report, { json: opts.json, header: header ? `${header}\n` : '' });
  return exitCodeWithInputProblems(report, malformed);
}
