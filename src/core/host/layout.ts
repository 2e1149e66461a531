/**
 * Where a recognised client keeps its keys, slashing-protection database and data, from its flags
 * and each client's documented defaults (fixtures/host/PROVENANCE.md), and whether its
 * doppelganger protection is on.
 */
import { joinPath, type ReadOnlyFs } from '../airgap/fs.js';
import { finding } from '../findings.js';
import { flagOn, hostPath, parseFlatYaml, str, tekuOptions, type Invocation } from './clients.js';
import { parseTekuKeySpecs, prysmWalletFile, readLighthouseStore, readLodestarStore, readNimbusStore, readTekuStore, readWeb3SignerStore, type StoreRead } from './keystores.js';

export type Slashing =
  | { kind: 'file'; path: string; exists: boolean }
  | { kind: 'teku'; dir: string; withHistory: number; without: number };

export interface Layout {
  /** The client's data directory on the host, when known. */
  dataDir: string | undefined;
  /** Key directories read. */
  keyDirs: string[];
  store: StoreRead;
  slashing: Slashing | undefined;
  /** Doppelganger protection of a validator client, with the flag or default that decides it. */
  doppelganger: { on: boolean; how: string; file?: string; needsLiveness?: boolean } | undefined;
  /** Teku beacon node: `--beacon-liveness-tracking-enabled` (needed by doppelganger detection). */
  livenessTracking: boolean | undefined;
  prysmWallet: string | undefined;
}

const TEKU_CONFIG_MAX = 256 * 1024;

