/**
 * The rooted read-only fs behind the airgap probes: symlinks resolved inside the root, never
 * outside it; bounded reads of regular files only.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRootFs } from '../../../src/cli/io/root-fs.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

let tmp: string;
let root: string;
const write = (rel: string, text: string) => {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
};
const link = (rel: string, target: string) => {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.symlinkSync(target, p);
};

beforeEach(() => {
  tmp = mkTmp('coldstake-rootfs-');
  root = path.join(tmp, 'root');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(tmp, 'secret'), 'outside\n');
});
afterEach(() => rmTmp(tmp));

describe('createRootFs', () => {
  it('follows sysfs-style relative links through several levels', () => {
    write('sys/devices/pci0000:00/0000:00:1f.6/net/eth0/operstate', 'up\n');
    link('sys/devices/pci0000:00/0000:00:1f.6/net/eth0/device', '../../../0000:00:1f.6');
    link('sys/devices/pci0000:00/0000:00:1f.6/driver', '../../../bus/pci/drivers/e1000e');
    link('sys/class/net/eth0', '../../devices/pci0000:00/0000:00:1f.6/net/eth0');
    const rfs = createRootFs(root);
    expect(rfs.readText('/sys/class/net/eth0/operstate')).toEqual({ ok: true, text: 'up\n', truncated: false });
    expect(rfs.readlink('/sys/class/net/eth0')).toEqual({ ok: true, target: '../../devices/pci0000:00/0000:00:1f.6/net/eth0' });
    // readlink resolves the parents, not the last component; the target need not exist.
    expect(rfs.readlink('/sys/class/net/eth0/device/driver')).toEqual({ ok: true, target: '../../../bus/pci/drivers/e1000e' });
    expect(rfs.exists('/sys/class/net/eth0/device')).toBe(true);
    expect(rfs.list('/sys/class/net')).toEqual({ ok: true, entries: ['eth0'] });
  });

  it('never leaves the root: `..` stops at it and absolute targets are taken inside it', () => {
    link('a', '../../../../secret');
    link('b', '/secret');
    link('c', `${tmp}/secret`);
    const rfs = createRootFs(root);
    expect(rfs.readText('/a')).toEqual({ ok: false, code: 'ENOENT' });
    expect(rfs.readText('/b')).toEqual({ ok: false, code: 'ENOENT' });
    expect(rfs.readText('/c')).toEqual({ ok: false, code: 'ENOENT' });
    expect(rfs.readText('/../../secret')).toEqual({ ok: false, code: 'ENOENT' });
    write('secret', 'inside\n');
    expect(rfs.readText('/a')).toMatchObject({ ok: true, text: 'inside\n' });
    expect(rfs.readText('/b')).toMatchObject({ ok: true, text: 'inside\n' });
  });

  it('loops, directories, FIFOs and missing paths are codes, not exceptions or hangs', () => {
    link('loop', 'loop');
    fs.mkdirSync(path.join(root, 'dir'));
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    write('file', 'x');
    const rfs = createRootFs(root);
    expect(rfs.readText('/loop')).toEqual({ ok: false, code: 'ELOOP' });
    expect(rfs.readText('/dir')).toEqual({ ok: false, code: 'EISDIR' });
    expect(rfs.readText('/fifo')).toEqual({ ok: false, code: 'ENOTREG' });
    expect(rfs.readText('/file/below')).toEqual({ ok: false, code: 'ENOTDIR' });
    expect(rfs.list('/file')).toMatchObject({ ok: false });
    expect(rfs.readlink('/file')).toMatchObject({ ok: false, code: 'EINVAL' });
    expect(rfs.exists('/nothing')).toBe(false);
  });

  it('reads are bounded: the first maxBytes and a truncated flag', () => {
    write('big', 'a'.repeat(100_000));
    const r = createRootFs(root).readText('/big', 40_000);
    expect(r).toMatchObject({ ok: true, truncated: true });
    expect(r.ok && r.text.length).toBe(40_000);
    expect(createRootFs(root).readText('/big', 100_000)).toMatchObject({ ok: true, truncated: false });
  });

  it('reads the live kernel files the probes use', () => {
    const rfs = createRootFs('/');
    const self = rfs.readText('/proc/self/status');
    expect(self.ok && /^Pid:\s+\d+$/m.test(self.text)).toBe(true);
    const names = rfs.list('/sys/class/net');
    expect(names.ok && names.entries.includes('lo')).toBe(true);
    expect(rfs.readText('/sys/class/net/lo/type')).toMatchObject({ ok: true, text: '772\n' });
  });

  const adminDown = (() => {
    const rfs = createRootFs('/');
    const names = rfs.list('/sys/class/net');
    if (!names.ok) return undefined;
    return names.entries.find((n) => {
      const flags = rfs.readText(`/sys/class/net/${n}/flags`);
      return flags.ok && (parseInt(flags.text, 16) & 1) === 0;
    });
  })();

  it.skipIf(adminDown === undefined)(`the kernel answers a down link's carrier read with EINVAL (${adminDown ?? 'no down interface here'})`, () => {
    expect(createRootFs('/').readText(`/sys/class/net/${adminDown}/carrier`)).toEqual({ ok: false, code: 'EINVAL' });
  });
});
