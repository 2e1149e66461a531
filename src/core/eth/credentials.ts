/**
 * BLS-to-execution credential changes (0x00 → 0x01): the SSZ root and signature of a
 * `BLSToExecutionChange` (consensus-specs capella/beacon-chain.md), the
 * `bls_to_execution_change-*.json` format exactly as ethstaker-deposit-cli writes it, a strict
 * parser for that file, and the checks `credentials verify` reports. Pure: no I/O.
 *
 * Domain: compute_domain(DOMAIN_BLS_TO_EXECUTION_CHANGE, GENESIS_FORK_VERSION, genesis_validators_root)
 * (capella `process_bls_to_execution_change` uses the genesis fork version on every fork, so a change
 * signed once stays valid; exits use the Capella fork version instead, EIP-7044).
 *
 * File format (ethstaker-deposit-cli `bls_to_execution_change` + `json.dump(list)`): a one-line JSON
 * array, Python's default separators (", " and ": "), no trailing newline; each entry is
 * `{"message": {"validator_index": "<decimal>", "from_bls_pubkey": "0x<96 hex>", "to_execution_address":
 * "0x<40 lower-case hex>"}, "signature": "0x<192 hex>", "metadata": {"network_name", "genesis_validators_root",
 * "deposit_cli_version"}}`. The beacon API (`POST /eth/v1/beacon/pool/bls_to_execution_changes`) takes the
 * same entries without `metadata`, so the parser accepts entries without it.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { secretToPublicKey, sign, verify } from './bls.js';
import { blsWithdrawalCredentials, equalBytes } from './deposit.js';
import { InputError } from '../errors.js';
import { finding, type Finding } from '../findings.js';
import { formatPath, JsonStreamError, JsonStreamParser } from '../json-stream.js';
import { DOMAIN_BLS_TO_EXECUTION_CHANGE, KNOWN_NETWORKS, knownNetwork, networkByGenesisValidatorsRoot, type Network } from './networks.js';
import { byteVectorRoot, computeDomain, computeSigningRoot, containerRoot, uint64Root } from './ssz.js';

/** Largest credential-change file read, and most entries in one (the peer writes one per validator). */
export const MAX_CHANGE_FILE_BYTES = 4 * 1024 * 1024;
export const MAX_CHANGE_ENTRIES = 10_000;
export const UINT64_MAX = (1n << 64n) - 1n;

export interface CredentialChange {
  /** Beacon-chain validator index (uint64). */
  validatorIndex: bigint;
  /** 48-byte BLS withdrawal public key (m/12381/3600/i/0). */
  fromBlsPubkey: Uint8Array;
  /** 20-byte execution address. */
  toExecutionAddress: Uint8Array;
  signature: Uint8Array;
  /** Absent in the beacon API's format. */
  metadata?: { networkName: string; genesisValidatorsRoot: Uint8Array; depositCliVersion: string };
}

/**
 * A validator index given as text: decimal digits, no sign or leading zero, below 2^64.
 * @throws {RangeError} with a message fit for the user.
 */
export function parseValidatorIndex(text: string): bigint {
  if (!/^(0|[1-9][0-9]{0,19})$/.test(text)) throw new RangeError('a validator index must be a whole decimal number without leading zeros');
  const v = BigInt(text);
  if (v > UINT64_MAX) throw new RangeError('a validator index must be below 2^64');
  return v;
}

/** hash_tree_root(BLSToExecutionChange(validator_index, from_bls_pubkey, to_execution_address)). */
export function credentialChangeRoot(validatorIndex: bigint, fromBlsPubkey: Uint8Array, toExecutionAddress: Uint8Array): Uint8Array {
  if (fromBlsPubkey.length !== 48) throw new TypeError('from_bls_pubkey must be 48 bytes');
  if (toExecutionAddress.length !== 20) throw new TypeError('to_execution_address must be 20 bytes');
  return containerRoot([uint64Root(validatorIndex), byteVectorRoot(fromBlsPubkey), byteVectorRoot(toExecutionAddress)]);
}

/**
 * DOMAIN_BLS_TO_EXECUTION_CHANGE with the network's genesis fork version and genesis validators root.
 * @throws {RangeError} for a network without a genesis validators root (a devnet).
 */
