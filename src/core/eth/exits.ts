/**
 * Voluntary exits (consensus-specs phase0 `VoluntaryExit`, `SignedVoluntaryExit`): the signing root,
 * the signature, and the `signed_exit_transaction-<index>-<unixtime>.json` file ethstaker-deposit-cli
 * writes, byte for byte.
 *
 * Domain: DOMAIN_VOLUNTARY_EXIT with the network's CAPELLA fork version and its
 * genesis_validators_root, whatever the current fork (EIP-7044: since Deneb, exits signed under
 * Capella stay valid for ever). A devnet without a known Capella fork version and
 * genesis_validators_root cannot have exits signed or checked here.
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { InputError } from '../errors.js';
import { formatPath, JsonStreamError, JsonStreamParser } from '../json-stream.js';
import { parseSignature, sign, SIGNATURE_LENGTH, verify } from './bls.js';
import { finding, type Finding } from '../findings.js';
import { DOMAIN_VOLUNTARY_EXIT, GENESIS_TIME, isKnownNetwork, KNOWN_NETWORKS, knownNetwork, SECONDS_PER_SLOT, SLOTS_PER_EPOCH, type Network } from './networks.js';
import { computeDomain, computeSigningRoot, containerRoot, uint64Root } from './ssz.js';

/** 2^64: epochs and validator indices are uint64. */
export const UINT64_LIMIT = 1n << 64n;

/** A signed exit file is ~270 bytes; anything past this is not one. */
export const MAX_EXIT_FILE_BYTES = 4096;

export interface VoluntaryExit {
  epoch: bigint;
  validatorIndex: bigint;
}

export interface SignedVoluntaryExit {
  message: VoluntaryExit;
  /** 96 bytes, compressed G2. */
  signature: Uint8Array;
}

/**
 * Parse a uint64 written in decimal, as the beacon API and the peer write them: digits only, no
 * sign, no leading zero (but "0"), below 2^64.
 * @throws {RangeError} with the reason.
 */
export function parseUint64Decimal(text: string): bigint {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(text)) throw new RangeError('must be a decimal whole number without sign or leading zeros');
  const v = BigInt(text);
  if (v >= UINT64_LIMIT) throw new RangeError('must be below 2^64');
  return v;
}

/**
 * hash_tree_root(VoluntaryExit(epoch, validator_index)).
 * @throws {RangeError} when a field is outside [0, 2^64).
 */
export function voluntaryExitRoot(m: VoluntaryExit): Uint8Array {
  return containerRoot([uint64Root(m.epoch), uint64Root(m.validatorIndex)]);
}

/**
 * compute_domain(DOMAIN_VOLUNTARY_EXIT, CAPELLA_FORK_VERSION, genesis_validators_root) of `network`.
 * @throws {RangeError} for a network without a Capella fork version or genesis validators root (a devnet).
 */
export function voluntaryExitDomain(network: Network): Uint8Array {
  if (network.capellaForkVersion === null || network.genesisValidatorsRoot === null) {
    throw new RangeError(`${network.name} has no built-in Capella fork version and genesis validators root, which exits are signed with`);
  }
  return computeDomain(DOMAIN_VOLUNTARY_EXIT, network.capellaForkVersion, network.genesisValidatorsRoot);
}

/** compute_signing_root(exit, domain). */
export function exitSigningRoot(m: VoluntaryExit, domain: Uint8Array): Uint8Array {
  return computeSigningRoot(voluntaryExitRoot(m), domain);
}

/**
 * Sign a voluntary exit with a validator's signing key (deterministic).
 * @throws {RangeError|TypeError} on a malformed key or out-of-range message; see voluntaryExitDomain.
 */
export function signVoluntaryExit(signingSk: Uint8Array, m: VoluntaryExit, network: Network): SignedVoluntaryExit {
  const root = exitSigningRoot(m, voluntaryExitDomain(network));
  return { message: { epoch: m.epoch, validatorIndex: m.validatorIndex }, signature: sign(signingSk, root) };
}

/** Whether `s` is signed by `pubkey` for `network` (false, never a throw, for malformed keys or signatures). */
export function verifySignedExit(s: SignedVoluntaryExit, pubkey: Uint8Array, network: Network): boolean {
  return verify(pubkey, exitSigningRoot(s.message, voluntaryExitDomain(network)), s.signature);
}

/**
 * The file text ethstaker-deposit-cli writes (Python `json.dump` with its default separators,
 * no final newline): `{"message": {"epoch": "E", "validator_index": "I"}, "signature": "0x…"}`.
 */
export function serializeSignedExit(s: SignedVoluntaryExit): string {
  return `{"message": {"epoch": "${s.message.epoch.toString(10)}", "validator_index": "${s.message.validatorIndex.toString(10)}"}, "signature": "0x${bytesToHex(s.signature)}"}`;
}

/** `signed_exit_transaction-<index>-<unixtime>.json`, the peer's file name. */
export function exitFileName(validatorIndex: bigint, unixtime: number): string {
  return `signed_exit_transaction-${validatorIndex.toString(10)}-${Math.floor(unixtime)}.json`;
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function exactKeys(obj: unknown, keys: readonly string[], file: string, at: string): Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new InputError(`must be an object, got ${jsonType(obj)}`, { file, ...(at ? { field: at } : {}) });
  const o = obj as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!keys.includes(k)) throw new InputError('unexpected field', { file, field: `${at ? `${at}.` : ''}${k.slice(0, 40)}` });
  }
  for (const k of keys) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) throw new InputError('missing', { file, field: `${at ? `${at}.` : ''}${k}` });
  }
  return o;
}

