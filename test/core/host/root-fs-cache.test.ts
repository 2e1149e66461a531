/** The directory lstat cache of the root-confined view: links through cached directories still resolve inside the root. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRootFs } from '../../../src/cli/io/root-fs.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

const outer = mkTmp('coldstake-host-rootfs-');
afterAll(() => rmTmp(outer));

describe('root-fs with many reads through the same directories', () => {
  it('absolute and climbing links stay in the root on every read, cached or not', () => {
    const root = path.join(outer, 'root');
    fs.mkdirSync(path.join(root, 'b', 'c'), { recursive: true });
    fs.writeFileSync(path.join(root, 'b', 'c', 'k.json'), 'inside');
    fs.writeFileSync(path.join(outer, 'k.json'), 'outside');
    fs.symlinkSync('/b', path.join(root, 'a'));
    fs.symlinkSync('../../../../../../..', path.join(root, 'b', 'up'));
    const r = createRootFs(root);
    for (let i = 0; i < 3; i++) {
      expect(r.readText('/a/c/k.json')).toMatchObject({ ok: true, text: 'inside' });
      expect(r.readText('/b/up/b/c/k.json')).toMatchObject({ ok: true, text: 'inside' });
      expect(r.readText('/b/up/k.json')).toMatchObject({ ok: false });
      expect(r.readText('/../k.json')).toMatchObject({ ok: false });
    }
    expect(r.readText('/missing/dir/k.json')).toMatchObject({ ok: false, code: 'ENOENT' });
    expect(r.readText('/b/c/k.json/x')).toMatchObject({ ok: false, code: 'ENOTDIR' });
  });
});