export function credentialChangeDomain(network: Pick<Network, 'name' | 'genesisForkVersion' | 'genesisValidatorsRoot'>): Uint8Array {
  if (!network.genesisValidatorsRoot) throw new RangeError(`${network.name} has no genesis validators root: credential changes need one of the built-in networks`);
  return computeDomain(DOMAIN_BLS_TO_EXECUTION_CHANGE, network.genesisForkVersion, network.genesisValidatorsRoot);
}

/** The message a change's signature covers. */
export function credentialChangeSigningRoot(c: Pick<CredentialChange, 'validatorIndex' | 'fromBlsPubkey' | 'toExecutionAddress'>, domain: Uint8Array): Uint8Array {
  return computeSigningRoot(credentialChangeRoot(c.validatorIndex, c.fromBlsPubkey, c.toExecutionAddress), domain);
}

export interface SignChangeParams {
  /** 32-byte withdrawal secret key (m/12381/3600/i/0). Not retained. */
  withdrawalSk: Uint8Array;
  validatorIndex: bigint;
  toExecutionAddress: Uint8Array;
  network: Network;
  depositCliVersion: string;
}

/**
 * Sign one change, with the peer's metadata.
 * @throws {RangeError} index outside uint64 or a network without genesis validators root; {TypeError} wrong lengths.
 */
export function signCredentialChange(p: SignChangeParams): CredentialChange {
  if (p.validatorIndex < 0n || p.validatorIndex > UINT64_MAX) throw new RangeError('validator index must be in [0, 2^64)');
  const fromBlsPubkey = secretToPublicKey(p.withdrawalSk);
  const change = { validatorIndex: p.validatorIndex, fromBlsPubkey, toExecutionAddress: p.toExecutionAddress.slice() };
  const signature = sign(p.withdrawalSk, credentialChangeSigningRoot(change, credentialChangeDomain(p.network)));
  return { ...change, signature, metadata: { networkName: p.network.name, genesisValidatorsRoot: p.network.genesisValidatorsRoot!.slice(), depositCliVersion: p.depositCliVersion } };
}

/**
 * Does `given` (32 bytes) equal the 0x00 credentials of `withdrawalPubkey`?
 * 'not-bls': byte 0 is not 0x00 (already changed, or not BLS credentials at all).
 */
export function checkBlsCredentials(given: Uint8Array, withdrawalPubkey: Uint8Array): 'ok' | 'not-bls' | 'mismatch' {
  if (given.length !== 32) throw new TypeError('withdrawal credentials must be 32 bytes');
  if (given[0] !== 0x00) return 'not-bls';
  return equalBytes(given, blsWithdrawalCredentials(withdrawalPubkey)) ? 'ok' : 'mismatch';
}

function printableAscii(s: string): string {
  if (!/^[\x20-\x7e]*$/.test(s)) throw new RangeError('credential change strings must be printable ASCII');
  return JSON.stringify(s);
}

/** One entry as the peer's Python `json.dumps` writes it. */
export function serializeCredentialChange(c: CredentialChange): string {
  const message = `{"validator_index": "${c.validatorIndex.toString()}", "from_bls_pubkey": "0x${bytesToHex(c.fromBlsPubkey)}", "to_execution_address": "0x${bytesToHex(c.toExecutionAddress)}"}`;
  const parts = [`"message": ${message}`, `"signature": "0x${bytesToHex(c.signature)}"`];
  if (c.metadata) {
    const m = c.metadata;
    parts.push(`"metadata": {"network_name": ${printableAscii(m.networkName)}, "genesis_validators_root": "0x${bytesToHex(m.genesisValidatorsRoot)}", "deposit_cli_version": ${printableAscii(m.depositCliVersion)}}`);
  }
  return `{${parts.join(', ')}}`;
}

/** The whole file: a one-line JSON array, no trailing newline. */
export function serializeCredentialChanges(changes: readonly CredentialChange[]): string {
  return `[${changes.map(serializeCredentialChange).join(', ')}]`;
}

