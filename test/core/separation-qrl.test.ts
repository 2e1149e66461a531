/**
 * Zond (QRL) secrets for `separation check` (issue 17): QRL mnemonics (32 and 34 words, no checksum)
 * in the note layouts the BIP39 scanner handles, copies of the sorted list ignored; hex seeds and
 * extended seeds with the context rule; BLS pubkeys (also 96 hex digits) never reported; go-qrl
 * account keystores recognised. Real files from fixtures/zond/separation-real and fixtures/deposit.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as bip39 from 'bip39';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyJson, TextFileScan } from '../../src/core/separation.js';
import { findMnemonics, MnemonicScanner, type MnemonicHit } from '../../src/core/separation/mnemonic-scan.js';
import { isGqrlAccountKeystore, ZondHexScanner, zondJsonSecrets } from '../../src/core/separation/zond-secrets.js';
import { QRL_WORDLIST } from '../../src/core/zond/wordlist.js';
import { FIXTURES, ROOT } from '../helpers/cli.js';

const REAL = path.join(FIXTURES, 'zond', 'separation-real');

/** The QRL words of `bytes` (3 bytes → 2 words of 12 bits), as go-qrllib's BinToMnemonic. */
function qrlWords(bytes: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < bytes.length; i += 3) {
    const [b0, b1, b2] = [bytes[i]!, bytes[i + 1]!, bytes[i + 2]!];
    out.push(QRL_WORDLIST[(b0 << 4) | (b1 >> 4)]!, QRL_WORDLIST[((b1 & 15) << 8) | b2]!);
  }
  return out;
}
const seedWords = (): string[] => qrlWords(randomBytes(48));
const extendedWords = (): string[] => qrlWords(Uint8Array.from([1, 0, 0, ...randomBytes(48)]));
const qrl = (hits: MnemonicHit[]) => hits.filter((h) => h.language === 'qrl');
const hit = (line: number, words: number, valid = true): MnemonicHit => ({ line, words, language: 'qrl', valid });

