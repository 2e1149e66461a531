/**
 * Network constants for deposits and other signed messages.
 *
 * Provenance (copied, not computed):
 * - DOMAIN_DEPOSIT 0x03000000, DOMAIN_VOLUNTARY_EXIT 0x04000000: ethereum/consensus-specs
 *   specs/phase0/beacon-chain.md @a08d8a6e2b45f0b8c0d379abc15583427c643689 (CC0-1.0);
 *   DOMAIN_BLS_TO_EXECUTION_CHANGE 0x0A000000: specs/capella/beacon-chain.md.
 * - mainnet: configs/mainnet.yaml (same commit); genesis validators root from
 *   ethstaker/ethstaker-deposit-cli ethstaker_deposit/settings.py @902eb09029b701939857bc3ecddee45a5d2b5a46.
 * - hoodi: eth-clients/hoodi metadata/config.yaml and genesis_validators_root.txt @7f71638afc431675c19b9e306998b9d4925b7cec.
 * - sepolia: eth-clients/sepolia metadata/config.yaml @129de385d8bb7d794dc4b864b0ebeb4d73753f98.
 * - holesky: eth-clients/holesky metadata/config.yaml @8aec65f11f0c986d6b76b2eb902420635eb9b815 and
 *   ethereum/staking-deposit-cli settings.py @948d3fc358fdae54ff47dd8045206276b0b6b914 (deprecated network).
 * - network_name: the NETWORK_NAME strings ethstaker-deposit-cli (and staking-deposit-cli for holesky)
 *   write into deposit_data files.
 * The deposit domains are computed here from these constants (compute_domain in deposit.ts) and tested
 * against the independently computed values in ../shared/vectors/networks.json.
 */
import { hexToBytes } from '@noble/hashes/utils.js';
import { computeDomain, DOMAIN_DEPOSIT, ZERO_ROOT } from './ssz.js';

export const DOMAIN_VOLUNTARY_EXIT = Uint8Array.of(0x04, 0, 0, 0);
export const DOMAIN_BLS_TO_EXECUTION_CHANGE = Uint8Array.of(0x0a, 0, 0, 0);

export type KnownNetworkName = 'mainnet' | 'hoodi' | 'sepolia' | 'holesky';

export interface Network {
  /** The `network_name` written into deposit_data entries. */
  name: string;
  /** True for the four built-in networks; false for a devnet given by `--fork-version`. */
  known: boolean;
  /** GENESIS_FORK_VERSION, 4 bytes: the fork version deposits are signed with. */
  genesisForkVersion: Uint8Array;
  /** CAPELLA_FORK_VERSION (voluntary exits since EIP-7044, BLS-to-execution changes); null for devnets. */
  capellaForkVersion: Uint8Array | null;
  /** genesis_validators_root (32 bytes); null for devnets (not needed for deposits). */
  genesisValidatorsRoot: Uint8Array | null;
  depositChainId: number | null;
  /** EIP-55 deposit contract address; null for devnets. */
  depositContractAddress: string | null;
  /** compute_domain(DOMAIN_DEPOSIT, genesisForkVersion, zero root): deposits are fork-agnostic. */
  depositDomain: Uint8Array;
}

interface NetworkConstants {
  genesisForkVersion: string;
  capellaForkVersion: string;
  genesisValidatorsRoot: string;
  depositChainId: number;
  depositContractAddress: string;
}

const CONSTANTS: Record<KnownNetworkName, NetworkConstants> = {
  mainnet: {
    genesisForkVersion: '00000000',
    capellaForkVersion: '03000000',
    genesisValidatorsRoot: '4b363db94e286120d76eb905340fdd4e54bfe9f06bf33ff6cf5ad27f511bfe95',
    depositChainId: 1,
    depositContractAddress: '0x00000000219ab540356cBB839Cbe05303d7705Fa',
  },
  hoodi: {
    genesisForkVersion: '10000910',
    capellaForkVersion: '40000910',
    genesisValidatorsRoot: '212f13fc4df078b6cb7db228f1c8307566dcecf900867401a92023d7ba99cb5f',
    depositChainId: 560048,
    depositContractAddress: '0x00000000219ab540356cBB839Cbe05303d7705Fa',
  },
  sepolia: {
    genesisForkVersion: '90000069',
    capellaForkVersion: '90000072',
    genesisValidatorsRoot: 'd8ea171f3c94aea21ebc42a1ed61052acf3f9209c00e4efbaaddac09ed9b8078',
    depositChainId: 11155111,
    depositContractAddress: '0x7f02C3E3c98b133055B8B348B2Ac625669Ed295D',
  },
  holesky: {
    genesisForkVersion: '01017000',
    capellaForkVersion: '04017000',
    genesisValidatorsRoot: '9143aa7c615a7f7115e2b6aac319c03529df8242ae705fba9df39b79c59fa8b1',
    depositChainId: 17000,
    depositContractAddress: '0x4242424242424242424242424242424242424242',
  },
};

