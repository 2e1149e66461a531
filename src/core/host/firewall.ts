/**
 * Is a firewall set up to start on boot, read from files: ufw (`/etc/ufw/ufw.conf` ENABLED=yes;
 * Ubuntu enables ufw.service even when ufw itself is off), an nftables or iptables ruleset loaded
 * by an enabled service, or firewalld. The live ruleset needs root and is not read; Docker
 * publishes container ports in its own chains, around ufw.
 */
import { clip, type ReadOnlyFs } from '../airgap/fs.js';
import { finding, type Finding } from '../findings.js';

export interface ShellAssign {
  value: string;
  line: number;
}

/** The last `KEY=value` of a shell-style file (comments `#` ignored, quotes stripped). */
export function shellVar(text: string, key: string): ShellAssign | undefined {
  let found: ShellAssign | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(lines[i]!.replace(/\r$/, ''));
    if (!m || m[1] !== key) continue;
    found = { value: m[2]!.replace(/\s+#.*$/, '').replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'), line: i + 1 };
  }
  return found;
}

/** True when an nftables file has a rule or policy that drops or rejects (a comment never counts). */
export function nftablesFilters(text: string): boolean {
  return text.split('\n').some((l) => !/^\s*#/.test(l) && /\b(drop|reject)\b/.test(l.replace(/#.*$/, '')));
}

/** True when an iptables-save file drops by policy (`:INPUT DROP`) or by rule (`-j DROP|REJECT`). */
export function iptablesFilters(text: string): boolean {
  return text.split('\n').some((l) => !/^\s*#/.test(l) && (/^:INPUT\s+DROP\b/.test(l) || /-j\s+(DROP|REJECT)\b/.test(l)));
}

/** `host-firewall-off`, `host-firewall-allows-incoming`, and the Docker note. */
export function firewallFindings(fs: ReadOnlyFs, enabled: ReadonlySet<string>, dockerPublishes: string | undefined): Finding[] {
  const out: Finding[] = [];
  const seen: string[] = [];
  let on: string | undefined;
  const ufwConf = fs.readText('/etc/ufw/ufw.conf', 64 * 1024);
  const ufwEnabled = ufwConf.ok ? shellVar(ufwConf.text, 'ENABLED') : undefined;
  if (ufwEnabled && /^yes$/i.test(ufwEnabled.value)) {
    on = 'ufw';
    const def = fs.readText('/etc/default/ufw', 64 * 1024);
    const policy = def.ok ? shellVar(def.text, 'DEFAULT_INPUT_POLICY') : undefined;
    if (policy && !/^(DROP|REJECT)$/i.test(policy.value)) {
      out.push(finding('host-firewall-allows-incoming', 'warning', 'ufw', `ufw's default incoming policy is ${clip(policy.value, 20).toLowerCase()}: every port a program opens is reachable`, { file: '/etc/default/ufw', line: policy.line, value: clip(policy.value, 20) }, 'ufw default deny incoming, then ufw allow only the p2p ports (and ssh)'));
    }
  } else if (ufwConf.ok) seen.push(ufwEnabled ? `/etc/ufw/ufw.conf:${ufwEnabled.line} ENABLED=${clip(ufwEnabled.value, 10)}${enabled.has('ufw.service') ? ' (ufw.service is enabled, but it only loads rules when ufw.conf says ENABLED=yes)' : ''}` : '/etc/ufw/ufw.conf has no ENABLED=yes');
  if (!on && enabled.has('nftables.service')) {
    for (const f of ['/etc/nftables.conf', '/etc/sysconfig/nftables.conf']) {
      const r = fs.readText(f, 1024 * 1024);
      if (!r.ok) continue;
      if (nftablesFilters(r.text)) on = `nftables (${f})`;
      else seen.push(`${f} has no drop or reject rule`);
      break;
    }
  }
  if (!on && (enabled.has('netfilter-persistent.service') || enabled.has('iptables.service'))) {
    for (const f of ['/etc/iptables/rules.v4', '/etc/sysconfig/iptables']) {
      const r = fs.readText(f, 1024 * 1024);
      if (!r.ok) continue;
      if (iptablesFilters(r.text)) on = `iptables (${f})`;
      else seen.push(`${f} has no DROP policy or rule`);
      break;
    }
  }
  if (!on && enabled.has('firewalld.service')) on = 'firewalld';
  if (!on) {
    out.push(finding('host-firewall-off', 'warning', 'firewall', 'no firewall is set up to start on boot (no ufw with ENABLED=yes, no nftables or iptables ruleset with a drop rule loaded by an enabled service, no firewalld)', { file: '/etc/ufw/ufw.conf', read: seen }, 'ufw default deny incoming; ufw allow <p2p ports>; ufw allow OpenSSH; ufw enable'));
  }
  if (dockerPublishes !== undefined) {
    out.push(finding('host-firewall-docker', 'info', 'firewall', `Docker publishes container ports in its own iptables chains, around ufw (${clip(dockerPublishes, 80)}): these files cannot vouch for what Docker opens`, { file: dockerPublishes }, 'publish only the p2p ports, bind the rest to 127.0.0.1 (-p 127.0.0.1:5052:5052)'));
  }
  return out;
}
