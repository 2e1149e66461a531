/**
 * Validator index → pubkey from a file saved on an online machine, read as a stream (a whole
 * network's set is hundreds of MB) keeping only the indices asked for. Two shapes:
 *
 * - a beacon-API response of `GET /eth/v1/beacon/states/{state_id}/validators` (ethereum/beacon-APIs
 *   apis/beacon/states/validators.yaml, types/api.yaml `ValidatorResponse`):
 *   `{"execution_optimistic": bool, "finalized": bool, "data": [{"index": "1", "balance": "…",
 *   "status": "active_ongoing", "validator": {"pubkey": "0x…", "withdrawal_credentials": "0x…", …}}]}`;
 *   it does not name its network;
 * - ethdo's `offline-preparation.json` (`ethdo validator exit --prepare-offline`; wealdtech/ethdo
 *   beacon/chaininfo.go and beacon/validatorinfo.go, version 2):
 *   `{"version": "2", "validators": [{"index": "1", "pubkey": "0x…", "state": "active_ongoing",
 *   "withdrawal_credentials": "0x…"}], "genesis_validators_root": "0x…", "epoch": "…",
 *   "genesis_fork_version": "0x…", "current_fork_version": "0x…",
 *   "bls_to_execution_change_domain_type": "0x0a000000", "voluntary_exit_domain_type": "0x04000000"}`.
 *
 * Every record is checked (index a uint64 decimal string, pubkey 0x + 96 hex digits, status a short
 * name); an index listed twice is refused, whether asked for or not.
 */
import { InputError } from '../errors.js';
import { formatPath, JsonStreamError, JsonStreamParser, type PathSegment } from '../json-stream.js';
import { parseUint64Decimal } from './exits.js';

/** A mainnet ethdo file is ~0.5 GB (two million validators, ~230 bytes each). */
export const MAX_VALIDATOR_SET_BYTES = 1024 * 1024 * 1024;

export type ValidatorSetFormat = 'beacon-api' | 'ethdo-offline-preparation';

export interface ValidatorRecord {
  index: bigint;
  /** Hex, lower case, without 0x. */
  pubkey: string;
  /** Beacon-API `status` / ethdo `state`, e.g. `active_ongoing`. */
  status: string;
}

export interface ValidatorSet {
  format: ValidatorSetFormat;
  /** Records in the file. */
  count: number;
  /** The records of the indices asked for that the file holds. */
  found: Map<bigint, ValidatorRecord>;
  /** ethdo only: the network's genesis validators root (hex, no 0x) and the epoch of the snapshot. */
  genesisValidatorsRoot: string | null;
  epoch: bigint | null;
}

