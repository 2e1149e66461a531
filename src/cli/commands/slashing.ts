/**
 * `coldstake slashing verify FILE --network NET [--genesis-validators-root 0x…] [--keystores DIR]
 * [--deposit-data FILE] [--json]`: before migrating keys, check the EIP-3076 slashing-protection
 * history exported from the stopped old client.
 *
 * Story: resolve the network's genesis validators root → stream the file through the verifier
 * (format v5, this network, encodings, slashable or unsound data, per-pubkey watermarks) →
 * optionally check that every key being migrated has history → report.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, passes, type Finding, type Report } from '../../core/findings.js';
import { GENESIS_TIME, isKnownNetwork, knownNetwork, KNOWN_NETWORKS, networkByGenesisValidatorsRoot } from '../../core/eth/networks.js';
import { checkCoverage, INTERCHANGE_FORMAT_VERSION, InterchangeInputError, SLASHING_LIMITS, verifyInterchange, type InterchangeResult, type MigratingKey, type ValidatorSummary } from '../../core/slashing/slashing.js';
import { printError, printHint } from '../output/diagnostics.js';
import { action, addJsonOption, truncate, type CommandSpec } from '../common.js';
import { keysFromDepositData, keysFromKeystores } from '../io/migrating-keys.js';
import { inputErrnoReason } from '../io/read-input.js';
import { progressBar } from '../output/progress.js';
import { exitCodeFor, printReport } from '../output/report.js';
import { jsonInert, styleFor } from '../output/style.js';

export interface SlashingVerifyOptions {
  network: string;
  genesisValidatorsRoot?: string;
  keystores?: string;
  depositData?: string;
  json: boolean;
}

const ROOT_RE = /^0x[0-9a-fA-F]{64}$/;
const DEVNET_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const CHUNK_BYTES = 1024 * 1024;

function hex(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * The genesis validators root the file must carry.
 * @throws {UsageError} unknown network without --genesis-validators-root, a malformed root, or a
 *   root that contradicts a known network.
 */
export function expectedRoot(network: string, gvr: string | undefined): string {
  if (gvr !== undefined && !ROOT_RE.test(gvr)) throw new UsageError('--genesis-validators-root must be 0x followed by 64 hex digits');
  if (isKnownNetwork(network)) {
    const root = hex(knownNetwork(network).genesisValidatorsRoot as Uint8Array);
    if (gvr !== undefined && gvr.toLowerCase() !== root) {
      throw new UsageError(`--genesis-validators-root ${gvr.toLowerCase()} is not ${network}'s ${root}`, 'leave --genesis-validators-root out for a known network');
    }
    return root;
  }
  if (gvr === undefined) {
    throw new UsageError(`unknown network '${truncate(network)}' (known: ${KNOWN_NETWORKS.join(', ')})`, 'for a devnet give --network NAME --genesis-validators-root 0x…');
  }
  if (!DEVNET_RE.test(network)) throw new UsageError('a devnet name must be 1-32 lower-case letters, digits, - or _');
  return gvr.toLowerCase();
}

/** Check the history file is a regular file within the size bound (it may be read twice). */
function statHistory(file: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(inputErrnoReason(code, 'cannot access'), { file });
  }
  if (!st.isFile()) throw new InputError('not a regular file', { file, hint: 'give the exported interchange file itself (it is read twice when a pubkey has several sections)' });
  if (st.size > SLASHING_LIMITS.maxFileBytes) throw new InputError(`file is ${st.size} bytes, more than the ${SLASHING_LIMITS.maxFileBytes}-byte limit`, { file });
  return st.size;
}

/** Read the file in 1 MiB chunks; the verifier copies what it keeps, so one buffer is reused. */
function chunksOf(file: string, size: number): () => AsyncIterable<Uint8Array> {
  return async function* () {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch {
      throw new InputError('cannot open', { file });
    }
    const bar = progressBar('reading slashing history (bytes)', size);
    const buf = Buffer.alloc(CHUNK_BYTES);
    try {
      for (;;) {
        let n: number;
        try {
          n = fs.readSync(fd, buf, 0, buf.length, null);
        } catch {
          throw new InputError('cannot read', { file });
        }
        if (n === 0) break;
        bar.tick(n);
        yield buf.subarray(0, n);
      }
    } finally {
      bar.done();
      fs.closeSync(fd);
    }
  };
}

/** The network's genesis time when coldstake knows it (a built-in network, or a devnet name given with a built-in root). */
export function genesisTimeFor(network: string, root: string): number | null {
  if (isKnownNetwork(network)) return GENESIS_TIME[network];
  const alias = networkByGenesisValidatorsRoot(root);
  return alias === undefined ? null : GENESIS_TIME[alias];
}

export const dec = (v: bigint | null): string | null => (v === null ? null : v.toString());

