/**
 * `coldstake mnemonic new|check|last-word`: make a BIP39 mnemonic, check a typed one (which word,
 * what is wrong, what is near), list every valid last word.
 */
import type { Command } from 'commander';
import { HDKey } from '@scure/bip32';
import { InputError, UsageError } from '../../core/errors.js';
import { finding, type Finding, type Report } from '../../core/findings.js';
import {
  describeProblem,
  diagnoseMnemonic,
  lastWordCandidates,
  mnemonicToSeed,
  type MnemonicDiagnosis,
  type MnemonicProblem,
  wordlist,
} from '../../core/mnemonic/mnemonic.js';
import { action, addJsonOption, addMnemonicFileOption, type CommandSpec } from '../common.js';
import { languageOption, readMnemonicText } from '../io/mnemonic-input.js';
import { assertSecretOutputToTerminal, assertStdinConsumed } from '../io/secrets.js';
import { columns, numbered } from '../output/columns.js';
import { printReport } from '../output/report.js';
import { printHint } from '../output/diagnostics.js';
import { registerMnemonicNew } from './mnemonic-new.js';
import { runZondMnemonicCheck } from '../zond/mnemonic.js';

/** The finding for a diagnosed problem: positions and counts as evidence, never words. */
export function problemFinding(p: MnemonicProblem): Finding {
  const message = describeProblem(p);
  switch (p.id) {
    case 'mnemonic-not-a-word':
      return finding(p.id, p.severity, 'mnemonic', message, { position: p.position, reason: p.reason });
    case 'mnemonic-unknown-word':
      return finding(
        p.id,
        p.severity,
        'mnemonic',
        message,
        { position: p.position, suggestions: p.suggestions, prefix_match: p.prefixMatch, other_languages: p.otherLanguages },
        p.suggestions > 0 ? 'compare it with your backup; --show-words lists the close matches' : undefined,
      );
    case 'mnemonic-word-expanded':
      return finding(p.id, p.severity, 'mnemonic', message, { position: p.position, matched: p.how });
    case 'mnemonic-word-count':
      return finding(p.id, p.severity, 'mnemonic', message, { count: p.count, expected: p.expected }, 'a word is missing or extra: compare the count with your backup');
    case 'mnemonic-mixed-languages':
      return finding(p.id, p.severity, 'mnemonic', message, { language: p.language, others: p.others, positions: p.positions });
    case 'mnemonic-language-ambiguous':
      return finding(p.id, p.severity, 'mnemonic', message, { language: p.language, others: p.others }, 'pass --language to choose');
    case 'mnemonic-checksum': {
      const fixes = p.fixes.map((f) => (f.kind === 'swap' ? { kind: f.kind, positions: f.positions } : { kind: f.kind, position: f.position, candidates: f.candidates }));
      return finding(p.id, p.severity, 'mnemonic', message, { fixes, fix_count: p.fixCount }, p.fixCount > 0 ? 'check those positions against your backup' : 'compare every word with your backup, and their order');
    }
    case 'mnemonic-empty':
    case 'mnemonic-language-unknown':
      return finding(p.id, p.severity, 'mnemonic', message, {});
  }
}

function languageLabel(d: MnemonicDiagnosis): string {
  return d.language ? `${d.language.replace(/_/g, ' ')} (${d.languageSource})` : 'unknown language';
}