/** `bls_to_execution_change-<unixtime>.json`, the peer's file name. */
export function credentialChangeFileName(unixtime: number): string {
  if (!Number.isSafeInteger(unixtime) || unixtime < 0) throw new RangeError('unixtime must be a non-negative whole number');
  return `bls_to_execution_change-${unixtime}.json`;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function object(v: unknown, keys: readonly string[], optional: readonly string[], file: string, at: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new InputError(`must be an object, got ${jsonType(v)}`, { file, field: at });
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!keys.includes(k) && !optional.includes(k)) throw new InputError('unexpected field', { file, field: `${at}.${k.slice(0, 40)}` });
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(o, k)) throw new InputError('missing', { file, field: `${at}.${k}` });
  return o;
}

function hex0x(v: unknown, bytes: number, file: string, field: string): Uint8Array {
  if (typeof v !== 'string') throw new InputError(`must be a 0x-prefixed hex string, got ${jsonType(v)}`, { file, field });
  if (!v.startsWith('0x')) throw new InputError('must start with 0x', { file, field });
  const body = v.slice(2);
  if (!/^[0-9a-fA-F]*$/.test(body)) throw new InputError('contains a character that is not a hex digit', { file, field });
  if (body.length !== bytes * 2) throw new InputError(`must be ${bytes * 2} hex digits (${bytes} bytes) after 0x, got ${body.length}`, { file, field });
  return hexToBytes(body.toLowerCase());
}

function text(v: unknown, file: string, field: string): string {
  if (typeof v !== 'string') throw new InputError(`must be a string, got ${jsonType(v)}`, { file, field });
  if (v.length === 0 || v.length > 64 || !/^[\x20-\x7e]*$/.test(v)) throw new InputError('must be 1 to 64 printable ASCII characters', { file, field });
  return v;
}

/**
 * Parse a credential-change file strictly: shape, types, lengths, a decimal-string validator index
 * below 2^64, no unknown or repeated keys. Signatures and networks are for the caller to judge.
 * @throws {InputError} naming `file` and the field; never quotes the input.
 */
export function parseCredentialChanges(input: string, file: string): CredentialChange[] {
  const parser = new JsonStreamParser({ limits: { maxBytes: MAX_CHANGE_FILE_BYTES, maxDepth: 6, maxStringBytes: 1024, maxNumberChars: 32, maxRetainedBytes: 4 * MAX_CHANGE_FILE_BYTES } });
  let data: unknown;
  try {
    parser.write(Buffer.from(input, 'utf8'));
    data = parser.end();
  } catch (err) {
    if (err instanceof JsonStreamError) {
      const dup = /duplicate key/.test(err.message);
      throw new InputError(dup ? `a key appears twice in one object (line ${err.line}, column ${err.column}): the file is ambiguous` : `not valid JSON: ${err.message} (line ${err.line}, column ${err.column})`, { file, ...(dup ? { field: formatPath(err.path) } : {}) });
    }
    throw err;
  }
  if (!Array.isArray(data)) throw new InputError(`must be a JSON array of signed credential changes, got ${jsonType(data)}`, { file });
  if (data.length === 0) throw new InputError('contains no credential changes', { file });
  if (data.length > MAX_CHANGE_ENTRIES) throw new InputError(`has ${data.length} entries, more than the ${MAX_CHANGE_ENTRIES}-entry limit`, { file });
  return data.map((raw, i) => {
    const at = `[${i}]`;
    const e = object(raw, ['message', 'signature'], ['metadata'], file, at);
    const m = object(e['message'], ['validator_index', 'from_bls_pubkey', 'to_execution_address'], [], file, `${at}.message`);
    const vi = m['validator_index'];
    if (typeof vi !== 'string') throw new InputError(`must be a decimal string, got ${jsonType(vi)}`, { file, field: `${at}.message.validator_index` });
    let validatorIndex: bigint;
    try {
      validatorIndex = parseValidatorIndex(vi);
    } catch (err) {
      throw new InputError((err as Error).message, { file, field: `${at}.message.validator_index` });
    }
    const change: CredentialChange = {
      validatorIndex,
      fromBlsPubkey: hex0x(m['from_bls_pubkey'], 48, file, `${at}.message.from_bls_pubkey`),
      toExecutionAddress: hex0x(m['to_execution_address'], 20, file, `${at}.message.to_execution_address`),
      signature: hex0x(e['signature'], 96, file, `${at}.signature`),
    };
    if (Object.prototype.hasOwnProperty.call(e, 'metadata')) {
      const md = object(e['metadata'], ['network_name', 'genesis_validators_root'], ['deposit_cli_version'], file, `${at}.metadata`);
      change.metadata = {
        networkName: text(md['network_name'], file, `${at}.metadata.network_name`),
        genesisValidatorsRoot: hex0x(md['genesis_validators_root'], 32, file, `${at}.metadata.genesis_validators_root`),
        depositCliVersion: md['deposit_cli_version'] === undefined ? '' : text(md['deposit_cli_version'], file, `${at}.metadata.deposit_cli_version`),
      };
    }
    return change;
  });
}

