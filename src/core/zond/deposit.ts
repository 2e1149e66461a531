/**
 * Zond deposit_data files in the pinned format (qrysm dfc813be stakingdeposit/depositdata.go,
 * credentials.go; facts only): a compact JSON array, no trailing newline, one object per validator
 * with exactly these members in this order:
 *   pubkey (0x + 2592 bytes), amount (JSON number, shor), withdrawal_credentials (0x + 64 bytes = the
 *   raw Q-address), deposit_data_root, signature (0x + 4627 bytes), message_root, fork_version,
 *   network_name ("testnet", "betanet", a devnet name), deposit_cli_version ("").
 * SSZ: DepositMessage{pubkey ByteVector[2592], withdrawal_credentials ByteVector[64], amount uint64};
 * DepositData adds signature ByteVector[4627]. Signed bytes: compute_signing_root(message_root,
 * compute_domain(0x03000000, fork_version, zero root)) under the Zond ML-DSA-87 context.
 *
 * Other eras are refused by name (`ZondFormatError`, exit 2), never reported as tampering.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { byteVectorRoot, computeSigningRoot, containerRoot, uint64Root } from '../eth/ssz.js';
import { InputError } from '../errors.js';
import { ZOND_ADDRESS_BYTES, ZOND_FORMAT, ZOND_PUBKEY_BYTES, ZOND_SIGNATURE_BYTES } from './format.js';

/** 40,000 QRL in shor (1 QRL = 1e9 shor): qrysm's MaxEffectiveBalance, what its deposit CLI writes. */
export const ZOND_DEPOSIT_AMOUNT = 40_000_000_000_000;
/** The deposit contract's minimum: 1 QRL. */
export const ZOND_MIN_DEPOSIT = 1_000_000_000;
export const ZOND_MAX_DEPOSIT_FILE_BYTES = 64 * 1024 * 1024;
export const ZOND_MAX_DEPOSIT_ENTRIES = 4096;

export const ZOND_DEPOSIT_KEYS = ['pubkey', 'amount', 'withdrawal_credentials', 'deposit_data_root', 'signature', 'message_root', 'fork_version', 'network_name', 'deposit_cli_version'] as const;

export interface ZondDepositEntry {
  pubkey: Uint8Array;
  amount: number;
  withdrawalCredentials: Uint8Array;
  depositDataRoot: Uint8Array;
  signature: Uint8Array;
  messageRoot: Uint8Array;
  forkVersion: Uint8Array;
  networkName: string;
  depositCliVersion: string;
  /** The member names in the order the file has them (qrysm's order is ZOND_DEPOSIT_KEYS). */
  keyOrder: string[];
}

export type ZondFormatEra = 'older' | 'newer' | 'ethereum';

/** A file of another format era than the pinned one: exit 2, naming the format. */
export class ZondFormatError extends InputError {
  readonly era: ZondFormatEra;
  constructor(era: ZondFormatEra, detail: string, file?: string, field?: string) {
    super(detail, { ...(file !== undefined ? { file } : {}), ...(field !== undefined ? { field } : {}), hint: `coldstake reads one Zond format: ${ZOND_FORMAT.label}` });
    this.name = 'ZondFormatError';
    this.era = era;
  }
}

export function zondDepositMessageRoot(pubkey: Uint8Array, credentials: Uint8Array, amount: number): Uint8Array {
  return containerRoot([byteVectorRoot(pubkey), byteVectorRoot(credentials), uint64Root(BigInt(amount))]);
}

export function zondDepositDataRoot(pubkey: Uint8Array, credentials: Uint8Array, amount: number, signature: Uint8Array): Uint8Array {
  return containerRoot([byteVectorRoot(pubkey), byteVectorRoot(credentials), uint64Root(BigInt(amount)), byteVectorRoot(signature)]);
}

/** The 32 bytes the deposit signature signs. */
export function zondDepositSigningRoot(messageRoot: Uint8Array, depositDomain: Uint8Array): Uint8Array {
  return computeSigningRoot(messageRoot, depositDomain);
}

export interface ZondDepositFields {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amount: number;
  signature: Uint8Array;
  forkVersion: Uint8Array;
  networkName: string;
}

/** One entry as qrysm writes it (members in its order, hex with 0x). */
export function zondDepositEntryJson(f: ZondDepositFields): Record<string, unknown> {
  return {
    pubkey: `0x${bytesToHex(f.pubkey)}`,
    amount: f.amount,
    withdrawal_credentials: `0x${bytesToHex(f.withdrawalCredentials)}`,
    deposit_data_root: `0x${bytesToHex(zondDepositDataRoot(f.pubkey, f.withdrawalCredentials, f.amount, f.signature))}`,
    signature: `0x${bytesToHex(f.signature)}`,
    message_root: `0x${bytesToHex(zondDepositMessageRoot(f.pubkey, f.withdrawalCredentials, f.amount))}`,
    fork_version: `0x${bytesToHex(f.forkVersion)}`,
    network_name: f.networkName,
    deposit_cli_version: '',
  };
}

/** The whole file: compact JSON array, no trailing newline (as qrysm writes it). */
export function zondDepositFileText(entries: readonly ZondDepositFields[]): string {
  return JSON.stringify(entries.map(zondDepositEntryJson));
}

