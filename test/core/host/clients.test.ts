/** Recognising validator clients from ExecStart lines, and their layouts with documented defaults. */
import { describe, expect, it } from 'vitest';
import { flagOn, hostPath, parseFlatYaml, recognize, rolesOf, tekuOptions } from '../../../src/core/host/clients.js';

const argv = (s: string) => s.split(/\s+/);

describe('recognize', () => {
  it.each([
    ['/usr/local/bin/lighthouse vc --datadir /var/lib/lighthouse --enable-doppelganger-protection', 'lighthouse', 'vc'],
    ['/usr/local/bin/lighthouse --network mainnet bn --http', 'lighthouse', 'bn'],
    ['/usr/local/bin/validator --wallet-dir=/w --enable-doppelganger', 'prysm', 'validator'],
    ['/usr/local/bin/beacon-chain --datadir=/b', 'prysm', 'beacon-chain'],
    ['/opt/teku/bin/teku validator-client --validator-keys=/k:/p', 'teku', 'validator-client'],
    ['/usr/bin/nimbus_validator_client --data-dir=/n', 'nimbus', undefined],
    ['/usr/bin/node --max-old-space-size=4096 /opt/lodestar/packages/cli/bin/lodestar validator --dataDir /l', 'lodestar', 'validator'],
    ['-/usr/bin/env LANG=C /usr/local/bin/lighthouse vc', 'lighthouse', 'vc'],
    ['/usr/bin/sudo -u lh /usr/local/bin/lighthouse vc', 'lighthouse', 'vc'],
    ['/usr/bin/docker run --rm -v /srv/lh:/root/.lighthouse -u 1000:1000 sigp/lighthouse:v7.0.0 lighthouse vc --datadir /root/.lighthouse', 'lighthouse', 'vc'],
    ['/usr/bin/docker run --rm --name teku consensys/teku:25.1.0 --validator-keys=/k:/p', 'teku', undefined],
    ['/usr/bin/podman run chainsafe/lodestar:v1.27.0 validator --network mainnet', 'lodestar', 'validator'],
    ['/usr/bin/docker run gcr.io/prysmaticlabs/prysm/validator:v5.3.0 --wallet-dir=/w', 'prysm', 'validator'],
    ['/opt/web3signer/bin/web3signer --key-store-path=/k eth2', 'web3signer', 'eth2'],
  ])('%s', (line, kind, sub) => {
    const inv = recognize(argv(line))!;
    expect(inv.kind).toBe(kind);
    expect(inv.sub).toBe(sub);
  });

  it('a shell line: the segment that runs the client, ~ noted', () => {
    const inv = recognize(['/bin/bash', '-c', 'cd /opt && exec /usr/local/bin/lighthouse vc --datadir ~/.lh'])!;
    expect(inv.kind).toBe('lighthouse');
    expect(inv.viaShell).toBe(true);
    expect(inv.flags.get('datadir')).toBe('~/.lh');
  });

  it('not a client', () => {
    expect(recognize(argv('/usr/sbin/sshd -D'))).toBeUndefined();
    expect(recognize(argv('/usr/bin/docker run nginx'))).toBeUndefined();
    expect(recognize(argv('/usr/bin/node /srv/app.js'))).toBeUndefined();
  });

  it('flags: =value, separate value, bare flag, false; subcommands are not eaten as values', () => {
    const inv = recognize(argv('/bin/lighthouse --staking vc --a=1 --b 2 --c --d false'))!;
    expect(inv.sub).toBe('vc');
    expect([...inv.flags]).toEqual([['staking', true], ['a', '1'], ['b', '2'], ['c', true], ['d', 'false']]);
    expect(flagOn(true)).toBe(true);
    expect(flagOn('false')).toBe(false);
    expect(flagOn('no')).toBe(false);
    expect(flagOn('maybe')).toBeUndefined();
  });

  it('roles: one-off subcommands are not services; teku and nimbus beacon nodes validate when they have keys', () => {
    expect(rolesOf(recognize(argv('/bin/lighthouse account validator import'))!, false)).toBeUndefined();
    expect(rolesOf(recognize(argv('/usr/local/bin/validator accounts import --wallet-dir=/w'))!, false)).toBeUndefined();
    expect(rolesOf(recognize(argv('/usr/local/bin/validator --wallet-dir=/w'))!, false)).toEqual({ beacon: false, validator: true, signer: false });
    expect(rolesOf(recognize(argv('/bin/teku --data-path=/t'))!, true)).toEqual({ beacon: true, validator: true, signer: false });
    expect(rolesOf(recognize(argv('/bin/teku --data-path=/t'))!, false)).toEqual({ beacon: true, validator: false, signer: false });
    expect(rolesOf(recognize(argv('/bin/nimbus_beacon_node --data-dir=/n'))!, true)!.validator).toBe(true);
  });

  it('container paths map to the host through -v and --mount; unmapped paths are not on the host', () => {
    const inv = recognize(argv('/usr/bin/docker run -v /srv/a:/data --mount type=bind,source=/srv/b,target=/data/keys sigp/lighthouse lighthouse vc'))!;
    expect(hostPath(inv, '/data/x', '/')).toBe('/srv/a/x');
    expect(hostPath(inv, '/data/keys/k.json', '/')).toBe('/srv/b/k.json');
    expect(hostPath(inv, '/root/.lighthouse', '/')).toBeUndefined();
  });

  it('teku options: flag > TEKU_ environment > config file; lists split on commas', () => {
    const cfg = parseFlatYaml('# c\nvalidator-keys:\n  - "/a:/b"\n  - /c:/d\ndoppelganger-detection-enabled: true # on\nnetwork: mainnet\n');
    expect(cfg.get('validator-keys')).toEqual(['/a:/b', '/c:/d']);
    const inv = recognize(argv('/bin/teku --network=holesky'))!;
    const env = new Map([['TEKU_DOPPELGANGER_DETECTION_ENABLED', 'false']]);
    const o = tekuOptions(inv, env, cfg);
    expect(o.get('network')).toEqual({ value: 'holesky', from: 'flag' });
    expect(o.get('doppelganger-detection-enabled')).toEqual({ value: 'false', from: 'env' });
    expect(o.list('validator-keys')).toEqual(['/a:/b', '/c:/d']);
    expect(tekuOptions(recognize(argv('/bin/teku --validator-keys=/x:/y,/z:/w'))!, new Map(), cfg).list('validator-keys')).toEqual(['/x:/y', '/z:/w']);
  });
});
