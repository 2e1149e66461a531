import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../../src/core/errors.js';
import { decodeUtf8, readBoundedFile, readJsonFile } from '../../../src/cli/io/read-input.js';
import { mkTmp, rmTmp } from '../../helpers/cli.js';

let dir: string;
beforeEach(() => {
  dir = mkTmp();
});
afterEach(() => rmTmp(dir));

describe('bounded input', () => {
  it('reads a file within the bound', () => {
    const f = path.join(dir, 'a');
    fs.writeFileSync(f, 'hello');
    expect(readBoundedFile(f, 5).toString()).toBe('hello');
  });

  it('refuses a file over the bound before reading it, naming the file', () => {
    const f = path.join(dir, 'big');
    fs.writeFileSync(f, Buffer.alloc(65 * 1024));
    expect(() => readBoundedFile(f, 64 * 1024)).toThrow(/big: file is 66560 bytes, more than the 65536-byte limit/);
  });

  it('missing files and directories are input errors', () => {
    expect(() => readBoundedFile(path.join(dir, 'nope'), 10)).toThrow(/no such file/);
    expect(() => readBoundedFile(dir, 10)).toThrow(InputError);
  });

  it('rejects invalid UTF-8', () => {
    expect(() => decodeUtf8(Buffer.from([0x61, 0xff, 0x62]), 'f')).toThrow(/f: not valid UTF-8 text \(line 1, byte 1 of the file\)/);
    // Positions, never content: after a valid multibyte character and a line break; overlong and
    // surrogate forms and a truncated final character are found where they start.
    expect(() => decodeUtf8(Buffer.concat([Buffer.from('é\nab'), Buffer.from([0xc0, 0xaf])]), 'f')).toThrow(/line 2, byte 5 /);
    expect(() => decodeUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]), 'f')).toThrow(/line 1, byte 1 /);
    expect(() => decodeUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]), 'f')).toThrow(/line 1, byte 2 /);
  });

  it('JSON errors say where, never quote the content', () => {
    const f = path.join(dir, 'k.json');
    fs.writeFileSync(f, '{"secret": "abandon ability able",\n oops}');
    let msg = '';
    try {
      readJsonFile(f, 1024);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/k\.json: not valid JSON at line 2 column \d+/);
    expect(msg).not.toContain('abandon');
    expect(msg).not.toContain('oops');
  });
});

describe('reads to EOF, not to st_size (issue 14 point 7)', () => {
  it('a /proc file (st_size 0) is read whole, and still bounded', () => {
    expect(fs.statSync('/proc/self/status').size).toBe(0);
    const text = readBoundedFile('/proc/self/status', 1024 * 1024).toString();
    expect(text).toMatch(/^Name:/);
    expect(text).toMatch(/\nPid:\s+\d+/);
    expect(() => readBoundedFile('/proc/self/status', 16)).toThrow(/more than the 16-byte limit/);
  });
  it('a file longer than its first read (more than 64 KiB) is read whole', () => {
    const f = path.join(dir, 'big');
    const body = Buffer.alloc(200 * 1024, 0x61);
    fs.writeFileSync(f, body);
    expect(readBoundedFile(f, 200 * 1024).equals(body)).toBe(true);
    expect(() => readBoundedFile(f, 200 * 1024 - 1)).toThrow(InputError);
  });
});
