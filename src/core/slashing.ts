/**
 * EIP-3076 slashing-protection interchange (format v5): streaming validation, per-pubkey
 * watermarks, and slashable or unsound data inside the file.
 *
 * The file is read as chunks (`open()` is called once, or twice when a pubkey has several
 * sections). Every `data[i].signed_blocks[j]` and `data[i].signed_attestations[j]` is handed
 * over as soon as it is parsed and stored compactly (slashing-history.ts); each record is
 * checked when it closes and its lists are dropped. Only per-pubkey summaries stay.
 *
 * Memory bound (documented in README): the parser's retained bytes (≤ 16 MiB), one record's
 * lists (57 bytes per attestation, 49 per block; at most 1,000,000 of each per record), about
 * 0.6 KiB per distinct pubkey for the summaries (at most 1,000,000 records), and, only when
 * pubkeys appear in several sections, those pubkeys' entries in one compact arena (61 bytes per
 * entry, second read), checked one pubkey at a time at the end.
 */
import { InputError } from './errors.js';
import { finding, type Finding } from './findings.js';
import { formatPath, JsonStreamError, JsonStreamParser, type PathSegment } from './json-stream.js';
import { checkHistory, HistoryArena, SigningHistory, watermarks } from './slashing-history.js';

export interface SlashingLimits {
  maxFileBytes: number;
  maxRecords: number;
  maxBlocksPerRecord: number;
  maxAttestationsPerRecord: number;
}

export const SLASHING_LIMITS: SlashingLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxRecords: 1_000_000,
  maxBlocksPerRecord: 1_000_000,
  maxAttestationsPerRecord: 1_000_000,
};

export const INTERCHANGE_FORMAT_VERSION = '5';
const U64_MAX = (1n << 64n) - 1n;
const PUBKEY_RE = /^0x[0-9a-fA-F]{96}$/;
const ROOT_RE = /^0x[0-9a-fA-F]{64}$/;
const DECIMAL_RE = /^[0-9]{1,30}$/;

export interface ValidatorSummary {
  /** 0x-prefixed lower-case hex. */
  pubkey: string;
  /** Number of `data[]` sections for this pubkey (merged when more than one). */
  sections: number;
  /** `data[i]` of each section (first ten). */
  records: number[];
  blocks: number;
  attestations: number;
  maxBlockSlot: bigint | null;
  maxSourceEpoch: bigint | null;
  maxTargetEpoch: bigint | null;
}

export interface InterchangeResult {
  genesisValidatorsRoot: string;
  /** Number of `data[]` records. */
  records: number;
  bytes: number;
  /** One per distinct pubkey, in order of first appearance. */
  validators: ValidatorSummary[];
  findings: Finding[];
}

export interface VerifyInterchangeOptions {
  /** File name used in error messages. */
  file: string;
  /** 0x-prefixed 32-byte hex the file must carry (the network's genesis_validators_root). */
  expectedGenesisValidatorsRoot: string;
  /** Network name for messages (`mainnet`, or `custom` for --genesis-validators-root). */
  network: string;
  limits?: Partial<SlashingLimits>;
}

/** A parsed u64 decimal string at `path`.`key` (the path is formatted only for an error). */
function u64(value: unknown, file: string, path: readonly PathSegment[], key: string): bigint {
  if (typeof value === 'string' && DECIMAL_RE.test(value)) {
    const n = BigInt(value);
    if (n <= U64_MAX) return n;
    throw new InputError('is larger than 2^64 - 1', { file, field: formatPath([...path, key]) });
  }
  const field = formatPath([...path, key]);
  if (value === undefined) throw new InputError('missing', { file, field });
  if (typeof value === 'number') throw new InputError('must be a decimal string like "123", not a JSON number', { file, field });
  if (typeof value !== 'string') throw new InputError('must be a decimal string', { file, field });
  const why = value.startsWith('-') ? 'must not be negative' : 'must be a decimal string of digits only (no sign, decimal point, exponent, hex or spaces)';
  throw new InputError(why, { file, field });
}

function optionalRoot(value: unknown, file: string, path: readonly PathSegment[], key: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || !ROOT_RE.test(value)) {
    throw new InputError('must be a 0x-prefixed 32-byte hex string', { file, field: formatPath([...path, key]) });
  }
  return value;
}