/** The --json shape of one validator: watermarks as decimal strings (u64 does not fit a JSON number). */
export function validatorJson(v: ValidatorSummary): Record<string, unknown> {
  return {
    pubkey: v.pubkey,
    blocks: v.blocks,
    attestations: v.attestations,
    max_block_slot: dec(v.maxBlockSlot),
    max_source_epoch: dec(v.maxSourceEpoch),
    max_target_epoch: dec(v.maxTargetEpoch),
  };
}

const TABLE_HEAD = ['pubkey', 'blocks', 'attestations', 'max slot', 'max source', 'max target'];

function tableRow(v: ValidatorSummary): string[] {
  return [v.pubkey, String(v.blocks), String(v.attestations), dec(v.maxBlockSlot) ?? '-', dec(v.maxSourceEpoch) ?? '-', dec(v.maxTargetEpoch) ?? '-'];
}

/**
 * The human view's header and watermark table, handed to `write` in batches of rows so that a
 * 100,000-validator table is never one string (stdout to a file or pipe is synchronous on Linux).
 */
export function renderTable(report: Report, validators: readonly ValidatorSummary[], write: (text: string) => void, dim: (s: string) => string = (x) => x): void {
  write(
    [
      `slashing history  ${String(report['file'])}`,
      `network           ${String(report['network'])} (genesis validators root ${String(report['genesis_validators_root'] ?? 'not in the file')})`,
      `format            EIP-3076 v${String(report['interchange_format_version'] ?? INTERCHANGE_FORMAT_VERSION)}, ${String(report['records'])} record${report['records'] === 1 ? '' : 's'}, ${validators.length} pubkey${validators.length === 1 ? '' : 's'}`,
      '',
      '',
    ].join('\n'),
  );
  if (validators.length === 0) return;
  const widths = TABLE_HEAD.map((h) => h.length);
  for (const v of validators) {
    const r = tableRow(v);
    for (let i = 0; i < r.length; i++) if ((r[i] as string).length > (widths[i] as number)) widths[i] = (r[i] as string).length;
  }
  const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  let batch = [dim(fmt(TABLE_HEAD))];
  for (const v of validators) {
    batch.push(fmt(tableRow(v)));
    if (batch.length >= 4096) {
      write(`${batch.join('\n')}\n`);
      batch = [];
    }
  }
  batch.push('');
  write(`${batch.join('\n')}\n`);
}

/**
 * Write `report` as `JSON.stringify(report, null, 2)` would (plus a newline), with each entry of
 * its `validators` array converted by `toJson` and written in batches, so 1,000,000 validators
 * never become one string or one array of JSON objects.
 */
export function writeJsonReport(report: Report, write: (text: string) => void, toJson: (v: ValidatorSummary) => unknown = validatorJson): void {
  const validators = (report['validators'] ?? []) as readonly ValidatorSummary[];
  // A NUL cannot occur in a file name or a finding, so this escaped placeholder is unique in the text.
  const MARK = '"validators": "\\u0000validators\\u0000"';
  const text = JSON.stringify({ ...report, validators: '\u0000validators\u0000' }, null, 2);
  const at = text.indexOf(MARK);
  if (validators.length === 0) {
    write(`${text.slice(0, at)}"validators": []${text.slice(at + MARK.length)}\n`);
    return;
  }
  write(`${text.slice(0, at)}"validators": [\n`);
  let batch: string[] = [];
  for (let i = 0; i < validators.length; i++) {
    const item = JSON.stringify(toJson(validators[i] as ValidatorSummary), null, 2).replace(/\n/g, '\n    ');
    batch.push(`    ${item}${i === validators.length - 1 ? '\n' : ',\n'}`);
    if (batch.length >= 4096) {
      write(batch.join(''));
      batch = [];
    }
  }
  write(`${batch.join('')}  ]${text.slice(at + MARK.length)}\n`);
}

/** The one-line text of an input error without its `FILE: ` prefix (the finding's subject is the file). */
function detailOf(err: InputError, file: string): string {
  return err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
}

/** An unreadable or malformed input as the finding the report carries (exit 2). */
function inputFinding(err: InputError, file: string, id: string): Finding {
  const subject = err.file ?? file;
  return finding(id, 'error', subject, detailOf(err, subject), { field: err.field ?? null }, err.hint);
}

export interface SlashingVerifyResult {
  report: Report;
  validators: ValidatorSummary[];
  /** An input could not be read or checked (exit 2); the findings say which and why. */
  malformed: boolean;
}

/**
 * Check the file and the key sources. Every unreadable or malformed input becomes an error
 * finding (`malformed` set) so that `--json` always has one report to print; only a usage
 * error (bad flags) throws.
 * @throws {UsageError}
 */
