/** systemd unit reading: continuation lines, comments, quoting, $VAR / ${VAR} expansion, drop-in resets, masks and enable links. */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRootFs } from '../../../src/cli/io/root-fs.js';
import { checkHost } from '../../../src/core/host/check.js';
import { expandExec, expandSpecifiers, listServiceFiles, parseEnvFile, parseUnitText, readEnableLinks, readUnit, splitWords } from '../../../src/core/host/units.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

let tmp: string | undefined;
afterEach(() => {
  if (tmp) rmTmp(tmp);
  tmp = undefined;
});

function tree(files: Record<string, string>, links: Record<string, string> = {}): string {
  tmp = mkTmp('coldstake-host-units-');
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tmp, p)), { recursive: true });
    fs.writeFileSync(path.join(tmp, p), text);
  }
  for (const [p, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(tmp, p)), { recursive: true });
    fs.symlinkSync(target, path.join(tmp, p));
  }
  return tmp;
}

describe('unit text', () => {
  it('joins continuation lines, skips # and ; comments, keeps sections and line numbers', () => {
    const a = parseUnitText('[Unit]\nDescription=x\n# ExecStart=/bin/no\n[Service]\n; User=root\nExecStart=/usr/bin/lighthouse vc \\\n  --datadir /d \\\n# comment inside\n  --x\nUser=lh\n');
    expect(a.map((x) => [x.section, x.key, x.value, x.line])).toEqual([
      ['Unit', 'Description', 'x', 2],
      ['Service', 'ExecStart', '/usr/bin/lighthouse vc    --datadir /d    --x', 6],
      ['Service', 'User', 'lh', 10],
    ]);
  });

  it('splits words with quotes and expands variables as systemd does', () => {
    expect(splitWords(`"A=1 2" B=3 'C=x y'`)).toEqual(['A=1 2', 'B=3', 'C=x y']);
    const env = new Map([['EXTRA', '--a --b'], ['DIR', '/srv/x y']]);
    expect(expandExec('/bin/lh vc $EXTRA --datadir ${DIR} "$EXTRA" $$HOME', env)).toEqual(['/bin/lh', 'vc', '--a', '--b', '--datadir', '/srv/x y', '$EXTRA', '$HOME']);
    expect(expandExec('/bin/lh $UNSET x', new Map())).toEqual(['/bin/lh', 'x']);
  });

  it('reads environment files (comments, quotes, export)', () => {
    expect([...parseEnvFile('# c\nexport A="1 2"\nB=3\n; d\nbad line\n')]).toEqual([['A', '1 2'], ['B', '3']]);
  });
});

describe('units in a tree', () => {
  it('drop-ins override in name order; an empty ExecStart= resets; /etc wins over /usr/lib; masks and absolute enable links', () => {
    const root = tree(
      {
        'usr/lib/systemd/system/lh.service': '[Service]\nUser=a\nExecStart=/usr/bin/lighthouse vc --datadir /old\n',
        'etc/systemd/system/lh.service.d/20-b.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/lighthouse vc --datadir ${D}\nEnvironment=D=/new\n',
        'usr/lib/systemd/system/lh.service.d/20-b.conf': '[Service]\nUser=shadowed\n',
        'etc/systemd/system/lh.service.d/10-a.conf': '[Service]\nUser=b\n',
        'usr/lib/systemd/system/chrony.service': '[Service]\nExecStart=/usr/sbin/chronyd\n',
        'usr/lib/systemd/system/ntp.service': '[Service]\nExecStart=/usr/sbin/ntpd\n',
      },
      {
        'etc/systemd/system/multi-user.target.wants/lh.service': '/usr/lib/systemd/system/lh.service',
        'etc/systemd/system/multi-user.target.wants/chrony.service': '/usr/lib/systemd/system/chrony.service',
        'etc/systemd/system/chrony.service': '/dev/null',
      },
    );
    const fsr = createRootFs(root);
    const links = readEnableLinks(fsr);
    const files = listServiceFiles(fsr);
    expect(files.get('lh.service')).toBe('/usr/lib/systemd/system/lh.service');
    const u = readUnit(fsr, 'lh.service', files.get('lh.service')!, links)!;
    expect(u.state).toBe('enabled');
    expect(u.enabledBy).toBe('/etc/systemd/system/multi-user.target.wants/lh.service');
    expect(u.service.get('User')!.map((x) => x.value)).toEqual(['a', 'b']);
    expect(u.execStart).toMatchObject({ file: '/etc/systemd/system/lh.service.d/20-b.conf', line: 3 });
    expect(expandExec(u.execStart!.value, u.env)).toEqual(['/usr/bin/lighthouse', 'vc', '--datadir', '/new']);
    const c = readUnit(fsr, 'chrony.service', files.get('chrony.service')!, links)!;
    expect(c.state).toBe('masked');
    expect(readUnit(fsr, 'ntp.service', files.get('ntp.service')!, links)!.state).toBe('disabled');
  });
});

describe('template units', () => {
  it('an enabled instance of a template runs with its instance name in %i; the template drop-ins apply', () => {
    expect(expandSpecifiers('/bin/lh vc --datadir /var/lib/%i --name %n %% %p', 'lh@mainnet.service')).toBe('/bin/lh vc --datadir /var/lib/mainnet --name lh@mainnet.service % lh');
    const root = tree(
      {
        'etc/passwd': 'root:x:0:0::/root:/bin/sh\nlh:x:990:990::/home/lh:/bin/sh\n',
        'etc/systemd/system/lighthouse@.service': '[Service]\nUser=lh\nExecStart=/usr/bin/lighthouse vc --datadir /var/lib/lighthouse-%i\n',
        'etc/systemd/system/lighthouse@.service.d/dg.conf': '[Service]\nExecStart=\nExecStart=/usr/bin/lighthouse vc --datadir /var/lib/lighthouse-%i --enable-doppelganger-protection\n',
      },
      { 'etc/systemd/system/multi-user.target.wants/lighthouse@hoodi.service': '/etc/systemd/system/lighthouse@.service' },
    );
    const r = checkHost(createRootFs(root));
    expect(r.clients.map((c) => [c.unit, c.status, c.dataDir])).toEqual([['lighthouse@hoodi.service', 'enabled', '/var/lib/lighthouse-hoodi']]);
    expect(r.findings.some((f) => f.id === 'host-doppelganger-off')).toBe(false);
  });
});