function asObject(value: unknown, file: string, path: readonly PathSegment[], what = 'an object'): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`must be ${what}`, { file, field: formatPath(path) });
  }
  return value as Record<string, unknown>;
}

/** One read of the file. Pass 1 checks and summarises; pass 2 merges duplicate pubkeys. */
class InterchangePass {
  readonly parser: JsonStreamParser;
  readonly summaries = new Map<string, ValidatorSummary>();
  readonly findings: Finding[] = [];
  records = 0;
  private readonly current = new SigningHistory();
  private currentRecord = -1;
  private readonly limits: SlashingLimits;
  /** Second read: group number and expected section count of each duplicated pubkey. */
  private readonly merging: { groups: Map<string, number>; pubkeys: string[]; expected: Uint32Array; seen: Uint32Array; arena: HistoryArena } | null;
  genesisValidatorsRoot = '';

  constructor(
    private readonly opts: VerifyInterchangeOptions,
    duplicates: ReadonlyMap<string, number> | null,
  ) {
    this.limits = { ...SLASHING_LIMITS, ...opts.limits };
    if (duplicates) {
      const pubkeys = [...duplicates.keys()];
      this.merging = {
        groups: new Map(pubkeys.map((k, g) => [k, g])),
        pubkeys,
        expected: Uint32Array.from(pubkeys, (k) => duplicates.get(k) as number),
        seen: new Uint32Array(pubkeys.length),
        arena: new HistoryArena(),
      };
    } else {
      this.merging = null;
    }
    this.parser = new JsonStreamParser({
      limits: { maxBytes: this.limits.maxFileBytes, maxStringBytes: 4096, maxNumberChars: 64, maxDepth: 16 },
      emit: [['metadata'], ['data', '*'], ['data', '*', 'signed_blocks', '*'], ['data', '*', 'signed_attestations', '*']],
      onValue: (path, value) => this.onValue(path, value),
    });
  }

  write(chunk: Uint8Array): void {
    try {
      this.parser.write(chunk);
    } catch (err) {
      throw this.translate(err);
    }
  }

  end(): void {
    let root: unknown;
    try {
      root = this.parser.end();
    } catch (err) {
      throw this.translate(err);
    }
    const file = this.opts.file;
    const top = asObject(root, file, [], 'a JSON object with metadata and data');
    // metadata was handed to onMetadata (and checked) when it closed; it is never kept in `top`.
    if (this.genesisValidatorsRoot === '') throw new InputError('missing', { file, field: 'metadata' });
    if (!('data' in top)) throw new InputError('missing', { file, field: 'data' });
    if (!Array.isArray(top['data'])) throw new InputError('must be an array', { file, field: 'data' });
    const m = this.merging;
    if (m) {
      for (let g = 0; g < m.pubkeys.length; g++) {
        if (m.seen[g] !== m.expected[g]) throw new InputError('the file changed while it was being read', { file });
      }
      m.arena.forEachGroup(m.pubkeys.length, (g, h) => this.findings.push(...checkHistory(m.pubkeys[g] as string, h)));
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof JsonStreamError) {
      return new InputError(`${err.kind === 'syntax' ? 'not valid JSON: ' : ''}${err.message} (line ${err.line}, column ${err.column})`, { file: this.opts.file, field: formatPath(err.path) });
    }
    return err;
  }

  private onValue(path: readonly PathSegment[], value: unknown): void {
    if (path.length === 1) return this.onMetadata(value);
    const record = path[1] as number;
    if (record !== this.currentRecord) {
      if (record >= this.limits.maxRecords) {
        throw new InputError(`more than ${this.limits.maxRecords} records`, { file: this.opts.file, field: formatPath(path.slice(0, 2)) });
      }
      this.current.clear();
      this.currentRecord = record;
    }
    if (path.length === 2) return this.onRecord(record, value);
    const file = this.opts.file;
    const item = path[3] as number;
    const entry = asObject(value, file, path);
    if (path[2] === 'signed_blocks') {
      if (item >= this.limits.maxBlocksPerRecord) {
        throw new InputError(`more than ${this.limits.maxBlocksPerRecord} signed blocks for one pubkey`, { file, field: formatPath(path) });
      }
      const slot = u64(entry['slot'], file, path, 'slot');
      const root = optionalRoot(entry['signing_root'], file, path, 'signing_root');
      this.current.addBlock(slot, root, record, item);
    } else {
      if (item >= this.limits.maxAttestationsPerRecord) {
        throw new InputError(`more than ${this.limits.maxAttestationsPerRecord} signed attestations for one pubkey`, { file, field: formatPath(path) });
      }
      const source = u64(entry['source_epoch'], file, path, 'source_epoch');
      const target = u64(entry['target_epoch'], file, path, 'target_epoch');
      const root = optionalRoot(entry['signing_root'], file, path, 'signing_root');
      this.current.addAttestation(source, target, root, record, item);
    }
  }

