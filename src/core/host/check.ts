/**
 * `host check`: the validator machine against the staking security practices, from files only.
 * Units → recognised clients → their key stores; then sshd, firewall, time sync, automatic
 * reboots and disks. Every finding names the file (and line) it comes from.
 */
import { clip, joinPath, type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';
import { recognize, rolesOf, type ClientKind, type Invocation, type Roles } from './clients.js';
import { diskFindings, type DiskSpace } from './disks.js';
import { firewallFindings } from './firewall.js';
import { prysmWalletFile, readLighthouseStore, readLodestarStore, readNimbusStore, type KeyRef, type StoreRead } from './keystores.js';
import { layoutOf, type Layout } from './layout.js';
import { readSshdConfig, sshdFindings } from './sshd.js';
import { timeSyncFindings } from './timesync.js';
import { expandExec, expandSpecifiers, lastValue, listServiceFiles, readEnableLinks, readUnit, templateInstances, type Unit } from './units.js';
import { autoRebootFindings, readAptConfig } from './upgrades.js';

export type Practice = 'slash avoidance' | 'operating system' | 'uptime';

/** Which practice of the staking security guide each finding id belongs to. */
export const PRACTICE: Record<string, Practice> = {
  'host-key-in-two-clients': 'slash avoidance',
  'host-key-in-disabled-client': 'slash avoidance',
  'host-two-validator-clients': 'slash avoidance',
  'host-doppelganger-off': 'slash avoidance',
  'host-no-slashing-db': 'slash avoidance',
  'host-slashing-history-new': 'slash avoidance',
  'host-key-store-unused': 'slash avoidance',
  'host-loose-keystore': 'slash avoidance',
  'host-key-not-read': 'slash avoidance',
  'host-key-dir-unreadable': 'slash avoidance',
  'host-prysm-wallet': 'slash avoidance',
  'host-listing-capped': 'slash avoidance',
  'host-client-as-root': 'operating system',
  'host-ssh-password-auth': 'operating system',
  'host-ssh-root-login': 'operating system',
  'host-ssh-depends-on-match': 'operating system',
  'host-ssh-unreadable': 'operating system',
  'host-firewall-off': 'operating system',
  'host-firewall-allows-incoming': 'operating system',
  'host-firewall-docker': 'operating system',
  'host-no-time-sync': 'operating system',
  'host-auto-reboot': 'operating system',
  'host-not-on-boot': 'uptime',
  'host-unit-disabled': 'uptime',
  'host-rotational-disk': 'uptime',
  'host-low-disk': 'uptime',
  'host-disk-unknown': 'uptime',
};

export const PRACTICES: readonly Practice[] = ['slash avoidance', 'operating system', 'uptime'];

/** The state of a client service as this check judges it. */
export type ClientStatus = 'enabled' | 'not-on-boot' | 'replaced' | 'masked';

export interface ClientService {
  unit: string;
  file: string;
  client: ClientKind;
  roles: Roles;
  status: ClientStatus;
  user: string;
  dataDir: string | null;
  keyDirs: string[];
  keys: number;
  remoteKeys: number;
  prysmWallet: string | null;
}

export interface HostCheckOptions {
  /** statfs of a path on the live machine; absent when reading a tree. */
  space?: (path: string) => DiskSpace | undefined;
}

export interface HostResult {
  clients: ClientService[];
  findings: Finding[];
}

interface Passwd {
  uid: string;
  home: string;
}

function readPasswd(fs: ReadOnlyFs): Map<string, Passwd> {
  const users = new Map<string, Passwd>();
  const r = fs.readText('/etc/passwd', 1024 * 1024);
  if (!r.ok) return users;
  for (const line of r.text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0]) users.set(f[0], { uid: f[2]!, home: f[5]! });
  }
  return users;
}

interface Found {
  unit: Unit;
  inv: Invocation;
  layout: Layout;
  roles: Roles;
  user: string;
  userAt: { file: string; line: number };
  status: ClientStatus;
}