/** Human lines with words, for --show-words on a terminal. */
function revealedLines(d: MnemonicDiagnosis): string {
  const r = d.revealed;
  if (!r) return '';
  const lines: string[] = [];
  for (const [p, words] of Object.entries(r.suggestions)) lines.push(`  word ${p}: ${words.length ? `nearest ${words.join(', ')}` : 'no close match'}`);
  for (const [p, words] of Object.entries(r.fixWords)) lines.push(`  word ${p}: the checksum is valid with ${words.join(', ')}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The BIP32 master key fingerprint (8 hex digits) of a valid mnemonic and passphrase. */
export function masterFingerprint(mnemonic: string, passphrase: string): string {
  const seed = mnemonicToSeed(mnemonic, passphrase);
  try {
    return HDKey.fromMasterSeed(seed).fingerprint.toString(16).padStart(8, '0');
  } finally {
    seed.fill(0);
  }
}

interface CheckOptions {
  language?: string;
  showWords: boolean;
  json: boolean;
  mnemonicFile?: string;
  passphrase: boolean;
  scheme: string;
}

async function runCheck(opts: CheckOptions): Promise<number> {
  if (opts.scheme === 'qrl') return runZondMnemonicCheck(opts);
  if (opts.scheme !== 'bip39') throw new UsageError(`--scheme must be bip39 or qrl, got '${opts.scheme.slice(0, 20)}'`);
  const language = languageOption(opts.language);
  if (opts.showWords && !opts.json) assertSecretOutputToTerminal('words of the mnemonic (--show-words)', 'run it in a terminal, or leave out --show-words');
  const read = await readMnemonicText({ file: opts.mnemonicFile, passphrase: opts.passphrase });
  assertStdinConsumed();
  const d = diagnoseMnemonic(read.text, { ...(language ? { language } : {}), reveal: true });
  read.text = '';
  if (d.problems.some((p) => p.id === 'mnemonic-empty')) {
    throw new InputError('no words were given', { file: read.source, field: 'mnemonic' });
  }
  const fingerprint = d.ok && d.revealed?.mnemonic ? masterFingerprint(d.revealed.mnemonic, read.passphrase) : null;
  const report: Report = {
    ok: d.ok,
    command: 'mnemonic check',
    language: d.language,
    language_source: d.languageSource,
    word_count: d.wordCount,
    passphrase: opts.passphrase,
    fingerprint,
    findings: d.problems.map(problemFinding),
  };
  const header =
    `mnemonic: ${d.wordCount} word${d.wordCount === 1 ? '' : 's'}, ${languageLabel(d)}` +
    (fingerprint ? `, master fingerprint ${fingerprint}${opts.passphrase ? ' (with the passphrase)' : ''}` : '') +
    '\n';
  printReport(report, { json: opts.json, header: opts.showWords ? header + revealedLines(d) : header });
  // No BIP39 mnemonic has 32 or 34 words; QRL (Zond) seeds do.
  if (!d.ok && (d.wordCount === 32 || d.wordCount === 34)) printHint(`${d.wordCount} words is the length of a QRL (Zond) mnemonic: check it with --scheme qrl`);
  return d.ok ? 0 : 1;
}

interface LastWordOptions {
  language?: string;
  json: boolean;
  mnemonicFile?: string;
}

async function runLastWord(opts: LastWordOptions): Promise<number> {
  const language = languageOption(opts.language);
  if (!opts.json) assertSecretOutputToTerminal('candidate last words', 'run it in a terminal, or add --json for the count without the words');
  const read = await readMnemonicText({ file: opts.mnemonicFile, what: 'mnemonic without its last word' });
  assertStdinConsumed();
  const d = diagnoseMnemonic(read.text, { ...(language ? { language } : {}), reveal: true, allButLast: true });
  read.text = '';
  if (d.problems.some((p) => p.id === 'mnemonic-empty')) {
    throw new InputError('no words were given', { file: read.source, field: 'mnemonic' });
  }
  const indices = d.ok ? d.revealed?.indices : undefined;
  const candidates = indices && d.language ? lastWordCandidates(indices) : [];
  const report: Report = {
    ok: d.ok,
    command: 'mnemonic last-word',
    language: d.language,
    language_source: d.languageSource,
    word_count: d.wordCount,
    candidates: candidates.length,
    findings: d.problems.map(problemFinding),
  };
  let header = `first ${d.wordCount} word${d.wordCount === 1 ? '' : 's'}, ${languageLabel(d)}\n`;
  if (d.ok && d.language) {
    const words = wordlist(d.language).words;
    header += `${candidates.length} words complete a valid ${d.wordCount + 1}-word mnemonic; pick one at random (dice or coins, not a favourite):\n`;
    header += columns(numbered(candidates.map((i) => words[i] as string)));
  }
  printReport(report, { json: opts.json, header });
  indices?.fill(0);
  return d.ok ? 0 : 1;
}

export const mnemonicCommand: CommandSpec = {
  group: 'airgapped',
  order: 2,
  usage: 'mnemonic new|check|last-word',
  summary: 'make a BIP39 mnemonic (CSPRNG or dice), check one word by word, list valid last words',
  example: 'mnemonic check --mnemonic-file -',
  register(program: Command) {
    const mnemonic = program.command('mnemonic').description('make, check and complete BIP39 mnemonics');

    registerMnemonicNew(mnemonic);

    const check = mnemonic
      .command('check')
      .description('check a mnemonic: word count, words not in the list (by position, with the nearest words), checksum, language')
      .option('--language <lang>', 'check against this wordlist instead of detecting it')
      .option('--show-words', 'show the nearest words for each mistake (terminal only)', false)
      .option('--passphrase', 'also read the BIP39 passphrase and show the master fingerprint it gives', false)
      .option('--scheme <scheme>', 'bip39, or qrl: a QRL (Zond) seed of 32/34 words or hex, no checksum; shows validator 0\'s pubkey and the Q-address', 'bip39');
    addMnemonicFileOption(check);
    addJsonOption(check).action(action((opts: CheckOptions) => runCheck(opts)));

    const last = mnemonic
      .command('last-word')
      .description('read the first 11, 14, 17, 20 or 23 words and list every word that completes a valid mnemonic')
      .option('--language <lang>', 'use this wordlist instead of detecting it');
    addMnemonicFileOption(last);
    addJsonOption(last).action(action((opts: LastWordOptions) => runLastWord(opts)));
  },
};