export async function verifySlashing(file: string, opts: SlashingVerifyOptions, now: number = Date.now() / 1000): Promise<SlashingVerifyResult> {
  const root = expectedRoot(opts.network, opts.genesisValidatorsRoot);
  const genesisTime = genesisTimeFor(opts.network, root);
  const findings: Finding[] = [];
  let malformed = false;
  // Key sources are read first: a bad keystore directory is reported before a long read.
  const keys: MigratingKey[] = [];
  let keysOk = true;
  for (const [source, read] of [
    [opts.keystores, keysFromKeystores],
    [opts.depositData, keysFromDepositData],
  ] as const) {
    if (source === undefined) continue;
    try {
      keys.push(...read(source));
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      findings.push(inputFinding(err, source, 'slashing-keys-unreadable'));
      malformed = true;
      keysOk = false;
    }
  }
  let result: InterchangeResult | null = null;
  try {
    const size = statHistory(file);
    result = await verifyInterchange(chunksOf(file, size), { file, expectedGenesisValidatorsRoot: root, network: opts.network, clock: genesisTime === null ? null : { genesisTime, now } });
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    malformed = true;
    if (err instanceof InterchangeInputError && err.findings.length > 0) findings.push(...err.findings);
    else findings.push(inputFinding(err, file, err instanceof InterchangeInputError ? err.id : 'slashing-malformed'));
  }
  if (result !== null) {
    findings.push(...result.findings);
    // Coverage needs every key source: with one unreadable, a missing key could not be told apart.
    if (keys.length > 0 && keysOk) findings.push(...checkCoverage(file, result.validators, keys));
  }
  const validators = result?.validators ?? [];
  const report: Report = {
    ok: passes(findings),
    command: 'slashing verify',
    findings,
    file,
    network: opts.network,
    genesis_validators_root: result?.genesisValidatorsRoot ?? null,
    interchange_format_version: result?.formatVersion ?? null,
    records: result?.records ?? 0,
    // The summaries themselves: writeJsonReport converts each to its JSON shape (validatorJson) as it writes.
    validators,
  };
  if (keys.length > 0 || !keysOk) report['migrating'] = { keys: new Set(keys.map((k) => k.pubkey)).size, keystores: opts.keystores ?? null, deposit_data: opts.depositData ?? null };
  return { report, validators, malformed };
}

/** Ids of the findings that mean an input could not be read or checked (exit 2). */
const INPUT_PROBLEMS = new Set(['slashing-malformed', 'slashing-network-mismatch', 'slashing-keys-unreadable']);

async function run(file: string, opts: SlashingVerifyOptions): Promise<number> {
  const { report, validators, malformed } = await verifySlashing(file, opts);
  const write = (t: string) => void process.stdout.write(opts.json ? jsonInert(t) : t);
  if (opts.json) {
    writeJsonReport(report, write);
  } else if (!malformed) {
    const s = styleFor(process.stdout);
    renderTable(report, validators, write, (x) => s.dim(x));
    printReport(report, { json: false });
  }
  if (!malformed) return exitCodeFor(report);
  // Exit 2: the first input problem is the one error line on stderr (with its hint), as before;
  // --json carries all of them.
  const f = report.findings.find((x) => INPUT_PROBLEMS.has(x.id) || (x.id === 'slashing-format-version' && x.evidence['content_checked'] === false));
  if (f !== undefined) {
    printError(`${f.subject}: ${f.message}`);
    if (f.fix) printHint(f.fix);
  }
  return 2;
}

export const slashingCommand: CommandSpec = {
  group: 'validator',
  order: 5,
  usage: 'slashing verify FILE --network NET [--genesis-validators-root 0x…] [--keystores DIR] [--deposit-data FILE]',
  summary: 'EIP-3076 slashing-protection history is sound and covers every key being migrated',
  example: 'slashing verify slashing_protection.json --network mainnet --keystores validator_keys',
  register(program: Command) {
    const slashing = program.command('slashing').description('slashing-protection history (EIP-3076 interchange)');
    addJsonOption(
      slashing
        .command('verify')
        .description('check an EIP-3076 interchange file before migrating keys: format v5, network, slashable data, watermarks, coverage of the keys')
        .argument('<file>', 'the interchange file exported from the stopped old client')
        .requiredOption('--network <net>', `network: ${KNOWN_NETWORKS.join(', ')}, or a devnet name with --genesis-validators-root`)
        .option('--genesis-validators-root <root>', 'genesis validators root (0x + 64 hex digits) for a devnet')
        .option('--keystores <dir>', 'keystores being migrated: each needs history in the file')
        .option('--deposit-data <file>', 'deposit data of the keys being migrated: each needs history in the file'),
    ).action(action((file: string, opts: SlashingVerifyOptions) => run(file, opts)));
  },
};