function effectiveUser(unit: Unit, inv: Invocation): { user: string; at: { file: string; line: number } } {
  const execAt = { file: unit.execStart!.file, line: unit.execStart!.line };
  if (inv.docker) return { user: inv.docker.user ?? 'root', at: execAt };
  if (inv.switchedUser !== undefined) return { user: inv.switchedUser, at: execAt };
  const u = lastValue(unit, 'User');
  const dyn = lastValue(unit, 'DynamicUser');
  if (dyn && /^(yes|true|on|1)$/i.test(dyn.value)) return { user: u?.value ?? 'dynamic', at: { file: dyn.file, line: dyn.line } };
  if (u) return { user: u.value, at: { file: u.file, line: u.line } };
  return { user: 'root', at: { file: unit.file, line: 0 } };
}

function isRoot(user: string, users: ReadonlyMap<string, Passwd>): boolean {
  return user === 'root' || user === '0' || users.get(user)?.uid === '0';
}

function where(file: string, line?: number): Record<string, unknown> {
  return line ? { file, line } : { file };
}

/** Key stores in the clients' default places that no unit uses (a copy left behind, or one started by hand). */
function defaultStores(fs: ReadOnlyFs, users: ReadonlyMap<string, Passwd>): Array<{ client: ClientKind; dir: string; read: () => StoreRead; prysm?: string }> {
  const homes = new Set<string>(['/root']);
  for (const u of users.values()) if (u.home.startsWith('/home/') || u.home.startsWith('/var/lib/')) homes.add(u.home);
  const h = fs.list('/home');
  if (h.ok) for (const n of h.entries) homes.add(joinPath('/home', n));
  const out: Array<{ client: ClientKind; dir: string; read: () => StoreRead; prysm?: string }> = [];
  const networks = (base: string) => {
    const l = fs.list(base);
    return l.ok ? l.entries.map((n) => joinPath(base, n)) : [];
  };
  for (const home of homes) {
    for (const d of networks(joinPath(home, '.lighthouse'))) {
      const v = joinPath(d, 'validators');
      if (fs.exists(v)) out.push({ client: 'lighthouse', dir: v, read: () => readLighthouseStore(fs, v) });
    }
    for (const d of networks(joinPath(home, '.local', 'share', 'lodestar'))) {
      const k = joinPath(d, 'keystores');
      if (fs.exists(k)) out.push({ client: 'lodestar', dir: k, read: () => readLodestarStore(fs, k, [], joinPath(d, 'remoteKeys')) });
    }
    const nim = joinPath(home, '.cache', 'nimbus', 'BeaconNode', 'validators');
    if (fs.exists(nim)) out.push({ client: 'nimbus', dir: nim, read: () => readNimbusStore(fs, nim) });
    const prysm = joinPath(home, '.eth2validators', 'prysm-wallet-v2');
    const pw = prysmWalletFile(fs, prysm);
    if (pw) out.push({ client: 'prysm', dir: prysm, read: () => ({ keys: [], remote: [], notes: [], capped: [] }), prysm: pw });
  }
  for (const [client, dir] of [['lighthouse', '/var/lib/lighthouse/validators'], ['nimbus', '/var/lib/nimbus/validators'], ['lodestar', '/var/lib/lodestar/keystores']] as const) {
    if (!fs.exists(dir)) continue;
    const read = client === 'lighthouse' ? () => readLighthouseStore(fs, dir) : client === 'nimbus' ? () => readNimbusStore(fs, dir) : () => readLodestarStore(fs, dir, [], '/var/lib/lodestar/remoteKeys');
    out.push({ client, dir, read });
  }
  return out;
}

interface Ref extends KeyRef {
  owner: string;
  active: boolean;
}

