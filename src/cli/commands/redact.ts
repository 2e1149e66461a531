/**
 * `coldstake redact [FILE|-]... [--out FILE] [--check] [--json]`: share a client log without
 * giving away which validators are yours.
 *
 * Story: check the inputs exist (and `--out` does not) → for files, a first pass refuses a file
 * with NUL bytes and collects the roots of the operator's own proposals → stream every input
 * through one Redactor (one placeholder per value across all inputs) → write the text, or with
 * `--check` list what is left (line and kind, never the value) → counts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, SafetyRefusal, UsageError } from '../../core/errors.js';
import { finding, type Finding, type Report } from '../../core/findings.js';
import { ownProposalRoots, Redactor, REDACT_KINDS, type RedactKind } from '../../core/redact/redactor.js';
import { action, addJsonOption, type CommandSpec } from '../common.js';
import { printHint, printWarning } from '../output/diagnostics.js';
import { progressBar } from '../output/progress.js';
import { printJson } from '../output/report.js';
import { printable } from '../output/style.js';
import { readLogChunks, StreamOut } from '../io/log-stream.js';
import { inputErrnoReason } from '../io/read-input.js';

export interface RedactOptions {
  out?: string;
  check: boolean;
  json: boolean;
}

const PROPOSAL_BYTES = ['ublished block', 'ublishing signed block', 'ubmitted new block', 'roposed block', 'lock proposal', 'lock sent', 'roposal included'].map((k) => Buffer.from(k, 'latin1'));

/** At most this many findings are listed in --json (all are counted). */
const MAX_JSON_FINDINGS = 1000;

function statInput(file: string): number | undefined {
  if (file === '-') return undefined;
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(inputErrnoReason(code, 'cannot access'), { file });
  }
  if (st.isDirectory()) throw new InputError('is a directory', { file, hint: 'give the log file itself, or - for standard input' });
  return st.isFile() ? st.size : undefined;
}

