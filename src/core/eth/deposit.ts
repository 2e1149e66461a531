/**
 * Deposit data: withdrawal credentials, DepositMessage / DepositData roots, signing, the
 * deposit_data-*.json format exactly as ethstaker-deposit-cli writes it, and a strict parser.
 *
 * Format (ethstaker-deposit-cli credentials.py `deposit_datum_dict` + `json.dump(list)`): a JSON
 * array on one line, Python's default separators (", " and ": "), no trailing newline; each entry
 * has, in this order, pubkey, withdrawal_credentials, amount, signature, deposit_message_root,
 * deposit_data_root, fork_version, network_name, deposit_cli_version; byte fields are lower-case
 * hex without 0x; amount is a JSON number in gwei. The staking launchpad rejects a string amount,
 * a 0x prefix and wrong lengths, so the parser does too.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { secretToPublicKey, sign, verify } from './bls.js';
import { InputError } from '../errors.js';
import { formatPath, JsonStreamError, JsonStreamParser } from '../json-stream.js';
import type { Network } from './networks.js';
import { byteVectorRoot, computeSigningRoot, containerRoot, uint64Root } from './ssz.js';

export const GWEI_PER_ETH = 1_000_000_000;
/** Deposit bounds ethstaker-deposit-cli enforces (MIN_DEPOSIT_AMOUNT 1 ETH, MAX_DEPOSIT_AMOUNT 2048 ETH). */
export const MIN_DEPOSIT_GWEI = 1 * GWEI_PER_ETH;
export const MAX_DEPOSIT_GWEI = 2048 * GWEI_PER_ETH;
export const STANDARD_DEPOSIT_GWEI = 32 * GWEI_PER_ETH;

/** Largest deposit_data file accepted (PRODUCT.md "Hostile input"). */
export const MAX_DEPOSIT_FILE_BYTES = 16 * 1024 * 1024;

export const BLS_WITHDRAWAL_PREFIX = 0x00;
export const ETH1_ADDRESS_WITHDRAWAL_PREFIX = 0x01;
export const COMPOUNDING_WITHDRAWAL_PREFIX = 0x02;

export interface DepositEntry {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  /** Gwei; a safe integer. */
  amount: number;
  signature: Uint8Array;
  depositMessageRoot: Uint8Array;
  depositDataRoot: Uint8Array;
  forkVersion: Uint8Array;
  /** `network_name` (or `eth2_network_name`); '' when the file has neither. */
  networkName: string;
  /** '' when the file has no `deposit_cli_version` (ethdo's launchpad format). */
  depositCliVersion: string;
  /** Where the network name came from when not `network_name`: deposit-cli 1.1–1.2 wrote `eth2_network_name`; null: absent. */
  networkNameKey?: 'eth2_network_name' | null;
}

/** The JSON field names, in the order ethstaker-deposit-cli writes them. */
export const DEPOSIT_FIELDS = [
  'pubkey',
  'withdrawal_credentials',
  'amount',
  'signature',
  'deposit_message_root',
  'deposit_data_root',
  'fork_version',
  'network_name',
  'deposit_cli_version',
] as const;

/** 0x00 credentials: 0x00 || sha256(withdrawal_pubkey)[1:]. */
export function blsWithdrawalCredentials(withdrawalPubkey: Uint8Array): Uint8Array {
  if (withdrawalPubkey.length !== 48) throw new TypeError('withdrawal public key must be 48 bytes');
  const wc = sha256(withdrawalPubkey);
  wc[0] = BLS_WITHDRAWAL_PREFIX;
  return wc;
}

/** 0x01 (or 0x02 when `compounding`) credentials: prefix || 11 zero bytes || 20-byte address. */
export function addressWithdrawalCredentials(address: Uint8Array, compounding: boolean): Uint8Array {
  if (address.length !== 20) throw new TypeError('withdrawal address must be 20 bytes');
  const wc = new Uint8Array(32);
  wc[0] = compounding ? COMPOUNDING_WITHDRAWAL_PREFIX : ETH1_ADDRESS_WITHDRAWAL_PREFIX;
  wc.set(address, 12);
  return wc;
}

/** hash_tree_root(DepositMessage(pubkey, withdrawal_credentials, amount)). */
export function depositMessageRoot(pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number): Uint8Array {
  checkLengths(pubkey, withdrawalCredentials);
  return containerRoot([byteVectorRoot(pubkey), withdrawalCredentials, uint64Root(toGweiBigint(amount))]);
}

/** hash_tree_root(DepositData(pubkey, withdrawal_credentials, amount, signature)). */
export function depositDataRoot(pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number, signature: Uint8Array): Uint8Array {
  checkLengths(pubkey, withdrawalCredentials);
  if (signature.length !== 96) throw new TypeError('signature must be 96 bytes');
  return containerRoot([byteVectorRoot(pubkey), withdrawalCredentials, uint64Root(toGweiBigint(amount)), byteVectorRoot(signature)]);
}

