/**
 * The airgap gate in front of every secret-handling command (PRODUCT.md "Airgap gate"):
 * run the live airgap check; refuse (exit 3) when the machine is not airgapped, unless
 * --allow-online, which prints one loud warning and is recorded by the caller in --json.
 */
import { assertDebuggerClosed } from '../guard/debugger.js';
import type { AirgapResult } from '../core/airgap/check.js';
import type { Finding } from '../core/findings.js';
import { SafetyRefusal } from '../core/errors.js';
import { runAirgapCheck } from './airgap-host.js';
import { printError, printWarning } from './output/diagnostics.js';
import { printJson } from './output/report.js';

export interface GateOutcome {
  airgapped: boolean;
  allowedOnline: boolean;
  findings: Finding[];
}

function line(f: Finding): string {
  return `${f.subject}: ${f.message}${f.fix ? ` (fix: ${f.fix})` : ''}`;
}

/**
 * Run the airgap check before `command`.
 * `check` is for tests only; commands call `airgapGate(command, opts)` and get the live check.
 * @throws {SafetyRefusal} when the machine is not airgapped and `allowOnline` is false
 *   (the error findings are printed on stderr first and, with `json`, the refusal as a report on stdout).
 */
export async function airgapGate(
  command: string,
  opts: { allowOnline: boolean; json: boolean },
  check: () => AirgapResult = () => runAirgapCheck(),
): Promise<GateOutcome> {
  // Every command that makes or reads a mnemonic passes here first.
  assertDebuggerClosed('mnemonic');
  const result = check();
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (!result.airgapped) {
    if (!opts.allowOnline) {
      for (const f of errors) printError(line(f));
      // A script asked for --json gets the refusal as data too: the same findings `airgap --json` gives.
      if (opts.json) {
        printJson({ ok: false, command, refused: 'not-airgapped', findings: result.findings, airgap: { airgapped: false, allowed_online: false } });
      }
      throw new SafetyRefusal(
        `refusing to run '${command}': this machine is not airgapped (${errors.length} finding${errors.length === 1 ? '' : 's'} above)`,
        "disconnect it (coldstake airgap shows each fix), or pass --allow-online for a test run with keys that will never hold funds",
      );
    }
    printWarning(`running '${command}' on a machine that is not airgapped (--allow-online): secrets handled here may be exposed`);
    return { airgapped: false, allowedOnline: true, findings: result.findings };
  }
  // Hygiene warnings (swap, core dumps, root, …) go to stderr in both modes: --json keeps stdout clean.
  for (const f of result.findings.filter((x) => x.severity === 'warning')) printWarning(line(f));
  return { airgapped: true, allowedOnline: false, findings: result.findings };
}
