/**
 * `mnemonic check --scheme qrl` and `mnemonic new --scheme qrl`: QRL mnemonics (go-qrllib v0.9.0:
 * 4096 words, 12 bits a word, NO checksum). 32 words = the 48-byte staking seed qrysm's deposit CLI
 * uses; 34 words = the QRL wallet's extended seed (01 00 00 ‖ seed); hex forms too.
 *
 * With no checksum, words alone cannot reveal a mistyped word that is another list word: the check
 * prints what can (validator 0's pubkey as qrysm derives it, and the wallet's Q-address) for the user
 * to compare with a record (a deposit file, the wallet).
 */
import { randomBytes, randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bytesToHex } from '@noble/hashes/utils.js';
import { SafetyRefusal, UsageError } from '../../core/errors.js';
import { finding, type Finding, type Report } from '../../core/findings.js';
import { formatZondAddress, zondAddressBytes } from '../../core/zond/address.js';
import { deriveZondChildSeed, zondPublicKey } from '../../core/zond/derivation.js';
import { ZOND_FORMAT, ZOND_SEED_BYTES } from '../../core/zond/format.js';
import { parseZondSeed, QrlWordError, seedToMnemonic, type ZondSeedForm } from '../../core/zond/mnemonic.js';
import { airgapGate } from '../gate.js';
import { readMnemonicText } from '../io/mnemonic-input.js';
import { writeFileExclusive } from '../io/safe-write.js';
import { askTerminal, assertSecretOutputToTerminal, assertStdinConsumed, CLEAR_SCREEN, hasTerminal, writeTerminal } from '../io/secrets.js';
import { columns, numbered } from '../output/columns.js';
import { printError, printHint, printWarning } from '../output/diagnostics.js';
import { printJson, printReport } from '../output/report.js';
import { printable } from '../output/style.js';

export const QRL_NO_CHECKSUM = 'QRL mnemonics have no checksum: a mistyped word that is another list word cannot be detected from the words alone; compare the validator 0 pubkey and the Q-address below with your records (deposit file, wallet)';

/** What a QRL seed shows to compare with records: validator 0's pubkey (qrysm) and the wallet Q-address. */
export function zondSeedFingerprints(seed: Uint8Array): { validator0Pubkey: string; address: string } {
  const child = deriveZondChildSeed(seed, 0);
  try {
    const pk0 = zondPublicKey(child);
    const wallet = zondPublicKey(seed);
    return { validator0Pubkey: `0x${bytesToHex(pk0)}`, address: formatZondAddress(zondAddressBytes(wallet)) };
  } finally {
    child.fill(0);
  }
}

const FORM_LABEL: Record<ZondSeedForm, string> = {
  'mnemonic-32': '32-word QRL mnemonic (staking seed)',
  'mnemonic-34': '34-word QRL mnemonic (wallet extended seed)',
  'hex-seed': 'hex seed (48 bytes)',
  'hex-extended-seed': 'hex extended seed (51 bytes)',
};