function duplicateFindings(refs: readonly Ref[]): Finding[] {
  const byKey = new Map<string, Ref[]>();
  for (const r of refs) byKey.set(r.pubkey, [...(byKey.get(r.pubkey) ?? []), r]);
  const out: Finding[] = [];
  for (const [pubkey, list] of byKey) {
    const uniq = [...new Map(list.map((r) => [`${r.owner}\0${r.file}\0${r.line ?? 0}`, r])).values()];
    if (uniq.length < 2) continue;
    const active = uniq.filter((r) => r.active);
    const places = uniq.map((r) => ({ file: r.file, line: r.line ?? null, owner: r.owner, how: r.how, active: r.active }));
    const first = active[0] ?? uniq[0]!;
    const owners = [...new Set(uniq.map((r) => r.owner))];
    if (active.length >= 2) {
      const sameOwner = new Set(active.map((r) => r.owner)).size === 1;
      out.push(finding('host-key-in-two-clients', 'error', pubkey, sameOwner ? `this validator key is loaded twice by ${first.owner} (${active.map((r) => r.how).join(' and ')}): two signers for one key is how validators get slashed` : `this validator key is enabled in ${active.length} key stores on this machine (${[...new Set(active.map((r) => r.owner))].join(', ')}): two signers for one key is how validators get slashed`, { file: first.file, line: first.line ?? null, places }, 'stop all but one of them now; remove the key from every other store (keep its slashing history) before anything restarts'));
    } else {
      out.push(finding('host-key-in-disabled-client', 'warning', pubkey, `this validator key is also held by ${owners.filter((o) => o !== first.owner || !first.active).join(', ')}, not started at boot: starting it would sign with the same key`, { file: first.file, line: first.line ?? null, places }, 'delete the old copy (after exporting its slashing history), or systemctl mask the old service'));
    }
  }
  return out;
}