export interface ChangeCheckOptions {
  network: Network;
  /** 20 bytes, when --withdrawal-address was given. */
  expectedAddress?: Uint8Array;
  /**
   * With --mnemonic-file: withdrawal pubkeys (hex) of indices 0..maxIndex of that mnemonic, and maxIndex.
   */
  mnemonicKeys?: { byPubkey: ReadonlyMap<string, number>; maxIndex: number };
}

export interface ChangeVerdict {
  index: number;
  validator_index: string;
  from_bls_pubkey: string;
  to_execution_address: string;
  /** Key index m/12381/3600/i/0 of the mnemonic, when --mnemonic-file found it. */
  key_index?: number | null;
  ok: boolean;
  errors: string[];
}

/** The other built-in network whose change domain the signature verifies under, if any. */
export function signedForOtherNetwork(c: CredentialChange, not: string): string | undefined {
  for (const name of KNOWN_NETWORKS) {
    if (name === not) continue;
    if (verify(c.fromBlsPubkey, credentialChangeSigningRoot(c, credentialChangeDomain(knownNetwork(name))), c.signature)) return name;
  }
  return undefined;
}

/**
 * Findings for a parsed credential-change file. `signatureOk[i]` is entry i's signature against
 * `opts.network`'s change domain (verified by the caller); a failed one is re-tried here under the
 * other built-in networks' domains, to tell "for another network" from "forged or tampered".
 */
