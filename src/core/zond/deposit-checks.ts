/**
 * Checks of a parsed Zond deposit file: both roots, the ML-DSA-87 signature, network and fork
 * version, amount, withdrawal address, duplicates. Findings are data; ids are documented in README
 * "Zond (QRL)". A signature that verifies only under the older "ZOND" context is an OLDER FORMAT
 * (`zond-deposit-older-format`, an input problem: exit 2), never called tampered.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { computeDomain, DOMAIN_DEPOSIT, ZERO_ROOT } from '../eth/ssz.js';
import { finding, type Finding } from '../findings.js';
import { formatZondAddress } from './address.js';
import { ZOND_DEPOSIT_AMOUNT, ZOND_DEPOSIT_KEYS, ZOND_MIN_DEPOSIT, zondDepositDataRoot, zondDepositMessageRoot, zondDepositSigningRoot, type ZondDepositEntry } from './deposit.js';
import { ZOND_FORMAT } from './format.js';
import { zondNetworkByFileName, type ZondNetwork } from './networks.js';
import { verifiesUnderOlderContext, zondVerify } from './signing.js';

export interface ZondDepositCheckOptions {
  network: ZondNetwork;
  /** Every entry's credentials must be this 64-byte address. */
  withdrawalAddress?: Uint8Array;
}

export interface ZondEntryVerdict {
  index: number;
  pubkey: string;
  address: string;
  ok: boolean;
  errors: string[];
}

const eq = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The findings of one file (`file` names the subject: `file[i]`). */
export function zondDepositFindings(file: string, entries: readonly ZondDepositEntry[], opts: ZondDepositCheckOptions): { findings: Finding[]; verdicts: ZondEntryVerdict[] } {
  const findings: Finding[] = [];
  const net = opts.network;
  const seen = new Map<string, number>();
  const verdicts: ZondEntryVerdict[] = [];
  let sharedNoted = false;
  entries.forEach((e, i) => {
    const subject = `${file}[${i}]`;
    const before = findings.length;
    const pk = bytesToHex(e.pubkey);
    const messageRoot = zondDepositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount);
    if (!eq(messageRoot, e.messageRoot)) findings.push(finding('zond-deposit-message-root', 'error', subject, 'message_root does not match the pubkey, credentials and amount (the entry was altered)', { expected: `0x${bytesToHex(messageRoot)}` }));
    const dataRoot = zondDepositDataRoot(e.pubkey, e.withdrawalCredentials, e.amount, e.signature);
    if (!eq(dataRoot, e.depositDataRoot)) findings.push(finding('zond-deposit-data-root', 'error', subject, 'deposit_data_root does not match the entry (the deposit contract would reject it)', { expected: `0x${bytesToHex(dataRoot)}` }));
    // The signature is checked under the entry's own fork version: a mismatch with the network is its own finding.
    const domain = computeDomain(DOMAIN_DEPOSIT, e.forkVersion, ZERO_ROOT);
    const signingRoot = zondDepositSigningRoot(messageRoot, domain);
    if (!zondVerify(e.signature, signingRoot, e.pubkey)) {
      if (verifiesUnderOlderContext(e.signature, signingRoot, e.pubkey)) {
        findings.push(finding('zond-deposit-older-format', 'error', subject, `signed by a qrysm older than the pinned format (signing context "ZOND" alone, before 2026-06): not tampered, but not ${ZOND_FORMAT.label}`, { context: 'ZOND' }, 'regenerate the deposit with the pinned qrysm, or with coldstake keys new'));
      } else {
        findings.push(finding('zond-deposit-signature', 'error', subject, 'the ML-DSA-87 signature does not verify for this pubkey and message', {}));
      }
    }
    if (!eq(e.forkVersion, net.genesisForkVersion)) {
      const other = zondNetworkByFileName(e.networkName);
      findings.push(finding('zond-deposit-fork-version', 'error', subject, `fork_version 0x${bytesToHex(e.forkVersion)} is not ${net.id}'s 0x${bytesToHex(net.genesisForkVersion)}`, { fork_version: `0x${bytesToHex(e.forkVersion)}`, ...(other ? { file_network: other.id } : {}) }));
    }
    if (e.networkName !== net.networkName) {
      findings.push(finding('zond-deposit-network', 'error', subject, `network_name "${e.networkName.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}" is not ${net.id} (files name it "${net.networkName}")`, { network_name: e.networkName.slice(0, 64) }));
    } else if (net.known && !sharedNoted) {
      sharedNoted = true;
      findings.push(finding('zond-deposit-shared-fork-version', 'info', file, 'zond-testnet and zond-betanet share fork version 0x20000089 and deposits are signed with a zero genesis root: a deposit signed for one is valid on the other, and only network_name tells these files apart', {}));
    }
    if (e.amount < ZOND_MIN_DEPOSIT || e.amount % 1 !== 0) {
      findings.push(finding('zond-deposit-amount', 'error', subject, `amount ${e.amount} shor is below the deposit contract's 1 QRL minimum`, { amount: e.amount }));
    } else if (e.amount !== ZOND_DEPOSIT_AMOUNT) {
      findings.push(finding('zond-deposit-amount', 'warning', subject, `amount is ${e.amount / 1e9} QRL, not the 40,000 QRL of a full validator deposit`, { amount: e.amount }));
    }
    if (opts.withdrawalAddress && !eq(opts.withdrawalAddress, e.withdrawalCredentials)) {
      findings.push(finding('zond-deposit-withdrawal-address', 'error', subject, `withdrawals go to ${formatZondAddress(e.withdrawalCredentials)}, not the expected address`, { withdrawal_address: formatZondAddress(e.withdrawalCredentials) }));
    }
    if (e.keyOrder.join(',') !== ZOND_DEPOSIT_KEYS.join(',')) {
      findings.push(finding('zond-deposit-member-order', 'info', subject, 'members are not in the order qrysm writes them (harmless for the deposit, but this file was not written by the pinned tool)', {}));
    }
    const prev = seen.get(pk);
    if (prev !== undefined) findings.push(finding('zond-deposit-duplicate-pubkey', 'error', subject, `the same pubkey as entry ${prev}: two deposits for one validator`, { first: prev }));
    else seen.set(pk, i);
    const errors = findings.slice(before).filter((f) => f.severity === 'error').map((f) => f.id);
    verdicts.push({ index: i, pubkey: `0x${pk}`, address: formatZondAddress(e.withdrawalCredentials), ok: errors.length === 0, errors });
  });
  return { findings, verdicts };
}
