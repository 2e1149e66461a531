/**
 * The withdrawal address of commands that write it into something signed (`keys new`, `credentials
 * change`, `deposit top-up`): EIP-55 checked; given as a flag it is retyped once when at the keyboard,
 * absent it is typed twice; the zero address is refused.
 */
import { checkAddress } from '../../core/eth/address.js';
import { UsageError } from '../../core/errors.js';
import { printable } from '../output/style.js';
import { askTerminal, hasTerminal } from './secrets.js';

function addressProblem(text: string): string | null {
  const r = checkAddress(text.trim());
  return r.ok ? null : r.reason;
}

/** The withdrawal address: from the flag (retyped when at the keyboard) or typed twice. */
export async function readWithdrawalAddress(given: string | undefined, interactive: boolean): Promise<string> {
  if (given !== undefined) {
    const r = checkAddress(given);
    if (!r.ok) throw new UsageError(`--withdrawal-address: ${r.reason}`, 'copy the address from your wallet; it must be 0x followed by 40 hex digits');
    if (interactive) {
      for (let attempt = 0; ; attempt++) {
        const again = (await askTerminal('retype the withdrawal address to confirm it: ')).trim();
        if (again.toLowerCase() === given.toLowerCase()) break;
        if (attempt >= 2) throw new UsageError('the retyped withdrawal address differs from --withdrawal-address');
        process.stderr.write('coldstake: error: the two addresses differ, try again\n');
      }
    }
    return given;
  }
  for (let attempt = 0; attempt < 5; attempt++) {
    const first = (await askTerminal('withdrawal address (0x…, where the staked ETH will go): ')).trim();
    const problem = addressProblem(first);
    if (problem) {
      process.stderr.write(`coldstake: error: ${printable(problem)}\n`);
      continue;
    }
    const again = (await askTerminal('repeat the withdrawal address: ')).trim();
    if (again === first) return first;
    process.stderr.write('coldstake: error: the two addresses differ, try again\n');
  }
  throw new UsageError('no valid withdrawal address after 5 attempts');
}

/** The zero address: nobody holds its key, so withdrawals to it are burned. */
export function refuseZeroAddress(bytes: Uint8Array, what: string): void {
  if (bytes.every((b) => b === 0)) throw new UsageError(`${what}: the zero address 0x0000…0000 would burn every withdrawal`, 'give an address you control (your wallet\'s)');
}


/**
 * `--withdrawal-address` checked before any secret is asked for: EIP-55 and not the zero address
 * when given; required when there is no terminal to type it on (it is typed, twice, otherwise).
 * @throws {UsageError}
 */
export function checkWithdrawalAddressOption(given: string | undefined): void {
  if (given !== undefined) {
    const r = checkAddress(given);
    if (!r.ok) throw new UsageError(`--withdrawal-address: ${r.reason}`, 'copy the address from your wallet; it must be 0x followed by 40 hex digits');
    refuseZeroAddress(r.bytes, '--withdrawal-address');
  } else if (!hasTerminal()) {
    throw new UsageError('--withdrawal-address is required when there is no terminal to type it on');
  }
}