describe('QRL mnemonics', () => {
  it('34-word extended seeds start "absorb aback" (descriptor 01 00 00), as go-qrllib encodes them', () => {
    expect(extendedWords().slice(0, 2)).toEqual(['absorb', 'aback']);
    expect(seedWords()).toHaveLength(32);
  });

  const layouts: Array<[string, (w: string[]) => string, number]> = [
    ['one line', (w) => `notes\n${w.join(' ')}\n`, 2],
    ['inside a sentence of list words', (w) => `todo\nmy qrl seed: ${w.join(' ')} keep safe\n`, 2],
    ['numbered "1. w"', (w) => `backup\n\n${w.map((x, i) => `${i + 1}. ${x}`).join('\n')}\n`, 3],
    ['labelled "Word 1: w"', (w) => `x\n${w.map((x, i) => `Word ${i + 1}: ${x}`).join('\n')}\n`, 2],
    ['one word a line', (w) => `${w.join('\n')}\n`, 1],
    ['a JSON array', (w) => `{"backup": ${JSON.stringify(w)}}`, 1],
    ['comma separated, upper case', (w) => `\n\n\n${w.join(', ').toUpperCase()}`, 4],
    ['a table, two words a row', (w) => `| | |\n${Array.from({ length: w.length / 2 }, (_, r) => `| ${w.slice(r * 2, r * 2 + 2).join(' | ')} |`).join('\n')}\n`, 2],
  ];
  for (const [name, layout, line] of layouts) {
    it(`found in ${name}: 32 and 34 words`, () => {
      for (const [words, n] of [[seedWords(), 32], [extendedWords(), 34]] as const) {
        expect(qrl(findMnemonics(layout([...words])))).toEqual([hit(line, n)]);
      }
    });
  }

  it('several mnemonics one per line are each found; streaming in any piece sizes gives the same hits', () => {
    const lines = [seedWords(), extendedWords(), seedWords()].map((w) => w.join(' '));
    const text = `keys\n${lines.join('\n')}\n`;
    const expected = [hit(2, 32), hit(3, 34), hit(4, 32)];
    expect(qrl(findMnemonics(text))).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const s = new MnemonicScanner();
        for (let pos = 0, i = 0; pos < text.length; i++) {
          const n = sizes[i % sizes.length]!;
          s.push(text.slice(pos, pos + n));
          pos += n;
        }
        expect(qrl(s.end())).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('split over two lines: found when it ends a line, a warning when words of other text follow on its last line', () => {
    const w = seedWords();
    expect(qrl(findMnemonics(`seed: ${w.slice(0, 16).join(' ')}\n${w.slice(16).join(' ')}\n`))).toEqual([hit(1, 32)]);
    expect(qrl(findMnemonics(`${w.slice(0, 16).join(' ')}\n${w.slice(16).join(' ')} is my zond seed\n`))).toEqual([hit(1, 32, false)]);
  });

  it('in capitals, starting with a word that is no BIP39 stamp (it was once taken for a stamp and dropped)', () => {
    const w = 'foul swirl than solemn acute auntie angle stew muzzle whisky row nail live main equip duct wink who accent stalin cortex cortex clutch broom phrase detail relief aside retain damp rector tile';
    expect(qrl(findMnemonics(`\n\n\n${w.toUpperCase()}`))).toEqual([hit(4, 32)]);
  });

  it('fewer than 32 words, or a run broken by a non-list word, is not a mnemonic', () => {
    const w = seedWords();
    expect(qrl(findMnemonics(w.slice(0, 31).join(' ')))).toEqual([]);
    expect(qrl(findMnemonics([...w.slice(0, 16), 'notaqrlword', ...w.slice(16)].join(' ')))).toEqual([]);
  });

  it('a long run of list words with no line-filling window is a warning; a repeated word is a test pattern', () => {
    const long = [...seedWords(), ...seedWords()].join(' ');
    expect(qrl(findMnemonics(`x\n${long}\n`))).toEqual([hit(2, 64, false)]);
    expect(qrl(findMnemonics(Array(32).fill('aback').join(' ')))).toEqual([{ ...hit(1, 32), degenerate: true }]);
  });

  it('copies of the sorted list itself are ignored (plain, Go source, numbered), even with a stray word at each end', () => {
    const list = [...QRL_WORDLIST];
    expect(qrl(findMnemonics(list.join('\n')))).toEqual([]);
    expect(qrl(findMnemonics(`var WordList = []string{\n${list.map((w) => `\t"${w}",`).join('\n')}\n}\n`))).toEqual([]);
    expect(qrl(findMnemonics(list.map((w, i) => `${i + 1}. ${w}`).join('\n')))).toEqual([]);
    expect(qrl(findMnemonics(`the words: ${list.slice(100, 300).join(' ')} and the end`))).toEqual([]);
  });

  it('prose is quiet: this README, the research-free docs of the repo', () => {
    for (const f of ['README.md', 'BUILD_FROM_SOURCE.md', path.join('bench', 'RESULTS.md')]) {
      expect(qrl(findMnemonics(fs.readFileSync(path.join(ROOT, f), 'utf8')))).toEqual([]);
    }
  });

  it('BIP39 mnemonics are not QRL ones: 300 English 24-word mnemonics, one per line, give no QRL error', () => {
    const lines = Array.from({ length: 300 }, () => bip39.generateMnemonic(256));
    const hits = findMnemonics(lines.join('\n'));
    expect(qrl(hits).filter((h) => h.valid)).toEqual([]);
    expect(hits.filter((h) => h.valid && h.language === 'english').length).toBeGreaterThan(0);
  });
});

describe('Zond hex seeds', () => {
  const hex = (n: number) => randomBytes(n).toString('hex');
  const scan = (text: string, seedFile = false) => {
    const s = new ZondHexScanner(seedFile);
    s.push(text);
    return s.end();
  };

  it('finds 48-byte seeds named as seeds, and qrysm deposit CLI printed line', () => {
    const text = [
      `Please note down your ML-DSA-87 seed: 0x${hex(48)}`,
      `hexseed=${hex(48)}`,
      `export ZOND_SECRET="${hex(48).toUpperCase()}"`,
      `qrysmctl --seed 0x${hex(48)}`,
    ].join('\n');
    expect(scan(text)).toEqual([
      { line: 1, field: 'seed', kind: 'seed' },
      { line: 2, field: 'hexseed', kind: 'seed' },
      { line: 3, field: 'ZOND_SECRET', kind: 'seed' },
      { line: 4, field: 'seed', kind: 'seed' },
    ]);
  });

  it('finds 102-digit extended seeds (010000…) with no name, and qrysm --extended-seed', () => {
    expect(scan(`010000${hex(48)}\nstaking-deposit-cli existing-seed --extended-seed 0x010000${hex(48)}\n`)).toEqual([
      { line: 1, field: '', kind: 'extended-seed' },
      { line: 2, field: 'extended-seed', kind: 'extended-seed' },
    ]);
    expect(scan(`020000${hex(48)}\n`)).toEqual([]);
  });

  it('never reports BLS pubkeys: bare, named pubkey, validator lists, logs, or inside longer hex', () => {
    const pk = () => `0x${hex(48)}`;
    const text = [
      pk(),
      `pubkey: ${pk()}`,
      `- voting_public_key: "${pk()}"`,
      `INFO validator=${pk()} slot=123 Submitted attestation`,
      `"validator_pubkey": "${pk()}"`,
      `seed_pubkey=${pk()}`,
      `seed: 0x${hex(60)}`,
      Array.from({ length: 50 }, pk).join('\n'),
    ].join('\n');
    expect(scan(text)).toEqual([]);
    expect(scan(`${pk()}\n`, true)).toEqual([{ line: 1, field: '', kind: 'seed' }]);
  });

  it('JSON: seeds under a seed or secret name, extended seeds anywhere, pubkeys never', () => {
    const json = { seed: hex(48), wallet: { hexseed: `0x${hex(48)}`, extended: `010000${hex(48)}` }, pubkeys: [hex(48)], validator: hex(48), secret_pubkey: hex(48) };
    expect(zondJsonSecrets(json, false)).toEqual([
      { line: 0, field: 'seed', kind: 'seed' },
      { line: 0, field: 'wallet.hexseed', kind: 'seed' },
      { line: 0, field: 'wallet.extended', kind: 'extended-seed' },
    ]);
  });

  it('the published development-wallet extended seed is found', () => {
    const text = fs.readFileSync(path.join(REAL, 'seeds', 'qrl-tests-unsafe-development-wallet.seed'), 'utf8');
    expect(scan(text)).toEqual([{ line: 1, field: '', kind: 'extended-seed' }]);
  });
});

describe('real files: keystores and deposit data', () => {
  const ethFiles = (dir: string): string[] =>
    fs.readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => path.join(e.parentPath, e.name));
  const files = [
    ...ethFiles(path.join(FIXTURES, 'deposit')),
    ...ethFiles(path.join(FIXTURES, 'keystore')),
    ...ethFiles(path.join(REAL, 'assembled')),
    path.join(REAL, 'qrysm-keystore-good-validator-shape.json'),
  ];

  it(`${files.length} Ethereum deposit files and keystores, Zond deposit files and a qrysm validator keystore: no Zond finding`, () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const t = new TextFileScan(path.basename(f));
      t.push(text);
      const found = t.end();
      expect(found.zondSecrets, f).toEqual([]);
      expect(qrl(found.mnemonics), f).toEqual([]);
      const verdict = classifyJson(JSON.parse(text), path.basename(f));
      expect(verdict.zondWalletKeystore ?? false, f).toBe(false);
      expect(verdict.zondSecrets ?? [], f).toEqual([]);
    }
  });

  it('every go-qrl account keystore is recognised as a wallet keystore; EIP-2335 and qrysm validator keystores are not', () => {
    const dir = path.join(REAL, 'keystores');
    const ks = fs.readdirSync(dir).filter((f) => f !== 'manifest.json');
    expect(ks).toHaveLength(45);
    for (const f of ks) expect(isGqrlAccountKeystore(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))), f).toBe(true);
    for (const f of files) expect(isGqrlAccountKeystore(JSON.parse(fs.readFileSync(f, 'utf8'))), f).toBe(false);
  });
});