export const KNOWN_NETWORKS: readonly KnownNetworkName[] = ['mainnet', 'hoodi', 'sepolia', 'holesky'];

function build(name: KnownNetworkName): Network {
  const c = CONSTANTS[name];
  const genesisForkVersion = hexToBytes(c.genesisForkVersion);
  return {
    name,
    known: true,
    genesisForkVersion,
    capellaForkVersion: hexToBytes(c.capellaForkVersion),
    genesisValidatorsRoot: hexToBytes(c.genesisValidatorsRoot),
    depositChainId: c.depositChainId,
    depositContractAddress: c.depositContractAddress,
    depositDomain: computeDomain(DOMAIN_DEPOSIT, genesisForkVersion, ZERO_ROOT),
  };
}

export function isKnownNetwork(name: string): name is KnownNetworkName {
  return (KNOWN_NETWORKS as readonly string[]).includes(name);
}

/**
 * Retired testnets that deposit files in the wild were made for, known by genesis fork version so
 * a finding can say which network a file is for; `aliases` are other `network_name`s deposit tools
 * wrote for the same fork version (Prysm and the launchpad called goerli "prater").
 * Sources: eth-clients/goerli metadata/config.yaml (GENESIS_FORK_VERSION 0x00001020);
 * protolambda/pyrmont config.yaml (0x00002009); staking-deposit-cli settings.py (PRATER = goerli).
 */
export interface NamedForkVersion {
  name: string;
  aliases: readonly string[];
  genesisForkVersion: Uint8Array;
  retired: boolean;
}
const RETIRED: ReadonlyArray<{ name: string; aliases: string[]; fork: string }> = [
  { name: 'goerli', aliases: ['prater'], fork: '00001020' },
  { name: 'pyrmont', aliases: [], fork: '00002009' },
];

/** The network (built-in or retired testnet) whose genesis fork version is `forkVersion`, with its aliases. */
export function namedForkVersion(forkVersion: Uint8Array): NamedForkVersion | undefined {
  const live = networkByForkVersion(forkVersion);
  if (live) return { name: live.name, aliases: [], genesisForkVersion: live.genesisForkVersion, retired: false };
  for (const r of RETIRED) {
    const fv = hexToBytes(r.fork);
    if (equalBytes(fv, forkVersion)) return { name: r.name, aliases: r.aliases, genesisForkVersion: fv, retired: true };
  }
  return undefined;
}

/** The named network (built-in or retired) called `name` or one of its aliases, case-insensitively. */
export function namedNetwork(name: string): NamedForkVersion | undefined {
  const n = name.toLowerCase();
  if (isKnownNetwork(n)) return namedForkVersion(build(n).genesisForkVersion);
  const r = RETIRED.find((x) => x.name === n || x.aliases.includes(n));
  return r ? namedForkVersion(hexToBytes(r.fork)) : undefined;
}

/**
 * `--network` names are case-insensitive (`Hoodi`): the lower-case form of a built-in name, or of a
 * devnet name, unchanged otherwise.
 */
export function normalizeNetworkName(name: string): string {
  const n = name.toLowerCase();
  return isKnownNetwork(n) || NETWORK_NAME_RE.test(n) ? n : name;
}

/**
 * A retired testnet (goerli/prater, pyrmont) as a deposit-verification network: fork version and
 * deposit domain only, like a devnet. Undefined for any other name.
 */
export function retiredNetwork(name: string): Network | undefined {
  const n = name.toLowerCase();
  const r = RETIRED.find((x) => x.name === n || x.aliases.includes(n));
  if (!r) return undefined;
  const forkVersion = hexToBytes(r.fork);
  return { name: r.name, known: false, genesisForkVersion: forkVersion, capellaForkVersion: null, genesisValidatorsRoot: null, depositChainId: null, depositContractAddress: null, depositDomain: computeDomain(DOMAIN_DEPOSIT, forkVersion, ZERO_ROOT) };
}

