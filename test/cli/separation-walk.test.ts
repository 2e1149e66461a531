/**
 * The tree walker and scanner on special trees built in temp dirs: symlink loops, links out of
 * the tree, FIFOs, sockets, a 50 MB binary, large text streamed in chunks, unreadable entries.
 * Unreadability is simulated with an injected fs (tests run as root, which ignores mode bits).
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHUNK_BYTES, scanTree } from '../../src/cli/separation/scan.js';
import { looksBinary, NODE_FS, walkTree, type WalkFs } from '../../src/cli/separation/walk.js';
import { FIXTURES, mkTmp, rmTmp } from '../helpers/cli.js';

const used = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'separation/mnemonics-used.json'), 'utf8')) as Array<{ id: string; mnemonic: string }>;
const M24 = used.find((u) => u.id === 'notes')!.mnemonic;

let dir: string;
beforeEach(() => {
  dir = mkTmp('coldstake-sep-');
});
afterEach(() => rmTmp(dir));

const put = (rel: string, data: string | Buffer) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), data);
};
const ids = (a: ReturnType<typeof scanTree>) => a.finish().map((f) => `${f.id}:${path.relative(dir, f.subject)}`).sort();

describe('walker', () => {
  it('never follows symlinks: loops, links out of the tree, dangling links', () => {
    put('home/a/notes.txt', `${M24}\n`);
    fs.symlinkSync('..', path.join(dir, 'home/a/up'));
    fs.symlinkSync('.', path.join(dir, 'home/a/self'));
    fs.symlinkSync(path.join(dir, 'home'), path.join(dir, 'home/a/loop'));
    fs.symlinkSync('/etc', path.join(dir, 'home/etc'));
    fs.symlinkSync('/nonexistent/x', path.join(dir, 'home/dangling'));
    fs.symlinkSync('notes.txt', path.join(dir, 'home/a/alias.txt'));
    const t = walkTree(dir, dir);
    expect(t.files.map((f) => path.relative(dir, f.abs))).toEqual(['home/a/notes.txt']);
    const links = t.events.filter((e) => e.kind === 'symlink');
    expect(links).toHaveLength(6);
    expect(links.filter((e) => e.kind === 'symlink' && e.outside).map((e) => path.relative(dir, e.display))).toEqual(['home/etc']);
    const a = scanTree(dir, dir, { maxFileSize: 1 << 20, progress: false });
    expect(a.summary.skipped.symlink).toBe(6);
    expect(ids(a)).toEqual(['separation-mnemonic:home/a/notes.txt', 'separation-symlink-outside-tree:home/etc']);
  });

  it('a directory reached twice (bind-mount-like) is entered once', () => {
    put('x/f.txt', 'hello\n');
    const real = NODE_FS;
    // Simulate a bind mount: y/ reports the same dev:ino as x/ and lists the same names.
    fs.mkdirSync(path.join(dir, 'y'));
    const fake: WalkFs = {
      ...real,
      lstatSync: (p) => real.lstatSync(p.startsWith(path.join(dir, 'y')) ? p.replace(path.join(dir, 'y'), path.join(dir, 'x')) : p),
      readdirSync: (p) => real.readdirSync(p.startsWith(path.join(dir, 'y')) ? p.replace(path.join(dir, 'y'), path.join(dir, 'x')) : p),
    };
    const t = walkTree(dir, dir, fake);
    expect(t.files).toHaveLength(1);
  });

  it('skips FIFOs and sockets without blocking', async () => {
    put('ok.txt', 'hi\n');
    const fifo = path.join(dir, 'pipe');
    fs.mkdirSync(path.join(dir, 's'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [fifo]);
    const sock = path.join(dir, 's', 'sock');
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const a = scanTree(dir, dir, { maxFileSize: 1 << 20, progress: false });
      expect(a.summary.skipped.special).toBe(2);
      expect(a.summary.files_scanned).toBe(1);
    } finally {
      server.close();
    }
  });

  it('a 50 MB binary is skipped after reading one chunk; --max-file-size skips it unread', () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    big[100] = 0;
    big.write(M24, 40 * 1024 * 1024); // text inside a binary is not scanned
    put('data/blob.bin', big);
    put('data/small.txt', 'fine\n');
    const a = scanTree(dir, dir, { maxFileSize: 64 * 1024 * 1024, progress: false });
    expect(a.summary.skipped.binary).toBe(1);
    expect(a.summary.bytes_read).toBe(CHUNK_BYTES + 5);
    expect(a.finish()).toEqual([]);
    const b = scanTree(dir, dir, { maxFileSize: 10 * 1024 * 1024, progress: false });
    expect(b.summary.skipped.too_large).toBe(1);
    expect(b.summary.bytes_read).toBe(5);
    expect(ids(b)).toEqual(['separation-file-too-large:data/blob.bin']);
  });

  it('streams a large text file: a mnemonic across a chunk boundary is found on its line', () => {
    const line = 'log 2024-01-01 validator attested slot 123456 ok\n';
    let head = line.repeat(Math.floor((CHUNK_BYTES - 40) / line.length));
    head += 'x'.repeat(CHUNK_BYTES - 40 - head.length);
    head += '\n';
    const lines = head.split('\n').length;
    const text = `${head}${M24}\n${line.repeat(60000)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * CHUNK_BYTES);
    put('var/log/validator.log', text);
    const a = scanTree(dir, dir, { maxFileSize: 64 << 20, progress: false });
    const f = a.finish();
    expect(f.map((x) => [x.id, x.evidence['line'], x.evidence['words']])).toEqual([['separation-mnemonic', lines, 24]]);
  });

  it('unreadable files and directories are notes (injected EACCES: root ignores mode bits)', () => {
    put('home/secret-dir/a.txt', `${M24}\n`);
    put('home/locked.txt', `${M24}\n`);
    put('home/open.txt', 'nothing\n');
    const eacces = () => Object.assign(new Error('EACCES'), { code: 'EACCES' });
    const fake: WalkFs = {
      ...NODE_FS,
      readdirSync: (p) => {
        if (p.endsWith('secret-dir')) throw eacces();
        return NODE_FS.readdirSync(p);
      },
      openSync: (p, flags) => {
        if (p.endsWith('locked.txt')) throw eacces();
        return NODE_FS.openSync(p, flags);
      },
    };
    const a = scanTree(dir, dir, { maxFileSize: 1 << 20, fs: fake, progress: false });
    expect(a.summary.skipped.unreadable).toBe(2);
    expect(a.summary.files_scanned).toBe(1);
    const f = a.finish();
    expect(f.map((x) => `${x.id}:${x.severity}:${path.relative(dir, x.subject)}:${x.message}`).sort()).toEqual([
      'separation-unreadable:info:home/locked.txt:not scanned: permission denied',
      'separation-unreadable:info:home/secret-dir:not scanned: permission denied',
    ]);
  });

  it.skipIf(process.getuid?.() === 0)('unreadable for real (mode 000; skipped as root, which ignores modes)', () => {
    put('locked/a.txt', 'x\n');
    put('f.txt', 'y\n');
    fs.chmodSync(path.join(dir, 'f.txt'), 0o000);
    fs.chmodSync(path.join(dir, 'locked'), 0o000);
    try {
      const a = scanTree(dir, dir, { maxFileSize: 1 << 20, progress: false });
      expect(a.summary.skipped.unreadable).toBe(2);
    } finally {
      fs.chmodSync(path.join(dir, 'locked'), 0o700);
    }
  });

  it('a read error in the middle of a file is a note, not a crash', () => {
    put('a.txt', 'x'.repeat(CHUNK_BYTES * 2));
    let calls = 0;
    const fake: WalkFs = {
      ...NODE_FS,
      readSync: (fd, buf, off, len, pos) => {
        if (++calls === 2) throw Object.assign(new Error('EIO'), { code: 'EIO' });
        return NODE_FS.readSync(fd, buf, off, len, pos);
      },
    };
    const a = scanTree(dir, dir, { maxFileSize: 64 << 20, fs: fake, progress: false });
    expect(a.finish().map((x) => x.message)).toEqual(['not scanned: i/o error']);
  });

  it('binary sniffing: NUL bytes or mostly invalid UTF-8', () => {
    expect(looksBinary(Buffer.from('hello\n'))).toBe(false);
    expect(looksBinary(Buffer.from('caf\xe9 au lait, cr\xe8me br\xfbl\xe9e and more plain ascii text here', 'latin1'))).toBe(false);
    expect(looksBinary(Buffer.from([0x68, 0x00, 0x69]))).toBe(true);
    expect(looksBinary(Buffer.from(Array.from({ length: 200 }, (_, i) => 0x80 + (i % 64))))).toBe(true);
    expect(looksBinary(Buffer.alloc(0))).toBe(false);
  });
});

describe('encodings', () => {
  it('notes saved as UTF-16 with a byte-order mark are scanned', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`notes\r\n${M24}\r\n`, 'utf16le')]);
    put('le.txt', le);
    const be = Buffer.from(Buffer.from(`x\n${M24}\n`, 'utf16le')).swap16();
    put('be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    put('nobom.txt', Buffer.from(`${M24}\n`, 'utf16le'));
    const a = scanTree(dir, dir, { maxFileSize: 1 << 20, progress: false });
    expect(ids(a)).toEqual(['separation-mnemonic:be.txt', 'separation-mnemonic:le.txt']);
    expect(a.summary.skipped.binary).toBe(1);
  });
});

describe('hostile JSON', () => {
  it('deeply nested or huge JSON does not crash the scan', () => {
    put('deep.json', `${'['.repeat(100000)}${']'.repeat(100000)}`);
    put('deep-key.json', `${'{"secret_key":'.repeat(5000)}"x"${'}'.repeat(5000)}`);
    put('wide.json', JSON.stringify(Array.from({ length: 300000 }, (_, i) => ({ k: i }))));
    const a = scanTree(dir, dir, { maxFileSize: 64 << 20, progress: false });
    expect(a.summary.files_scanned).toBe(3);
    expect(a.finish()).toEqual([]);
  });
});
