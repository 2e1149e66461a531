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
import { finding, type Finding } from '../findings.js';
import { duplicates } from './keystore.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import { namedForkVersion, namedNetwork, type Network } from './networks.js';
import { computeDomain, computeSigningRoot, DOMAIN_DEPOSIT, ZERO_ROOT } from './ssz.js';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const eth = (gwei: number): string => `${gwei / GWEI_PER_ETH} ETH`;

export interface DepositCheckOptions {
  network: Network;
  /** 20 bytes, when --withdrawal-address was given. */
  withdrawalAddress?: Uint8Array;
  /** --top-up: amounts below 32 ETH are intended (a split deposit or a top-up). */
  topUp?: boolean;
}

/** The message each entry's signature must cover, or null when the entry cannot be hashed. */
export function signingRootOf(e: DepositEntry, network: Network): Uint8Array | null {
  try {
    return computeSigningRoot(depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount), network.depositDomain);
  } catch {
    return null;
  }
}

/**
 * The message each entry's signature must cover under the deposit domain of the entry's OWN
 * fork_version (whether that is the chosen network's is a separate finding), or null when the
 * entry cannot be hashed.
 */
export function ownSigningRootOf(e: DepositEntry, domains: Map<string, Uint8Array> = new Map()): Uint8Array | null {
  const fv = hex(e.forkVersion);
  let domain = domains.get(fv);
  if (!domain) {
    domain = computeDomain(DOMAIN_DEPOSIT, e.forkVersion, ZERO_ROOT);
    domains.set(fv, domain);
  }
  try {
    return computeSigningRoot(depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount), domain);
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
 * BLS signature against the deposit domain of its own fork_version (`ownSigningRootOf`); an entry
 * whose fork_version is not `opts.network`'s gets the file-level deposit-wrong-network finding.
 */
export function depositFindings(file: string, entries: readonly DepositEntry[], signatureOk: readonly boolean[], opts: DepositCheckOptions): { findings: Finding[]; verdicts: EntryVerdict[] } {
  const findings: Finding[] = [];
  const net = opts.network;
  const below: number[] = [];
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
      // Checked against the deposit domain of the entry's own fork_version: when that is not the
      // chosen network's, the file-level deposit-wrong-network finding says so once.
      const own = namedForkVersion(e.forkVersion);
      const where = equalBytes(e.forkVersion, net.genesisForkVersion) ? `${net.name}'s` : `fork_version 0x${hex(e.forkVersion)}${own ? ` (${own.name})` : ''}`;
      add('deposit-invalid-signature', 'error', `the BLS signature is not valid for ${where} deposit domain: the deposit would be accepted but the validator never created (the ETH is lost)`, { network: equalBytes(e.forkVersion, net.genesisForkVersion) ? net.name : own?.name ?? null, fork_version: `0x${hex(e.forkVersion)}` }, 'regenerate the deposit data; never deposit this entry');
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
    } else if (prefix !== COMPOUNDING_WITHDRAWAL_PREFIX && e.amount > STANDARD_DEPOSIT_GWEI) {
      // ethstaker-deposit-cli validate_deposit and the launchpad refuse it: a 0x00/0x01 validator's
      // effective balance is capped at 32 ETH, the excess is only paid back by the sweep.
      if (opts.topUp) {
        add('deposit-top-up-above-32', 'warning', `a top-up of ${eth(e.amount)} with 0x0${prefix} credentials: a 0x00/0x01 validator uses at most 32 ETH, the rest is swept back to its withdrawal address`, { amount_gwei: e.amount }, 'top up a 0x02 (compounding) validator for balances above 32 ETH');
      } else {
        add('deposit-amount-not-32', 'error', `amount ${eth(e.amount)} with 0x0${prefix} credentials: above 32 ETH, which is all a 0x00/0x01 validator can use (0x02 credentials allow up to 2048 ETH)`, { amount_gwei: e.amount }, 'if this tops up an existing validator, check it with --top-up; otherwise regenerate it with 32 ETH, or with --compounding (0x02)');
      }
    } else if (e.amount < STANDARD_DEPOSIT_GWEI && !opts.topUp) {
      below.push(i);
    }
  });

  // Network: one finding per foreign fork version, leading the report, instead of one per entry.
  const foreign = new Map<string, number[]>();
  entries.forEach((e, i) => {
    if (!equalBytes(e.forkVersion, net.genesisForkVersion)) foreign.set(hex(e.forkVersion), [...(foreign.get(hex(e.forkVersion)) ?? []), i]);
  });
  const lead: Finding[] = [];
  for (const [fv, idx] of foreign) {
    const belongs = namedForkVersion(hexToBytes(fv));
    const what = belongs ? `${belongs.name}${belongs.retired ? ' (a retired testnet)' : ''}` : 'no network coldstake knows (a devnet?)';
    const count = idx.length === 1 ? (entries.length === 1 ? 'the entry is' : `entry [${idx[0]}] is`) : idx.length === entries.length ? `all ${entries.length} entries are` : `${idx.length} of ${entries.length} entries are`;
    const fix = belongs && !belongs.retired
      ? `this file is for ${belongs.name}: check it with --network ${belongs.name}; to deposit on ${net.name}, regenerate the deposit data for ${net.name}`
      : belongs
        ? `do not deposit on ${net.name}; to check it for ${belongs.name}: --network ${belongs.name}`
        : `to deposit on ${net.name}, regenerate the deposit data for ${net.name}; for a devnet: --network NAME --fork-version 0x${fv}`;
    lead.push(finding('deposit-wrong-network', 'error', idx.length === 1 ? `${file}[${idx[0]}]` : file, `${count} for ${what} (fork_version 0x${fv}), not ${net.name} (0x${hex(net.genesisForkVersion)}): the deposit contract takes them, but the validator is never created on ${net.name} and the ETH is lost`, { fork_version: `0x${fv}`, network: belongs?.name ?? null, expected: `0x${hex(net.genesisForkVersion)}`, indices: idx, file }, fix));
  }

  // network_name: the fork version decides; the name must not name another network.
  const groups = new Map<string, { id: string; severity: 'error' | 'warning' | 'info'; message: string; evidence: Record<string, unknown>; fix?: string; idx: number[] }>();
  const group = (key: string, g: { id: string; severity: 'error' | 'warning' | 'info'; message: string; evidence: Record<string, unknown>; fix?: string }, i: number) => {
    const cur = groups.get(key);
    if (cur) cur.idx.push(i);
    else groups.set(key, { ...g, idx: [i] });
  };
  entries.forEach((e, i) => {
    const fv = hex(e.forkVersion);
    const name = e.networkName.toLowerCase();
    const shown = e.networkName.slice(0, 32);
    if (e.networkName === '') {
      group('absent', { id: 'deposit-network-name-absent', severity: 'info', message: 'no network_name (ethdo writes the launchpad\'s fields only): the network is taken from fork_version', evidence: {} }, i);
      return;
    }
    const byFork = namedForkVersion(e.forkVersion);
    const byName = namedNetwork(name);
    if (byFork) {
      if (name === byFork.name) return;
      if (byFork.aliases.includes(name)) {
        group(`alias:${name}`, { id: 'deposit-network-name-alias', severity: 'info', message: `network_name "${shown}" is another name of ${byFork.name} (same fork_version 0x${fv})`, evidence: { network_name: shown, fork_version: `0x${fv}`, network: byFork.name } }, i);
        return;
      }
    } else if (equalBytes(e.forkVersion, net.genesisForkVersion) && !byName) {
      if (name !== net.name) group(`devname:${name}`, { id: 'deposit-network-name-alias', severity: 'info', message: `network_name "${shown}" differs from --network ${net.name}, with the same fork_version 0x${fv}: the fork version decides`, evidence: { network_name: shown, fork_version: `0x${fv}`, network: net.name } }, i);
      return;
    }
    if (byName) {
      group(`mismatch:${name}:${fv}`, { id: 'deposit-network-name-mismatch', severity: 'error', message: `network_name "${shown}" names ${byName.name} (fork_version 0x${hex(byName.genesisForkVersion)}), but the entry is signed for fork_version 0x${fv}${byFork ? ` (${byFork.name})` : ''}: the file is mislabelled`, evidence: { network_name: shown, fork_version: `0x${fv}`, expected: byFork?.name ?? null }, fix: 'regenerate the deposit data with the deposit tool for the network you mean' }, i);
    } else if (byFork) {
      group(`unknown:${name}:${fv}`, { id: 'deposit-network-name-unknown', severity: 'warning', message: `network_name "${shown}" is not a network coldstake knows; fork_version 0x${fv} is ${byFork.name}'s, and the fork version decides`, evidence: { network_name: shown, fork_version: `0x${fv}`, network: byFork.name } }, i);
    }
  });
  for (const g of groups.values()) {
    const subject = g.idx.length === 1 ? `${file}[${g.idx[0]}]` : file;
    findings.push(finding(g.id, g.severity, subject, g.idx.length === entries.length || g.idx.length === 1 ? g.message : `${g.message} (${g.idx.length} entries)`, { ...g.evidence, indices: g.idx, file }, g.fix));
  }
  if (opts.topUp && entries.length > 0) {
    findings.push(finding('deposit-top-up', 'info', file, `checked as ${entries.length === 1 ? 'a top-up' : `${entries.length} top-ups`} (--top-up): any amount from 1 to 2048 ETH is expected; for a validator that already exists only the amount counts, the entry's withdrawal credentials are not applied`, { entries: entries.length, file }));
  }
  if (below.length > 0) {
    const amounts = [...new Set(below.map((i) => entries[i]!.amount))].sort((x, y) => x - y);
    findings.push(finding('deposit-amount-below-32', 'warning', below.length === 1 ? `${file}[${below[0]}]` : file, `${below.length === 1 ? 'an entry deposits' : `${below.length} entries deposit`} ${amounts.map(eth).join(', ')}, less than 32 ETH: the validator activates only once 32 ETH in all have arrived for its key (a split deposit or a top-up)`, { indices: below, amounts_gwei: amounts, file }, 'if this is an intended split deposit or top-up, say so with --top-up; otherwise regenerate with --amount 32'));
  }
  findings.unshift(...lead);

  for (const [pubkey, group] of duplicates(entries.map((e, i) => ({ e, i })), (x) => hex(x.e.pubkey))) {
    findings.push(finding('deposit-duplicate-pubkey', 'error', `0x${pubkey}`, `${group.length} entries deposit for the same validator key (indices ${group.map((g) => g.i).join(', ')}): the extra deposits only top up one validator`, { pubkey: `0x${pubkey}`, indices: group.map((g) => g.i), file }));
  }

  // Each entry's errors in findings order: the findings about it by subject or by `indices`.
  // One pass over the findings (not one per entry): a 10,000-entry file may carry 50,000 of them.
  const errorsOf: string[][] = entries.map(() => []);
  const lastFinding: number[] = entries.map(() => -1);
  findings.forEach((f, k) => {
    if (f.severity !== 'error') return;
    const add = (i: number) => {
      if (!Number.isInteger(i) || i < 0 || i >= entries.length || lastFinding[i] === k) return;
      lastFinding[i] = k;
      errorsOf[i]!.push(f.id);
    };
    const m = f.subject.startsWith(`${file}[`) && f.subject.endsWith(']') ? /^\d+$/.exec(f.subject.slice(file.length + 1, -1)) : null;
    if (m) add(Number(m[0]));
    if (Array.isArray(f.evidence['indices'])) for (const i of f.evidence['indices'] as number[]) add(i);
  });
  const verdicts: EntryVerdict[] = entries.map((e, i) => ({ index: i, pubkey: `0x${hex(e.pubkey)}`, ok: errorsOf[i]!.length === 0, errors: errorsOf[i]! }));
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
