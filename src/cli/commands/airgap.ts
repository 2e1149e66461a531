/**
 * `coldstake airgap [--json] [--root DIR]`: is this machine offline and fit for secrets?
 * Reads only local state (files under the root, os.networkInterfaces() on the live system);
 * never sends a packet or resolves a name. Exit 0 airgapped, 1 not, 2 bad --root.
 */
import type { Command } from 'commander';
import type { Report } from '../../core/findings.js';
import { runAirgapCheck } from '../airgap-host.js';
import { action, addJsonOption, type CommandSpec } from '../common.js';
import { printReport } from '../output/report.js';
import { styleFor } from '../output/style.js';

interface AirgapOptions {
  json: boolean;
  root?: string;
}

function run(opts: AirgapOptions): number {
  const result = runAirgapCheck(opts.root);
  const report: Report = {
    ok: result.airgapped,
    command: 'airgap',
    airgapped: result.airgapped,
    certainty: result.certainty,
    root: result.root,
    findings: result.findings,
  };
  const s = styleFor(process.stdout);
  const source = result.certainty === 'linux-sysfs' ? `read from /sys and /proc under ${result.root}` : 'less certain: only os.networkInterfaces() was available';
  const verdict = result.airgapped ? s.green('airgapped: yes') : s.red(s.bold('airgapped: NO'));
  printReport(report, { json: opts.json, header: `${verdict} (${source})\n` });
  return result.airgapped ? 0 : 1;
}

export const airgapCommand: CommandSpec = {
  group: 'airgapped',
  order: 1,
  usage: 'airgap [--json] [--root DIR]',
  summary: 'is this machine offline and hygienic enough for secrets?',
  example: 'airgap --json',
  register(program: Command) {
    const cmd = program
      .command('airgap')
      .description('check, without sending a packet, that this machine is offline (interfaces, routes, radios) and fit for secrets (swap, core dumps, vm, recording)')
      .option('--root <dir>', 'read the machine state from the tree under DIR instead of / (fixtures, a mounted disk)');
    addJsonOption(cmd).action(action((opts: AirgapOptions) => run(opts)));
  },
};
