/**
 * `coldstake ownership check --network NET [--deposit-data FILE] [--keystores DIR] [--max-index N]`
 * (airgap gate): prove that keystores and deposit entries derive from *this* mnemonic.
 *
 * Story: airgap gate → read the public inputs (so a typo fails before the secret is asked) →
 * read the mnemonic as a secret → derive signing and withdrawal pubkeys of indices 0..N once, in
 * the worker pool → report the index of every pubkey and 0x00 credential, or that it does not belong.
 */
import type { Command } from 'commander';
import { blsWithdrawalCredentials } from '../../core/eth/deposit.js';
import { secretKeyFromScalar } from '../../core/eth/bls.js';
import { COIN_TYPE, deriveChildSk, deriveMasterSk, PURPOSE, signingPathIndex } from '../../core/eth/derivation.js';
import { UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { fileFindings, KEYSTORE_INPUT_PROBLEMS } from '../../core/eth/keystore-checks.js';
import { ownershipFindings, type DerivedValidator, type OwnershipResult, type OwnershipTarget } from '../../core/eth/ownership.js';
import { action, addAllowOnlineOption, addJsonOption, addMnemonicFileOption, parseIntOption, type CommandSpec } from '../common.js';
import { airgapGate } from '../gate.js';
import { loadKeystoreEntries } from '../io/keystore-files.js';
import { mnemonicToSeed, readMnemonicSecret } from '../io/mnemonic-input.js';
import { assertStdinConsumed } from '../io/secrets.js';
import { progressBar } from '../output/progress.js';
import { exitCodeWithInputProblems, printReport } from '../output/report.js';
import { MARK, printable, styleFor } from '../output/style.js';
import { createPool, defaultPoolSize } from '../workers/pool.js';
import type { DerivedPubkeys } from '../workers/ownership-tasks.js';
import { networkOption, readDepositFile } from './deposit.js';
import { isZondNetworkName } from '../../core/zond/networks.js';
import { runZondOwnership } from '../zond/ownership.js';

export interface OwnershipOptions {
  json: boolean;
  allowOnline: boolean;
  network?: string;
  forkVersion?: string;
  depositData?: string;
  keystores?: string;
  maxIndex?: string;
  mnemonicFile?: string;
  passphrase?: boolean;
  language?: string;
}

export const DEFAULT_MAX_INDEX = 1000;
/** Upper bound for --max-index: ~10 ms of derivation per index and core. */
export const MAX_MAX_INDEX = 1_000_000;

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Derive indices 0..maxIndex once, spread over the pool. The seed never leaves this thread. */
async function deriveIndices(seed: Uint8Array, maxIndex: number): Promise<DerivedValidator[]> {
  const count = maxIndex + 1;
  const coin = deriveChildSk(deriveChildSk(deriveMasterSk(seed), PURPOSE), COIN_TYPE);
  const workers = defaultPoolSize(Math.ceil(count / 4));
  const chunks = Math.min(count, workers * 4);
  const size = Math.ceil(count / chunks);
  const pool = createPool(workers);
  const bar = progressBar('deriving keys', count);
  try {
    const parts = await Promise.all(
      Array.from({ length: chunks }, async (_, c) => {
        const start = c * size;
        const end = Math.min(count, start + size);
        if (start >= end) return [];
        const coinSk = secretKeyFromScalar(coin);
        try {
          const r = await pool.run<DerivedPubkeys[]>('derive-validator-pubkeys', { coinSk, start, end });
          bar.tick(end - start);
          return r;
        } finally {
          coinSk.fill(0);
        }
      }),
    );
    return parts.flat().map((d) => ({
      index: d.index,
      signingPubkey: toHex(d.signingPubkey),
      withdrawalPubkey: toHex(d.withdrawalPubkey),
      blsCredentials: toHex(blsWithdrawalCredentials(d.withdrawalPubkey)),
    }));
  } finally {
    bar.done();
    await pool.close();
  }
}

export async function checkOwnership(opts: OwnershipOptions): Promise<{ report: Report; malformed: boolean }> {
  const network = networkOption(opts.network, opts.forkVersion);
  const maxIndex = opts.maxIndex === undefined ? DEFAULT_MAX_INDEX : parseIntOption('--max-index', opts.maxIndex, 0, MAX_MAX_INDEX);
  if (opts.depositData === undefined && opts.keystores === undefined) {
    throw new UsageError('nothing to check', 'give --deposit-data FILE and/or --keystores DIR');
  }
  const gate = await airgapGate('ownership check', { allowOnline: opts.allowOnline, json: opts.json });

  const findings: Finding[] = [];
  const targets: OwnershipTarget[] = [];
  if (opts.keystores !== undefined) {
    for (const e of loadKeystoreEntries([opts.keystores])) {
      if (!e.parsed) {
        findings.push(...fileFindings(e).filter((f) => KEYSTORE_INPUT_PROBLEMS.has(f.id)));
        continue;
      }
      const pathIndex = signingPathIndex(e.parsed.keystore.path);
      // No pubkey member (draft-era files): its key is known only once decrypted, which this command does not do.
      if (e.parsed.keystore.pubkey === undefined) {
        findings.push(finding('keystore-missing-pubkey', 'error', e.file, 'the keystore has no pubkey member, so its key cannot be checked without decrypting it', { field: 'pubkey' }, 'run coldstake keystore verify on it to learn its pubkey'));
        continue;
      }
      targets.push({ subject: e.file, kind: 'keystore', pubkey: e.parsed.keystore.pubkey, ...(pathIndex !== null ? { pathIndex } : {}) });
    }
  }
  if (opts.depositData !== undefined) {
    const file = opts.depositData;
    const read = readDepositFile(file);
    if ('problem' in read) findings.push(read.problem);
    else {
      read.entries.forEach((e, i) => {
        const wc = e.withdrawalCredentials;
        targets.push({ subject: `${file}[${i}]`, kind: 'deposit', pubkey: toHex(e.pubkey), ...(wc[0] === 0 ? { blsCredentials: toHex(wc) } : {}) });
      });
    }
  }
  const malformed = findings.length > 0;
  let results: OwnershipResult[] = [];
  if (!malformed && targets.length > 0) {
    const secret = await readMnemonicSecret({ file: opts.mnemonicFile, language: opts.language, passphrase: opts.passphrase ?? false });
    assertStdinConsumed();
    const seed = mnemonicToSeed(secret.mnemonic, secret.passphrase);
    let derived: DerivedValidator[];
    try {
      derived = await deriveIndices(seed, maxIndex);
    } finally {
      seed.fill(0);
    }
    const r = ownershipFindings(derived, targets, maxIndex);
    findings.push(...r.findings);
    results = r.results;
  }
  const report: Report = {
    ok: passes(findings),
    command: 'ownership check',
    findings,
    airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    network: network.name,
    max_index: maxIndex,
    results,
  };
  return { report, malformed };
}

function renderResults(report: Report): string {
  const s = styleFor(process.stdout);
  const lines = (report['results'] as OwnershipResult[]).map((r) => {
    const mark = r.ok ? s.green(MARK.ok) : s.red(MARK.fail);
    const where = r.index !== null ? `index ${r.index}` : 'not from this mnemonic';
    const creds = r.credentials_index === undefined ? '' : r.credentials_index !== null ? `, 0x00 credentials index ${r.credentials_index}` : ', 0x00 credentials not from this mnemonic';
    return `${mark} ${printable(r.subject)}  ${printable(r.pubkey.slice(0, 14))}…  ${where}${creds}`;
  });
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

async function run(opts: OwnershipOptions): Promise<number> {
  // Zond (QRL) keys: their own derivation (src/cli/zond/ownership.ts).
  if (isZondNetworkName(opts.network)) return runZondOwnership(opts);
  const { report, malformed } = await checkOwnership(opts);
  printReport(report, { json: opts.json, header: renderResults(report) });
  return exitCodeWithInputProblems(report, malformed);
}

export const ownershipCommand: CommandSpec = {
  group: 'airgapped',
  order: 4,
  usage: 'ownership check --network NET [--deposit-data FILE] [--keystores DIR] [--max-index N]',
  summary: 'prove keystores and deposit data derive from this mnemonic (mnemonic read as a secret)',
  example: 'ownership check --network mainnet --deposit-data validator_keys/deposit_data-1700000000.json --keystores validator_keys/',
  register(program: Command) {
    const own = program.command('ownership').description('mnemonic ownership checks');
    const check = own
      .command('check')
      .description('find the index of every keystore and deposit pubkey (and 0x00 credential) in this mnemonic')
      .option('--network <net>', 'mainnet, hoodi, sepolia, holesky, zond-testnet, zond-betanet (or a devnet name, zond-NAME for Zond, with --fork-version)')
      .option('--fork-version <hex>', 'genesis fork version (0x + 8 hex digits) of a devnet')
      .option('--deposit-data <file>', 'deposit_data-*.json to check')
      .option('--keystores <dir>', 'keystore files or directory to check (pubkeys only, no password)')
      .option('--max-index <n>', `search validator indices 0..N (default ${DEFAULT_MAX_INDEX}; Zond 100)`)
      .option('--passphrase', 'the mnemonic has a BIP39 passphrase (asked after it)', false)
      .option('--language <lang>', 'mnemonic language (detected when absent)');
    addMnemonicFileOption(check);
    addAllowOnlineOption(check);
    addJsonOption(check);
    check.action(action((opts: OwnershipOptions) => run(opts)));
  },
};
