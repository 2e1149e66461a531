/**
 * The public side of each client's key store: which validator pubkeys it would load. Only public
 * fields are read (a pubkey, `enabled`, a type, a keystore path); nothing is decrypted and no
 * password is asked or kept. `validator_definitions.yml` may hold `voting_keystore_password`:
 * its lines are never stored, quoted or echoed.
 */
import { clip, joinPath, type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';
import { baseName } from './clients.js';

const KEYSTORE_MAX_BYTES = 64 * 1024;
const SMALL_READ = 4094;
const DEFINITIONS_MAX_BYTES = 64 * 1024 * 1024;
const SIGNER_CONFIG_MAX_BYTES = 64 * 1024;
const PUBKEY_DIR = /^0x[0-9a-fA-F]{96}$/;

/** One validator key a store would sign with, and where that was read. */
export interface KeyRef {
  pubkey: string;
  file: string;
  line?: number;
  /** How the client finds it: `definitions entry`, `keystore folder`, `key file`, … */
  how: string;
}

export interface StoreRead {
  /** Keys signed with locally (or by a signer holding the keystore). */
  keys: KeyRef[];
  /** Keys signed with by a remote signer (the key itself is elsewhere). */
  remote: KeyRef[];
  /** Notes about what could not be read or is not loaded. */
  notes: Finding[];
  /** Directories whose listing was capped. */
  capped: string[];
}

function empty(): StoreRead {
  return { keys: [], remote: [], notes: [], capped: [] };
}

/** `0x` + lower-case hex of a 48-byte pubkey, or undefined. */
export function normalizePubkey(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(?:0x)?([0-9a-fA-F]{96})$/.exec(v.trim());
  return m ? `0x${m[1]!.toLowerCase()}` : undefined;
}

/** The `pubkey` of an EIP-2335 keystore (or remote-key) file; undefined when absent or unreadable. */
export function readKeystorePubkey(fs: ReadOnlyFs, file: string): string | undefined {
  // Keystores are about 1 KB: a first read of under 4 KiB (Node's pooled buffers), the full bound only when needed.
  let r = fs.readText(file, SMALL_READ);
  if (r.ok && r.truncated) r = fs.readText(file, KEYSTORE_MAX_BYTES);
  if (!r.ok || r.truncated) return undefined;
  try {
    const json = JSON.parse(r.text) as unknown;
    if (typeof json !== 'object' || json === null) return undefined;
    return normalizePubkey((json as Record<string, unknown>)['pubkey']);
  } catch {
    return undefined;
  }
}

function list(fs: ReadOnlyFs, dir: string, out: StoreRead): string[] {
  const l = fs.list(dir);
  if (!l.ok) {
    // Key directories are often mode 0700 for the client's user: not seeing them is not "no keys".
    if (l.code !== 'ENOENT') out.notes.push(finding('host-key-dir-unreadable', 'warning', dir, `a key directory cannot be read (${l.code}): its keys are not part of the duplicate check`, { file: dir, code: l.code }, 'run coldstake host check as root (sudo) for a complete reading'));
    return [];
  }
  if (l.entries.length >= 10_000) out.capped.push(dir);
  return l.entries;
}

function loose(file: string, client: string): Finding {
  return finding('host-loose-keystore', 'info', file, `a keystore file lies in the ${client} key directory, where ${client} does not load it: a copy of a signing key on this machine`, { file }, 'move it off the validator machine (keep it on the airgapped backup) unless you mean to import it');
}

function notRead(file: string, why: string, line?: number): Finding {
  return finding('host-key-not-read', 'info', line ? `${file}:${line}` : file, `${why}: this key is not part of the duplicate check`, line ? { file, line } : { file });
}

/** A Lighthouse `validator_definitions.yml` entry: public fields only. */
export interface DefinitionEntry {
  line: number;
  enabled: boolean;
  pubkey: string | undefined;
  pubkeyLine: number | undefined;
  type: string;
  keystorePath: string | undefined;
}

const PUBLIC_FIELDS = new Set(['enabled', 'voting_public_key', 'type', 'voting_keystore_path']);

/**
 * The public fields of Lighthouse's `validator_definitions.yml` (a YAML list of maps). Every other
 * field (`voting_keystore_password`, `voting_keystore_password_path`, url, graffiti…) is skipped
 * without being kept.
 */
export function parseDefinitions(text: string): DefinitionEntry[] {
  const entries: DefinitionEntry[] = [];
  let cur: DefinitionEntry | undefined;
  let fieldIndent = -1;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/\r$/, '');
    if (/^\s*(#|$)/.test(line) || /^(---|\.\.\.)\s*$/.test(line)) continue;
    const item = /^-(\s+|$)/.exec(line);
    if (item) {
      cur = { line: i + 1, enabled: false, pubkey: undefined, pubkeyLine: undefined, type: 'local_keystore', keystorePath: undefined };
      entries.push(cur);
      line = ' '.repeat(item[0].length) + line.slice(item[0].length);
      fieldIndent = item[0].length;
      if (line.trim() === '') {
        fieldIndent = -1;
        continue;
      }
    }
    if (!cur) continue;
    const m = /^(\s*)([A-Za-z_]+):(?:\s+(.*))?$/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    if (fieldIndent < 0) fieldIndent = indent;
    if (indent !== fieldIndent || !PUBLIC_FIELDS.has(m[2]!)) continue;
    const value = (m[3] ?? '').replace(/\s+#.*$/, '').trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    if (m[2] === 'enabled') cur.enabled = /^(true|yes|on)$/i.test(value);
    else if (m[2] === 'voting_public_key') {
      cur.pubkey = normalizePubkey(value);
      cur.pubkeyLine = i + 1;
    } else if (m[2] === 'type') cur.type = value;
    else if (m[2] === 'voting_keystore_path') cur.keystorePath = value;
  }
  return entries;
}

function dirOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : '/';
}

/**
 * Lighthouse: enabled entries of `validator_definitions.yml` (`enabled: false` does not sign), plus
 * every `0x<pubkey>/voting-keystore.json` folder that has no entry (Lighthouse adds those at start).
 */
export function readLighthouseStore(fs: ReadOnlyFs, validatorsDir: string): StoreRead {
  const out = empty();
  const defsFile = joinPath(validatorsDir, 'validator_definitions.yml');
  const covered = new Set<string>();
  const r = fs.readText(defsFile, DEFINITIONS_MAX_BYTES);
  if (r.ok) {
    if (r.truncated) out.notes.push(notRead(defsFile, 'the definitions file is larger than 64 MiB and was read only in part'));
    for (const e of parseDefinitions(r.text)) {
      if (e.pubkey) covered.add(e.pubkey);
      if (e.keystorePath) covered.add(`dir:${dirOf(e.keystorePath)}`);
      if (!e.enabled) continue;
      if (!e.pubkey) {
        out.notes.push(notRead(defsFile, 'an enabled entry without a readable voting_public_key', e.line));
        continue;
      }
      const ref: KeyRef = { pubkey: e.pubkey, file: defsFile, line: e.pubkeyLine ?? e.line, how: 'enabled definitions entry' };
      if (e.type === 'web3signer') out.remote.push(ref);
      else out.keys.push(ref);
    }
  }
  for (const name of list(fs, validatorsDir, out)) {
    const p = joinPath(validatorsDir, name);
    if (PUBKEY_DIR.test(name)) {
      const pk = normalizePubkey(name)!;
      if (covered.has(pk) || covered.has(`dir:${p}`)) continue;
      const ks = joinPath(p, 'voting-keystore.json');
      const pubkey = readKeystorePubkey(fs, ks) ?? (fs.exists(ks) ? pk : undefined);
      if (pubkey) out.keys.push({ pubkey, file: ks, how: 'keystore folder with no definitions entry (loaded at start)' });
    } else if (name.endsWith('.json')) out.notes.push(loose(p, 'Lighthouse'));
  }
  return out;
}

/** Nimbus: `validators/0x<pubkey>/keystore.json` (local) or `remote_keystore.json` (remote). */
export function readNimbusStore(fs: ReadOnlyFs, validatorsDir: string): StoreRead {
  const out = empty();
  for (const name of list(fs, validatorsDir, out)) {
    const p = joinPath(validatorsDir, name);
    if (PUBKEY_DIR.test(name)) {
      const ks = joinPath(p, 'keystore.json');
      const pubkey = readKeystorePubkey(fs, ks) ?? (fs.exists(ks) ? normalizePubkey(name) : undefined);
      if (pubkey) out.keys.push({ pubkey, file: ks, how: 'keystore folder' });
      else if (fs.exists(joinPath(p, 'remote_keystore.json'))) out.remote.push({ pubkey: normalizePubkey(name)!, file: joinPath(p, 'remote_keystore.json'), how: 'remote keystore' });
    } else if (name.endsWith('.json')) out.notes.push(loose(p, 'Nimbus'));
  }
  return out;
}

/** Lodestar: `keystores/0x<pubkey>/voting-keystore.json`, every `--importKeystores` path, and `remoteKeys/`. */
export function readLodestarStore(fs: ReadOnlyFs, keystoresDir: string, importPaths: readonly string[], remoteKeysDir: string): StoreRead {
  const out = empty();
  for (const name of list(fs, keystoresDir, out)) {
    const p = joinPath(keystoresDir, name);
    if (PUBKEY_DIR.test(name)) {
      const ks = joinPath(p, 'voting-keystore.json');
      const pubkey = readKeystorePubkey(fs, ks) ?? (fs.exists(ks) ? normalizePubkey(name) : undefined);
      if (pubkey) out.keys.push({ pubkey, file: ks, how: 'keystore folder' });
    } else if (name.endsWith('.json')) out.notes.push(loose(p, 'Lodestar'));
  }
  for (const path of importPaths) {
    const files = path.endsWith('.json') ? [path] : list(fs, path, out).filter((n) => n.endsWith('.json') && !n.startsWith('deposit_data')).map((n) => joinPath(path, n));
    for (const f of files) {
      const pk = readKeystorePubkey(fs, f);
      if (pk) out.keys.push({ pubkey: pk, file: f, how: '--importKeystores file' });
      else if (fs.exists(f)) out.notes.push(notRead(f, 'a keystore given to --importKeystores without a readable pubkey'));
    }
  }
  for (const name of list(fs, remoteKeysDir, out)) {
    const f = joinPath(remoteKeysDir, name);
    const pk = readKeystorePubkey(fs, f);
    if (pk) out.remote.push({ pubkey: pk, file: f, how: 'remote key' });
  }
  return out;
}

/** One Teku `--validator-keys` entry: a KEYS:PASSWORDS pair of directories or of files. */
export interface TekuKeySpec {
  keys: string;
  passwords: string | undefined;
}

/** Split Teku's `--validator-keys` values (`KEYS:PASSWORDS`, comma-separated). */
export function parseTekuKeySpecs(values: readonly string[]): TekuKeySpec[] {
  return values.map((v) => {
    const i = v.indexOf(':');
    return i > 0 ? { keys: v.slice(0, i), passwords: v.slice(i + 1) } : { keys: v, passwords: undefined };
  });
}

/**
 * Teku: a KEYS directory loads every `*.json` in it; a KEYS file loads only that file (other
 * keystores beside it are not loaded). Keys imported through the key manager API live in
 * `<validator data>/key-manager/local/`.
 */
export function readTekuStore(fs: ReadOnlyFs, specs: readonly TekuKeySpec[], keyManagerDir: string | undefined, fileAt: (p: string) => string | undefined): StoreRead {
  const out = empty();
  const loaded = new Set<string>();
  const fileDirs = new Set<string>();
  const add = (f: string, how: string) => {
    if (loaded.has(f)) return;
    loaded.add(f);
    const pk = readKeystorePubkey(fs, f);
    if (pk) out.keys.push({ pubkey: pk, file: f, how });
    else out.notes.push(notRead(f, 'a keystore Teku loads without a readable pubkey'));
  };
  for (const spec of specs) {
    const keys = fileAt(spec.keys);
    if (keys === undefined) continue;
    if (keys.endsWith('.json')) {
      if (fs.exists(keys)) add(keys, 'KEYS:PASSWORDS file pair');
      fileDirs.add(dirOf(keys));
      continue;
    }
    for (const n of list(fs, keys, out)) if (n.endsWith('.json')) add(joinPath(keys, n), 'key directory');
  }
  for (const d of fileDirs) {
    for (const n of list(fs, d, out)) {
      const f = joinPath(d, n);
      if (n.endsWith('.json') && !loaded.has(f) && readKeystorePubkey(fs, f)) out.notes.push(loose(f, 'Teku'));
    }
  }
  if (keyManagerDir) for (const n of list(fs, keyManagerDir, out)) if (n.endsWith('.json')) add(joinPath(keyManagerDir, n), 'key manager import');
  return out;
}

/** The `type` and `keystoreFile` of each YAML document of a Web3Signer key config (no other field is kept). */
export function parseSignerConfig(text: string): Array<{ type: string | undefined; keystoreFile: string | undefined; line: number }> {
  const docs: Array<{ type: string | undefined; keystoreFile: string | undefined; line: number }> = [];
  let cur = { type: undefined as string | undefined, keystoreFile: undefined as string | undefined, line: 1 };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (/^---/.test(line)) {
      if (cur.type !== undefined || cur.keystoreFile !== undefined) docs.push(cur);
      cur = { type: undefined, keystoreFile: undefined, line: i + 2 };
      continue;
    }
    const m = /^(type|keystoreFile)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.replace(/\s+#.*$/, '').trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
    if (m[1] === 'type') cur.type = v;
    else cur.keystoreFile = v;
  }
  if (cur.type !== undefined || cur.keystoreFile !== undefined) docs.push(cur);
  return docs;
}

/** Web3Signer: `file-keystore` configs in `--key-store-path` (the keystore's pubkey); other types are named, not read. */
export function readWeb3SignerStore(fs: ReadOnlyFs, dir: string): StoreRead {
  const out = empty();
  for (const n of list(fs, dir, out)) {
    if (!/\.ya?ml$/.test(n)) continue;
    const f = joinPath(dir, n);
    const r = fs.readText(f, SIGNER_CONFIG_MAX_BYTES);
    if (!r.ok) continue;
    for (const doc of parseSignerConfig(r.text)) {
      if (doc.type === 'file-keystore' && doc.keystoreFile) {
        const ks = doc.keystoreFile.startsWith('/') ? doc.keystoreFile : joinPath(dir, doc.keystoreFile);
        const pk = readKeystorePubkey(fs, ks);
        if (pk) out.keys.push({ pubkey: pk, file: f, line: doc.line, how: `Web3Signer key config (${clip(baseName(ks), 80)})` });
        else out.notes.push(notRead(f, 'a Web3Signer file-keystore config whose keystore has no readable pubkey'));
      } else {
        out.notes.push(notRead(f, `a Web3Signer key config of type ${clip(doc.type ?? 'unknown', 40)} (its pubkey is not in the file)`, doc.line));
      }
    }
  }
  return out;
}

/** Prysm's wallet keeps its pubkeys encrypted: say it was found, never guess its keys. */
export function prysmWalletFile(fs: ReadOnlyFs, walletDir: string): string | undefined {
  const f = joinPath(walletDir, 'direct', 'accounts', 'all-accounts.keystore.json');
  return fs.exists(f) ? f : undefined;
}