function checkLengths(pubkey: Uint8Array, wc: Uint8Array): void {
  if (pubkey.length !== 48) throw new TypeError('pubkey must be 48 bytes');
  if (wc.length !== 32) throw new TypeError('withdrawal credentials must be 32 bytes');
}

function toGweiBigint(amount: number): bigint {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError('amount must be a non-negative whole number of gwei');
  return BigInt(amount);
}

/** The signing root a deposit signature covers: compute_signing_root(DepositMessage, deposit domain). */
export function depositSigningRoot(pubkey: Uint8Array, withdrawalCredentials: Uint8Array, amount: number, depositDomain: Uint8Array): Uint8Array {
  return computeSigningRoot(depositMessageRoot(pubkey, withdrawalCredentials, amount), depositDomain);
}

export interface BuildDepositParams {
  /** 32-byte signing secret key (m/12381/3600/i/0/0). Not retained. */
  signingSk: Uint8Array;
  withdrawalCredentials: Uint8Array;
  /** Gwei. */
  amount: number;
  network: Pick<Network, 'name' | 'genesisForkVersion' | 'depositDomain'>;
  depositCliVersion: string;
}

/**
 * Build and sign one deposit entry, as ethstaker-deposit-cli's `deposit_datum_dict`.
 * @throws {RangeError} when the amount is outside 1–2048 ETH or not a whole number of gwei.
 */
export function buildDepositEntry(p: BuildDepositParams): DepositEntry {
  if (!Number.isSafeInteger(p.amount) || p.amount < MIN_DEPOSIT_GWEI || p.amount > MAX_DEPOSIT_GWEI) {
    throw new RangeError('deposit amount must be between 1 and 2048 ETH');
  }
  const pubkey = secretToPublicKey(p.signingSk);
  const messageRoot = depositMessageRoot(pubkey, p.withdrawalCredentials, p.amount);
  const signature = sign(p.signingSk, computeSigningRoot(messageRoot, p.network.depositDomain));
  return {
    pubkey,
    withdrawalCredentials: p.withdrawalCredentials.slice(),
    amount: p.amount,
    signature,
    depositMessageRoot: messageRoot,
    depositDataRoot: depositDataRoot(pubkey, p.withdrawalCredentials, p.amount, signature),
    forkVersion: p.network.genesisForkVersion.slice(),
    networkName: p.network.name,
    depositCliVersion: p.depositCliVersion,
  };
}

export interface DepositEntryCheck {
  messageRootOk: boolean;
  dataRootOk: boolean;
  signatureOk: boolean;
}

/** Recompute both roots and verify the signature against `depositDomain`. Never throws. */
export function checkDepositEntry(e: DepositEntry, depositDomain: Uint8Array): DepositEntryCheck {
  let messageRoot: Uint8Array;
  try {
    messageRoot = depositMessageRoot(e.pubkey, e.withdrawalCredentials, e.amount);
  } catch {
    return { messageRootOk: false, dataRootOk: false, signatureOk: false };
  }
  const dataRoot = depositDataRoot(e.pubkey, e.withdrawalCredentials, e.amount, e.signature);
  return {
    messageRootOk: equalBytes(messageRoot, e.depositMessageRoot),
    dataRootOk: equalBytes(dataRoot, e.depositDataRoot),
    signatureOk: verify(e.pubkey, computeSigningRoot(messageRoot, depositDomain), e.signature),
  };
}

function jsonString(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new RangeError('deposit_data strings must be printable ASCII');
  return JSON.stringify(s);
}

/** One entry as ethstaker-deposit-cli's Python `json.dumps` writes it. */
export function serializeDepositEntry(e: DepositEntry): string {
  toGweiBigint(e.amount);
  const parts = [
    `"pubkey": "${bytesToHex(e.pubkey)}"`,
    `"withdrawal_credentials": "${bytesToHex(e.withdrawalCredentials)}"`,
    `"amount": ${e.amount}`,
    `"signature": "${bytesToHex(e.signature)}"`,
    `"deposit_message_root": "${bytesToHex(e.depositMessageRoot)}"`,
    `"deposit_data_root": "${bytesToHex(e.depositDataRoot)}"`,
    `"fork_version": "${bytesToHex(e.forkVersion)}"`,
    `"network_name": ${jsonString(e.networkName)}`,
    `"deposit_cli_version": ${jsonString(e.depositCliVersion)}`,
  ];
  return `{${parts.join(', ')}}`;
}

/** The whole deposit_data file: a one-line JSON array, no trailing newline (as ethstaker writes it). */
export function serializeDepositData(entries: readonly DepositEntry[]): string {
  return `[${entries.map(serializeDepositEntry).join(', ')}]`;
}

