/**
 * `coldstake` alone and `coldstake --help`: the commands grouped by the three jobs,
 * in the order an operator runs them, each with a one-line example.
 */
import { GROUP_TITLES, type CommandGroup, type CommandSpec } from './common.js';
import { VERSION } from './self.js';

export function topLevelHelp(commands: readonly CommandSpec[]): string {
  const lines: string[] = [
    `coldstake ${VERSION}: offline key hygiene for proof-of-stake validator operators`,
    '',
    'usage: coldstake <command> [options]      (coldstake <command> --help for its options)',
  ];
  for (const group of Object.keys(GROUP_TITLES) as CommandGroup[]) {
    const inGroup = commands.filter((c) => c.group === group).sort((a, b) => a.order - b.order);
    if (inGroup.length === 0) continue;
    lines.push('', `${GROUP_TITLES[group]}:`);
    for (const c of inGroup) {
      lines.push(`  ${c.usage}`, `      ${c.summary}`, `      e.g. coldstake ${c.example}`);
    }
  }
  lines.push(
    '',
    'Common options: --json (machine-readable result on stdout), --allow-online (secret-handling',
    'commands on a machine that is not airgapped), --mnemonic-file F / --password-file F (- = stdin).',
    'Secrets are never read from arguments or environment variables.',
    '',
    'Zond (QRL), pinned format qrysm dfc813be + go-qrllib v0.9.0: keys new --network zond-testnet|zond-betanet',
    '(QRL seed, Q withdrawal address); keystore verify reads Zond keystores too (mixed directories as well);',
    'deposit verify FILE --network zond-testnet|zond-betanet [--withdrawal-address Q…];',
    'mnemonic new|check --scheme qrl (32/34 QRL words or hex, no checksum: shows validator 0 pubkey and Q-address);',
    'ownership check --network zond-… [--deposit-data F] [--keystores DIR].',
    '',
    'Exit codes: 0 all good, 1 a check failed, 2 usage error or bad input, 3 refused for safety,',
    '70 internal error (a bug: please report it), 130 interrupted (ctrl-c).',
    'coldstake --version prints the version; coldstake version the full report.',
    '',
  );
  return lines.join('\n');
}
