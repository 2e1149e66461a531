/**
 * Top-up deposits (ethstaker-deposit-cli `partial-deposit`): one deposit entry signed by an existing
 * validator's signing key, for any amount from 1 to 2048 ETH, in the deposit_data format of deposit.ts.
 * Pure: the caller decrypts the keystore and writes the file.
 *
 * For a validator that already exists the beacon chain only adds the amount to its balance; the
 * withdrawal credentials in the entry are not applied (they count only for a key's first deposit).
 */
import { addressWithdrawalCredentials, buildDepositEntry, parseEthAmount, STANDARD_DEPOSIT_GWEI, type DepositEntry } from './deposit.js';
import type { Network } from './networks.js';

export interface TopUpParams {
  /** 32-byte signing secret key (the keystore's). Not retained. */
  signingSk: Uint8Array;
  /** 20-byte execution address. */
  withdrawalAddress: Uint8Array;
  /** 0x02 credentials when true, 0x01 otherwise. */
  compounding: boolean;
  /** Gwei, from `parseTopUpAmount`. */
  amount: number;
  network: Pick<Network, 'name' | 'genesisForkVersion' | 'depositDomain'>;
  depositCliVersion: string;
}

/**
 * `--amount` in ETH as an exact decimal string ("1.5", "2048", "1.000000001") to gwei: digits only,
 * at most 9 decimals, 1 to 2048 ETH. No floating point is involved: the whole and fractional parts
 * are read as integers.
 * @throws {RangeError} with a message fit for the user.
 */
export function parseTopUpAmount(text: string): number {
  return parseEthAmount(text);
}

/**
 * Why a top-up is refused before signing, or null: a 0x01 validator's balance above 32 ETH earns
 * nothing and is swept back (ethstaker-deposit-cli's validate_deposit and the launchpad refuse it too).
 */
export function topUpProblem(amount: number, compounding: boolean): string | null {
  if (!compounding && amount > STANDARD_DEPOSIT_GWEI) {
    return 'a 0x01 (non-compounding) top-up above 32 ETH: a 0x01 validator uses at most 32 ETH, the rest is swept back to the withdrawal address';
  }
  return null;
}

/**
 * Build and sign the top-up entry.
 * @throws {RangeError} outside 1–2048 ETH, or a refused combination (topUpProblem).
 */
export function buildTopUp(p: TopUpParams): DepositEntry {
  const problem = topUpProblem(p.amount, p.compounding);
  if (problem) throw new RangeError(problem);
  return buildDepositEntry({
    signingSk: p.signingSk,
    withdrawalCredentials: addressWithdrawalCredentials(p.withdrawalAddress, p.compounding),
    amount: p.amount,
    network: p.network,
    depositCliVersion: p.depositCliVersion,
  });
}
