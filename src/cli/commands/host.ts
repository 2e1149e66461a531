/**
 * `coldstake host check [--root DIR] [--json]`: the validator machine against the staking security
 * practices (slash avoidance, operating system, uptime), from local files only, each finding with
 * the file and line it comes from and a fix. Exit 0 no error finding, 1 an error finding, 2 bad --root.
 */
import type { Command } from 'commander';
import { bySeverity, passes, type Finding, type Report } from '../../core/findings.js';
import { PRACTICE, PRACTICES, type ClientService } from '../../core/host/check.js';
import { runHostCheck, type HostRun } from '../host-machine.js';
import { action, addJsonOption, type CommandSpec } from '../common.js';
import { printJson, renderCounts } from '../output/report.js';
import { MARK, printable, resetAtLineEnds, styleFor, type Style } from '../output/style.js';

interface HostOptions {
  json: boolean;
  root?: string;
}

const NOT_READ = 'files only: the live firewall rules need root and are not read; Docker publishes ports around ufw';

function evidenceAt(f: Finding): string | undefined {
  const file = f.evidence['file'];
  if (typeof file !== 'string') return undefined;
  const line = f.evidence['line'];
  return typeof line === 'number' && line > 0 ? `${file}:${line}` : file;
}

function mark(f: Finding, s: Style): string {
  if (f.severity === 'error') return s.red(`${MARK.fail} error  `);
  if (f.severity === 'warning') return s.yellow(`${MARK.warn} warning`);
  return s.dim(`${MARK.info} info   `);
}

function clientLine(c: ClientService): string {
  const role = c.roles.signer ? 'signer' : c.roles.validator && c.roles.beacon ? 'beacon node + validator' : c.roles.validator ? 'validator client' : 'beacon node';
  const keys = c.roles.validator || c.roles.signer ? `, ${c.keys} key${c.keys === 1 ? '' : 's'}${c.remoteKeys > 0 ? ` (+${c.remoteKeys} remote)` : ''}${c.prysmWallet ? ', wallet not read' : ''}` : '';
  return `  ${c.unit}: ${c.client} ${role}, ${c.status}, user ${c.user}${keys}${c.dataDir ? `, data ${c.dataDir}` : ''}`;
}

function renderHuman(run: HostRun, s: Style): string {
  const lines: string[] = [`host check of ${printable(run.root)} (${run.live ? 'the live machine' : 'a machine tree'}; ${NOT_READ})`];
  if (run.clients.length === 0) lines.push('no validator client service found (systemd units under /etc/systemd/system, /lib and /usr/lib)');
  else {
    lines.push('client services:');
    for (const c of run.clients) lines.push(printable(clientLine(c)));
  }
  for (const practice of PRACTICES) {
    const inGroup = bySeverity(run.findings.filter((f) => (PRACTICE[f.id] ?? 'operating system') === practice));
    lines.push('', s.bold(`${practice}:`));
    if (inGroup.length === 0) lines.push(`  ${s.green(MARK.ok)} nothing found`);
    for (const f of inGroup) {
      lines.push(`  ${mark(f, s)} ${printable(f.subject)}: ${printable(f.message)} ${s.dim(`[${f.id}]`)}`);
      const at = evidenceAt(f);
      if (at) lines.push(`            at: ${printable(at)}`);
      const places = f.evidence['places'];
      if (Array.isArray(places)) {
        for (const p of places as Array<{ file: string; line: number | null; owner: string }>) lines.push(`            in: ${printable(p.owner)}: ${printable(p.line ? `${p.file}:${p.line}` : p.file)}`);
      }
      const read = f.evidence['read'];
      if (Array.isArray(read)) for (const r of read) lines.push(`            ${printable(String(r))}`);
      if (f.fix) lines.push(`           fix: ${printable(f.fix)}`);
    }
  }
  const ok = passes(run.findings);
  lines.push('', `${ok ? s.green(`${MARK.ok} ok`) : s.red(`${MARK.fail} failed`)} (${renderCounts(run.findings)})`, '');
  return lines.join('\n');
}

function run(opts: HostOptions): number {
  const result = runHostCheck(opts.root);
  const ok = passes(result.findings);
  if (opts.json) {
    const practices: Record<string, string> = {};
    for (const f of result.findings) practices[f.id] = PRACTICE[f.id] ?? 'operating system';
    const report: Report = { ok, command: 'host check', root: result.root, live: result.live, not_read: NOT_READ, clients: result.clients, practices, findings: result.findings };
    printJson(report);
  } else {
    const s = styleFor(process.stdout);
    process.stdout.write(resetAtLineEnds(renderHuman(result, s), process.stdout));
  }
  return ok ? 0 : 1;
}

export const hostCommand: CommandSpec = {
  group: 'machine',
  order: 1,
  usage: 'host check [--root DIR] [--json]',
  summary: 'the validator machine against the staking security practices: one key in two clients, doppelganger, ssh, firewall, time, reboots, disks',
  example: 'host check',
  register(program: Command) {
    const host = program.command('host').description('checks of the machine that runs the validator client');
    const cmd = host
      .command('check')
      .description('read, without running anything or opening a socket, the validator services, their key stores (public parts only), sshd, firewall, time sync, automatic reboots and disks, and report what breaks the staking security practices')
      .option('--root <dir>', 'read the machine from the tree under DIR instead of / (fixtures, a mounted disk)');
    addJsonOption(cmd).action(action((opts: HostOptions) => run(opts)));
  },
};