/** Lay out one invocation; `home` is the running user's home, `cwd` its working directory. */
export function layoutOf(fs: ReadOnlyFs, inv: Invocation, env: ReadonlyMap<string, string>, home: string, cwd: string): Layout {
  const containerHome = '/root';
  const at = (p: string | undefined): string | undefined => {
    if (p === undefined) return undefined;
    const h = inv.docker ? containerHome : home;
    const expanded = p === '~' ? h : p.startsWith('~/') ? joinPath(h, p.slice(2)) : p;
    return hostPath(inv, expanded, cwd);
  };
  const h = inv.docker ? containerHome : home;
  const out: Layout = { dataDir: undefined, keyDirs: [], store: { keys: [], remote: [], notes: [], capped: [] }, slashing: undefined, doppelganger: undefined, livenessTracking: undefined, prysmWallet: undefined };
  const f = (name: string) => str(inv.flags.get(name));
  switch (inv.kind) {
    case 'lighthouse': {
      const network = f('network') ?? 'mainnet';
      const data = at(f('datadir') ?? f('d') ?? joinPath(h, '.lighthouse', network));
      out.dataDir = data;
      if (inv.sub === 'bn' || inv.sub === 'beacon_node' || inv.sub === 'beacon') break;
      const vdir = at(f('validators-dir')) ?? (data ? joinPath(data, 'validators') : undefined);
      if (vdir) {
        out.keyDirs.push(vdir);
        out.store = readLighthouseStore(fs, vdir);
        const db = joinPath(vdir, 'slashing_protection.sqlite');
        out.slashing = { kind: 'file', path: db, exists: fs.exists(db) };
      }
      const d = inv.flags.get('enable-doppelganger-protection');
      out.doppelganger = { on: d !== undefined && flagOn(d) !== false, how: d !== undefined ? '--enable-doppelganger-protection' : 'Lighthouse has it off unless --enable-doppelganger-protection is given' };
      break;
    }
    case 'prysm': {
      if (inv.sub === 'beacon-chain') {
        out.dataDir = at(f('datadir') ?? joinPath(h, '.eth2'));
        break;
      }
      const wallet = at(f('wallet-dir') ?? joinPath(h, '.eth2validators', 'prysm-wallet-v2'));
      const data = at(f('datadir')) ?? (wallet ? joinPath(wallet, 'direct') : undefined);
      out.dataDir = data;
      if (wallet) {
        out.keyDirs.push(wallet);
        out.prysmWallet = prysmWalletFile(fs, wallet);
      }
      if (data) {
        const db = joinPath(data, 'validator.db');
        out.slashing = { kind: 'file', path: db, exists: fs.exists(db) };
      }
      const d = inv.flags.get('enable-doppelganger');
      out.doppelganger = { on: d !== undefined && flagOn(d) !== false, how: d !== undefined ? '--enable-doppelganger' : 'Prysm has it off unless --enable-doppelganger is given' };
      break;
    }
    case 'teku': {
      const cfgPath = str(inv.flags.get('config-file')) ?? inv.docker?.env.get('TEKU_CONFIG_FILE') ?? env.get('TEKU_CONFIG_FILE');
      let config = new Map<string, string[]>();
      const cfgHost = at(cfgPath);
      if (cfgHost) {
        const r = fs.readText(cfgHost, TEKU_CONFIG_MAX);
        if (r.ok) config = parseFlatYaml(r.text);
      }
      const opt = tekuOptions(inv, env, config);
      const dataPath = at(str(opt.get('data-path')?.value) ?? str(opt.get('data-base-path')?.value) ?? joinPath(h, '.local', 'share', 'teku'));
      out.dataDir = dataPath;
      const vdata = at(str(opt.get('data-validator-path')?.value)) ?? (dataPath ? joinPath(dataPath, 'validator') : undefined);
      const specs = parseTekuKeySpecs(opt.list('validator-keys'));
      const keyManager = vdata ? joinPath(vdata, 'key-manager', 'local') : undefined;
      out.store = readTekuStore(fs, specs, keyManager, (p) => at(p));
      for (const s of specs) {
        const k = at(s.keys);
        if (k) out.keyDirs.push(k);
      }
      if (vdata) {
        const dir = joinPath(vdata, 'slashprotection');
        let withHistory = 0;
        for (const k of out.store.keys) if (fs.exists(joinPath(dir, `${k.pubkey.slice(2)}.yml`))) withHistory++;
        out.slashing = { kind: 'teku', dir, withHistory, without: out.store.keys.length - withHistory };
      }
      const live = opt.get('beacon-liveness-tracking-enabled');
      out.livenessTracking = live ? flagOn(live.value) === true : false;
      const d = opt.get('doppelganger-detection-enabled');
      const on = d !== undefined && flagOn(d.value) === true;
      out.doppelganger = {
        on,
        how: d ? `doppelganger-detection-enabled=${d.value === true ? 'true' : d.value} (${d.from === 'flag' ? 'flag' : d.from === 'env' ? 'environment' : `config file ${cfgPath ?? ''}`})` : 'Teku has it off unless --doppelganger-detection-enabled=true is given',
        needsLiveness: true,
      };
      if (d?.from === 'config' && cfgHost) out.doppelganger.file = cfgHost;
      break;
    }
    case 'nimbus': {
      const data = at(f('data-dir') ?? f('d') ?? joinPath(h, '.cache', 'nimbus', 'BeaconNode'));
      out.dataDir = data;
      const vdir = at(f('validators-dir')) ?? (data ? joinPath(data, 'validators') : undefined);
      if (vdir) {
        out.keyDirs.push(vdir);
        out.store = readNimbusStore(fs, vdir);
        const db = joinPath(vdir, 'slashing_protection.sqlite3');
        out.slashing = { kind: 'file', path: db, exists: fs.exists(db) };
      }
      const d = inv.flags.get('doppelganger-detection');
      const off = d !== undefined && flagOn(d) === false;
      out.doppelganger = { on: !off, how: d !== undefined ? `--doppelganger-detection=${d === true ? 'true' : d}` : 'Nimbus has it on by default' };
      break;
    }
    case 'lodestar': {
      const network = f('network') ?? 'mainnet';
      const data = at(f('dataDir') ?? f('rootDir') ?? joinPath(h, '.local', 'share', 'lodestar', network));
      out.dataDir = data;
      if (inv.sub === 'beacon') break;
      const ks = at(f('keystoresDir')) ?? (data ? joinPath(data, 'keystores') : undefined);
      const remote = at(f('remoteKeysDir')) ?? (data ? joinPath(data, 'remoteKeys') : undefined);
      const imports = (inv.all.get('importKeystores') ?? []).filter((v): v is string => typeof v === 'string').flatMap((v) => v.split(',')).map((p) => at(p.trim())).filter((p): p is string => p !== undefined);
      if (ks) out.keyDirs.push(ks);
      out.keyDirs.push(...imports);
      out.store = readLodestarStore(fs, ks ?? '/nonexistent', imports, remote ?? '/nonexistent');
      const db = at(f('validatorsDbDir')) ?? (data ? joinPath(data, 'validator-db') : undefined);
      if (db) out.slashing = { kind: 'file', path: db, exists: fs.exists(db) };
      const d = inv.flags.get('doppelgangerProtection') ?? inv.flags.get('doppelgangerProtectionEnabled');
      const name = inv.flags.has('doppelgangerProtection') ? '--doppelgangerProtection' : '--doppelgangerProtectionEnabled';
      out.doppelganger = { on: d !== undefined && flagOn(d) !== false, how: d !== undefined ? `${name}${d === true ? '' : ` ${d}`}` : 'Lodestar has it off unless --doppelgangerProtection is given' };
      break;
    }
    case 'web3signer': {
      const dir = at(f('key-store-path'));
      if (dir) {
        out.keyDirs.push(dir);
        out.store = readWeb3SignerStore(fs, dir);
      }
      break;
    }
  }
  if (inv.docker && out.dataDir === undefined) {
    out.store.notes.push(finding('host-key-not-read', 'info', inv.program, 'the data directory is inside the container, not on a mounted volume: its keys are not part of the duplicate check', {}));
  }
  return out;
}
