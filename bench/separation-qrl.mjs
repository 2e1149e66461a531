// False-positive rate of the QRL (Zond) detectors of `separation check` (src/core/separation/qrl-run.ts,
// zond-secrets.ts): QRL mnemonic errors and warnings, and Zond hex-seed hits, on
//   - prose: every text file under /usr/share/doc and /usr/share/man (gzip ones decompressed), or the
//     directories given as arguments;
//   - BIP39 text: files of random English BIP39 mnemonics, one per line (1,467 of the 2048 English words
//     are QRL words, so these are the worst ordinary text for the QRL scanner);
//   - BLS pubkeys: random 48-byte values in the layouts a validator machine has (bare lines, `pubkey:`,
//     deposit-data JSON, logs): the 96-hex-digit seed rule must stay silent.
// It also prints the longest run of consecutive QRL list words seen in the prose.
// Usage: node bench/separation-qrl.mjs [DIR ...]   (npm run bench -- separation-qrl)
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-qrl-'));
const entry = path.join(dir, 'entry.ts');
fs.writeFileSync(
  entry,
  [
    `export { MnemonicScanner } from ${JSON.stringify(path.join(root, 'src/core/separation/mnemonic-scan.ts'))};`,
    `export { ZondHexScanner } from ${JSON.stringify(path.join(root, 'src/core/separation/zond-secrets.ts'))};`,
    `export { QRL_WORDLIST } from ${JSON.stringify(path.join(root, 'src/core/zond/wordlist.ts'))};`,
  ].join('\n'),
);
const { build } = await import('esbuild');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: path.join(dir, 'b.mjs'), logLevel: 'silent',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
const { MnemonicScanner, ZondHexScanner, QRL_WORDLIST } = await import(path.join(dir, 'b.mjs'));
const bip39 = (await import('bip39')).default ?? (await import('bip39'));
fs.rmSync(dir, { recursive: true, force: true });

const QRL = new Set(QRL_WORDLIST);
function scanText(text, name) {
  const m = new MnemonicScanner();
  const z = new ZondHexScanner(false);
  for (let i = 0; i < text.length; i += 1 << 20) {
    m.push(text.slice(i, i + (1 << 20)));
    z.push(text.slice(i, i + (1 << 20)));
  }
  const q = m.end().filter((h) => h.language === 'qrl');
  return { errors: q.filter((h) => h.valid).map((h) => `${name}:${h.line} (${h.words})`), warnings: q.filter((h) => !h.valid).map((h) => `${name}:${h.line} (${h.words})`), hex: z.end().length };
}

/** Longest run of QRL list words separated by blanks only (a simple upper view of what the scanner sees). */
function longestRun(text) {
  let best = 0;
  let run = 0;
  for (const t of text.split(/\s+/)) {
    if (QRL.has(t.toLowerCase())) best = Math.max(best, ++run);
    else run = 0;
  }
  return best;
}

const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['/usr/share/doc', '/usr/share/man'];
let bytes = 0;
let files = 0;
let longest = 0;
const prose = { errors: [], warnings: [], hex: 0 };
const t0 = process.hrtime.bigint();
for (const d of dirs) {
  if (!fs.existsSync(d)) continue;
  for (const e of fs.readdirSync(d, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(e.parentPath ?? e.path, e.name);
    let buf;
    try {
      buf = fs.readFileSync(p);
      if (p.endsWith('.gz')) buf = zlib.gunzipSync(buf);
    } catch {
      continue;
    }
    if (buf.subarray(0, 8192).includes(0)) continue;
    const text = buf.toString('utf8');
    bytes += buf.length;
    files++;
    longest = Math.max(longest, longestRun(text));
    const r = scanText(text, p);
    prose.errors.push(...r.errors);
    prose.warnings.push(...r.warnings);
    prose.hex += r.hex;
  }
}
const proseSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

// BIP39 text: 2,000 files of 10 mnemonics (12 or 24 words), one per line.
const bip = { errors: 0, warnings: 0, mnemonics: 0 };
for (let f = 0; f < 2000; f++) {
  const lines = Array.from({ length: 10 }, (_, i) => bip39.generateMnemonic(i % 2 ? 128 : 256));
  bip.mnemonics += lines.length;
  const r = scanText(lines.join('\n') + '\n', `bip39-${f}`);
  bip.errors += r.errors.length;
  bip.warnings += r.warnings.length;
}

// BLS pubkeys in validator-machine layouts: 10,000 of them.
const pk = () => `0x${randomBytes(48).toString('hex')}`;
const layouts = [
  () => Array.from({ length: 1000 }, pk).join('\n'),
  () => Array.from({ length: 1000 }, () => `pubkey: ${pk()}`).join('\n'),
  () => JSON.stringify(Array.from({ length: 1000 }, () => ({ pubkey: pk().slice(2), withdrawal_credentials: randomBytes(32).toString('hex'), amount: 32000000000 }))),
  () => Array.from({ length: 1000 }, (_, i) => `time="2026-12-06T10:00:00Z" level=info msg="Submitted new attestations" pubkey=${pk()} slot=${i} validatorIndex=${i}`).join('\n'),
  () => Array.from({ length: 1000 }, () => `- enabled: true\n  voting_public_key: "${pk()}"\n  type: local_keystore`).join('\n'),
  () => Array.from({ length: 1000 }, (_, i) => `validator ${i}: ${pk()}`).join('\n'),
  () => Array.from({ length: 1000 }, () => `${pk()},active_ongoing,32000000000`).join('\n'),
  () => Array.from({ length: 1000 }, () => `"${pk()}": {"fee_recipient": "0x${randomBytes(20).toString('hex')}"}`).join(',\n'),
  () => Array.from({ length: 1000 }, () => `curl -X POST http://localhost:5052/eth/v1/validator/${pk()}/voluntary_exit`).join('\n'),
  () => Array.from({ length: 1000 }, () => `key = ${pk()}`).join('\n'),
];
let pubkeyHits = 0;
layouts.forEach((l, i) => (pubkeyHits += scanText(l(), `pubkeys-${i}`).hex));

console.log(`QRL detectors, false positives (node ${process.versions.node})`);
console.log('| text | size | QRL mnemonic errors | QRL long-run warnings | Zond hex-seed hits |\n|---|---|---|---|---|');
console.log(`| prose: ${dirs.join(', ')} (${files} files, ${proseSeconds.toFixed(0)} s) | ${(bytes / 1e6).toFixed(1)} MB | ${prose.errors.length} | ${prose.warnings.length} | ${prose.hex} |`);
console.log(`| BIP39: 2,000 files of 10 English mnemonics (12/24 words) one per line | ${bip.mnemonics} mnemonics | ${bip.errors} | ${bip.warnings} | — |`);
console.log(`| BLS pubkeys in 10 validator-machine layouts | 10,000 pubkeys | — | — | ${pubkeyHits} |`);
console.log(`longest run of blank-separated QRL list words in the prose: ${longest}`);
for (const e of [...prose.errors, ...prose.warnings].slice(0, 10)) console.log(`  ${e}`);