  private onMetadata(value: unknown): void {
    const file = this.opts.file;
    const meta = asObject(value, file, ['metadata']);
    const version = meta['interchange_format_version'];
    const vField = 'metadata.interchange_format_version';
    if (version === undefined) throw new InputError('missing', { file, field: vField });
    if (version !== INTERCHANGE_FORMAT_VERSION) {
      const hint = typeof version === 'number' ? 'the version is the string "5"' : 'export the history again with a client that writes EIP-3076 version 5';
      throw new InputError(`unsupported interchange format version (coldstake reads version "5")`, { file, field: vField, hint });
    }
    const gvr = meta['genesis_validators_root'];
    const gField = 'metadata.genesis_validators_root';
    if (gvr === undefined) throw new InputError('missing', { file, field: gField });
    if (typeof gvr !== 'string' || !ROOT_RE.test(gvr)) throw new InputError('must be a 0x-prefixed 32-byte hex string', { file, field: gField });
    const got = gvr.toLowerCase();
    if (got !== this.opts.expectedGenesisValidatorsRoot) {
      throw new InputError(`is ${got}, not the ${this.opts.network} genesis validators root ${this.opts.expectedGenesisValidatorsRoot}`, {
        file,
        field: gField,
        hint: 'this history belongs to another network: check --network (or --genesis-validators-root for a devnet)',
      });
    }
    this.genesisValidatorsRoot = got;
  }

  private onRecord(record: number, value: unknown): void {
    const file = this.opts.file;
    const path: PathSegment[] = ['data', record];
    const rec = asObject(value, file, path);
    const pk = rec['pubkey'];
    if (pk === undefined) throw new InputError('missing', { file, field: formatPath([...path, 'pubkey']) });
    if (typeof pk !== 'string' || !PUBKEY_RE.test(pk)) {
      throw new InputError('must be a 0x-prefixed 48-byte hex string', { file, field: formatPath([...path, 'pubkey']) });
    }
    for (const list of ['signed_blocks', 'signed_attestations']) {
      if (rec[list] === undefined) throw new InputError('missing', { file, field: formatPath([...path, list]) });
      if (!Array.isArray(rec[list])) throw new InputError('must be an array', { file, field: formatPath([...path, list]) });
    }
    const pubkey = pk.toLowerCase();
    this.records = record + 1;
    if (this.merging) {
      const g = this.merging.groups.get(pubkey);
      if (g !== undefined) {
        this.merging.arena.add(this.current, g);
        this.merging.seen[g] = (this.merging.seen[g] as number) + 1;
      }
      return;
    }
    const w = watermarks(this.current);
    const prev = this.summaries.get(pubkey);
    if (prev === undefined) {
      this.summaries.set(pubkey, { pubkey, sections: 1, records: [record], ...w });
    } else {
      prev.sections++;
      if (prev.records.length < 10) prev.records.push(record);
      prev.blocks += w.blocks;
      prev.attestations += w.attestations;
      prev.maxBlockSlot = maxNullable(prev.maxBlockSlot, w.maxBlockSlot);
      prev.maxSourceEpoch = maxNullable(prev.maxSourceEpoch, w.maxSourceEpoch);
      prev.maxTargetEpoch = maxNullable(prev.maxTargetEpoch, w.maxTargetEpoch);
    }
    this.findings.push(...checkHistory(pubkey, this.current));
  }
}

function maxNullable(a: bigint | null, b: bigint | null): bigint | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}

