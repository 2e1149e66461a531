/**
 * Scan a tree for `separation check`: walk it, stream every text file through the pure
 * detectors in src/core/separation.ts, and collect the audit.
 */
import path from 'node:path';
import { classifyJson, SeparationAudit, TextFileScan } from '../../core/separation.js';
import { EscapedMnemonicScanner, mergeEscapedHits } from '../../core/separation/escaped-scan.js';
import { markupDecoder, markupKind, type TextDecoderStream } from '../../core/separation/markup.js';
import { MnemonicScanner } from '../../core/separation/mnemonic-scan.js';
import { progressBar } from '../output/progress.js';
import { NODE_FS, readTextFile, walkTree, type WalkFs } from './walk.js';

/** Text files up to this size that start like JSON are also parsed as JSON (keystores, wallets). */
export const JSON_PARSE_LIMIT = 4 * 1024 * 1024;
export const CHUNK_BYTES = 1024 * 1024;

export interface ScanOptions {
  maxFileSize: number;
  fs?: WalkFs;
  /** Show a progress bar (stderr TTY only; progressBar checks). */
  progress?: boolean;
}

function parseJsonQuietly(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Walk `rootAbs` (shown as `display`) and scan every regular file. */
export function scanTree(rootAbs: string, display: string, opts: ScanOptions): SeparationAudit {
  const fs = opts.fs ?? NODE_FS;
  const audit = new SeparationAudit();
  const tree = walkTree(rootAbs, display, fs);
  audit.summary.dirs_scanned = tree.dirs;
  for (const e of tree.events) {
    if (e.kind === 'unreadable') audit.skipped('unreadable', e.display, e.reason);
    else if (e.kind === 'special') audit.skipped('special', e.display);
    else {
      audit.skipped('symlink', e.display);
      if (e.outside) audit.symlinkOutside(e.display);
    }
  }
  const bar = opts.progress === false ? undefined : progressBar('scanning', tree.files.length);
  const buf = Buffer.alloc(CHUNK_BYTES);
  try {
    for (const file of tree.files) {
      bar?.tick();
      if (file.size > opts.maxFileSize) {
        audit.skipped('too_large', file.display, `${file.size} bytes, more than --max-file-size ${opts.maxFileSize}`);
        continue;
      }
      const base = path.basename(file.abs);
      const text = new TextFileScan(base);
      // The same text with JSON string escapes decoded (`\n`, `\u00e1`): a mnemonic inside a JSON
      // string, in a JSON file of any size or embedded in a log line. Streamed like the raw scan,
      // so it does not depend on the file parsing as JSON (nor on JSON_PARSE_LIMIT).
      const escaped = new EscapedMnemonicScanner();
      // Collect whole text only for small files that may be JSON.
      let whole: string[] | undefined = file.size <= JSON_PARSE_LIMIT ? [] : undefined;
      let firstChecked = false;
      // RTF and HTML/XML files get a third view with the markup removed (`abandon\par`, `<div>`).
      let markup: { decoder: TextDecoderStream; scanner: MnemonicScanner } | undefined;
      let markupChecked = false;
      const outcome = readTextFile(
        file,
        buf,
        opts.maxFileSize,
        (t) => {
          text.push(t);
          escaped.push(t);
          if (!markupChecked && t.trim().length > 0) {
            markupChecked = true;
            const kind = markupKind(base, t);
            if (kind) markup = { decoder: markupDecoder(kind), scanner: new MnemonicScanner() };
          }
          if (markup) markup.scanner.push(markup.decoder.push(t));
          if (whole) {
            if (!firstChecked && t.length > 0) {
              const c = t.trimStart()[0];
              if (c !== undefined) {
                firstChecked = true;
                if (c !== '{' && c !== '[') whole = undefined;
              }
            }
            whole?.push(t);
          }
        },
        fs,
      );
      audit.summary.bytes_read += outcome.bytes;
      if (outcome.kind === 'binary') {
        audit.skipped('binary', file.display);
        continue;
      }
      if (outcome.kind === 'special') {
        audit.skipped('special', file.display);
        continue;
      }
      if (outcome.kind === 'too_large') {
        audit.skipped('too_large', file.display, `grew past --max-file-size ${opts.maxFileSize} while being read`);
        continue;
      }
      if (outcome.kind === 'unreadable') {
        audit.skipped('unreadable', file.display, outcome.reason);
        continue;
      }
      audit.summary.files_scanned++;
      const found = text.end();
      let mnemonics = mergeEscapedHits(found.mnemonics, escaped.end());
      if (markup) {
        markup.scanner.push(markup.decoder.end());
        mnemonics = mergeEscapedHits(mnemonics, markup.scanner.end());
      }
      audit.mnemonicHits(file.display, mnemonics);
      const json = whole && whole.length > 0 ? parseJsonQuietly(whole.join('')) : undefined;
      whole = undefined;
      if (json === undefined) {
        audit.secretHits(file.display, found.secrets);
        audit.zondSecretHits(file.display, found.zondSecrets);
        continue;
      }
      const verdict = classifyJson(json, base);
      if (verdict.keystore) audit.keystore(file.display, verdict.keystore, file.mode);
      else if (verdict.hdWalletstore) audit.hdWalletstore(file.display);
      else if (verdict.zondWalletKeystore) audit.zondWalletKeystore(file.display);
      else {
        audit.secretHits(file.display, verdict.secrets);
        audit.zondSecretHits(file.display, verdict.zondSecrets ?? []);
      }
    }
  } finally {
    bar?.done();
  }
  return audit;
}