function nulError(file: string): InputError {
  return new InputError('has NUL bytes: not a text log (nothing was written)', { file: file === '-' ? 'standard input' : file, hint: 'for a journald binary journal run journalctl -u SERVICE > log.txt first' });
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export async function runRedact(inputs: string[], opts: RedactOptions): Promise<number> {
  if (inputs.length === 0) inputs = ['-'];
  if (inputs.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  if (opts.json && !opts.check && opts.out === undefined) {
    throw new UsageError('--json needs --out FILE or --check: standard output carries the report, not the log');
  }
  if (opts.check && opts.out !== undefined) throw new UsageError('--check writes nothing: leave out --out');
  const sizes = inputs.map(statInput);
  if (opts.out !== undefined) {
    const outAbs = path.resolve(opts.out);
    if (inputs.some((f) => f !== '-' && path.resolve(f) === outAbs)) throw new SafetyRefusal(`${opts.out} is also an input: it would be overwritten`, 'write the redacted log to a new file');
  }

  // The output is opened first: an existing --out or an unsafe directory is refused before any work.
  const sink = opts.check ? undefined : new StreamOut(opts.out);
  const leftover: { file: string; line: number; kind: RedactKind }[] = [];
  let bytes = 0;
  let lines = 0;
  let leftCount = 0;
  const total = sizes.reduce<number>((a, s) => a + (s ?? 0), 0);
  const bar = progressBar(opts.check ? 'checking (bytes)' : 'redacting (bytes)', total);
  let redactor: Redactor;
  try {
    // First pass over files: NUL bytes and the roots of our own proposals.
    const ownRoots = new Set<string>();
    for (const file of inputs) {
      if (file === '-') continue;
      for await (const chunk of readLogChunks(file)) {
        if (chunk.nul) throw nulError(file);
        // Decode only chunks that mention a proposal (bytes searched first).
        if (PROPOSAL_BYTES.some((k) => chunk.raw.indexOf(k) >= 0)) ownProposalRoots(chunk.text, ownRoots);
      }
    }
    redactor = new Redactor({ ownRoots, recordHits: opts.check });
    for (const file of inputs) {
      let line = 1;
      for await (const chunk of readLogChunks(file)) {
        // Standard input cannot be read twice: a NUL there ends the run; what was written is redacted.
        if (chunk.nul) throw nulError(file);
        const before = redactor.hits.length;
        const out = redactor.redact(chunk.text);
        if (opts.check) {
          const hits = redactor.hits.splice(before);
          const at = hits.map((h) => line + h.line);
          // Printed as found (human), or the first MAX_JSON_FINDINGS kept (--json): memory stays flat.
          hits.forEach((h, i) => {
            leftCount++;
            if (!opts.json) process.stdout.write(`${printable(file === '-' ? 'stdin' : file)}:${at[i]}: ${h.kind}\n`);
            else if (leftover.length < MAX_JSON_FINDINGS) leftover.push({ file, line: at[i]!, kind: h.kind });
          });
        } else await sink!.write(out);
        const nl = countNewlines(chunk.text);
        line += nl;
        lines += nl;
        bytes += chunk.bytes;
        if (file !== '-') bar.tick(chunk.bytes);
      }
    }
    sink?.commit();
  } catch (err) {
    sink?.abort();
    throw err;
  } finally {
    bar.done();
  }

  const counts = redactor.replaced;
  const distinct = redactor.distinct();
  const findings: Finding[] = [];
  if (opts.check) {
    for (const l of leftover) {
      findings.push(finding('redact-identifying', 'error', `${l.file === '-' ? 'stdin' : l.file}:${l.line}`, `${l.kind} left in the text`, { file: l.file, line: l.line, kind: l.kind }));
    }
  } else if (counts.mnemonic > 0) {
    const msg = `${counts.mnemonic} BIP39 mnemonic${counts.mnemonic === 1 ? ' was' : 's were'} in the log and redacted: a mnemonic that was ever written to a log is exposed`;
    findings.push(finding('redact-mnemonic', 'warning', 'log', msg, { count: counts.mnemonic }, 'treat the keys of that mnemonic as compromised: make new keys, and change withdrawal credentials or exit while you still can'));
  }
  const ok = opts.check ? leftCount === 0 : true;
  const countsJson = Object.fromEntries(REDACT_KINDS.map((k) => [k, { replaced: counts[k], distinct: distinct[k] }]));
  if (opts.json) {
    const report: Report = { ok, command: 'redact', findings, inputs: inputs.map((f) => (f === '-' ? 'stdin' : f)), out: opts.out ?? null, check: opts.check, lines, bytes, counts: countsJson, left: opts.check ? leftCount : null, findings_listed: findings.length };
    printJson(report);
  } else {
    const summary = REDACT_KINDS.filter((k) => counts[k] > 0).map((k) => `${k} ${counts[k]}`).join(', ');
    if (opts.check) {
      process.stdout.write(leftCount === 0 ? `✓ nothing identifying found (${lines} lines, ${bytes} bytes)\n` : `✗ ${leftCount} identifying value${leftCount === 1 ? '' : 's'} left: ${summary}\n`);
    } else {
      printHint(`redacted ${lines} lines${opts.out !== undefined ? ` into ${opts.out}` : ''}: ${summary || 'nothing identifying found'}`);
      for (const f of findings) printWarning(`${f.message}; ${f.fix}`);
    }
  }
  return ok ? 0 : 1;
}

export const redactCommand: CommandSpec = {
  group: 'validator',
  order: 60,
  usage: 'redact [FILE|-]... [--out FILE] [--check]',
  summary: 'replace validator keys, indices, IPs, peers, hosts and users in a log before sharing it',
  example: 'redact beacon.log --out beacon-redacted.log',
  register(program: Command) {
    addJsonOption(
      program
        .command('redact')
        .description('replace what identifies you and your validators in client logs with placeholders like <pubkey-1>')
        .argument('[files...]', 'log files (- = standard input; none = standard input)')
        .option('--out <file>', 'write the redacted log to FILE (created, never overwritten) instead of standard output')
        .option('--check', 'write nothing: list each identifying value left (line and kind) and exit 1 if any', false),
    ).action(action((files: string[], o: RedactOptions) => runRedact(files, o)));
  },
};
