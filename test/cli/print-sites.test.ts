/**
 * Issue 14 point 2: every string that came from input reaches the terminal through the one
 * escaping function (`printable`, or `clean` in diagnostics, which calls it; `jsonInert` for JSON).
 * This test finds every place src/ writes to stdout, stderr or the terminal, so a new one cannot
 * slip in: a site passes when its argument is a constant, or a template whose every `${…}` is
 * escaped, or it is in REVIEWED below with the reason it is safe. The prompt and progress-bar
 * primitives escape their own label, so their callers need no review.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonInert, printable } from '../../src/cli/output/style.js';
import { ROOT } from '../helpers/cli.js';

const SINK = /(?<!function )\b(process\.(?:stdout|stderr)\.write|ttyWrite|writeTerminal|console\.\w+|stream\.write|fs\.writeSync|fs\.writeFileSync|fs\.appendFileSync)\(/g;

/** Sites whose argument is computed: file and argument (whitespace collapsed) → why it is safe. */
const REVIEWED: Record<string, string> = {
  "src/cli/zond/mnemonic.ts `your 32-word QRL staking mnemonic, from the operating system's random generator (${ZOND_FORMAT.label}):\\n${columns(numbered(words))}` + `the QRL wallet shows the same seed as 34 words: \"absorb aback\" followed by these 32.\\n${QRL_NO_CHECKSUM.replace(' below', '')}:\\n validator 0 pubkey ${fp.validator0Pubkey.slice(0, 18)}…\\n wallet Q-address ${fp.address}\\n`": 'QRL list words from a fresh CSPRNG seed, constants, hex and a computed Q-address: no input text',
  'src/cli/zond/mnemonic.ts CLEAR_SCREEN': 'a constant escape sequence: clear the screen and scrollback',
  'src/cli/zond/mnemonic.ts `coldstake: error: word ${p} does not match: check your copy and type it again\\n`': 'a position (number)',
  "src/cli/zond/mnemonic.ts `ok: 32-word QRL mnemonic from the operating system's random generator, ${positions.length === 32 ? 'every word' : `${positions.length} words`} retyped correctly` + (out !== undefined ? `; written to ${printable(out)} (mode 0600); wallet Q-address ${fp.address}` : '; nothing was saved on this machine') + '\\n'": 'numbers and a computed Q-address; the path escaped',
  "src/cli/commands/keystore.ts `coldstake: ${printable(`the password did not open ${failed.length} of ${total} keystore${total === 1 ? '' : 's'}`)}\\n`": 'numbers, escaped anyway',
  'src/cli/commands/mnemonic-new.ts CLEAR_SCREEN': 'a constant escape sequence: clear the screen and scrollback',
  "src/cli/commands/redact.ts `${printable(file === '-' ? 'stdin' : file)}:${at[i]}: ${h.kind}\\n`": 'the file name escaped; a line number and a kind name',
  "src/cli/commands/redact.ts leftCount === 0 ? `✓ nothing identifying found (${lines} lines, ${bytes} bytes)\\n` : `✗ ${leftCount} identifying value${leftCount === 1 ? '' : 's'} left: ${summary}\\n`": 'numbers and kind names',
  'src/cli/commands/host.ts resetAtLineEnds(renderHuman(result, s), process.stdout)': 'renderHuman escapes every string read from the machine (paths, unit names, users, subjects, messages, fixes) with printable; the rest is numbers and constants',
  'src/cli/commands/separation.ts renderHuman(report, header(dir, audit.summary))': 'header escapes the directory; renderFindings and the package lines escape every input string',
  'src/cli/io/log-stream.ts buf': 'the redacted log itself: redact is a text filter (like cat), its output is the input with values replaced, byte for byte',
  'src/cli/io/secrets.ts t, CLEAR_SCREEN': 'a constant escape sequence: clear the screen and scrollback',
  "src/cli/io/secrets.ts t, text.split('\\n').map(printable).join('\\n')": 'each line escaped',
  'src/cli/main.ts `${VERSION}\\n`': 'the version constant',
  'src/cli/commands/backup.ts sheet': 'the sheet is built from validated wordlist words, indices and hex: no input text',
  'src/cli/commands/backup.ts `wrote ${printable(opts.out)} (mode 0600, ${opts.format})\\n${renderFingerprintText(fingerprint)}`': 'format is a validated choice; the fingerprint is hex',
  'src/cli/commands/mnemonic-new.ts text': 'the say() callback: callers pass constants, printable(out) and the CLEAR_SCREEN sequence',
  'src/cli/commands/mnemonic-new.ts `roll one fair six-sided die (a casino die is best) at least ${needed} times and type each result, 1 to 6;\\n` + `spaces are ignored. Type what the die shows, never numbers you choose. An empty line finishes.\\n`,': 'a number',
  "src/cli/commands/mnemonic-new.ts `${needed - rolls.length} more roll${needed - rolls.length === 1 ? '' : 's'} needed\\n`": 'numbers',
  "src/cli/commands/mnemonic-new.ts `coldstake: error: character ${parsed.problem.kind === 'bad-character' ? parsed.problem.position : 0} of that line is not a die face (1-6): the line was not counted, type it again\\n`": 'a position (number), never the character',
  "src/cli/commands/mnemonic-new.ts `coldstake: warning: these rolls do not look like a fair die (chi-square ${bias.chiSquare.toFixed(1)} over 6 faces, expected below 20.5): ` + 'some faces come up far too often\\n',": 'a number',
  'src/cli/commands/mnemonic-new.ts `${rolls.length} rolls; entropy = SHA-256 of the roll string (Coldcard, SeedSigner and seedtool compute the same)\\n`': 'a number',
  'src/cli/commands/mnemonic-new.ts shown': 'the generated words (from the wordlist) and constants',
  "src/cli/commands/mnemonic-new.ts `ok: ${n}-word ${language.replace(/_/g, ' ')} mnemonic ${source}, ${positions.length === n ? 'every word' : `${positions.length} words`} retyped correctly` + (out !== undefined ? `; written to ${printable(out)} (mode 0600)` : '; nothing was saved on this machine') + '\\n',": 'numbers, a language name from the list, a constant source; the path escaped',
  'src/cli/commands/slashing.ts opts.json ? jsonInert(t) : t': 'JSON through jsonInert; the human table holds validated pubkeys and numbers',
  "src/cli/commands/version.ts [ `coldstake ${data.version}`, `build ${data.build === 'standalone' ? 'standalone executable (Node embedded, no Node needed)' : 'bundle run by the Node below'}`, `node ${data.node}${data.build === 'standalone' ? ' (embedded)' : ''}`, `file ${data.file}`, `sha256 ${data.sha256}`, `bundle ${data.bundleSha256}${data.build === 'standalone' ? ' (sha256 of the embedded code: coldstake-VERSION-standalone.cjs in the release)' : ' (the file above)'}`, `permission ${perm}`, `guard main thread: ${guardLine(mainGuard)}; worker: ${guardLine(workerGuard)}`, `zond ${ZOND_FORMAT.label}`, '', ].join('\\n'),": 'no input: versions, the build kind, the running file path and hashes, the pinned Zond format (a constant)',
  'src/cli/io/safe-write.ts fd!, buf, off, buf.length - off': 'a file, not the terminal',
  'src/cli/io/secrets.ts t.fd, s': 'ttyWrite itself: its callers are checked here',
  'src/cli/io/secrets.ts t, printable(prompt)': 'the prompt primitive escapes every prompt',
  "src/cli/io/secrets.ts t, '\\b \\b'.repeat(chars.length - start)": 'constant',
  "src/cli/io/secrets.ts t, printable(ch) === ch ? ch : '?'": 'echo of a typed character, replaced when the terminal would act on it',
  'src/cli/io/secrets.ts fd, text': 'writeTerminal itself: its callers are checked here',
  'src/cli/main.ts `${err.stack}\\n`': 'only with COLDSTAKE_DEBUG=1 (documented: shows the stack)',
  'src/cli/main.ts `${err instanceof Error ? err.stack : String(err)}\\n`': 'only with COLDSTAKE_DEBUG=1 (documented: shows the stack)',
  'src/cli/main.ts s': "commander's help and version text, built from our own option descriptions",
  'src/cli/main.ts topLevelHelp(COMMANDS)': 'constant help',
  "src/cli/output/progress.ts `\\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${current}/${total} eta ${fmtSeconds(eta)} `": 'label = printable(rawLabel) in the primitive; numbers',
  'src/cli/output/report.ts resetAtLineEnds(out, process.stdout)': 'findings are escaped in renderFindings; headers by each command (their own tests)',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** The argument text of a call whose '(' ends at `start`: up to the matching ')', strings and templates skipped. */
function argumentAt(text: string, start: number): string {
  let depth = 1;
  let quote: string | null = null;
  const templateDepths: number[] = [];
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') { i++; continue; }
      if (quote === '`' && c === '$' && text[i + 1] === '{') { templateDepths.push(depth); depth++; i++; quote = null; continue; }
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') { quote = c; continue; }
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (c === '}' && templateDepths.length > 0 && depth === templateDepths[templateDepths.length - 1]) { templateDepths.pop(); quote = '`'; continue; }
      if (depth === 0) return text.slice(start, i);
    }
  }
  throw new Error(`unbalanced call at ${start}`);
}

