import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath, JsonStreamError, JsonStreamParser, type JsonStreamOptions, type PathSegment } from '../../src/core/json-stream.js';

const enc = new TextEncoder();

/** Parse bytes split at the given chunk size; returns the root and the emitted values. */
function parse(input: string | Uint8Array, chunk = 1 << 20, opts: JsonStreamOptions = {}) {
  const bytes = typeof input === 'string' ? enc.encode(input) : input;
  const emitted: Array<[PathSegment[], unknown]> = [];
  const p = new JsonStreamParser({ ...opts, onValue: (path, v) => emitted.push([[...path], v]) });
  for (let i = 0; i < bytes.length; i += chunk) p.write(bytes.subarray(i, i + chunk));
  return { root: p.end(), emitted };
}

function error(input: string | Uint8Array, chunk = 1 << 20, opts: JsonStreamOptions = {}): JsonStreamError {
  try {
    parse(input, chunk, opts);
  } catch (err) {
    if (err instanceof JsonStreamError) return err;
    throw err;
  }
  throw new Error('expected a JsonStreamError');
}

describe('JsonStreamParser agrees with JSON.parse', () => {
  it('on generated documents, at every chunk size', () => {
    fc.assert(
      fc.property(fc.json({ maxDepth: 5 }), fc.integer({ min: 1, max: 17 }), (text, chunk) => {
        expect(parse(text, chunk).root).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('on unicode strings and escapes split across chunks', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 5 }), (s, chunk) => {
        fc.pre(!/[\uD800-\uDFFF]/.test(s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
        const esc = s.split('').map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
        const text = `{"s":${JSON.stringify(s)},"esc":"${esc}"}`;
        const root = parse(text, chunk).root as { s: string; esc: string };
        expect(root).toEqual(JSON.parse(text));
        expect(root.esc).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what JSON.parse rejects', () => {
    const bad = ['', ' ', '{', '[1,]', '{"a":1,}', '{"a" 1}', '01', '1.', '.5', '-', '+1', '1e', 'tru', 'nul', 'True', "'a'", '"a', '[1 2]', '{"a":1}x', '{,}', '[,1]', 'NaN', 'Infinity', '"\\x"', '"\\u12"', '"\t"', '[01]', '1.2.3', '--1'];
    for (const b of bad) {
      expect(() => JSON.parse(b), b).toThrow();
      expect(error(b, 1), b).toBeInstanceOf(JsonStreamError);
    }
  });
});

describe('JsonStreamParser strictness', () => {
  it('rejects a duplicate key and names its path', () => {
    const e = error('{"data":[{"pubkey":"a","pubkey":"b"}]}');
    expect(e.message).toMatch(/duplicate key/);
    expect(formatPath(e.path)).toBe('data[0].pubkey');
  });

  it('treats __proto__ as an ordinary key', () => {
    const { root } = parse('{"__proto__":{"polluted":1}}');
    expect(Object.getPrototypeOf(root)).toBeNull();
    expect((root as Record<string, unknown>)['__proto__']).toEqual({ polluted: 1 });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('validates UTF-8 across chunk boundaries', () => {
    const ok = enc.encode('"é€😀"');
    for (let c = 1; c <= ok.length; c++) expect(parse(ok, c).root).toBe('é€😀');
    const bad = [
      [0x22, 0xc3, 0x28, 0x22], // bad continuation
      [0x22, 0xc0, 0xaf, 0x22], // overlong
      [0x22, 0xed, 0xa0, 0x80, 0x22], // encoded surrogate
      [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22], // above U+10FFFF
      [0x22, 0xe2, 0x82, 0x22], // truncated
    ];
    for (const b of bad) for (let c = 1; c <= 3; c++) expect(error(new Uint8Array(b), c).message).toMatch(/UTF-8/);
  });

  it('rejects bytes outside strings that are not JSON, and a byte order mark', () => {
    expect(error(new Uint8Array([0xef, 0xbb, 0xbf, 0x31])).message).toMatch(/byte order mark/);
    expect(error(new Uint8Array([0x5b, 0xc3, 0xa9, 0x5d])).message).toMatch(/expected a value/);
  });

  it('rejects lone surrogate escapes', () => {
    for (const s of ['"\\ud800"', '"\\udc00"', '"\\ud800\\u0041"', '"\\ud800x"', '"\\ud800\\n"']) expect(error(s, 2).message, s).toMatch(/surrogate/);
    expect(parse('"\\ud83d\\ude00"', 3).root).toBe('😀');
  });

  it('bounds document size, depth, string and number length, and retained memory', () => {
    expect(error('[1,2,3,4]', 3, { limits: { maxBytes: 8 } }).message).toMatch(/larger than the 8-byte limit/);
    expect(error('[[[[1]]]]', 2, { limits: { maxDepth: 3 } }).message).toMatch(/nesting deeper than 3/);
    expect(error(`"${'a'.repeat(20)}"`, 4, { limits: { maxStringBytes: 10 } }).message).toMatch(/string longer than 10 bytes/);
    expect(error(`{"${'k'.repeat(20)}":1}`, 4, { limits: { maxStringBytes: 10 } }).message).toMatch(/string longer/);
    expect(error(`1${'0'.repeat(70)}`, 4).message).toMatch(/number longer than 64/);
    const big = JSON.stringify({ meta: Array.from({ length: 2000 }, (_, i) => `value-${i}`) });
    expect(error(big, 100, { limits: { maxRetainedBytes: 10_000 } }).message).toMatch(/bounded memory/);
  });

  it('names line, column and path of a syntax error', () => {
    const e = error('{\n  "data": [\n    {"a": 1,}\n  ]\n}', 3);
    expect(e.line).toBe(3);
    expect(e.column).toBe(13);
    expect(formatPath(e.path)).toBe('data[0].a');
  });
});

describe('JsonStreamParser emission', () => {
  const doc = JSON.stringify({ metadata: { v: '5' }, data: [{ pubkey: 'a', list: [{ x: '1' }, { x: '2' }] }, { pubkey: 'b', list: [] }] });
  const emit = [['metadata'], ['data', '*'], ['data', '*', 'list', '*']];

  it('hands over values at the emit paths in document order and does not keep them', () => {
    for (const chunk of [1, 3, 1000]) {
      const { root, emitted } = parse(doc, chunk, { emit });
      expect(emitted.map(([p]) => formatPath(p))).toEqual(['metadata', 'data[0].list[0]', 'data[0].list[1]', 'data[0]', 'data[1]']);
      expect(emitted[3]?.[1]).toEqual({ pubkey: 'a', list: [] });
      expect(root).toEqual({ data: [] });
    }
  });

  it('does not emit where the pattern expects an array but finds an object', () => {
    const { emitted, root } = parse('{"data":{"0":{"pubkey":"a"}}}', 2, { emit });
    expect(emitted).toEqual([]);
    expect(root).toEqual({ data: { '0': { pubkey: 'a' } } });
  });

  it('keeps memory bounded for a large emitted stream', () => {
    const records = Array.from({ length: 5000 }, (_, i) => ({ pubkey: `k${i}`, list: [{ x: String(i) }] }));
    const text = JSON.stringify({ data: records });
    let n = 0;
    const p = new JsonStreamParser({ emit: [['data', '*']], limits: { maxRetainedBytes: 4096 }, onValue: () => void n++ });
    const bytes = enc.encode(text);
    for (let i = 0; i < bytes.length; i += 1000) p.write(bytes.subarray(i, i + 1000));
    p.end();
    expect(n).toBe(5000);
  });
});

describe('formatPath', () => {
  it('formats keys, indices and odd keys', () => {
    expect(formatPath(['data', 3, 'signed_attestations', 12, 'target_epoch'])).toBe('data[3].signed_attestations[12].target_epoch');
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['a b'])).toBe('["a b"]');
  });
});
