import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafetyRefusal, UsageError } from '../../../src/core/errors.js';
import { prepareOutputDir, writeFileExclusive } from '../../../src/cli/io/safe-write.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkTmp();
});
afterEach(() => rmTmp(dir));

describe('writeFileExclusive', () => {
  it('creates the file with mode 0600 whatever the umask, and leaves no temp file', () => {
    const old = process.umask(0o000);
    try {
      const f = path.join(dir, 'secret.json');
      writeFileExclusive(f, '{"a":1}\n');
      expect(fs.readFileSync(f, 'utf8')).toBe('{"a":1}\n');
      expect(fs.statSync(f).mode & 0o777).toBe(0o600);
      expect(fs.readdirSync(dir)).toEqual(['secret.json']);
    } finally {
      process.umask(old);
    }
  });

  it('honours an explicit mode', () => {
    const f = path.join(dir, 'public.json');
    writeFileExclusive(f, 'x', { mode: 0o644 });
    expect(fs.statSync(f).mode & 0o777).toBe(0o644);
  });

  it('refuses to overwrite (exit 3) and leaves the old content', () => {
    const f = path.join(dir, 'a');
    fs.writeFileSync(f, 'old');
    expect(() => writeFileExclusive(f, 'new')).toThrow(SafetyRefusal);
    expect(fs.readFileSync(f, 'utf8')).toBe('old');
    expect(fs.readdirSync(dir)).toEqual(['a']);
  });

  it('a missing directory is a usage error (exit 2) with nothing left behind', () => {
    const f = path.join(dir, 'nope', 'a');
    expect(() => writeFileExclusive(f, 'x')).toThrow(UsageError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  const canMount = ((): boolean => {
    if (process.getuid?.() !== 0) return false;
    const probe = mkTmp('coldstake-mount-probe-');
    try {
      if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]).status !== 0) return false;
      spawnSync('umount', [probe]);
      return true;
    } finally {
      rmTmp(probe);
    }
  })();
  it.skipIf(!canMount)('a full disk fails cleanly with nothing partial left (64 KiB tmpfs)', () => {
    const mnt = path.join(dir, 'small');
    fs.mkdirSync(mnt);
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status).toBe(0);
    try {
      const f = path.join(mnt, 'big');
      const err = (() => {
        try {
          writeFileExclusive(f, Buffer.alloc(1024 * 1024, 1));
          return null;
        } catch (e) {
          return e as Error;
        }
      })();
      expect(err).toBeInstanceOf(UsageError);
      expect(err?.message).toContain('no space left on device');
      expect(fs.readdirSync(mnt)).toEqual([]);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('prepareOutputDir', () => {
  it('creates a new directory with mode 0700', () => {
    const d = path.join(dir, 'out');
    prepareOutputDir(d);
    expect(fs.statSync(d).mode & 0o777).toBe(0o700);
  });

  it('accepts an empty directory and refuses a non-empty one (exit 3)', () => {
    prepareOutputDir(dir);
    fs.writeFileSync(path.join(dir, 'x'), '');
    expect(() => prepareOutputDir(dir)).toThrow(SafetyRefusal);
  });

  it('refuses a path that is a file (exit 2)', () => {
    const f = path.join(dir, 'f');
    fs.writeFileSync(f, '');
    expect(() => prepareOutputDir(f)).toThrow(UsageError);
  });
});