function hexField(o: Record<string, unknown>, key: string, bytes: number, where: string, file: string | undefined): Uint8Array {
  const v = o[key];
  if (typeof v !== 'string') throw new InputError(`must be a 0x-prefixed hex string`, { ...(file !== undefined ? { file } : {}), field: `${where}.${key}` });
  if (!/^0x[0-9a-f]*$/.test(v) || v.length % 2 !== 0) throw new InputError('must be 0x followed by lower-case hex digits', { ...(file !== undefined ? { file } : {}), field: `${where}.${key}` });
  const n = (v.length - 2) / 2;
  if (n !== bytes) {
    throw new InputError(`must be ${bytes} bytes, not ${n}`, { ...(file !== undefined ? { file } : {}), field: `${where}.${key}` });
  }
  return hexToBytes(v.slice(2));
}

/** Throws a ZondFormatError when an entry's shape belongs to another era (checked before the strict schema). */
function classifyEra(o: Record<string, unknown>, where: string, file: string | undefined): void {
  const size = (k: string): number | undefined => (typeof o[k] === 'string' && /^0x[0-9a-fA-F]*$/.test(o[k] as string) ? ((o[k] as string).length - 2) / 2 : undefined);
  if ('withdrawal_recipient' in o) throw new ZondFormatError('newer', 'newer Zond deposit format (withdrawal_credentials renamed withdrawal_recipient, qrysm after dfc813be): not supported yet', file, `${where}.withdrawal_recipient`);
  if ('randao_commitment' in o) throw new ZondFormatError('newer', 'newer Zond deposit format (randao_commitment in the deposit message): not supported yet', file, `${where}.randao_commitment`);
  if (size('pubkey') === 48 || 'deposit_message_root' in o) throw new ZondFormatError('ethereum', 'this is an Ethereum deposit file (48-byte BLS pubkey), not a Zond one: verify it with --network mainnet|hoodi|…', file, `${where}.pubkey`);
  if (size('signature') === 4595) {
    throw new ZondFormatError('older', 'older Zond deposit format (4595-byte Dilithium signature, qrysm before 2025-09-25): not the pinned ML-DSA-87 format', file, `${where}.signature`);
  }
  const wc = size('withdrawal_credentials');
  if (wc === 20 || wc === 48) throw new ZondFormatError('older', `older Zond deposit format (${wc}-byte address as withdrawal credentials, an address size of early 2026): the pinned format carries the 64-byte Q-address`, file, `${where}.withdrawal_credentials`);
  if (wc === 32) throw new ZondFormatError('older', 'older Zond deposit format (32-byte withdrawal credentials, qrysm before 2026-06-03): the pinned format carries the 64-byte Q-address', file, `${where}.withdrawal_credentials`);
}

/**
 * Strictly parse a Zond deposit_data file.
 * @throws {ZondFormatError} a file of another era (newer, older, Ethereum); {InputError} anything else malformed.
 */
export function parseZondDepositData(text: string, file?: string): ZondDepositEntry[] {
  const loc = file !== undefined ? { file } : {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError('is not valid JSON', loc);
  }
  if (!Array.isArray(data)) throw new InputError('must be a JSON array of deposit entries', loc);
  if (data.length === 0) throw new InputError('has no deposit entries', loc);
  if (data.length > ZOND_MAX_DEPOSIT_ENTRIES) throw new InputError(`has ${data.length} entries, more than the ${ZOND_MAX_DEPOSIT_ENTRIES}-entry limit`, loc);
  return data.map((raw, i) => {
    const where = `[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError('must be an object', { ...loc, field: where });
    const o = raw as Record<string, unknown>;
    classifyEra(o, where, file);
    const keys = Object.keys(o);
    for (const k of keys) if (!(ZOND_DEPOSIT_KEYS as readonly string[]).includes(k)) throw new InputError(`unknown member '${k.slice(0, 40)}' (not in the pinned Zond format)`, { ...loc, field: `${where}.${k.slice(0, 40)}` });
    for (const k of ZOND_DEPOSIT_KEYS) if (!(k in o)) throw new InputError('is missing', { ...loc, field: `${where}.${k}` });
    const amount = o['amount'];
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) throw new InputError('must be a whole number of shor (JSON number)', { ...loc, field: `${where}.amount` });
    const nn = o['network_name'];
    if (typeof nn !== 'string' || nn.length > 64) throw new InputError('must be a string of at most 64 characters', { ...loc, field: `${where}.network_name` });
    const cv = o['deposit_cli_version'];
    if (typeof cv !== 'string' || cv.length > 64) throw new InputError('must be a string of at most 64 characters', { ...loc, field: `${where}.deposit_cli_version` });
    return {
      pubkey: hexField(o, 'pubkey', ZOND_PUBKEY_BYTES, where, file),
      amount,
      withdrawalCredentials: hexField(o, 'withdrawal_credentials', ZOND_ADDRESS_BYTES, where, file),
      depositDataRoot: hexField(o, 'deposit_data_root', 32, where, file),
      signature: hexField(o, 'signature', ZOND_SIGNATURE_BYTES, where, file),
      messageRoot: hexField(o, 'message_root', 32, where, file),
      forkVersion: hexField(o, 'fork_version', 4, where, file),
      networkName: nn,
      depositCliVersion: cv,
      keyOrder: keys,
    };
  });
}