const HEX_FIELDS: Record<string, number> = {
  pubkey: 48,
  withdrawal_credentials: 32,
  signature: 96,
  deposit_message_root: 32,
  deposit_data_root: 32,
  fork_version: 4,
};

function hexField(value: unknown, bytes: number, file: string, field: string): Uint8Array {
  if (typeof value !== 'string') throw new InputError(`must be a hex string, got ${jsonType(value)}`, { file, field });
  if (/^0[xX]/.test(value)) throw new InputError('must be hex without a 0x prefix (the launchpad rejects 0x)', { file, field });
  if (!/^[0-9a-fA-F]*$/.test(value)) throw new InputError('contains a character that is not a hex digit', { file, field });
  if (value.length !== bytes * 2) throw new InputError(`must be ${bytes * 2} hex digits (${bytes} bytes), got ${value.length}`, { file, field });
  return hexToBytes(value.toLowerCase());
}

function textField(value: unknown, file: string, field: string): string {
  if (typeof value !== 'string') throw new InputError(`must be a string, got ${jsonType(value)}`, { file, field });
  if (value.length === 0) throw new InputError('must not be empty', { file, field });
  if (value.length > 64 || !/^[\x20-\x7e]*$/.test(value)) throw new InputError('must be at most 64 printable ASCII characters', { file, field });
  return value;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return 'a string';
  if (typeof v === 'number') return 'a number';
  if (typeof v === 'boolean') return 'a boolean';
  return typeof v === 'object' ? 'an object' : typeof v;
}

/**
 * Largest number of entries `deposit verify` checks in one file: `keys new --count` goes up to 10,000
 * (its own files must stay verifiable); the largest real file found holds 2,962 (README "deposit verify").
 */
export const MAX_DEPOSIT_ENTRIES = 10_000;

/**
 * How many distinct entries (an entry repeated verbatim counts once) `deposit verify` checks without
 * being asked for more with `--max-entries`: the CPU budget. A distinct entry costs 20–25 ms of CPU
 * when its signature is valid and up to about 60 ms when none is (hash to G2, decoding and subgroup
 * checks, Miller loops; bench/RESULTS.md: 1,000 such entries took 53–59 s of CPU on the loaded 2-core
 * bench machine), so 800 keep the worst file under 60 s with a margin. Operators' own files hold a
 * few to a few hundred entries (100 is the largest operator file among the real ones collected); the
 * two larger real files are networks' genesis sets (1,702 and 2,962 entries), which need `--max-entries`.
 */
export const DEFAULT_MAX_CHECKED_ENTRIES = 800;

/**
 * Parse a deposit_data file strictly into typed entries. Checks shape only (types, lengths, no 0x,
 * amount a whole JSON number of gwei, no duplicate keys); roots, signatures and amounts' bounds are
 * for the caller to judge.
 *
 * Required are the seven fields the staking launchpad requires (`validateDepositKey`): pubkey,
 * withdrawal_credentials, amount, signature, deposit_message_root, deposit_data_root, fork_version.
 * The network name is `network_name` (deposit-cli ≥ 2.0), `eth2_network_name` (deposit-cli 1.1–1.2,
 * the mainnet-genesis era) or absent (ethdo's launchpad format); `deposit_cli_version` may be absent.
 * A key given twice in one object is refused: readers disagree on which value wins.
 * @param text the file's decoded text (the caller bounds the bytes read; this bounds the text too)
 * @param file the file name used in error messages
 * @throws {InputError} naming `file` and the field (e.g. `[3].amount`); never quotes the input.
 */
export function parseDepositData(text: string, file: string): DepositEntry[] {
  if (typeof text !== 'string') throw new InputError('not text', { file });
  if (utf8Length(text) > MAX_DEPOSIT_FILE_BYTES) throw new InputError(`more than the ${MAX_DEPOSIT_FILE_BYTES}-byte limit`, { file });
  let data: unknown;
  const parser = new JsonStreamParser({ limits: { maxBytes: MAX_DEPOSIT_FILE_BYTES, maxDepth: 8, maxStringBytes: 4096, maxNumberChars: 64, maxRetainedBytes: 4 * MAX_DEPOSIT_FILE_BYTES } });
  try {
    parser.write(Buffer.from(text, 'utf8'));
    data = parser.end();
  } catch (err) {
    if (err instanceof JsonStreamError) {
      const dup = /duplicate key/.test(err.message);
      throw new InputError(dup ? `a key appears twice in one object (line ${err.line}, column ${err.column}): readers disagree on which value counts, so the file is ambiguous` : `not valid JSON: ${err.message} (line ${err.line}, column ${err.column})`, { file, ...(dup ? { field: formatPath(err.path) } : {}) });
    }
    throw err;
  }
  if (!Array.isArray(data)) {
    const single = typeof data === 'object' && data !== null && 'pubkey' in data;
    throw new InputError(single ? 'is a single deposit object, not the JSON array deposit-cli writes and the launchpad requires (a tool-internal format)' : `must be a JSON array of deposit entries, got ${jsonType(data)}`, { file });
  }
  if (data.length === 0) throw new InputError('contains no deposit entries', { file });
  return data.map((raw, i) => parseEntry(raw, file, `[${i}]`));
}