async function runPass(open: () => AsyncIterable<Uint8Array>, pass: InterchangePass): Promise<void> {
  for await (const chunk of open()) pass.write(chunk);
  pass.end();
}

/**
 * Verify an interchange file read through `open` (called once, or twice when a pubkey has
 * several sections: the second read merges them, as EIP-3076 importers do).
 * @throws {InputError} for anything that is not a well-formed v5 interchange of this network,
 *   naming the JSON path (e.g. `data[3].signed_attestations[12].target_epoch`).
 */
export async function verifyInterchange(open: () => AsyncIterable<Uint8Array>, opts: VerifyInterchangeOptions): Promise<InterchangeResult> {
  const first = new InterchangePass(opts, null);
  await runPass(open, first);
  const validators = [...first.summaries.values()];
  const duplicates = new Map(validators.filter((v) => v.sections > 1).map((v) => [v.pubkey, v.sections]));
  let findings = first.findings;
  if (duplicates.size > 0) {
    const second = new InterchangePass(opts, duplicates);
    await runPass(open, second);
    // The merged check sees every section, so it replaces the per-section findings of those pubkeys.
    findings = [...findings.filter((f) => !duplicates.has(f.subject)), ...second.findings];
    // One finding for all of them: a file may split every pubkey in two.
    const split = validators.filter((v) => v.sections > 1);
    const shown = split.slice(0, 20).map((v) => ({ pubkey: v.pubkey, sections: v.sections, records: v.records.map((r) => `data[${r}]`) }));
    const example = shown[0] as { pubkey: string; records: string[] };
    findings.push(
      finding(
        'slashing-duplicate-pubkey',
        'info',
        opts.file,
        `${split.length} pubkey${split.length === 1 ? ' appears' : 's appear'} in several sections (e.g. ${example.pubkey} in ${example.records.join(', ')}); they were merged and checked together`,
        { count: split.length, pubkeys: shown },
      ),
    );
  }
  return {
    genesisValidatorsRoot: first.genesisValidatorsRoot,
    records: first.records,
    bytes: first.parser.bytesRead,
    validators,
    findings,
  };
}

/** A key the operator is about to start on the new machine, and where it was read from. */
export interface MigratingKey {
  /** 0x-prefixed lower-case hex. */
  pubkey: string;
  source: string;
}

export const WAIT_HINT =
  'export the history from the old client after stopping it and include this key; if there is no history to export, wait until at least two epochs have finalized (about 13 minutes) after the old client stopped, and check on a beacon chain explorer that this validator has missed attestations, before starting it on the new machine';

/**
 * Coverage: every key being migrated needs history in the file; history of keys that are not
 * being migrated is noted.
 */
export function checkCoverage(file: string, validators: readonly ValidatorSummary[], keys: readonly MigratingKey[]): Finding[] {
  const out: Finding[] = [];
  const byPubkey = new Map(validators.map((v) => [v.pubkey, v]));
  const migrating = new Set<string>();
  for (const k of keys) {
    if (migrating.has(k.pubkey)) continue;
    migrating.add(k.pubkey);
    const v = byPubkey.get(k.pubkey);
    if (v === undefined) {
      out.push(finding('slashing-key-without-history', 'error', k.pubkey, `is being migrated (${k.source}) but has no history in ${file}`, { source: k.source, file }, WAIT_HINT));
    } else if (v.blocks === 0 && v.attestations === 0) {
      out.push(
        finding('slashing-history-empty', 'warning', k.pubkey, `is being migrated (${k.source}) but its history in ${file} has no signed blocks or attestations`, { source: k.source, file }, 'fine only if this validator never signed anything; otherwise export the history again from the stopped old client'),
      );
    }
  }
  const extra = validators.filter((v) => !migrating.has(v.pubkey)).map((v) => v.pubkey);
  if (extra.length > 0) {
    out.push(
      finding(
        'slashing-history-without-key',
        'info',
        file,
        `${extra.length} pubkey${extra.length === 1 ? ' has' : 's have'} history in the file but no key being migrated (importing it is harmless)`,
        { count: extra.length, pubkeys: extra.slice(0, 20) },
      ),
    );
  }
  return out;
}
