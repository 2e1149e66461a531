/**
 * sshd's configuration read as sshd reads it: the first value of a keyword wins, `Include` globs
 * are expanded in order (relative to /etc/ssh), and a keyword inside a `Match` block applies only
 * to the connections it matches: reported as "depends on match", never guessed.
 */
import { clip, joinPath, type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';

export const SSHD_CONFIG = '/etc/ssh/sshd_config';
const MAX_BYTES = 1024 * 1024;
const MAX_DEPTH = 16;

export interface SshSetting {
  value: string;
  file: string;
  line: number;
  /** The `Match` line this setting sits under, when it is conditional. */
  match?: string;
}

export interface SshdConfig {
  /** Lower-case keyword → first unconditional value. */
  global: Map<string, SshSetting>;
  /** Settings inside Match blocks, in file order. */
  conditional: Array<SshSetting & { keyword: string }>;
  files: string[];
  /** Included files that exist but could not be read (`EACCES` when not run as root), with the error. */
  unreadable: Array<{ file: string; code: string }>;
}

/** Expand one glob in the last path component (`*`, `?`), sorted as glob(3) sorts. */
function expandGlob(fs: ReadOnlyFs, pattern: string): string[] {
  const abs = pattern.startsWith('/') ? pattern : joinPath('/etc/ssh', pattern);
  const slash = abs.lastIndexOf('/');
  const dir = abs.slice(0, slash) || '/';
  const base = abs.slice(slash + 1);
  if (!/[*?[]/.test(base)) return [abs];
  const re = new RegExp(`^${base.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  const l = fs.list(dir);
  if (!l.ok) return [];
  return l.entries.filter((n) => re.test(n) && !n.startsWith('.')).map((n) => joinPath(dir, n));
}

/** Read sshd_config and its includes. Undefined when sshd_config is absent (no ssh server configured). */
export function readSshdConfig(fs: ReadOnlyFs): SshdConfig | undefined {
  const cfg: SshdConfig = { global: new Map(), conditional: [], files: [], unreadable: [] };
  const readFile = (file: string, depth: number, match: string | undefined): boolean => {
    const r = fs.readText(file, MAX_BYTES);
    if (!r.ok) {
      if (r.code !== 'ENOENT' && depth > 0) cfg.unreadable.push({ file, code: r.code });
      return false;
    }
    cfg.files.push(file);
    let cur = match;
    const lines = r.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!.replace(/\r$/, '').trim();
      if (line === '' || line.startsWith('#')) continue;
      const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
      if (!m) continue;
      const keyword = m[1]!.toLowerCase();
      const value = m[2]!.replace(/\s+#.*$/, '').trim().replace(/^"(.*)"$/, '$1');
      if (keyword === 'match') {
        cur = /^all$/i.test(value) ? undefined : `Match ${clip(value, 120)} (${file}:${i + 1})`;
        continue;
      }
      if (keyword === 'include') {
        if (depth < MAX_DEPTH) for (const pattern of value.split(/\s+/)) for (const f of expandGlob(fs, pattern)) readFile(f, depth + 1, cur);
        continue;
      }
      const setting: SshSetting = { value, file, line: i + 1 };
      if (cur !== undefined) cfg.conditional.push({ ...setting, keyword, match: cur });
      else if (!cfg.global.has(keyword)) cfg.global.set(keyword, setting);
    }
    return true;
  };
  return readFile(SSHD_CONFIG, 0, undefined) ? cfg : undefined;
}

function yes(v: string): boolean {
  return /^yes$/i.test(v);
}

function where(s: SshSetting | undefined): Record<string, unknown> {
  return s ? { file: s.file, line: s.line, value: clip(s.value, 80) } : { file: SSHD_CONFIG, value: null };
}

/** `host-ssh-password-auth`, `host-ssh-root-login`, and `host-ssh-depends-on-match` notes. */
export function sshdFindings(cfg: SshdConfig): Finding[] {
  const out: Finding[] = [];
  const pw = cfg.global.get('passwordauthentication');
  const kbd = cfg.global.get('kbdinteractiveauthentication') ?? cfg.global.get('challengeresponseauthentication');
  const pam = cfg.global.get('usepam');
  const fixPw = 'set "PasswordAuthentication no" and "KbdInteractiveAuthentication no" at the top of /etc/ssh/sshd_config (first value wins), then reload sshd';
  if (!pw || yes(pw.value)) {
    out.push(finding('host-ssh-password-auth', 'warning', 'sshd', pw ? 'sshd allows password logins' : "sshd allows password logins: PasswordAuthentication is not set and OpenSSH's default is yes", where(pw), fixPw));
  } else if ((!kbd || yes(kbd.value)) && pam && yes(pam.value)) {
    out.push(finding('host-ssh-password-auth', 'warning', 'sshd', `sshd allows keyboard-interactive logins through PAM (KbdInteractiveAuthentication ${kbd ? 'yes' : "not set: OpenSSH's default is yes"}, UsePAM yes): PAM asks for the password`, where(kbd ?? pam), fixPw));
  }
  const root = cfg.global.get('permitrootlogin');
  const rootValue = root?.value.toLowerCase() ?? 'prohibit-password';
  if (rootValue !== 'no') {
    const why = rootValue === 'prohibit-password' || rootValue === 'without-password'
      ? `PermitRootLogin is ${root ? rootValue : "not set: OpenSSH's default is prohibit-password"}: root can still log in with a key, so one stolen key is root on the validator`
      : rootValue === 'forced-commands-only'
        ? 'PermitRootLogin is forced-commands-only: root can log in with a key that runs a fixed command'
        : `PermitRootLogin is ${clip(rootValue, 40)}: root can log in over ssh`;
    out.push(finding('host-ssh-root-login', 'warning', 'sshd', why, where(root), 'set "PermitRootLogin no" at the top of /etc/ssh/sshd_config, log in as a user and use sudo, then reload sshd'));
  }
  for (const u of cfg.unreadable) {
    out.push(finding('host-ssh-unreadable', 'info', u.file, `an sshd_config include could not be read (${u.code}): a value set there comes first and is not seen, so the ssh findings may be wrong`, { file: u.file, code: u.code }, 'run coldstake host check as root (sudo) for a complete reading'));
  }
  const watched = new Set(['passwordauthentication', 'kbdinteractiveauthentication', 'challengeresponseauthentication', 'permitrootlogin']);
  for (const c of cfg.conditional) {
    if (!watched.has(c.keyword)) continue;
    out.push(finding('host-ssh-depends-on-match', 'info', 'sshd', `${c.keyword} ${clip(c.value, 40)} applies only to connections matching ${c.match}: depends on match, not judged here`, { file: c.file, line: c.line, value: clip(c.value, 80), match: c.match }));
  }
  return out;
}
