/**
 * systemd units as systemd reads them, from files only: the unit search path in priority order,
 * drop-ins (`NAME.service.d/*.conf`, later files override, an empty `ExecStart=` resets the list),
 * `Environment=`/`EnvironmentFile=`, `$VAR`/`${VAR}` expansion in `ExecStart=`, masking
 * (a link to /dev/null) and enablement (a link in a `*.wants/` or `*.requires/` directory, read as
 * link text, never followed).
 */
import { joinPath, type ReadOnlyFs } from '../airgap/fs.js';

/** Where systemd looks for units, highest priority first (`/lib` is `/usr/lib` on merged-/usr systems: names are deduplicated). */
export const UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'] as const;

const UNIT_MAX_BYTES = 256 * 1024;
const ENV_FILE_MAX_BYTES = 64 * 1024;
const MAX_DROPINS = 64;

/** One `Key=value` assignment and where it was read. */
export interface Assignment {
  value: string;
  file: string;
  line: number;
}

export type UnitState = 'enabled' | 'disabled' | 'masked';

export interface Unit {
  name: string;
  /** The main fragment read (or the mask link). */
  file: string;
  state: UnitState;
  /** The link that enables it (`/etc/systemd/system/multi-user.target.wants/NAME`), when enabled. */
  enabledBy?: string;
  /** Effective `[Service]` assignments after drop-ins, in order, per key. */
  service: Map<string, Assignment[]>;
  /** The effective `ExecStart=` (the last after any reset). */
  execStart?: Assignment;
  /** Environment from `Environment=` then `EnvironmentFile=` (which override). */
  env: Map<string, string>;
}

interface RawAssign {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** Parse a unit file: sections, `Key=value`, `#`/`;` comments, backslash line continuation. */
export function parseUnitText(text: string): RawAssign[] {
  const out: RawAssign[] = [];
  const lines = text.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i]!.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed.startsWith('#') || trimmed.startsWith(';') || trimmed === '') continue;
    if (line.endsWith('\\')) {
      line = line.slice(0, -1);
      while (i + 1 < lines.length) {
        i++;
        const next = lines[i]!.replace(/\r$/, '');
        // A comment line inside a continuation is skipped, as systemd does.
        if (/^\s*[#;]/.test(next)) continue;
        if (next.endsWith('\\')) {
          line += ` ${next.slice(0, -1)}`;
          continue;
        }
        line += ` ${next}`;
        break;
      }
    }
    const t = line.trim();
    const sec = /^\[([^\]]+)\]$/.exec(t);
    if (sec) {
      section = sec[1]!;
      continue;
    }
    const eq = t.indexOf('=');
    if (eq <= 0) continue;
    out.push({ section, key: t.slice(0, eq).trim(), value: t.slice(eq + 1).trim(), line: start });
  }
  return out;
}

/** Split a systemd command line or `Environment=` value into words (double and single quotes, backslash escapes). */
export function splitWords(s: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < s.length) {
        cur += s[++i];
      } else if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/**
 * Expand an `ExecStart=` line as systemd does: a word that is exactly `$VAR` becomes the value split
 * at whitespace (zero or more words); `${VAR}` is replaced in place; `$$` is a literal `$`.
 */
export function expandExec(line: string, env: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const raw of splitExecRaw(line)) {
    const whole = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(raw.text);
    if (whole && !raw.quoted) {
      out.push(...(env.get(whole[1]!) ?? '').split(/\s+/).filter((w) => w.length > 0));
      continue;
    }
    out.push(raw.text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (m, name: string | undefined) => (m === '$$' ? '$' : (env.get(name!) ?? ''))));
  }
  return out;
}

function splitExecRaw(s: string): Array<{ text: string; quoted: boolean }> {
  const words: Array<{ text: string; quoted: boolean }> = [];
  let cur = '';
  let has = false;
  let quoted = false;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === '\\' && i + 1 < s.length) cur += s[++i];
      else if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
      quoted = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push({ text: cur, quoted });
      cur = '';
      has = false;
      quoted = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push({ text: cur, quoted });
  return words;
}

/** `KEY=value` lines of an environment file (`#`/`;` comments, optional quotes, `export` ignored). */
export function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let v = m[2]!;
    if (/^"(.*)"$/.test(v) || /^'(.*)'$/.test(v)) v = v.slice(1, -1);
    env.set(m[1]!, v);
  }
  return env;
}

/** The names of every `*.service` unit file in the search path, each with the first directory that has it. */
export function listServiceFiles(fs: ReadOnlyFs): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of UNIT_DIRS) {
    const l = fs.list(dir);
    if (!l.ok) continue;
    for (const name of l.entries) {
      if (!name.endsWith('.service') || found.has(name)) continue;
      const p = joinPath(dir, name);
      // A mask (link to /dev/null) hides nothing else: the fragment below it still says what the unit would run.
      const link = fs.readlink(p);
      if (link.ok && link.target === '/dev/null') continue;
      found.set(name, p);
    }
  }
  return found;
}

/**
 * Enable links: every entry of a `*.wants/` or `*.requires/` directory in the search path,
 * unit name → the link path. Links are read as link text, never followed (they are absolute
 * paths of the machine, not of this one).
 */
