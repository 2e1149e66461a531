/**
 * src/core is the pure domain (STYLE.md): bytes in, typed results out. No node:* import, no
 * require, no `process`, no `console`: what needs the runtime is handed in by src/cli (e.g. the
 * native argon2 through useNativeArgon2).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** The code of a file with comments removed (block comments, then line comments outside strings). */
function code(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n')
    .map((l) => l.replace(/(^|[^:'"`\\])\/\/.*$/, '$1'))
    .join('\n');
}

const IMPURE = [
  { what: 'a node:* import', re: /from\s+['"]node:|import\(\s*['"]node:/ },
  { what: 'require()', re: /\brequire\s*\(/ },
  { what: 'process', re: /(^|[^.\w'"`])process\s*[.?[]|globalThis\s*\)?\s*(as\s+[^)]*\))?\s*\.\s*process|\{\s*process\s*\?/ },
  { what: 'console', re: /(^|[^.\w])console\s*\./ },
];

describe('src/core stays pure', () => {
  it('no file in src/core imports node:*, calls require, or touches process or console', () => {
    const found: string[] = [];
    for (const file of sources(path.join(ROOT, 'src', 'core'))) {
      const lines = code(fs.readFileSync(file, 'utf8')).split('\n');
      lines.forEach((line, i) => {
        for (const { what, re } of IMPURE) if (re.test(line)) found.push(`${path.relative(ROOT, file)}:${i + 1}: ${what}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('the scan finds each kind of impurity (so an empty list means something)', () => {
    const probe = [
      "import fs from 'node:fs';",
      "const c = require('crypto');",
      'const e = process.env.X;',
      "const p = (globalThis as { process?: unknown }).process;",
      "console.log('x');",
    ];
    for (const [i, line] of probe.entries()) expect(IMPURE.some(({ re }) => re.test(code(line))), probe[i]).toBe(true);
    expect(IMPURE.some(({ re }) => re.test(code("// process.env in a comment\nconst s = 'the process is done';")))).toBe(false);
  });
});