const PUBKEY_RE = /^0x[0-9a-fA-F]{96}$/;
const CREDENTIALS_RE = /^0x[0-9a-fA-F]{64}$/;
const STATUS_RE = /^[a-z][a-zA-Z_]{0,31}$/;
const ETHDO_TOP = ['version', 'validators', 'genesis_validators_root', 'epoch', 'genesis_fork_version', 'current_fork_version', 'bls_to_execution_change_domain_type', 'voluntary_exit_domain_type'];
const ETHDO_RECORD = ['index', 'pubkey', 'state', 'withdrawal_credentials'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Feed the file in chunks with `write`, then `end` for the result. */
export class ValidatorSetScanner {
  private readonly parser: JsonStreamParser;
  private readonly found = new Map<bigint, ValidatorRecord>();
  /** Every index seen, to refuse a repeat (~2 M entries for mainnet: numbers where they fit, they are smaller). */
  private readonly seen = new Set<number | bigint>();
  private count = 0;
  private format: ValidatorSetFormat | null = null;

  constructor(private readonly wanted: ReadonlySet<bigint>, private readonly file: string) {
    this.parser = new JsonStreamParser({
      limits: { maxBytes: MAX_VALIDATOR_SET_BYTES, maxDepth: 8, maxStringBytes: 1024, maxNumberChars: 64 },
      emit: [['data', '*'], ['validators', '*']],
      onValue: (path, value) => this.record(path, value),
    });
  }

  /** @throws {InputError} on malformed JSON or a malformed record. */
  write(chunk: Uint8Array): void {
    this.guard(() => this.parser.write(chunk));
  }

  /** @throws {InputError} when the file is incomplete or not one of the two shapes. */
  end(): ValidatorSet {
    const root = this.guard(() => this.parser.end());
    const file = this.file;
    if (!isObject(root)) throw new InputError('must be a JSON object: a beacon-API validators response or ethdo\'s offline-preparation.json', { file });
    const has = (k: string) => Object.prototype.hasOwnProperty.call(root, k);
    if (has('data') && has('validators')) throw new InputError('has both data and validators: neither a beacon-API response nor ethdo\'s file', { file });
    if (has('data')) {
      if (!Array.isArray(root['data'])) throw new InputError('must be the array of the /eth/v1/beacon/states/{state_id}/validators response (a single-validator response is not supported)', { file, field: 'data' });
      return { format: 'beacon-api', count: this.count, found: this.found, genesisValidatorsRoot: null, epoch: null };
    }
    if (!has('validators')) throw new InputError('is neither a beacon-API validators response (no data) nor ethdo\'s offline-preparation.json (no validators)', { file });
    for (const k of ETHDO_TOP) if (!has(k)) throw new InputError('missing', { file, field: k });
    const str = (k: string): string => {
      const v = root[k];
      if (typeof v !== 'string') throw new InputError('must be a string', { file, field: k });
      return v;
    };
    let version: bigint;
    try {
      version = parseUint64Decimal(str('version'));
    } catch {
      throw new InputError('must be a decimal string', { file, field: 'version' });
    }
    if (version < 2n) throw new InputError('is an outdated ethdo offline-preparation file (version 1): make it again with a current ethdo', { file, field: 'version' });
    const gvr = str('genesis_validators_root');
    if (!/^0x[0-9a-fA-F]{64}$/.test(gvr)) throw new InputError('must be 0x + 64 hex digits', { file, field: 'genesis_validators_root' });
    if (str('voluntary_exit_domain_type').toLowerCase() !== '0x04000000') throw new InputError('is not 0x04000000 (DOMAIN_VOLUNTARY_EXIT)', { file, field: 'voluntary_exit_domain_type' });
    let epoch: bigint;
    try {
      epoch = parseUint64Decimal(str('epoch'));
    } catch {
      throw new InputError('must be a uint64 decimal string', { file, field: 'epoch' });
    }
    return { format: 'ethdo-offline-preparation', count: this.count, found: this.found, genesisValidatorsRoot: gvr.slice(2).toLowerCase(), epoch };
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!(err instanceof JsonStreamError)) throw err;
      const dup = /duplicate key/.test(err.message);
      throw new InputError(
        dup ? `a key appears twice in one object (line ${err.line}, column ${err.column})` : err.kind === 'limit' ? `${err.message} (line ${err.line})` : `not valid JSON (line ${err.line}, column ${err.column})`,
        { file: this.file, ...(err.path.length > 0 ? { field: formatPath(err.path) } : {}) },
      );
    }
  }

  private record(path: readonly PathSegment[], value: unknown): void {
    const file = this.file;
    const at = formatPath(path);
    const format: ValidatorSetFormat = path[0] === 'data' ? 'beacon-api' : 'ethdo-offline-preparation';
    if (this.format !== null && this.format !== format) throw new InputError('has both data and validators: neither a beacon-API response nor ethdo\'s file', { file });
    this.format = format;
    if (!isObject(value)) throw new InputError('must be an object', { file, field: at });
    let indexText: unknown;
    let pubkeyText: unknown;
    let status: unknown;
    if (format === 'beacon-api') {
      for (const k of ['index', 'status', 'validator']) if (!Object.prototype.hasOwnProperty.call(value, k)) throw new InputError('missing', { file, field: `${at}.${k}` });
      const v = value['validator'];
      if (!isObject(v)) throw new InputError('must be an object', { file, field: `${at}.validator` });
      indexText = value['index'];
      pubkeyText = v['pubkey'];
      status = value['status'];
      if (pubkeyText === undefined) throw new InputError('missing', { file, field: `${at}.validator.pubkey` });
    } else {
      for (const k of Object.keys(value)) if (!ETHDO_RECORD.includes(k)) throw new InputError('unexpected field', { file, field: `${at}.${k.slice(0, 40)}` });
      for (const k of ETHDO_RECORD) if (!Object.prototype.hasOwnProperty.call(value, k)) throw new InputError('missing', { file, field: `${at}.${k}` });
      indexText = value['index'];
      pubkeyText = value['pubkey'];
      status = value['state'];
      const wc = value['withdrawal_credentials'];
      if (typeof wc !== 'string' || !CREDENTIALS_RE.test(wc)) throw new InputError('must be 0x + 64 hex digits', { file, field: `${at}.withdrawal_credentials` });
    }
    const statusField = format === 'beacon-api' ? 'status' : 'state';
    if (typeof indexText !== 'string') throw new InputError('must be a decimal string', { file, field: `${at}.index` });
    let index: bigint;
    try {
      index = parseUint64Decimal(indexText);
    } catch (err) {
      throw new InputError((err as Error).message, { file, field: `${at}.index` });
    }
    const pkField = format === 'beacon-api' ? `${at}.validator.pubkey` : `${at}.pubkey`;
    if (typeof pubkeyText !== 'string' || !PUBKEY_RE.test(pubkeyText)) throw new InputError('must be 0x + 96 hex digits', { file, field: pkField });
    if (typeof status !== 'string' || !STATUS_RE.test(status)) throw new InputError('must be a validator status name (e.g. active_ongoing)', { file, field: `${at}.${statusField}` });
    const key = index <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(index) : index;
    if (this.seen.has(key)) throw new InputError(`validator index ${index} is listed twice`, { file, field: `${at}.index` });
    this.seen.add(key);
    this.count++;
    if (this.wanted.has(index)) {
      this.found.set(index, { index, pubkey: pubkeyText.slice(2).toLowerCase(), status });
    }
  }
}
