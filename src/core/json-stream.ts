/**
 * A streaming JSON parser (RFC 8259, strict) that takes the document in byte chunks and hands
 * the values found at chosen paths to a callback instead of keeping them, so a document far
 * larger than memory can be checked record by record.
 *
 * Strict: UTF-8 only (validated inside strings, also across chunk boundaries), no byte order
 * mark, no lone surrogates in `\u` escapes, no control characters in strings, no duplicate keys
 * in one object, nothing after the top-level value. Bounded: document size, nesting depth,
 * string and number token length, and the memory held outside emitted values.
 * Objects are built with a null prototype (a `__proto__` key is an ordinary key).
 */

export type PathSegment = string | number;

export interface JsonStreamLimits {
  /** Size of the whole document in bytes. */
  maxBytes: number;
  /** Nesting depth of arrays and objects. */
  maxDepth: number;
  /** One string or key, in UTF-8 bytes after unescaping. */
  maxStringBytes: number;
  /** One number token, in characters. */
  maxNumberChars: number;
  /** Approximate bytes held at any time outside values already handed to `onValue`. */
  maxRetainedBytes: number;
}

export const DEFAULT_JSON_STREAM_LIMITS: JsonStreamLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxDepth: 32,
  maxStringBytes: 64 * 1024,
  maxNumberChars: 64,
  maxRetainedBytes: 16 * 1024 * 1024,
};

/** A syntax or limit violation; `path` is where in the document it happened. */
export class JsonStreamError extends Error {
  readonly path: PathSegment[];
  readonly offset: number;
  readonly line: number;
  readonly column: number;
  /** `syntax`: not valid JSON; `limit`: valid so far but over a bound. */
  readonly kind: 'syntax' | 'limit';
  constructor(message: string, path: PathSegment[], offset: number, line: number, column: number, kind: 'syntax' | 'limit' = 'syntax') {
    super(message);
    this.kind = kind;
    this.name = 'JsonStreamError';
    this.path = path;
    this.offset = offset;
    this.line = line;
    this.column = column;
  }
}

export interface JsonStreamOptions {
  limits?: Partial<JsonStreamLimits>;
  /**
   * Paths whose values go to `onValue` (and are not kept in their parent). A pattern segment
   * `'*'` matches any array index; any other segment matches that object key.
   */
  emit?: ReadonlyArray<ReadonlyArray<string>>;
  /** Receives each emitted value, complete, in document order. May throw to stop parsing. */
  onValue?: (path: readonly PathSegment[], value: unknown) => void;
}

/** `data[3].signed_attestations[12].target_epoch`; keys that are not identifiers are quoted. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg.length > 40 ? `${seg.slice(0, 40)}…` : seg)}]`;
  }
  return out === '' ? '(top level)' : out;
}

interface Frame {
  isArray: boolean;
  value: unknown[] | Record<string, unknown>;
  /** Key whose value is being parsed (objects). */
  key: string;
  /** Index of the element being parsed (arrays). */
  index: number;
  /** Keys whose values were emitted (not kept in `value`), for duplicate detection; made on demand. */
  emittedKeys: Set<string> | null;
  emit: boolean;
  cost: number;
}

const enum S {
  Value, // a value is expected
  ArrayFirst, // after '[': a value or ']'
  ObjectFirst, // after '{': a key or '}'
  ObjectKey, // after ',' in an object: a key
  Colon,
  AfterValue,
  String,
  Escape,
  Unicode,
  SurrogateBackslash, // after a high surrogate escape: expect '\'
  SurrogateU, // then 'u'
  Number,
  Literal,
  Done,
}

const LITERALS = ['true', 'false', 'null'] as const;
const LITERAL_VALUES = [true, false, null] as const;
const NUMBER_RE = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;
const VALUE_COST = 16;
const CONTAINER_COST = 64;
const KEY_CACHE_SIZE = 64;
const KEY_CACHE_MAX_BYTES = 32;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x65 || c === 0x45;
}
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