/** UTF-8 length of a string, stopping early once past the deposit file bound. */
function utf8Length(text: string): number {
  if (text.length > MAX_DEPOSIT_FILE_BYTES) return text.length;
  if (text.length * 3 <= MAX_DEPOSIT_FILE_BYTES) return text.length; // cannot exceed the bound
  let n = 0;
  for (let i = 0; i < text.length && n <= MAX_DEPOSIT_FILE_BYTES; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

/** Fields a deposit entry may have besides DEPOSIT_FIELDS. */
const LEGACY_NETWORK_NAME = 'eth2_network_name';
const REQUIRED_FIELDS = DEPOSIT_FIELDS.filter((k) => k !== 'network_name' && k !== 'deposit_cli_version');

function parseEntry(raw: unknown, file: string, at: string): DepositEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError(`must be an object, got ${jsonType(raw)}`, { file, field: at });
  }
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!(DEPOSIT_FIELDS as readonly string[]).includes(key) && key !== LEGACY_NETWORK_NAME) {
      throw new InputError('unexpected field', { file, field: `${at}.${key.slice(0, 40)}` });
    }
  }
  const has = (k: string) => Object.prototype.hasOwnProperty.call(obj, k);
  for (const key of REQUIRED_FIELDS) {
    if (!has(key)) throw new InputError('missing', { file, field: `${at}.${key}` });
  }
  if (has('network_name') && has(LEGACY_NETWORK_NAME)) {
    throw new InputError(`both network_name and ${LEGACY_NETWORK_NAME}: the file is ambiguous`, { file, field: `${at}.network_name` });
  }
  const hex = (k: string) => hexField(obj[k], HEX_FIELDS[k]!, file, `${at}.${k}`);
  const amount = obj['amount'];
  if (typeof amount !== 'number') {
    throw new InputError(`must be a JSON number of gwei, got ${jsonType(amount)} (the launchpad rejects a string amount)`, { file, field: `${at}.amount` });
  }
  if (!Number.isInteger(amount) || amount < 0) throw new InputError('must be a non-negative whole number of gwei', { file, field: `${at}.amount` });
  if (!Number.isSafeInteger(amount)) throw new InputError(`is ${amount > 2 ** 64 ? 'above the uint64 range' : 'above 2^53 gwei (9 million ETH)'}: not a real deposit amount (at most 2048 ETH)`, { file, field: `${at}.amount` });
  const nameKey = has('network_name') ? 'network_name' : has(LEGACY_NETWORK_NAME) ? LEGACY_NETWORK_NAME : null;
  return {
    pubkey: hex('pubkey'),
    withdrawalCredentials: hex('withdrawal_credentials'),
    amount,
    signature: hex('signature'),
    depositMessageRoot: hex('deposit_message_root'),
    depositDataRoot: hex('deposit_data_root'),
    forkVersion: hex('fork_version'),
    networkName: nameKey === null ? '' : textField(obj[nameKey], file, `${at}.${nameKey}`),
    depositCliVersion: has('deposit_cli_version') ? textField(obj['deposit_cli_version'], file, `${at}.deposit_cli_version`) : '',
    ...(nameKey !== 'network_name' ? { networkNameKey: nameKey } : {}),
  };
}

/**
 * Parse a user's `--amount` in ETH ("32", "2048", "33.5") into gwei.
 * @throws {RangeError} for anything but a plain decimal with at most 9 fractional digits, or outside 1–2048 ETH.
 */
export function parseEthAmount(text: string): number {
  const m = /^(\d{1,4})(?:\.(\d{1,9}))?$/.exec(text);
  if (!m) throw new RangeError('amount must be a number of ETH such as 32 or 33.5 (at most 9 decimals)');
  const gwei = Number(m[1]) * GWEI_PER_ETH + Number((m[2] ?? '').padEnd(9, '0') || '0');
  if (gwei < MIN_DEPOSIT_GWEI || gwei > MAX_DEPOSIT_GWEI) throw new RangeError('amount must be between 1 and 2048 ETH');
  return gwei;
}

/** The 0x00/0x01/0x02 prefix of withdrawal credentials. */
export function credentialsPrefix(wc: Uint8Array): number {
  return wc[0]!;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
