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
 *
 * Files as clients wrote them (each rule names the clients whose source was read):
 * - `signing_root: null` is read as absent (Lighthouse `Option<Hash256>`, Prysm, Teku, web3signer and
 *   Lodestar all import it): one info finding.
 * - a signing root shorter than 32 bytes (web3signer's test files: `"0x123456"`) is left-padded to 32
 *   bytes as Teku (Tuweni `Bytes32.fromHexString`) reads it; web3signer keeps it as is, Lodestar
 *   imports it; Lighthouse (`Hash256`) and Prysm (`RootFromHex`) refuse the file: a warning.
 * - no `genesis_validators_root` (Teku exports such a file when its records have none; Teku imports
 *   it, Lighthouse, Prysm, Lodestar and web3signer refuse it): a warning, every other check runs.
 * - a version other than "5" (draft v1-v4, `interchange_format: complete|minimal`): one error finding
 *   naming the version; the content is still checked when it has the v5 layout (v4 `complete` does;
 *   Lodestar still imports v4 `complete`, every other client refuses anything but "5").
 * - every slot and epoch is kept as an exact u64 (BigInt; JSON numbers are refused, so no value
 *   ever passes through a float); values above 2^53 - 1, which JavaScript clients round, and
 *   watermarks beyond the network's current slot/epoch are warnings.
 */
import { InputError } from '../errors.js';
import { finding, type Finding } from '../findings.js';
import { formatPath, JsonStreamError, JsonStreamParser, type PathSegment } from '../json-stream.js';
import { networkByGenesisValidatorsRoot } from '../eth/networks.js';
import { checkHistory, HistoryArena, SigningHistory, watermarks } from './history.js';
import { watermarkFindings } from './watermarks.js';

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
/** 1 to 31 whole bytes of hex: a signing root some writers shortened (left-padded when read). */
const SHORT_ROOT_RE = /^0x(?:[0-9a-fA-F]{2}){1,31}$/;

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
  /** Lower-case hex, or null when the file has none (Teku writes such files). */
  genesisValidatorsRoot: string | null;
  /** `metadata.interchange_format_version` as the file gives it ("5" when sound). */
  formatVersion: string;
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
  /**
   * The network's genesis time and the local clock (unix seconds), to find watermarks beyond the
   * network's current slot/epoch; null or absent (a devnet) skips that check.
   */
  clock?: { genesisTime: number; now: number } | null;
}

/**
 * The file cannot be checked as an interchange of this network (exit 2). `id` is the finding id the
 * CLI reports it under; `findings` are what the report must carry instead of a generic one.
 */