/** A constant (string literals, `+`), or a template whose every `${…}` is escaped. */
function inert(arg: string): boolean {
  const a = arg.replace(/^t, /, '').trim(); // ttyWrite(t, …)
  if (/^('([^'\\]|\\.)*'|"([^"\\]|\\.)*")$/.test(a)) return true;
  if (/^`[^`]*`$/.test(a)) {
    const holes = [...a.matchAll(/\$\{/g)].map((m) => a.slice(m.index! + 2));
    return holes.every((h) => /^(printable|clean|jsonInert)\(/.test(h));
  }
  return false;
}

function sites(): Array<{ key: string; ok: boolean }> {
  const out: Array<{ key: string; ok: boolean }> = [];
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SINK)) {
      const arg = argumentAt(text, m.index! + m[0].length).replace(/\s+/g, ' ').trim();
      const key = `${path.relative(ROOT, file)} ${arg}`;
      out.push({ key, ok: inert(arg) });
    }
  }
  return out;
}

describe('every print site escapes what came from input', () => {
  it('finds the sites (the scanner works)', () => {
    const all = sites();
    expect(all.length).toBeGreaterThan(30);
    expect(all.some((s) => s.key.startsWith('src/cli/output/diagnostics.ts `coldstake: error: ${clean(message)}'))).toBe(true);
  });

  it('each site is constant, escaped, or reviewed (a new site needs a line in REVIEWED)', () => {
    const unreviewed = sites().filter((s) => !s.ok && !(s.key in REVIEWED)).map((s) => s.key);
    expect(unreviewed).toEqual([]);
  });

  it('no reviewed entry is stale', () => {
    const keys = new Set(sites().map((s) => s.key));
    expect(Object.keys(REVIEWED).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('the prompt and progress primitives escape their label for every caller', () => {
    const secrets = fs.readFileSync(path.join(ROOT, 'src/cli/io/secrets.ts'), 'utf8');
    // readTtyLine writes the prompt once, escaped; readSecret and askTerminal both go through it.
    expect(secrets.match(/ttyWrite\(t, [^)]*prompt/g)).toEqual(['ttyWrite(t, printable(prompt']);
    const progress = fs.readFileSync(path.join(ROOT, 'src/cli/output/progress.ts'), 'utf8');
    expect(progress).toContain('const label = printable(rawLabel);');
  });
});

describe('escaping functions', () => {
  it('printable shows C0, C1, bidi and invisible format controls as escapes', () => {
    expect(printable('a\u001b]52;c;aGk=\u0007b')).toBe('a\\x1b]52;c;aGk=\\x07b');
    expect(printable('x\u009b2Ky\u202ez\u2066\u200b\u2028\ufeff')).toBe('x\\x9b2Ky\\u{202e}z\\u{2066}\\u{200b}\\u{2028}\\u{feff}');
    expect(printable('tab\there, é and 日本')).toBe('tab\there, é and 日本');
  });

  it('jsonInert escapes what JSON.stringify leaves raw, and the value reads back the same', () => {
    const value = { file: 'a\u202eb\u009bc\u2028d\u200fe\u0085f', n: 1 };
    const raw = JSON.stringify(value);
    expect(raw).toContain('\u202e');
    const inertJson = jsonInert(raw);
    expect(inertJson).toBe('{"file":"a\\u202eb\\u009bc\\u2028d\\u200fe\\u0085f","n":1}');
    expect(/[\u0080-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069]/.test(inertJson)).toBe(false);
    expect(JSON.parse(inertJson)).toEqual(value);
  });
});
