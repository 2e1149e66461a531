/**
 * The `deposit verify` checks as findings (PRODUCT.md "Verification before import"). Pure:
 * signatures are verified by the caller (batched, across cores) and passed in as booleans;
 * everything else — roots, network, amounts, credentials, duplicates, keystore matching — is here.
 */
import {
  BLS_WITHDRAWAL_PREFIX,
  COMPOUNDING_WITHDRAWAL_PREFIX,
  depositDataRoot,
  depositMessageRoot,
  equalBytes,
  ETH1_ADDRESS_WITHDRAWAL_PREFIX,
  GWEI_PER_ETH,
  MAX_DEPOSIT_GWEI,
  MIN_DEPOSIT_GWEI,
  STANDARD_DEPOSIT_GWEI,
  type DepositEntry,
} from './deposit.js';
import { finding, type Finding } from './findings.js';
import { duplicates } from './keystore.js';
import { networkByForkVersion, type Network } from './networks.js';
import { computeSigningRoot } from './ssz.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const eth = (gwei: number): string => `${gwei / GWEI_PER_ETH} ETH`;

export interface DepositCheckOptions {
  network: Network;
  /** 20 bytes, when --withdrawal-address was given. */
  withdrawalAddress?: Uint8Array;
}

/** The message each entry's signature must cover, or null when the entry cannot be hashed. */
export function signingRootOf(e: DepositEntry, network: Network): Uint8Array | null {
  try {
    return computeSigningRoot(depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount), network.depositDomain);
  } catch {
    return null;
  }
}

export interface EntryVerdict {
  index: number;
  pubkey: string;
  ok: boolean;
  errors: string[];
}

/**
 * Findings for every entry of one deposit file. `signatureOk[i]` is the verdict of entry i's
 * BLS signature against `opts.network`'s deposit domain.
 */