export function credentialChangeFindings(file: string, changes: readonly CredentialChange[], signatureOk: readonly boolean[], opts: ChangeCheckOptions): { findings: Finding[]; verdicts: ChangeVerdict[] } {
  const findings: Finding[] = [];
  const net = opts.network;
  const addrHex = (a: Uint8Array) => `0x${bytesToHex(a)}`;
  changes.forEach((c, i) => {
    const subject = `${file}[${i}]`;
    const ev = { index: i, validator_index: c.validatorIndex.toString() };
    const add = (id: string, severity: 'error' | 'warning' | 'info', message: string, evidence: Record<string, unknown> = {}, fix?: string) => findings.push(finding(id, severity, subject, message, { ...ev, ...evidence }, fix));
    if (c.metadata) {
      const byRoot = networkByGenesisValidatorsRoot(bytesToHex(c.metadata.genesisValidatorsRoot));
      const name = c.metadata.networkName.toLowerCase();
      if (!equalBytes(c.metadata.genesisValidatorsRoot, net.genesisValidatorsRoot!)) {
        add('credentials-wrong-network', 'error', `metadata says the change is for ${byRoot ?? 'an unknown network'} (genesis_validators_root ${addrHex(c.metadata.genesisValidatorsRoot).slice(0, 14)}…), not ${net.name}: the beacon chain of ${net.name} rejects it`, { genesis_validators_root: addrHex(c.metadata.genesisValidatorsRoot), network: byRoot ?? null, expected: net.name }, byRoot ? `check it with --network ${byRoot}, or sign the change again for ${net.name}` : `sign the change again for ${net.name}`);
      } else if (name !== net.name) {
        add('credentials-network-name-mismatch', 'error', `metadata network_name "${c.metadata.networkName.slice(0, 32)}" does not match its genesis_validators_root, which is ${net.name}'s: the file is mislabelled`, { network_name: c.metadata.networkName.slice(0, 32), network: net.name });
      }
    } else {
      add('credentials-metadata-absent', 'info', `no metadata (the beacon API's format): the network is taken from --network ${net.name}`);
    }
    if (!signatureOk[i]) {
      const other = signedForOtherNetwork(c, net.name);
      if (other) {
        add('credentials-signed-for-other-network', 'error', `the signature is valid for ${other}, not for ${net.name}: the beacon chain of ${net.name} rejects it`, { signed_for: other, expected: net.name }, `broadcast it on ${other} only, or sign the change again for ${net.name}`);
      } else {
        add('credentials-invalid-signature', 'error', `the signature does not verify for validator ${c.validatorIndex} under from_bls_pubkey ${addrHex(c.fromBlsPubkey).slice(0, 14)}… on ${net.name}: the file was changed after signing, or signed by another key`, {}, 'do not broadcast it; sign the change again from your mnemonic');
      }
    }
    if (c.toExecutionAddress.every((b) => b === 0)) {
      add('credentials-zero-address', 'error', 'to_execution_address is the zero address: every withdrawal would be burned', {}, 'sign the change again with your own address');
    }
    if (opts.expectedAddress && !equalBytes(opts.expectedAddress, c.toExecutionAddress)) {
      add('credentials-address-mismatch', 'error', `to_execution_address ${addrHex(c.toExecutionAddress)} is not the expected ${addrHex(opts.expectedAddress)}: once broadcast, this validator's withdrawals go there forever`, { to_execution_address: addrHex(c.toExecutionAddress), expected: addrHex(opts.expectedAddress) }, 'do not broadcast it');
    }
    if (opts.mnemonicKeys) {
      const k = opts.mnemonicKeys.byPubkey.get(bytesToHex(c.fromBlsPubkey));
      if (k === undefined) {
        add('credentials-key-not-from-mnemonic', 'error', `from_bls_pubkey ${addrHex(c.fromBlsPubkey).slice(0, 14)}… is not a withdrawal key m/12381/3600/i/0 of this mnemonic at indices 0..${opts.mnemonicKeys.maxIndex}`, { from_bls_pubkey: addrHex(c.fromBlsPubkey), max_index: opts.mnemonicKeys.maxIndex }, 'check the mnemonic and passphrase, or raise --max-index');
      }
    }
  });
  const dupOf = (key: (c: CredentialChange) => string, id: string, what: string) => {
    const seen = new Map<string, number[]>();
    changes.forEach((c, i) => seen.set(key(c), [...(seen.get(key(c)) ?? []), i]));
    for (const [k, idx] of seen) {
      if (idx.length > 1) findings.push(finding(id, 'error', file, `${idx.length} entries (${idx.join(', ')}) have the same ${what} ${k.length > 20 ? `${k.slice(0, 14)}…` : k}: one validator has one withdrawal key, and only the first change is applied`, { indices: idx, [what.replace(/ /g, '_')]: k, file }));
    }
  };
  dupOf((c) => c.validatorIndex.toString(), 'credentials-duplicate-validator', 'validator index');
  dupOf((c) => addrHex(c.fromBlsPubkey), 'credentials-duplicate-pubkey', 'from bls pubkey');
  const addresses = [...new Set(changes.map((c) => addrHex(c.toExecutionAddress)))];
  if (!opts.expectedAddress && addresses.length > 1) {
    findings.push(finding('credentials-addresses-differ', 'warning', file, `the entries pay to ${addresses.length} different addresses: check each one is yours`, { addresses, file }, 'pass --withdrawal-address to require one address'));
  }
  const verdicts: ChangeVerdict[] = changes.map((c, i) => {
    const errors = findings.filter((f) => f.severity === 'error' && (f.subject === `${file}[${i}]` || (Array.isArray(f.evidence['indices']) && (f.evidence['indices'] as number[]).includes(i)))).map((f) => f.id);
    const v: ChangeVerdict = { index: i, validator_index: c.validatorIndex.toString(), from_bls_pubkey: addrHex(c.fromBlsPubkey), to_execution_address: addrHex(c.toExecutionAddress), ok: errors.length === 0, errors };
    if (opts.mnemonicKeys) v.key_index = opts.mnemonicKeys.byPubkey.get(bytesToHex(c.fromBlsPubkey)) ?? null;
    return v;
  });
  return { findings, verdicts };
}