export class JsonStreamParser {
  private readonly limits: JsonStreamLimits;
  private readonly emit: ReadonlyArray<ReadonlyArray<string>>;
  private readonly onValue: (path: readonly PathSegment[], value: unknown) => void;
  private readonly stack: Frame[] = [];
  private state: S = S.Value;
  private root: unknown = undefined;
  private offset = 0; // bytes consumed before the current chunk
  private pos = 0; // index in the current chunk
  private line = 1;
  private lineStart = 0; // absolute offset of the current line's first byte
  private retained = 0;
  // string token
  private sbuf = new Uint8Array(256);
  private slen = 0;
  private sIsKey = false;
  private uCount = 0;
  private uValue = 0;
  private highSurrogate = -1;
  // number / literal token
  private tok = '';
  private literal = 0;
  private literalPos = 0;
  // emit flag of the scalar being parsed
  private scalarEmit = false;
  private ended = false;
  private readonly keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SIZE);

  constructor(opts: JsonStreamOptions = {}) {
    this.limits = { ...DEFAULT_JSON_STREAM_LIMITS, ...opts.limits };
    this.emit = opts.emit ?? [];
    this.onValue = opts.onValue ?? (() => undefined);
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.offset + this.pos;
  }

  /**
   * Feed the next chunk.
   * @throws {JsonStreamError} on a syntax error or a limit; whatever `onValue` throws.
   */
  write(chunk: Uint8Array): void {
    if (this.ended) throw new TypeError('write after end');
    if (this.offset + chunk.length > this.limits.maxBytes) {
      this.pos = Math.max(0, this.limits.maxBytes - this.offset);
      this.fail(`document is larger than the ${this.limits.maxBytes}-byte limit`, 'limit');
    }
    this.pos = 0;
    this.run(chunk);
    this.offset += chunk.length;
    this.pos = 0;
  }

  /**
   * Finish: the top-level value, without the emitted values.
   * @throws {JsonStreamError} when the document is empty or incomplete.
   */
  end(): unknown {
    if (this.ended) throw new TypeError('end called twice');
    this.ended = true;
    if (this.state === S.Number && this.stack.length === 0) this.finishNumber();
    if (this.state !== S.Done) {
      this.fail(this.offset === 0 ? 'empty document' : 'unexpected end of the document');
    }
    return this.root;
  }

  private run(b: Uint8Array): void {
    const n = b.length;
    let i = 0;
    while (i < n) {
      const c = b[i] as number;
      switch (this.state) {
        case S.String: {
          // Fast path: copy a run of plain characters.
          let j = i;
          while (j < n) {
            const d = b[j] as number;
            if (d === 0x22 || d === 0x5c || d < 0x20) break;
            j++;
          }
          if (j > i) {
            this.appendBytes(b, i, j);
            i = j;
            continue;
          }
          this.pos = i;
          if (c === 0x22) {
            i++;
            this.pos = i;
            this.finishString();
          } else if (c === 0x5c) {
            i++;
            this.state = S.Escape;
          } else {
            this.fail('control character in a string (escape it)');
          }
          continue;
        }
        case S.Escape: {
          this.pos = i;
          i++;
          let out = -1;
          switch (c) {
            case 0x22: out = 0x22; break;
            case 0x5c: out = 0x5c; break;
            case 0x2f: out = 0x2f; break;
            case 0x62: out = 0x08; break;
            case 0x66: out = 0x0c; break;
            case 0x6e: out = 0x0a; break;
            case 0x72: out = 0x0d; break;
            case 0x74: out = 0x09; break;
            case 0x75:
              this.uCount = 0;
              this.uValue = 0;
              this.state = S.Unicode;
              continue;
            default:
              this.fail('invalid escape in a string');
          }
          if (this.highSurrogate >= 0) this.fail('unpaired surrogate escape in a string');
          this.appendByte(out);
          this.state = S.String;
          continue;
        }
        case S.Unicode: {
          this.pos = i;
          const h = hexValue(c);
          if (h < 0) this.fail('invalid \\u escape in a string');
          i++;
          this.uValue = (this.uValue << 4) | h;
          if (++this.uCount < 4) continue;
          const u = this.uValue;
          if (this.highSurrogate >= 0) {
            if (u < 0xdc00 || u > 0xdfff) this.fail('unpaired surrogate escape in a string');
            this.appendCodePoint(0x10000 + ((this.highSurrogate - 0xd800) << 10) + (u - 0xdc00));
            this.highSurrogate = -1;
            this.state = S.String;
          } else if (u >= 0xd800 && u <= 0xdbff) {
            this.highSurrogate = u;
            this.state = S.SurrogateBackslash;
          } else if (u >= 0xdc00 && u <= 0xdfff) {
            this.fail('unpaired surrogate escape in a string');
          } else {
            this.appendCodePoint(u);
            this.state = S.String;
          }
          continue;
        }
        case S.SurrogateBackslash:
          this.pos = i;
          if (c !== 0x5c) this.fail('unpaired surrogate escape in a string');
          i++;
          this.state = S.SurrogateU;
          continue;
        case S.SurrogateU:
          this.pos = i;
          if (c !== 0x75) this.fail('unpaired surrogate escape in a string');
          i++;
          this.uCount = 0;
          this.uValue = 0;
          this.state = S.Unicode;
          continue;
        case S.Number:
          if (isNumberChar(c)) {
            this.tok += String.fromCharCode(c);
            if (this.tok.length > this.limits.maxNumberChars) {
              this.pos = i;
              this.fail(`number longer than ${this.limits.maxNumberChars} characters`, 'limit');
            }
            i++;
            continue;
          }
          this.pos = i;
          this.finishNumber();
          continue; // reprocess c
        case S.Literal: {
          this.pos = i;
          const word = LITERALS[this.literal] as string;
          if (c !== word.charCodeAt(this.literalPos)) this.fail('invalid literal (expected true, false or null)');
          i++;
          if (++this.literalPos === word.length) {
            this.addRetained(VALUE_COST);
            this.complete(LITERAL_VALUES[this.literal], VALUE_COST, this.scalarEmit);
          }
          continue;
        }
        default:
          break;
      }
      // Structural states: skip whitespace first.
      if (isWs(c)) {
        if (c === 0x0a) {
          this.line++;
          this.lineStart = this.offset + i + 1;
        }
        i++;
        continue;
      }
      this.pos = i;
      switch (this.state) {
        case S.Value:
        case S.ArrayFirst:
          if (this.state === S.ArrayFirst && c === 0x5d) {
            i++;
            this.closeContainer(true);
            continue;
          }
          i++;
          this.beginValue(c);
          continue;
        case S.ObjectFirst:
        case S.ObjectKey:
          if (c === 0x22) {
            i++;
            this.startString(true);
            continue;
          }
          if (this.state === S.ObjectFirst && c === 0x7d) {
            i++;
            this.closeContainer(false);
            continue;
          }
          this.fail('expected a string key');
          break;
        case S.Colon:
          if (c !== 0x3a) this.fail("expected ':' after a key");
          i++;
          this.state = S.Value;
          continue;
        case S.AfterValue: {
          const top = this.stack[this.stack.length - 1] as Frame;
          i++;
          if (c === 0x2c) {
            if (top.isArray) {
              top.index++;
              this.state = S.Value;
            } else {
              this.state = S.ObjectKey;
            }
          } else if (top.isArray && c === 0x5d) {
            this.closeContainer(true);
          } else if (!top.isArray && c === 0x7d) {
            this.closeContainer(false);
          } else {
            this.pos = i - 1;
            this.fail(top.isArray ? "expected ',' or ']'" : "expected ',' or '}'");
          }
          continue;
        }
        case S.Done:
          this.fail('unexpected data after the top-level value');
          break;
        default:
          this.fail('parser state error');
      }
    }
  }

  private beginValue(c: number): void {
    const emit = this.matchesEmit();
    if (c === 0x7b || c === 0x5b) {
      if (this.stack.length >= this.limits.maxDepth) this.fail(`nesting deeper than ${this.limits.maxDepth} levels`, 'limit');
      const isArray = c === 0x5b;
      this.addRetained(CONTAINER_COST);
      this.stack.push({
        isArray,
        value: isArray ? [] : (Object.create(null) as Record<string, unknown>),
        key: '',
        index: 0,
        emittedKeys: null,
        emit,
        cost: CONTAINER_COST,
      });
      this.state = isArray ? S.ArrayFirst : S.ObjectFirst;
      return;
    }
    this.scalarEmit = emit;
    if (c === 0x22) return this.startString(false);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      this.tok = String.fromCharCode(c);
      this.state = S.Number;
      return;
    }
    const lit = c === 0x74 ? 0 : c === 0x66 ? 1 : c === 0x6e ? 2 : -1;
    if (lit >= 0) {
      this.literal = lit;
      this.literalPos = 1;
      this.state = S.Literal;
      return;
    }
    if (c === 0xef && this.offset + this.pos === 0) this.fail('starts with a byte order mark (save the file as UTF-8 without BOM)');
    this.fail('expected a value');
  }

  private matchesEmit(): boolean {
    const depth = this.stack.length;
    outer: for (const pattern of this.emit) {
      if (pattern.length !== depth) continue;
      for (let k = 0; k < depth; k++) {
        const f = this.stack[k] as Frame;
        const p = pattern[k] as string;
        if (p === '*' ? !f.isArray : f.isArray || f.key !== p) continue outer;
      }
      return true;
    }
    return false;
  }

  private startString(isKey: boolean): void {
    this.sIsKey = isKey;
    this.slen = 0;
    this.highSurrogate = -1;
    this.state = S.String;
  }

  private ensure(extra: number): void {
    const need = this.slen + extra;
    if (need > this.limits.maxStringBytes) this.fail(`string longer than ${this.limits.maxStringBytes} bytes`, 'limit');
    if (need > this.sbuf.length) {
      const next = new Uint8Array(Math.min(Math.max(need, this.sbuf.length * 2), this.limits.maxStringBytes));
      next.set(this.sbuf.subarray(0, this.slen));
      this.sbuf = next;
    }
  }

  private appendBytes(b: Uint8Array, from: number, to: number): void {
    this.ensure(to - from);
    this.sbuf.set(b.subarray(from, to), this.slen);
    this.slen += to - from;
  }

  private appendByte(x: number): void {
    this.ensure(1);
    this.sbuf[this.slen++] = x;
  }

  private appendCodePoint(cp: number): void {
    if (cp < 0x80) return this.appendByte(cp);
    if (cp < 0x800) {
      this.appendByte(0xc0 | (cp >> 6));
    } else if (cp < 0x10000) {
      this.appendByte(0xe0 | (cp >> 12));
      this.appendByte(0x80 | ((cp >> 6) & 0x3f));
    } else {
      this.appendByte(0xf0 | (cp >> 18));
      this.appendByte(0x80 | ((cp >> 12) & 0x3f));
      this.appendByte(0x80 | ((cp >> 6) & 0x3f));
    }
    this.appendByte(0x80 | (cp & 0x3f));
  }

  private finishString(): void {
    if (this.sIsKey && this.slen <= KEY_CACHE_MAX_BYTES) {
      const cached = this.cachedKey();
      if (cached !== null) return this.finishKey(cached);
    }
    const bytes = this.sbuf.subarray(0, this.slen);
    // TextDecoder is the fastest way to a string here even for ASCII, and validates UTF-8.
    let s: string;
    try {
      s = utf8.decode(bytes);
    } catch {
      this.fail('invalid UTF-8 in a string');
    }
    if (this.sIsKey) {
      // Cache ASCII keys only (UTF-16 length equals UTF-8 length exactly when all ASCII), so a
      // cache hit is a byte-for-byte match and never skips UTF-8 validation.
      if (this.slen <= KEY_CACHE_MAX_BYTES && s.length === this.slen) this.keyCache[this.keyHash()] = s;
      return this.finishKey(s);
    }
    const cost = VALUE_COST + s.length;
    this.addRetained(cost);
    this.complete(s, cost, this.scalarEmit);
  }

  /** Object keys repeat (`slot`, `signing_root`, …): a small cache skips decoding them again. */
  private keyHash(): number {
    let h = this.slen;
    for (let k = 0; k < this.slen; k++) h = (Math.imul(h, 31) + (this.sbuf[k] as number)) | 0;
    return h & (KEY_CACHE_SIZE - 1);
  }

  private cachedKey(): string | null {
    const c = this.keyCache[this.keyHash()];
    if (c === undefined || c.length !== this.slen) return null;
    // Cached keys are ASCII, so equal length and equal code units mean equal bytes.
    for (let k = 0; k < this.slen; k++) if (c.charCodeAt(k) !== this.sbuf[k]) return null;
    return c;
  }

  private finishKey(s: string): void {
    const top = this.stack[this.stack.length - 1] as Frame;
    // Earlier members are complete: either kept in the (null-prototype) object or emitted.
    if (s in (top.value as Record<string, unknown>) || (top.emittedKeys !== null && top.emittedKeys.has(s))) {
      top.key = s;
      this.fail('duplicate key in one object');
    }
    top.key = s;
    const cost = VALUE_COST + s.length;
    top.cost += cost;
    this.addRetained(cost);
    this.state = S.Colon;
  }

  private finishNumber(): void {
    const t = this.tok;
    if (!NUMBER_RE.test(t)) this.fail('invalid number');
    this.addRetained(VALUE_COST);
    this.complete(Number(t), VALUE_COST, this.scalarEmit);
  }

  private closeContainer(isArray: boolean): void {
    const f = this.stack.pop() as Frame;
    if (f.isArray !== isArray) this.fail('parser state error');
    this.complete(f.value, f.cost, f.emit);
  }

  /** A value is complete: emit it, or attach it to its parent, or make it the root. */
  private complete(value: unknown, cost: number, emit: boolean): void {
    if (emit) {
      this.onValue(this.path(), value);
      this.retained -= cost;
      const parent = this.stack[this.stack.length - 1];
      if (parent !== undefined && !parent.isArray) (parent.emittedKeys ??= new Set<string>()).add(parent.key);
    } else if (this.stack.length === 0) {
      this.root = value;
    }
    if (this.stack.length === 0) {
      this.state = S.Done;
      return;
    }
    const parent = this.stack[this.stack.length - 1] as Frame;
    if (!emit) {
      if (parent.isArray) (parent.value as unknown[]).push(value);
      else (parent.value as Record<string, unknown>)[parent.key] = value;
      parent.cost += cost;
    }
    this.state = S.AfterValue;
  }

  private addRetained(cost: number): void {
    this.retained += cost;
    if (this.retained > this.limits.maxRetainedBytes) {
      this.fail(`value too large to check in bounded memory (more than ${this.limits.maxRetainedBytes} bytes)`, 'limit');
    }
  }

  /** Path of the value being parsed. */
  private path(): PathSegment[] {
    return this.stack.map((f) => (f.isArray ? f.index : f.key));
  }

  private fail(message: string, kind: 'syntax' | 'limit' = 'syntax'): never {
    const abs = this.offset + this.pos;
    throw new JsonStreamError(message, this.path(), abs, this.line, abs - this.lineStart + 1, kind);
  }
}
