/**
 * Zond networks (qrysm dfc813be cmd/staking-deposit-cli/config/config.go, facts only):
 *
 * | --network    | network_name in files | genesis fork version |
 * | zond-testnet | testnet               | 0x20000089           |
 * | zond-betanet | betanet               | 0x20000089           |
 *
 * testnet and betanet SHARE the fork version and deposits are signed with a zero genesis validators
 * root, so a deposit signed for one verifies for the other: only `network_name` tells their deposit
 * files apart. Genesis validators roots play no part in deposits (kept for reference). qrysm's
 * mainnet constants at the pin are placeholders (fork 0x00000000): `zond-mainnet` is refused.
 * A devnet: `--network zond-NAME --fork-version 0x…` writes and expects `network_name` NAME.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { computeDomain, DOMAIN_DEPOSIT, ZERO_ROOT } from '../eth/ssz.js';

export interface ZondNetwork {
  /** coldstake's name: `zond-testnet`, `zond-betanet`, `zond-<devnet>`. */
  id: string;
  /** The `network_name` qrysm writes into deposit_data entries. */
  networkName: string;
  known: boolean;
  genesisForkVersion: Uint8Array;
  /** Reference only: deposits are signed with a zero root. Null for devnets. */
  genesisValidatorsRoot: Uint8Array | null;
  depositDomain: Uint8Array;
}

const KNOWN: Record<string, { fork: string; gvr: string }> = {
  testnet: { fork: '20000089', gvr: 'fbcc79d4dcfd1063e8c8380397bf63e8e34d1ab37fe699f94b9ef1a18bde8781' },
  betanet: { fork: '20000089', gvr: '8e0aea32a97da3012c2c158bae29794fd08a098144dfee4ed016272035e0d6da' },
};

export const ZOND_KNOWN_NETWORKS = ['zond-testnet', 'zond-betanet'] as const;

/** Whether a `--network` value names a Zond network (any case): it starts with `zond-`. */
export function isZondNetworkName(name: string | undefined): boolean {
  return name !== undefined && /^zond-/i.test(name);
}

const DEVNET_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** The known Zond network whose deposit_data `network_name` is `name`. */
export function zondNetworkByFileName(name: string): ZondNetwork | undefined {
  return KNOWN[name] ? build(name) : undefined;
}

function build(name: string): ZondNetwork {
  const k = KNOWN[name]!;
  const fork = hexToBytes(k.fork);
  return { id: `zond-${name}`, networkName: name, known: true, genesisForkVersion: fork, genesisValidatorsRoot: hexToBytes(k.gvr), depositDomain: computeDomain(DOMAIN_DEPOSIT, fork, ZERO_ROOT) };
}

/**
 * Resolve `--network zond-… [--fork-version 0x…]`.
 * @throws {RangeError} unknown name without a fork version, zond-mainnet, a fork version that
 *   contradicts a known network, a malformed name or fork version.
 */
export function resolveZondNetwork(name: string, forkVersionText?: string): ZondNetwork {
  const n = name.toLowerCase();
  if (!n.startsWith('zond-')) throw new RangeError(`'${name.slice(0, 40)}' is not a Zond network (zond-testnet, zond-betanet)`);
  const short = n.slice(5);
  if (short === 'mainnet') throw new RangeError('zond-mainnet is not supported: the pinned qrysm format (dfc813be) has placeholder mainnet constants');
  let fork: Uint8Array | undefined;
  if (forkVersionText !== undefined) {
    if (!/^0x[0-9a-fA-F]{8}$/.test(forkVersionText)) throw new RangeError('fork version must be 0x followed by 8 hex digits, e.g. 0x20000089');
    fork = hexToBytes(forkVersionText.slice(2).toLowerCase());
  }
  if (KNOWN[short]) {
    const net = build(short);
    if (fork && fork.some((b, i) => b !== net.genesisForkVersion[i])) {
      throw new RangeError(`fork version ${forkVersionText!.toLowerCase()} is not ${net.id}'s genesis fork version 0x20000089`);
    }
    return net;
  }
  if (!fork) throw new RangeError(`unknown Zond network '${name.slice(0, 40)}' (known: ${ZOND_KNOWN_NETWORKS.join(', ')}; a devnet takes --network zond-NAME --fork-version 0x…)`);
  if (!DEVNET_RE.test(short)) throw new RangeError('a Zond devnet name (after zond-) must be 1-32 lower-case letters, digits, - or _');
  return { id: n, networkName: short, known: false, genesisForkVersion: fork, genesisValidatorsRoot: null, depositDomain: computeDomain(DOMAIN_DEPOSIT, fork, ZERO_ROOT) };
}