/**
 * The built-in network called `name`.
 * @throws {RangeError} for an unknown name (the CLI turns it into a usage error).
 */
export function knownNetwork(name: string): Network {
  name = normalizeNetworkName(name);
  if (!isKnownNetwork(name)) throw new RangeError(`unknown network '${name.slice(0, 40)}' (known: ${KNOWN_NETWORKS.join(', ')})`);
  return build(name);
}

/** The built-in network whose genesis fork version is `forkVersion`, if any. */
export function networkByForkVersion(forkVersion: Uint8Array): Network | undefined {
  for (const name of KNOWN_NETWORKS) {
    const n = build(name);
    if (equalBytes(n.genesisForkVersion, forkVersion)) return n;
  }
  return undefined;
}

const NETWORK_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Parse a `--fork-version` value: `0x` followed by exactly 8 hex digits.
 * @throws {RangeError} on anything else.
 */
export function parseForkVersion(text: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{8}$/.test(text)) throw new RangeError('fork version must be 0x followed by 8 hex digits, e.g. 0x10000910');
  return hexToBytes(text.slice(2));
}

/**
 * Resolve `--network NAME [--fork-version 0x…]`.
 * - a known name alone: that network;
 * - a known name with a fork version: allowed only when they agree;
 * - any other name with a fork version: a devnet whose deposit_data `network_name` is NAME
 *   (lower case letters, digits, `-`, `_`; at most 32 characters).
 * @throws {RangeError} unknown name without a fork version, a fork version that contradicts a known
 *   network, a malformed fork version or name.
 */
export function resolveNetwork(name: string, forkVersionText?: string): Network {
  name = normalizeNetworkName(name);
  if (forkVersionText === undefined) return knownNetwork(name);
  const forkVersion = parseForkVersion(forkVersionText);
  if (isKnownNetwork(name)) {
    const n = build(name);
    if (!equalBytes(n.genesisForkVersion, forkVersion)) {
      throw new RangeError(`fork version ${forkVersionText.toLowerCase()} is not ${name}'s genesis fork version 0x${toHex(n.genesisForkVersion)}`);
    }
    return n;
  }
  if (!NETWORK_NAME_RE.test(name)) {
    throw new RangeError('a devnet name must be 1-32 lower-case letters, digits, - or _');
  }
  const known = networkByForkVersion(forkVersion);
  if (known) throw new RangeError(`fork version ${forkVersionText.toLowerCase()} belongs to ${known.name}: use --network ${known.name}`);
  return {
    name,
    known: false,
    genesisForkVersion: forkVersion,
    capellaForkVersion: null,
    genesisValidatorsRoot: null,
    depositChainId: null,
    depositContractAddress: null,
    depositDomain: computeDomain(DOMAIN_DEPOSIT, forkVersion, ZERO_ROOT),
  };
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/**
 * Beacon chain genesis time (unix seconds; `genesis_time` of the genesis state, as the beacon API
 * `/eth/v1/beacon/genesis` returns it) of each built-in network, with the slot timing every one of
 * them uses (SECONDS_PER_SLOT 12, SLOTS_PER_EPOCH 32). Used to tell the network's current slot and
 * epoch from the local clock. Provenance: mainnet 1606824023 (2020-12-01 12:00:23 UTC); sepolia
 * 1655733600 (2022-06-20 14:00 UTC); holesky 1695902400 (2023-09-28 12:00 UTC); hoodi 1742213400
 * (2025-03-17 12:10 UTC = eth-clients/hoodi metadata/config.yaml MIN_GENESIS_TIME 1742212800 +
 * GENESIS_DELAY 600).
 */
export const GENESIS_TIME: Readonly<Record<KnownNetworkName, number>> = {
  mainnet: 1606824023,
  hoodi: 1742213400,
  sepolia: 1655733600,
  holesky: 1695902400,
};
export const SECONDS_PER_SLOT = 12;
export const SLOTS_PER_EPOCH = 32;

/** The built-in network whose genesis validators root is `root` (0x-prefixed hex, any case), if any. */
export function networkByGenesisValidatorsRoot(root: string): KnownNetworkName | undefined {
  const want = root.toLowerCase().replace(/^0x/, '');
  return KNOWN_NETWORKS.find((n) => CONSTANTS[n].genesisValidatorsRoot === want);
}
