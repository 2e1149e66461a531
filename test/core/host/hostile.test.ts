/** The host parsers on arbitrary text: they never throw, and what they return keeps its shape. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recognize } from '../../../src/core/host/clients.js';
import { parseMountinfo } from '../../../src/core/host/disks.js';
import { nftablesFilters, shellVar } from '../../../src/core/host/firewall.js';
import { parseDefinitions, parseSignerConfig } from '../../../src/core/host/keystores.js';
import { parseAptConfig } from '../../../src/core/host/upgrades.js';
import { expandExec, parseEnvFile, parseUnitText, splitWords } from '../../../src/core/host/units.js';

const text = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.array(fc.constantFrom('ExecStart=', '[Service]', '\\\n', '"', "'", '$X', '${X}', '- enabled: true\n', '  voting_public_key: ', '0x', 'a1'.repeat(48), '{', '}', ';', '//', '/*', '*/', '#', '\n', ' ', '=', ':', '-', 'docker run', ' -v /a:/b ', 'sh -c ', 'lighthouse vc', '--x=', 'Match all\n'), { maxLength: 80 }).map((a) => a.join('')),
);

describe('host parsers on hostile text', () => {
  it('never throw', () => {
    fc.assert(
      fc.property(text, (t) => {
        const units = parseUnitText(t);
        for (const u of units) expect(u.line).toBeGreaterThan(0);
        const argv = expandExec(t, new Map([['X', 'a b']]));
        recognize(argv);
        recognize(splitWords(t));
        recognize(['/bin/sh', '-c', t]);
        recognize(['/usr/bin/docker', 'run', ...splitWords(t)]);
        parseEnvFile(t);
        for (const e of parseDefinitions(t)) expect(e.pubkey === undefined || /^0x[0-9a-f]{96}$/.test(e.pubkey)).toBe(true);
        parseSignerConfig(t);
        parseAptConfig(t, '/f');
        parseMountinfo(t);
        shellVar(t, 'ENABLED');
        nftablesFilters(t);
      }),
      { numRuns: 300, seed: 16 },
    );
  });
});