export async function runZondMnemonicCheck(opts: { json: boolean; mnemonicFile?: string; passphrase?: boolean; language?: string; showWords?: boolean }): Promise<number> {
  if (opts.passphrase) throw new UsageError('--passphrase is a BIP39 option: a QRL seed has no passphrase');
  if (opts.language !== undefined) throw new UsageError('--language is a BIP39 option: the QRL list is English only');
  const read = await readMnemonicText({ file: opts.mnemonicFile, what: 'QRL mnemonic' });
  assertStdinConsumed();
  const findings: Finding[] = [];
  let form: ZondSeedForm | null = null;
  let fp: { validator0Pubkey: string; address: string } | null = null;
  try {
    const z = parseZondSeed(read.text);
    form = z.form;
    try {
      fp = zondSeedFingerprints(z.seed);
    } finally {
      z.seed.fill(0);
    }
    findings.push(finding('zond-mnemonic-no-checksum', 'info', 'mnemonic', QRL_NO_CHECKSUM, {}));
  } catch (err) {
    if (err instanceof QrlWordError) findings.push(finding('zond-mnemonic-unknown-word', 'error', 'mnemonic', err.message, { positions: err.positions }, 'compare those words with your backup'));
    else if (/descriptor/.test((err as Error).message)) findings.push(finding('zond-mnemonic-descriptor', 'error', 'mnemonic', (err as Error).message, {}));
    else if (/words|digits/.test((err as Error).message)) findings.push(finding('zond-mnemonic-length', 'error', 'mnemonic', (err as Error).message, {}));
    else throw err;
  } finally {
    read.text = '';
  }
  const ok = fp !== null;
  const report: Report = {
    ok,
    command: 'mnemonic check',
    scheme: 'qrl',
    zond_format: ZOND_FORMAT.label,
    form,
    checksum: false,
    validator0_pubkey: fp?.validator0Pubkey ?? null,
    address: fp?.address ?? null,
    findings,
  };
  const header = ok
    ? `${FORM_LABEL[form!]}, no checksum\nvalidator 0 pubkey  ${fp!.validator0Pubkey.slice(0, 18)}…${fp!.validator0Pubkey.slice(-8)} (qrysm m/12381/238/0/0)\nwallet Q-address    ${fp!.address}\n`
    : 'QRL mnemonic: not valid\n';
  printReport(report, { json: opts.json, header });
  return ok ? 0 : 1;
}

export interface ZondNewOptions {
  words: string;
  language?: string;
  dice: boolean;
  confirm?: string;
  out?: string;
  allowOnline: boolean;
  json: boolean;
}

/** Retype answers: the terminal, or standard input line by line. */
async function* stdinLines(): AsyncGenerator<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of rl) yield String(line);
  } finally {
    rl.close();
  }
}

/**
 * A new 48-byte seed from the OS CSPRNG as 32 QRL words: shown on the terminal or written to a 0600
 * file, accepted once a random selection of 8 words (or all, `--confirm all`) is retyped.
 */
