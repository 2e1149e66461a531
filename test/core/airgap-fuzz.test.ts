/**
 * Property: whatever bytes every file of a machine tree holds, the airgap check returns a
 * verdict made of well-formed findings; it never throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAirgap } from '../../src/core/airgap/check.js';
import type { HostFacts, ReadOnlyFs } from '../../src/core/airgap/fs.js';

const FILES = [
  '/sys/class/net/eth0/operstate', '/sys/class/net/eth0/carrier', '/sys/class/net/eth0/flags', '/sys/class/net/eth0/type', '/sys/class/net/eth0/uevent',
  '/sys/class/rfkill/rfkill0/type', '/sys/class/rfkill/rfkill0/soft', '/sys/class/rfkill/rfkill0/hard', '/sys/class/rfkill/rfkill0/state',
  '/proc/net/route', '/proc/net/ipv6_route', '/proc/net/if_inet6', '/proc/net/fib_trie', '/proc/swaps', '/proc/sys/kernel/core_pattern',
  '/proc/self/limits', '/proc/self/status', '/proc/self/environ', '/proc/cpuinfo', '/proc/mounts', '/proc/1/cgroup', '/proc/1/sched',
  '/sys/class/dmi/id/sys_vendor', '/sys/block/sdb/removable',
];

function fsOf(contents: string[]): ReadOnlyFs {
  const files = new Map(FILES.map((f, i) => [f, contents[i % contents.length]!]));
  return {
    readText: (p) => (files.has(p) ? { ok: true, text: files.get(p)!, truncated: false } : { ok: false, code: 'ENOENT' }),
    list: (dir) => {
      const names = [...new Set(FILES.filter((f) => f.startsWith(`${dir}/`)).map((f) => f.slice(dir.length + 1).split('/')[0]!))];
      return names.length ? { ok: true, entries: names } : { ok: false, code: 'ENOENT' };
    },
    readlink: () => ({ ok: false, code: 'EINVAL' }),
    exists: (p) => FILES.some((f) => f === p || f.startsWith(`${p}/`)),
  };
}

const FACTS: HostFacts = { platform: 'linux', live: false, uid: null, ppid: null, env: null, interfaces: null };

// Text that looks like the real files often enough to reach deep parser branches.
const fragment = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('Iface\tDestination\tGateway \tFlags\n', 'eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n', 'Main:\n', '  |-- 10.0.0.1\n', '     /32 host LOCAL\n', '/0 universe UNICAST\n',
    '00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003 eth0\n',
    'Filename\tType\tSize\tUsed\tPriority\n', '/dev/sdb1 /media/x vfat rw 0 0\n', 'PPid:\t1\n', 'Uid:\t0\t0\t0\t0\n', 'Max core file size 0 unlimited bytes\n', 'up\n', '1\n', '0x1003\n', '|', '\0', '\n'),
);
const content = fc.array(fragment, { maxLength: 12 }).map((xs) => xs.join(''));

describe('airgap check on arbitrary file contents', () => {
  it('never throws and returns well-formed findings', () => {
    fc.assert(
      fc.property(fc.array(content, { minLength: 1, maxLength: FILES.length }), (contents) => {
        const r = checkAirgap(fsOf(contents), FACTS);
        expect(typeof r.airgapped).toBe('boolean');
        expect(r.airgapped).toBe(!r.findings.some((f) => f.severity === 'error'));
        for (const f of r.findings) {
          expect(f.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(['error', 'warning', 'info']).toContain(f.severity);
          expect('file' in f.evidence && 'value' in f.evidence).toBe(true);
          expect(() => JSON.stringify(f)).not.toThrow();
        }
      }),
      { numRuns: 400, seed: 20261125 },
    );
  });
});