export function readEnableLinks(fs: ReadOnlyFs): Map<string, string> {
  const links = new Map<string, string>();
  for (const dir of UNIT_DIRS) {
    const l = fs.list(dir);
    if (!l.ok) continue;
    for (const sub of l.entries) {
      if (!sub.endsWith('.wants') && !sub.endsWith('.requires')) continue;
      const d = joinPath(dir, sub);
      const names = fs.list(d);
      if (!names.ok) continue;
      for (const name of names.entries) {
        const p = joinPath(d, name);
        const link = fs.readlink(p);
        // A link to /dev/null in a wants directory enables nothing.
        if (link.ok && link.target === '/dev/null') continue;
        if (!links.has(name)) links.set(name, p);
      }
    }
  }
  return links;
}

/** True when a unit name is masked: its highest-priority entry is a link to /dev/null (or an empty file). */
function maskLink(fs: ReadOnlyFs, name: string): string | undefined {
  for (const dir of ['/etc/systemd/system', '/run/systemd/system']) {
    const p = joinPath(dir, name);
    const link = fs.readlink(p);
    if (link.ok && link.target === '/dev/null') return p;
  }
  return undefined;
}

function dropInFiles(fs: ReadOnlyFs, name: string): string[] {
  const byName = new Map<string, string>();
  const template = /^([^@]+)@[^@]+\.service$/.exec(name);
  // An instance reads its own drop-ins first, then its template's (`x@.service.d/`).
  const dirs = template ? [`${name}.d`, `${template[1]}@.service.d`] : [`${name}.d`];
  for (const dir of UNIT_DIRS.flatMap((u) => dirs.map((d) => [u, d] as const))) {
    const d = joinPath(dir[0], dir[1]);
    const l = fs.list(d);
    if (!l.ok) continue;
    for (const f of l.entries) if (f.endsWith('.conf') && !byName.has(f)) byName.set(f, joinPath(d, f));
  }
  return [...byName.keys()].sort().slice(0, MAX_DROPINS).map((f) => byName.get(f)!);
}

/**
 * Read one unit with its drop-ins. `file` is its main fragment; `links` the enable links.
 * Returns undefined when the main fragment cannot be read.
 */
export function readUnit(fs: ReadOnlyFs, name: string, file: string, links: ReadonlyMap<string, string>): Unit | undefined {
  const masked = maskLink(fs, name);
  const main = fs.readText(file, UNIT_MAX_BYTES);
  if (!main.ok) return undefined;
  const service = new Map<string, Assignment[]>();
  const envAssign: Assignment[] = [];
  const envFiles: Assignment[] = [];
  const apply = (text: string, path: string) => {
    for (const a of parseUnitText(text)) {
      if (a.section !== 'Service') continue;
      const entry = { value: a.value, file: path, line: a.line };
      const list = service.get(a.key) ?? [];
      // An empty assignment resets list settings (ExecStart=, Environment=, EnvironmentFile=).
      if (a.value === '') list.length = 0;
      else list.push(entry);
      service.set(a.key, list);
      if (a.key === 'Environment') {
        if (a.value === '') envAssign.length = 0;
        else envAssign.push(entry);
      }
      if (a.key === 'EnvironmentFile') {
        if (a.value === '') envFiles.length = 0;
        else envFiles.push(entry);
      }
    }
  };
  apply(main.text, file);
  for (const d of dropInFiles(fs, name)) {
    const r = fs.readText(d, UNIT_MAX_BYTES);
    if (r.ok) apply(r.text, d);
  }
  const env = new Map<string, string>();
  for (const a of envAssign) {
    for (const w of splitWords(a.value)) {
      const eq = w.indexOf('=');
      if (eq > 0) env.set(w.slice(0, eq), w.slice(eq + 1));
    }
  }
  for (const a of envFiles) {
    const path = a.value.replace(/^-/, '');
    if (!path.startsWith('/')) continue;
    const r = fs.readText(path, ENV_FILE_MAX_BYTES);
    if (r.ok) for (const [k, v] of parseEnvFile(r.text)) env.set(k, v);
  }
  const exec = service.get('ExecStart');
  const unit: Unit = {
    name,
    file,
    state: masked ? 'masked' : links.has(name) ? 'enabled' : 'disabled',
    service,
    env,
  };
  if (!masked && links.has(name)) unit.enabledBy = links.get(name)!;
  if (exec && exec.length > 0) unit.execStart = exec[exec.length - 1]!;
  return unit;
}

/**
 * Template instances enabled by a link (`lighthouse@mainnet.service` → `lighthouse@.service`):
 * instance name → the template's file. Their own files, when they exist, are found by listServiceFiles.
 */
export function templateInstances(links: ReadonlyMap<string, string>, files: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of links.keys()) {
    const m = /^([^@]+)@([^@]+)\.service$/.exec(name);
    if (!m || files.has(name)) continue;
    const template = files.get(`${m[1]}@.service`);
    if (template) out.set(name, template);
  }
  return out;
}

/** systemd specifiers of a unit name in an `ExecStart=` line: `%i`/`%I` the instance, `%n` the name, `%N` without suffix, `%p` the prefix, `%%`. */
export function expandSpecifiers(line: string, name: string): string {
  const m = /^([^@]+)(?:@([^@]*))?\.service$/.exec(name);
  const prefix = m?.[1] ?? name;
  const instance = m?.[2] ?? '';
  const map: Record<string, string> = { i: instance, I: instance, n: name, N: name.replace(/\.service$/, ''), p: prefix, P: prefix, '%': '%' };
  return line.replace(/%([iInNpP%])/g, (_, c: string) => map[c]!);
}

/** The last value of a `[Service]` key. */
export function lastValue(unit: Unit, key: string): Assignment | undefined {
  const l = unit.service.get(key);
  return l && l.length > 0 ? l[l.length - 1] : undefined;
}