export async function runZondMnemonicNew(opts: ZondNewOptions): Promise<number> {
  if (opts.dice) throw new UsageError('--dice is not offered for QRL seeds', 'a 48-byte seed needs at least 149 d6 rolls and there is no QRL convention for turning them into a seed; the OS random generator is used');
  if (opts.words !== '24' && opts.words !== '32') throw new UsageError('a QRL staking mnemonic has 32 words (leave out --words)');
  if (opts.language !== undefined && opts.language !== 'english') throw new UsageError('the QRL word list is English only');
  if (opts.confirm !== undefined && opts.confirm !== 'all') throw new UsageError(`--confirm takes 'all', got '${opts.confirm.slice(0, 20)}'`);
  const out = opts.out;
  if (opts.json && out === undefined) throw new UsageError('--json needs --out FILE', 'the mnemonic itself is shown only on a terminal');
  if (out !== undefined) {
    if (fs.existsSync(out)) throw new SafetyRefusal(`${out} already exists: refusing to overwrite it`, 'choose a new file name');
    let dirOk = false;
    try { dirOk = fs.statSync(path.dirname(path.resolve(out))).isDirectory(); } catch { dirOk = false; }
    if (!dirOk) throw new UsageError(`${out}: the directory does not exist`);
  }
  const gate = await airgapGate('mnemonic new', { allowOnline: opts.allowOnline, json: opts.json });
  if (out === undefined) assertSecretOutputToTerminal('mnemonic', 'run it in a terminal, or use --out FILE to write it to a 0600 file');
  const terminal = hasTerminal();
  const seed = new Uint8Array(randomBytes(ZOND_SEED_BYTES));
  const words = seedToMnemonic(seed).split(' ');
  const fp = zondSeedFingerprints(seed);
  seed.fill(0);
  const count = opts.confirm === 'all' ? 32 : 8;
  const positions: number[] = [];
  while (positions.length < count) {
    const p = randomInt(32) + 1;
    if (!positions.includes(p)) positions.push(p);
  }
  positions.sort((a, b) => a - b);
  const lines = terminal ? undefined : stdinLines();
  const ask = async (prompt: string): Promise<string | null> => {
    if (terminal) return askTerminal(prompt, { echo: true });
    const n = await lines!.next();
    return n.done ? null : n.value;
  };
  let written = false;
  let failure: string | null = null;
  try {
    if (out !== undefined) {
      writeFileExclusive(out, `${words.join(' ')}\n`, { mode: 0o600 });
      written = true;
      printWarning(`the QRL mnemonic is in ${out} unencrypted: copy it onto paper or metal, then delete the file from this disk`);
      if (!terminal) printHint(`no terminal: reading words ${positions.join(', ')} of the mnemonic from standard input, one per line`);
    } else {
      process.stdout.write(`your 32-word QRL staking mnemonic, from the operating system's random generator (${ZOND_FORMAT.label}):\n${columns(numbered(words))}` +
        `the QRL wallet shows the same seed as 34 words: "absorb aback" followed by these 32.\n${QRL_NO_CHECKSUM.replace(' below', '')}:\n  validator 0 pubkey ${fp.validator0Pubkey.slice(0, 18)}…\n  wallet Q-address   ${fp.address}\n`);
      await ask('when it is written down, press enter: the screen will be cleared and you retype some words ');
      writeTerminal(CLEAR_SCREEN);
    }
    for (const p of positions) {
      let attempts = 0;
      for (;;) {
        const a = await ask(`word ${p}: `);
        if (a === null) { failure = `input ended before word ${p} was retyped`; break; }
        if (a.trim().toLowerCase() === words[p - 1]) break;
        if (++attempts >= 5) { failure = `word ${p} did not match after 5 attempts`; break; }
        if (terminal) writeTerminal(`coldstake: error: word ${p} does not match: check your copy and type it again\n`);
        else printWarning(`word ${p} does not match: reading it again`);
      }
      if (failure) break;
    }
  } finally {
    await lines?.return(undefined);
    if (terminal && out === undefined) writeTerminal(CLEAR_SCREEN);
    words.fill('');
    if (failure && written && out !== undefined) {
      fs.rmSync(out, { force: true });
      printHint(`${out} was removed (a plain delete: the disk may still hold its bytes)`);
    }
  }
  const ok = failure === null;
  if (failure) printError(failure);
  if (opts.json) {
    printJson({
      ok,
      command: 'mnemonic new',
      scheme: 'qrl',
      zond_format: ZOND_FORMAT.label,
      findings: ok ? [finding('zond-mnemonic-no-checksum', 'info', out ?? 'terminal', QRL_NO_CHECKSUM, {})] : [finding('mnemonic-not-confirmed', 'error', out ?? 'terminal', 'the mnemonic was not retyped correctly: do not use it', {})],
      words: 32,
      entropy_source: 'csprng',
      retyped_positions: positions,
      validator0_pubkey: fp.validator0Pubkey,
      address: fp.address,
      out: ok ? out : null,
      airgap: { airgapped: gate.airgapped, allowed_online: gate.allowedOnline },
    });
  }
  if (!ok) {
    printError('the mnemonic was not confirmed: do not use it; run mnemonic new --scheme qrl again');
    return 1;
  }
  if (!opts.json) {
    process.stdout.write(`ok: 32-word QRL mnemonic from the operating system's random generator, ${positions.length === 32 ? 'every word' : `${positions.length} words`} retyped correctly` +
      (out !== undefined ? `; written to ${printable(out)} (mode 0600); wallet Q-address ${fp.address}` : '; nothing was saved on this machine') + '\n');
  }
  return 0;
}