/** Check a machine tree (or `/`). Never throws on a malformed file: it is skipped or noted. */
export function checkHost(fs: ReadOnlyFs, opts: HostCheckOptions = {}): HostResult {
  const findings: Finding[] = [];
  const users = readPasswd(fs);
  const links = readEnableLinks(fs);
  const files = listServiceFiles(fs);
  const masked = new Set<string>();
  const found: Found[] = [];
  let dockerPublishes: string | undefined;
  const candidates = new Map([...files].filter(([name]) => !name.endsWith('@.service')));
  for (const [name, template] of templateInstances(links, files)) candidates.set(name, template);
  for (const [name, file] of candidates) {
    const unit = readUnit(fs, name, file, links);
    if (!unit) continue;
    if (unit.state === 'masked') masked.add(name);
    if (!unit.execStart) continue;
    const inv = recognize(expandExec(expandSpecifiers(unit.execStart.value, name), unit.env));
    if (!inv) continue;
    if (inv.docker?.publishes && dockerPublishes === undefined) dockerPublishes = `${unit.execStart.file}:${unit.execStart.line}`;
    const { user, at } = effectiveUser(unit, inv);
    const home = isRoot(user, users) ? '/root' : (users.get(user)?.home ?? '/');
    const cwd = lastValue(unit, 'WorkingDirectory')?.value.replace(/^-/, '') ?? '/';
    const layout = layoutOf(fs, inv, unit.env, home, cwd.startsWith('/') ? cwd : home);
    const roles = rolesOf(inv, layout.store.keys.length + layout.store.remote.length > 0 || layout.prysmWallet !== undefined);
    if (!roles) continue;
    found.push({ unit, inv, layout, roles, user, userAt: at, status: unit.state === 'masked' ? 'masked' : unit.state === 'enabled' ? 'enabled' : 'not-on-boot' });
  }
  if (links.has('docker.service') && dockerPublishes === undefined && found.some((f) => f.inv.docker)) dockerPublishes = links.get('docker.service')!;
  // A unit off at boot while another enabled unit does its job was turned off on purpose (a migration): never "enable it".
  for (const f of found) {
    if (f.status !== 'not-on-boot') continue;
    const rival = found.find((o) => o !== f && o.status === 'enabled' && ((f.roles.validator && o.roles.validator) || (f.roles.beacon && o.roles.beacon && !f.roles.validator) || (f.roles.signer && o.roles.signer)));
    if (rival) f.status = 'replaced';
  }

  const refs: Ref[] = [];
  const usedDirs = new Set<string>();
  for (const f of found) {
    const active = f.status === 'enabled' || f.status === 'not-on-boot';
    for (const k of f.layout.store.keys) refs.push({ ...k, owner: f.unit.name, active });
    for (const d of f.layout.keyDirs) usedDirs.add(d);
    findings.push(...f.layout.store.notes);
    for (const d of f.layout.store.capped) findings.push(finding('host-listing-capped', 'info', d, 'the directory has 10,000 entries or more: only the first 10,000 were read', { file: d }));
    const unitWhere = where(f.unit.execStart!.file, f.unit.execStart!.line);
    if (f.layout.prysmWallet) {
      findings.push(finding('host-prysm-wallet', 'info', f.layout.prysmWallet, `${f.unit.name}: a Prysm wallet was found and not read (Prysm encrypts its public keys with the wallet password): its keys are not part of the duplicate check`, { file: f.layout.prysmWallet, unit: f.unit.name }, 'compare `validator accounts list` with the other stores by hand'));
    }
    if (f.status === 'not-on-boot') {
      findings.push(finding('host-not-on-boot', 'warning', f.unit.name, `${f.inv.kind} ${f.roles.validator ? 'validator client' : f.roles.signer ? 'signer' : 'beacon node'} service is not enabled: it will not start after a reboot`, { file: f.unit.file, looked_for: `/etc/systemd/system/*.wants/${f.unit.name}` }, `systemctl enable ${f.unit.name}`));
    } else if (f.status === 'replaced') {
      findings.push(finding('host-unit-disabled', 'info', f.unit.name, `${f.inv.kind} service is not enabled while another enabled service does the same job: taken as turned off on purpose (a migration)`, { file: f.unit.file }, 'leave it disabled; delete its keys once their slashing history is exported, or systemctl mask it'));
    }
    if (!active) continue;
    if (isRoot(f.user, users) || (f.inv.docker && f.inv.docker.user === undefined)) {
      const msg = f.inv.docker
        ? `${f.inv.kind} runs in a container without --user: it runs as the image's user, root for most client images`
        : `${f.inv.kind} runs as root (${lastValue(f.unit, 'User') ? `User=${clip(f.user, 32)}` : 'no User= in the unit'}): a bug in the client is a bug with root's rights`;
      findings.push(finding('host-client-as-root', 'warning', f.unit.name, msg, f.userAt.line > 0 ? where(f.userAt.file, f.userAt.line) : where(f.userAt.file), f.inv.docker ? 'add --user <uid>:<gid> to docker run (and chown the data dir)' : `create a system user for it (adduser --system --group ${f.inv.kind}), chown its data dir, and set User= in the unit`));
    }
    if (f.roles.validator && f.layout.doppelganger && !f.layout.doppelganger.on) {
      const d = f.layout.doppelganger;
      const fixes: Record<ClientKind, string> = {
        lighthouse: 'add --enable-doppelganger-protection to the validator client',
        prysm: 'add --enable-doppelganger to the validator client',
        teku: 'add --doppelganger-detection-enabled=true (and --beacon-liveness-tracking-enabled=true on the beacon node)',
        nimbus: 'remove --doppelganger-detection=off',
        lodestar: 'add --doppelgangerProtection to the validator client',
        web3signer: '',
      };
      findings.push(finding('host-doppelganger-off', 'warning', f.unit.name, `${f.inv.kind} validator client runs without doppelganger protection (${d.how}): nothing stops it signing if the keys already run elsewhere`, d.file ? { file: d.file, decided_by: d.how } : { ...unitWhere, decided_by: d.how }, fixes[f.inv.kind]));
    } else if (f.roles.validator && f.layout.doppelganger?.needsLiveness) {
      const bn = found.find((o) => o.inv.kind === 'teku' && o.roles.beacon && (o.status === 'enabled' || o.status === 'not-on-boot'));
      if (bn && bn.layout.livenessTracking === false) {
        findings.push(finding('host-doppelganger-off', 'warning', f.unit.name, `teku doppelganger detection is on, but the beacon node ${bn.unit.name} does not track validator liveness (--beacon-liveness-tracking-enabled): the check cannot work`, { ...where(bn.unit.execStart!.file, bn.unit.execStart!.line), decided_by: 'beacon-liveness-tracking-enabled unset' }, `add --beacon-liveness-tracking-enabled=true to ${bn.unit.name}`));
      }
    }
    const keyCount = f.layout.store.keys.length;
    const s = f.layout.slashing;
    if (f.roles.validator && s?.kind === 'file' && !s.exists && (keyCount > 0 || f.layout.prysmWallet)) {
      findings.push(finding('host-no-slashing-db', 'warning', f.unit.name, `${f.inv.kind} has ${keyCount > 0 ? `${keyCount} key${keyCount === 1 ? '' : 's'}` : 'a wallet'} and no slashing-protection database at ${s.path}: after a migration, the history did not come along`, { file: s.path }, `stop the client; import the slashing-protection history (EIP-3076) from the old machine before it signs; if it is lost, wait a few epochs before starting`));
    }
    if (f.roles.validator && s?.kind === 'teku' && s.without > 0) {
      findings.push(finding('host-slashing-history-new', 'info', f.unit.name, `teku has no slashing-protection file yet for ${s.without} of ${keyCount} keys in ${s.dir} (Teku writes one per key at its first signature: normal for a new validator)`, { file: s.dir, without: s.without, with: s.withHistory }, 'after a migration, import the EIP-3076 history first (teku slashing-protection import)'));
    }
  }

  for (const store of defaultStores(fs, users)) {
    if ([...usedDirs].some((d) => d === store.dir || store.dir.startsWith(`${d}/`) || d.startsWith(`${store.dir}/`))) continue;
    const read = store.read();
    findings.push(...read.notes);
    for (const k of read.keys) refs.push({ ...k, owner: `${store.client} store ${store.dir} (no service)`, active: false });
    if (store.prysm) findings.push(finding('host-prysm-wallet', 'info', store.prysm, 'a Prysm wallet was found and not read (Prysm encrypts its public keys with the wallet password): its keys are not part of the duplicate check', { file: store.prysm }));
    if (read.keys.length > 0) {
      findings.push(finding('host-key-store-unused', 'info', store.dir, `a ${store.client} key store with ${read.keys.length} key${read.keys.length === 1 ? '' : 's'} that no service on this machine uses (a copy left behind, or a client started by hand)`, { file: store.dir, keys: read.keys.length }, 'if a client is started by hand from it, make it a service; otherwise move the copy off this machine'));
    }
  }
  findings.push(...duplicateFindings(refs));

  const enabledVcs = found.filter((f) => f.status === 'enabled' && f.roles.validator);
  if (enabledVcs.length >= 2) {
    findings.push(finding('host-two-validator-clients', 'warning', enabledVcs.map((f) => f.unit.name).join(', '), `${enabledVcs.length} validator-client services start at boot (${enabledVcs.map((f) => `${f.unit.name}: ${f.inv.kind}`).join(', ')}): keep one validator client per machine`, { file: enabledVcs[0]!.unit.enabledBy!, units: enabledVcs.map((f) => ({ unit: f.unit.name, link: f.unit.enabledBy ?? null })) }, 'systemctl disable --now all but one of them'));
  }

  const ssh = readSshdConfig(fs);
  if (ssh) findings.push(...sshdFindings(ssh));
  const enabledSet = new Set([...links.keys()].filter((n) => !masked.has(n)));
  findings.push(...firewallFindings(fs, enabledSet, dockerPublishes));
  findings.push(...timeSyncFindings(links, masked));
  findings.push(...autoRebootFindings(readAptConfig(fs)));

  const dataDirs = new Map<string, string>();
  for (const f of found) if (f.layout.dataDir && (f.status === 'enabled' || f.status === 'not-on-boot') && !dataDirs.has(f.layout.dataDir)) dataDirs.set(f.layout.dataDir, f.unit.name);
  findings.push(...diskFindings(fs, dataDirs, opts.space));

  const clients: ClientService[] = found.map((f) => ({
    unit: f.unit.name,
    file: f.unit.file,
    client: f.inv.kind,
    roles: f.roles,
    status: f.status,
    user: clip(f.user, 32),
    dataDir: f.layout.dataDir ?? null,
    keyDirs: f.layout.keyDirs,
    keys: f.layout.store.keys.length,
    remoteKeys: f.layout.store.remote.length,
    prysmWallet: f.layout.prysmWallet ?? null,
  }));
  return { clients, findings };
}