function uint64Field(v: unknown, file: string, field: string): bigint {
  if (typeof v !== 'string') throw new InputError(`must be a decimal string, got ${jsonType(v)}`, { file, field });
  try {
    return parseUint64Decimal(v);
  } catch (err) {
    throw new InputError((err as Error).message, { file, field });
  }
}

/**
 * Parse a signed exit file strictly: exactly `message.epoch`, `message.validator_index` (decimal
 * strings below 2^64) and `signature` (0x + 192 hex digits, a valid compressed G2 point), nothing
 * else; no key twice; at most MAX_EXIT_FILE_BYTES.
 * @throws {InputError} naming the file and the field; never quotes the input.
 */
export function parseSignedExit(bytes: Uint8Array, file: string): SignedVoluntaryExit {
  if (bytes.length > MAX_EXIT_FILE_BYTES) throw new InputError(`is ${bytes.length} bytes, more than the ${MAX_EXIT_FILE_BYTES}-byte limit of a signed exit`, { file });
  let data: unknown;
  const parser = new JsonStreamParser({ limits: { maxBytes: MAX_EXIT_FILE_BYTES, maxDepth: 4, maxStringBytes: 512, maxNumberChars: 64, maxRetainedBytes: 64 * MAX_EXIT_FILE_BYTES } });
  try {
    parser.write(bytes);
    data = parser.end();
  } catch (err) {
    if (!(err instanceof JsonStreamError)) throw err;
    const dup = /duplicate key/.test(err.message);
    throw new InputError(dup ? `a key appears twice in one object (line ${err.line}, column ${err.column}): readers disagree on which value counts` : `not valid JSON (line ${err.line}, column ${err.column})`, { file, ...(dup ? { field: formatPath(err.path) } : {}) });
  }
  if (Array.isArray(data)) throw new InputError('is a JSON array: a signed exit file holds one object (one file per validator)', { file });
  const top = exactKeys(data, ['message', 'signature'], file, '');
  const msg = exactKeys(top['message'], ['epoch', 'validator_index'], file, 'message');
  const epoch = uint64Field(msg['epoch'], file, 'message.epoch');
  const validatorIndex = uint64Field(msg['validator_index'], file, 'message.validator_index');
  const sigText = top['signature'];
  if (typeof sigText !== 'string') throw new InputError(`must be a hex string, got ${jsonType(sigText)}`, { file, field: 'signature' });
  if (!/^0x[0-9a-fA-F]*$/.test(sigText)) throw new InputError('must be 0x followed by hex digits', { file, field: 'signature' });
  if (sigText.length !== 2 + 2 * SIGNATURE_LENGTH) throw new InputError(`must be ${SIGNATURE_LENGTH} bytes (0x + ${2 * SIGNATURE_LENGTH} hex digits), got ${Math.floor((sigText.length - 2) / 2)}`, { file, field: 'signature' });
  const signature = hexToBytes(sigText.slice(2));
  try {
    parseSignature(signature);
  } catch (err) {
    throw new InputError(`is not a BLS signature: ${(err as Error).message}`, { file, field: 'signature' });
  }
  return { message: { epoch, validatorIndex }, signature };
}

/**
 * A comma-separated list of validator indices ("1000,1001"): each a uint64, no duplicates, at
 * most `max` of them.
 * @throws {RangeError} naming the position.
 */
export function parseValidatorIndexList(text: string, max: number): bigint[] {
  if (typeof text !== 'string' || text.trim() === '') throw new RangeError('is empty');
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length > max) throw new RangeError(`has ${parts.length} indices, more than ${max} in one run`);
  const seen = new Set<bigint>();
  return parts.map((p, i) => {
    let v: bigint;
    try {
      v = parseUint64Decimal(p);
    } catch (err) {
      throw new RangeError(`position ${i + 1}: ${(err as Error).message}`);
    }
    if (seen.has(v)) throw new RangeError(`position ${i + 1}: validator index ${v} is listed twice`);
    seen.add(v);
    return v;
  });
}

/** The network's current epoch by the clock (`nowSeconds`), or null for a network without a known genesis time. */
export function currentEpoch(network: Network, nowSeconds: number): bigint | null {
  if (!isKnownNetwork(network.name)) return null;
  const since = Math.floor(nowSeconds) - GENESIS_TIME[network.name];
  return since < 0 ? 0n : BigInt(Math.floor(since / (SECONDS_PER_SLOT * SLOTS_PER_EPOCH)));
}

/**
 * `exit-epoch-future` (a warning) when `epoch` is after the network's current epoch: beacon nodes
 * refuse the exit until then. Null otherwise.
 */
export function exitEpochFinding(epoch: bigint, network: Network, subject: string, nowSeconds: number): Finding | null {
  const now = currentEpoch(network, nowSeconds);
  if (now === null || epoch <= now || !isKnownNetwork(network.name)) return null;
  const at = GENESIS_TIME[network.name] + Number(epoch) * SECONDS_PER_SLOT * SLOTS_PER_EPOCH;
  const when = Number.isFinite(at) && at < 8.64e12 ? ` (about ${new Date(at * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC)` : '';
  return finding('exit-epoch-future', 'warning', subject, `the exit is valid from epoch ${epoch}${when}, after ${network.name}'s current epoch ${now}: beacon nodes refuse it until then`, { epoch: epoch.toString(), current_epoch: now.toString() });
}

/**
 * The built-in networks (other than `network`) for which `s` verifies under `pubkey`: tells a file
 * signed for another network from a tampered one.
 */
export function otherNetworksSignedFor(s: SignedVoluntaryExit, pubkey: Uint8Array, network: Network): string[] {
  return KNOWN_NETWORKS.filter((n) => n !== network.name).filter((n) => verifySignedExit(s, pubkey, knownNetwork(n)));
}