export class InterchangeInputError extends InputError {
  readonly id: string;
  readonly findings: Finding[];
  constructor(message: string, opts: { file?: string; field?: string; hint?: string; id: string; findings?: Finding[] }) {
    super(message, opts);
    this.name = 'InterchangeInputError';
    this.id = opts.id;
    this.findings = opts.findings ?? [];
  }
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

type RootKind = 'absent' | 'null' | 'short' | 'full';

/** A signing root: absent, JSON null (= absent), shortened (left-padded to 32 bytes) or full. */
function signingRoot(value: unknown, file: string, path: readonly PathSegment[]): { root: string | null; kind: RootKind } {
  if (value === undefined) return { root: null, kind: 'absent' };
  if (value === null) return { root: null, kind: 'null' };
  if (typeof value === 'string' && ROOT_RE.test(value)) return { root: value, kind: 'full' };
  if (typeof value === 'string' && SHORT_ROOT_RE.test(value)) return { root: `0x${value.slice(2).padStart(64, '0')}`, kind: 'short' };
  throw new InputError('must be a 0x-prefixed 32-byte hex string (or null)', { file, field: formatPath([...path, 'signing_root']) });
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
  /** Null while metadata has not been read; '' when the file has no genesis_validators_root. */
  genesisValidatorsRoot: string | null = null;
  formatVersion = '';
  /** The finding for a version other than "5" (the content is still read with the v5 layout). */
  formatFinding: Finding | null = null;
  private metadataFindings: Finding[] = [];
  /** JSON null signing roots, and shortened ones: count and the first entry's path. */
  readonly roots = { null: 0, nullAt: '', short: 0, shortAt: '', shortValue: '' };

  get file(): string {
    return this.opts.file;
  }

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
    if (this.genesisValidatorsRoot === null) throw new InputError('missing', { file, field: 'metadata' });
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
      const root = this.root(entry['signing_root'], path);
      this.current.addBlock(slot, root, record, item);
    } else {
      if (item >= this.limits.maxAttestationsPerRecord) {
        throw new InputError(`more than ${this.limits.maxAttestationsPerRecord} signed attestations for one pubkey`, { file, field: formatPath(path) });
      }
      const source = u64(entry['source_epoch'], file, path, 'source_epoch');
      const target = u64(entry['target_epoch'], file, path, 'target_epoch');
      const root = this.root(entry['signing_root'], path);
      this.current.addAttestation(source, target, root, record, item);
    }
  }

  /** The entry's signing root (null when absent), counting null and shortened ones. */
  private root(value: unknown, path: readonly PathSegment[]): string | null {
    const r = signingRoot(value, this.opts.file, path);
    if (r.kind === 'null' && this.roots.null++ === 0) this.roots.nullAt = formatPath([...path, 'signing_root']);
    if (r.kind === 'short' && this.roots.short++ === 0) {
      this.roots.shortAt = formatPath([...path, 'signing_root']);
      this.roots.shortValue = value as string;
    }
    return r.root;
  }

  /** Findings about the file as a whole (metadata, signing-root encodings), in a stable order. */
  fileFindings(): Finding[] {
    const file = this.opts.file;
    const out = [...this.metadataFindings];
    if (this.roots.short > 0) {
      out.push(
        finding(
          'slashing-signing-root-short',
          'warning',
          file,
          `${this.roots.short} signing root${this.roots.short === 1 ? ' is' : 's are'} shorter than 32 bytes (e.g. ${this.roots.shortAt} is ${JSON.stringify(this.roots.shortValue)}): read left-padded with zeros as Teku does; Teku, web3signer and Lodestar import such a file, Lighthouse and Prysm refuse it`,
          { count: this.roots.short, example: this.roots.shortAt, value: this.roots.shortValue },
          'EIP-3076 signing roots are 32 bytes: export the history again from the stopped old client before importing it into Lighthouse or Prysm',
        ),
      );
    }
    if (this.roots.null > 0) {
      out.push(
        finding(
          'slashing-signing-root-null',
          'info',
          file,
          `${this.roots.null} signing root${this.roots.null === 1 ? ' is' : 's are'} null (e.g. ${this.roots.nullAt}): read as absent, as Lighthouse, Prysm, Teku, web3signer and Lodestar import it`,
          { count: this.roots.null, example: this.roots.nullAt },
        ),
      );
    }
    return out;
  }

  private onMetadata(value: unknown): void {
    const file = this.opts.file;
    const meta = asObject(value, file, ['metadata']);
    const version = meta['interchange_format_version'];
    const vField = 'metadata.interchange_format_version';
    if (version === undefined) throw new InputError('missing', { file, field: vField });
    if (typeof version !== 'string' && !(typeof version === 'number' && Number.isSafeInteger(version))) {
      throw new InputError('must be the string "5"', { file, field: vField });
    }
    this.formatVersion = String(version).slice(0, 40);
    if (version !== INTERCHANGE_FORMAT_VERSION) this.formatFinding = this.versionFinding(version, meta['interchange_format']);
    const gvr = meta['genesis_validators_root'];
    const gField = 'metadata.genesis_validators_root';
    if (gvr === undefined || gvr === null) {
      this.genesisValidatorsRoot = '';
      this.metadataFindings.push(
        finding(
          'slashing-no-genesis-validators-root',
          'warning',
          file,
          `has no ${gField}, so coldstake cannot check that this history belongs to ${this.opts.network} (every other check ran); Teku writes such a file when its records have no root and imports it, Lighthouse, Prysm, Lodestar and web3signer refuse it`,
          { field: gField, expected: this.opts.expectedGenesisValidatorsRoot },
          `make sure the history was exported from a ${this.opts.network} client; to import it into a client other than Teku, add "genesis_validators_root": "${this.opts.expectedGenesisValidatorsRoot}" to metadata`,
        ),
      );
      return;
    }
    if (typeof gvr !== 'string' || !ROOT_RE.test(gvr)) throw new InputError('must be a 0x-prefixed 32-byte hex string', { file, field: gField });
    const got = gvr.toLowerCase();
    if (got !== this.opts.expectedGenesisValidatorsRoot) {
      const owner = networkByGenesisValidatorsRoot(got);
      throw new InterchangeInputError(`is ${got}${owner ? ` (${owner})` : ''}, not the ${this.opts.network} genesis validators root ${this.opts.expectedGenesisValidatorsRoot}`, {
        file,
        field: gField,
        id: 'slashing-network-mismatch',
        hint: owner
          ? `this history belongs to ${owner}: check --network (every client refuses to import another network's history)`
          : 'this history belongs to another network: check --network (or --genesis-validators-root for a devnet); every client refuses to import another network\'s history',
      });
    }
    this.genesisValidatorsRoot = got;
  }

  private versionFinding(version: string | number, format: unknown): Finding {
    const v = JSON.stringify(typeof version === 'string' ? version.slice(0, 40) : version);
    const fmt = typeof format === 'string' ? format.slice(0, 40) : null;
    const draft = fmt !== null ? ` (draft "${fmt}" format)` : '';
    const who =
      version === 5
        ? ' (a JSON number, not a string); Lighthouse (require_quotes), Prysm and Lodestar refuse it'
        : version === '4' && fmt === 'complete'
          ? '; Lodestar still imports a version "4" "complete" file, Lighthouse, Prysm, Teku and web3signer refuse it'
          : '; Lighthouse, Prysm, Teku, web3signer and Lodestar refuse it';
    return finding(
      'slashing-format-version',
      'error',
      this.opts.file,
      `is interchange format version ${v}${draft}, not EIP-3076 version "5"${who}`,
      { version: typeof version === 'string' ? version.slice(0, 40) : version, interchange_format: fmt, content_checked: true },
      'export the slashing-protection history again from the stopped old client with a current release: every client writes the EIP-3076 interchange format version "5"',
    );
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
  try {
    for await (const chunk of open()) pass.write(chunk);
    pass.end();
  } catch (err) {
    if (err instanceof InterchangeInputError || !(err instanceof InputError)) throw err;
    const f = pass.formatFinding;
    if (f !== null) {
      // An older draft whose content is not in the v5 layout: the version is the one thing to say.
      const detail = err.message.startsWith(`${pass.file}: `) ? err.message.slice(pass.file.length + 2) : err.message;
      const finding: Finding = { ...f, message: `${f.message}; its content is not in the version 5 layout (${detail}) and was not checked`, evidence: { ...f.evidence, content_checked: false } };
      throw new InterchangeInputError(finding.message, { file: pass.file, field: 'metadata.interchange_format_version', id: 'slashing-format-version', findings: [finding], ...(finding.fix ? { hint: finding.fix } : {}) });
    }
    throw err;
  }
}

/**
 * Verify an interchange file read through `open` (called once, or twice when a pubkey has
 * several sections: the second read merges them, as EIP-3076 importers do).
 * @throws {InputError} for anything that is not a well-formed interchange of this network,
 *   naming the JSON path (e.g. `data[3].signed_attestations[12].target_epoch`); an
 *   InterchangeInputError (a network mismatch; an old version whose content is not in the v5
 *   layout) carries the finding id and findings to report.
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
  const head = first.formatFinding ? [first.formatFinding] : [];
  return {
    genesisValidatorsRoot: first.genesisValidatorsRoot === '' ? null : first.genesisValidatorsRoot,
    formatVersion: first.formatVersion,
    records: first.records,
    bytes: first.parser.bytesRead,
    validators,
    findings: [...head, ...first.fileFindings(), ...findings, ...watermarkFindings(opts, validators)],
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