export function depositFindings(file: string, entries: readonly DepositEntry[], signatureOk: readonly boolean[], opts: DepositCheckOptions): { findings: Finding[]; verdicts: EntryVerdict[] } {
  const findings: Finding[] = [];
  const net = opts.network;
  entries.forEach((e, i) => {
    const subject = `${file}[${i}]`;
    const pk = `0x${hex(e.pubkey)}`;
    const add = (id: string, severity: 'error' | 'warning' | 'info', message: string, evidence: Record<string, unknown> = {}, fix?: string) => findings.push(finding(id, severity, subject, message, { index: i, pubkey: pk, ...evidence }, fix));

    // Roots: a mismatch means the file was edited after signing (or built wrongly).
    let messageRoot: Uint8Array | null = null;
    try {
      messageRoot = depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount);
    } catch {
      messageRoot = null;
    }
    if (!messageRoot || !equalBytes(messageRoot, e.depositMessageRoot)) {
      add('deposit-message-root-mismatch', 'error', 'deposit_message_root does not match hash_tree_root(DepositMessage) of the entry', { stated: `0x${hex(e.depositMessageRoot)}`, computed: messageRoot ? `0x${hex(messageRoot)}` : null });
    }
    let dataRoot: Uint8Array | null = null;
    try {
      dataRoot = depositDataRoot(e.pubkey, e.withdrawalCredentials, e.amount, e.signature);
    } catch {
      dataRoot = null;
    }
    if (!dataRoot || !equalBytes(dataRoot, e.depositDataRoot)) {
      add('deposit-data-root-mismatch', 'error', 'deposit_data_root does not match hash_tree_root(DepositData) of the entry: the deposit contract would reject it', { stated: `0x${hex(e.depositDataRoot)}`, computed: dataRoot ? `0x${hex(dataRoot)}` : null });
    }
    if (!signatureOk[i]) {
      add('deposit-invalid-signature', 'error', `the BLS signature is not valid for ${net.name}'s deposit domain: the deposit would be accepted but the validator never created (the ETH is lost)`, { network: net.name, deposit_domain: `0x${hex(net.depositDomain)}` }, 'regenerate the deposit data; never deposit this entry');
    }

    // Network: the fork version must be the chosen network's, and network_name must agree with it.
    if (!equalBytes(e.forkVersion, net.genesisForkVersion)) {
      const belongs = networkByForkVersion(e.forkVersion);
      add('deposit-wrong-network', 'error', `fork_version 0x${hex(e.forkVersion)} is ${belongs ? `${belongs.name}'s` : 'not a known network\'s'}, not ${net.name}'s 0x${hex(net.genesisForkVersion)}`, { fork_version: `0x${hex(e.forkVersion)}`, expected: `0x${hex(net.genesisForkVersion)}` });
    }
    const byFork = networkByForkVersion(e.forkVersion);
    const expectedName = byFork ? byFork.name : equalBytes(e.forkVersion, net.genesisForkVersion) ? net.name : null;
    if (expectedName !== null && e.networkName !== expectedName) {
      add('deposit-network-name-mismatch', 'error', `network_name "${e.networkName.slice(0, 32)}" does not match fork_version 0x${hex(e.forkVersion)} (${expectedName})`, { network_name: e.networkName.slice(0, 32), fork_version: `0x${hex(e.forkVersion)}`, expected: expectedName });
    }

    // Credentials and amount.
    const wc = e.withdrawalCredentials;
    const prefix = wc[0]!;
    const isAddressType = prefix === ETH1_ADDRESS_WITHDRAWAL_PREFIX || prefix === COMPOUNDING_WITHDRAWAL_PREFIX;
    if (prefix === BLS_WITHDRAWAL_PREFIX) {
      add('deposit-bls-credentials', 'warning', '0x00 (BLS) withdrawal credentials: withdrawals need the mnemonic and a later BLS-to-execution change', { prefix: '0x00' }, 'prefer 0x01 or 0x02 credentials with --withdrawal-address');
    } else if (!isAddressType) {
      add('deposit-credentials-invalid', 'error', `withdrawal credentials have unknown prefix 0x${prefix.toString(16).padStart(2, '0')}`, { prefix: `0x${prefix.toString(16).padStart(2, '0')}` });
    } else if (wc.subarray(1, 12).some((b) => b !== 0)) {
      add('deposit-credentials-invalid', 'error', `0x0${prefix} withdrawal credentials must have 11 zero bytes after the prefix`, { prefix: `0x0${prefix}` });
    } else if (wc.subarray(12).every((b) => b === 0)) {
      add('deposit-withdrawal-zero-address', 'error', 'withdrawals go to the zero address 0x0000…0000: no one holds its key, every withdrawal would be burned', { withdrawal_address: `0x${'0'.repeat(40)}` }, 'do not deposit: regenerate the deposit data with your own address');
    }
    if (opts.withdrawalAddress) {
      const want = `0x${hex(opts.withdrawalAddress)}`;
      const got = isAddressType ? `0x${hex(wc.subarray(12))}` : null;
      if (got !== want) {
        add('deposit-withdrawal-address-mismatch', 'error', got ? `withdrawals go to ${got}, not to --withdrawal-address ${want}` : `0x${prefix.toString(16).padStart(2, '0')} credentials do not pay --withdrawal-address ${want}`, { withdrawal_address: got, expected: want }, 'do not deposit: regenerate the deposit data with the right address');
      }
    }
    if (e.amount < MIN_DEPOSIT_GWEI || e.amount > MAX_DEPOSIT_GWEI) {
      add('deposit-amount-out-of-range', 'error', `amount ${eth(e.amount)} is outside 1–2048 ETH`, { amount_gwei: e.amount });
    } else if (prefix !== COMPOUNDING_WITHDRAWAL_PREFIX && e.amount !== STANDARD_DEPOSIT_GWEI) {
      add('deposit-amount-not-32', 'error', `amount ${eth(e.amount)} with 0x0${prefix} credentials: only 32 ETH is effective (0x02 credentials allow up to 2048 ETH)`, { amount_gwei: e.amount });
    }
  });

  for (const [pubkey, group] of duplicates(entries.map((e, i) => ({ e, i })), (x) => hex(x.e.pubkey))) {
    findings.push(finding('deposit-duplicate-pubkey', 'error', `0x${pubkey}`, `${group.length} entries deposit for the same validator key (indices ${group.map((g) => g.i).join(', ')}): the extra deposits only top up one validator`, { pubkey: `0x${pubkey}`, indices: group.map((g) => g.i), file }));
  }

  const verdicts: EntryVerdict[] = entries.map((e, i) => {
    const errors = findings.filter((f) => f.severity === 'error' && (f.subject === `${file}[${i}]` || (Array.isArray(f.evidence['indices']) && (f.evidence['indices'] as number[]).includes(i)))).map((f) => f.id);
    return { index: i, pubkey: `0x${hex(e.pubkey)}`, ok: errors.length === 0, errors };
  });
  return { findings, verdicts };
}

export interface PubkeyAt {
  /** File (keystore) or `file[i]` (deposit entry). */
  subject: string;
  pubkey: string;
}

/**
 * One-to-one matching of keystores and deposit entries by pubkey (no password needed).
 * Pubkeys are lower-case hex without 0x.
 */
export function matchKeystoresToDeposits(keystores: readonly PubkeyAt[], deposits: readonly PubkeyAt[]): Finding[] {
  const out: Finding[] = [];
  const ksKeys = new Set(keystores.map((k) => k.pubkey));
  const depKeys = new Set(deposits.map((d) => d.pubkey));
  for (const d of deposits) {
    if (!ksKeys.has(d.pubkey)) {
      out.push(finding('deposit-keystore-missing', 'error', d.subject, `no keystore for deposit pubkey 0x${d.pubkey.slice(0, 12)}…: that validator could not be run`, { pubkey: `0x${d.pubkey}` }, 'find the keystore or remove the entry before depositing'));
    }
  }
  for (const k of keystores) {
    if (!depKeys.has(k.pubkey)) {
      out.push(finding('keystore-not-in-deposit', 'error', k.subject, `keystore pubkey 0x${k.pubkey.slice(0, 12)}… has no entry in the deposit data`, { pubkey: `0x${k.pubkey}` }));
    }
  }
  return out;
}
