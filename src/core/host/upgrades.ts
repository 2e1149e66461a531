/**
 * unattended-upgrades rebooting by itself: `Unattended-Upgrade::Automatic-Reboot "true";` in apt's
 * configuration (/etc/apt/apt.conf, then /etc/apt/apt.conf.d/* in name order; the last value wins;
 * `//`, `/* *\/` and `#` comments never count), unless `APT::Periodic::Unattended-Upgrade "0"`.
 */
import { joinPath, type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';

const MAX_BYTES = 256 * 1024;

export interface AptValue {
  value: string;
  file: string;
  line: number;
}

/** Every `Scope::Name "value";` of one apt config text, with nested `Scope { Name "value"; };` blocks flattened. Keys lower-cased. */
export function parseAptConfig(text: string, file: string): Array<[string, AptValue]> {
  const out: Array<[string, AptValue]> = [];
  type Tok = { t: string; line: number; quoted: boolean };
  const toks: Tok[] = [];
  let line = 1;
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
    } else if (/\s/.test(c)) i++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '#' && (i === 0 || text[i - 1] === '\n' || /\s/.test(text[i - 1]!))) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const stop = end < 0 ? text.length : end;
      toks.push({ t: text.slice(i + 1, stop), line, quoted: true });
      for (let k = i; k < stop; k++) if (text[k] === '\n') line++;
      i = stop + 1;
    } else if (c === '{' || c === '}' || c === ';') {
      toks.push({ t: c, line, quoted: false });
      i++;
    } else {
      let j = i;
      while (j < text.length && !/[\s{};"]/.test(text[j]!)) j++;
      toks.push({ t: text.slice(i, j), line, quoted: false });
      i = j;
    }
  }
  const scope: string[] = [];
  for (let k = 0; k < toks.length; k++) {
    const tk = toks[k]!;
    if (!tk.quoted && tk.t === '}') {
      scope.pop();
      continue;
    }
    if (!tk.quoted && (tk.t === ';' || tk.t === '{')) continue;
    const next = toks[k + 1];
    if (next && !next.quoted && next.t === '{') {
      scope.push(tk.t);
      k++;
      continue;
    }
    if (next && next.quoted) {
      out.push([[...scope, tk.t].join('::').toLowerCase(), { value: next.t, file, line: next.line }]);
      k++;
    }
  }
  return out;
}

/** apt's rule for files in apt.conf.d: letters, digits, `_-.`, and no extension or `.conf`. */
function aptReadsFile(name: string): boolean {
  return /^[A-Za-z0-9_.-]+$/.test(name) && (!name.includes('.') || name.endsWith('.conf'));
}

/** The merged apt configuration: key → last value. */
export function readAptConfig(fs: ReadOnlyFs): Map<string, AptValue> {
  const files = ['/etc/apt/apt.conf'];
  const l = fs.list('/etc/apt/apt.conf.d');
  if (l.ok) for (const n of l.entries) if (aptReadsFile(n)) files.push(joinPath('/etc/apt/apt.conf.d', n));
  const cfg = new Map<string, AptValue>();
  for (const f of files) {
    const r = fs.readText(f, MAX_BYTES);
    if (!r.ok) continue;
    for (const [k, v] of parseAptConfig(r.text, f)) cfg.set(k, v);
  }
  return cfg;
}

function aptTrue(v: string): boolean {
  return /^(true|yes|on|1|enable)$/i.test(v.trim());
}

/** `host-auto-reboot` when unattended-upgrades is configured to reboot and not turned off. */
export function autoRebootFindings(cfg: ReadonlyMap<string, AptValue>): Finding[] {
  const reboot = cfg.get('unattended-upgrade::automatic-reboot');
  if (!reboot || !aptTrue(reboot.value)) return [];
  const periodic = cfg.get('apt::periodic::unattended-upgrade');
  if (periodic && /^0+$/.test(periodic.value.trim())) return [];
  const time = cfg.get('unattended-upgrade::automatic-reboot-time');
  return [finding('host-auto-reboot', 'warning', 'unattended-upgrades', `unattended-upgrades reboots the machine by itself when an update asks for it${time ? ` (at ${time.value.replace(/[^0-9:a-z ]/gi, '').slice(0, 20)})` : ' (right after the upgrade)'}: the validator goes down unattended`, { file: reboot.file, line: reboot.line, value: reboot.value.slice(0, 20) }, `set Unattended-Upgrade::Automatic-Reboot "false"; in ${reboot.file} and reboot by hand, while watching`)];
}
