/**
 * `separation check`: the verdict on a validator machine's tree, from what the walker found.
 * Pure: the CLI walks the tree and feeds text, parsed JSON and file modes in; this module turns
 * them into findings. Nothing here ever holds or returns a mnemonic word or a secret value.
 */
import { finding, type Finding } from './findings.js';
import { MnemonicScanner, type MnemonicHit } from './separation/mnemonic-scan.js';
import { blsCredentialIndex, blsWithdrawalCredential, pathKind, recognizeKeystore, type DepositCredential, type KeystoreInfo } from './separation/keystores.js';
import { fileNameContext, HexSecretScanner, isHdWalletstore, jsonSecrets, type SecretHit } from './separation/secrets.js';
import { isGqrlAccountKeystore, seedName, ZondHexScanner, zondJsonSecrets, type ZondSecretHit } from './separation/zond-secrets.js';

export { MnemonicScanner, findMnemonics, type MnemonicHit } from './separation/mnemonic-scan.js';
export { recognizeKeystore, pathKind, blsWithdrawalCredential, type DepositCredential, type KeystoreInfo } from './separation/keystores.js';
export { keyishName, isBlsSecretHex, nameKind } from './separation/secrets.js';

/** Streaming scan of one text file: mnemonics and hex secrets, chunk by chunk. */
export class TextFileScan {
  private readonly mnemonics = new MnemonicScanner();
  private readonly secrets: HexSecretScanner;
  private readonly zond: ZondHexScanner;

  /** @param baseName the file's name (decides whether bare hex counts as a key or a seed) */
  constructor(baseName: string) {
    this.secrets = new HexSecretScanner(fileNameContext(baseName));
    this.zond = new ZondHexScanner(seedName(baseName));
  }

  push(text: string): void {
    this.mnemonics.push(text);
    this.secrets.push(text);
    this.zond.push(text);
  }

  end(): { mnemonics: MnemonicHit[]; secrets: SecretHit[]; zondSecrets: ZondSecretHit[] } {
    return { mnemonics: this.mnemonics.end(), secrets: this.secrets.end(), zondSecrets: this.zond.end() };
  }
}

/** What a parsed JSON file is, for the separation check. */
export interface JsonVerdict {
  keystore?: KeystoreInfo;
  hdWalletstore: boolean;
  /** A go-qrl (gqrl) account keystore: an encrypted QRL wallet. */
  zondWalletKeystore?: boolean;
  /** Deposit-data files hold only public values: no secret scan. */
  depositData: boolean;
  secrets: SecretHit[];
  zondSecrets?: ZondSecretHit[];
}

function looksLikeDepositData(json: unknown): boolean {
  return (
    Array.isArray(json) &&
    json.length > 0 &&
    json.every((e) => typeof e === 'object' && e !== null && 'pubkey' in e && 'withdrawal_credentials' in e)
  );
}

/** Classify parsed JSON: keystore, HD walletstore, deposit data, or a document to search for secrets. */
export function classifyJson(json: unknown, baseName: string): JsonVerdict {
  const keystore = recognizeKeystore(json);
  if (keystore) return { keystore, hdWalletstore: false, depositData: false, secrets: [] };
  if (isHdWalletstore(json)) return { hdWalletstore: true, depositData: false, secrets: [] };
  if (isGqrlAccountKeystore(json)) return { hdWalletstore: false, zondWalletKeystore: true, depositData: false, secrets: [] };
  if (looksLikeDepositData(json)) return { hdWalletstore: false, depositData: true, secrets: [] };
  return { hdWalletstore: false, depositData: false, secrets: jsonSecrets(json, fileNameContext(baseName)), zondSecrets: zondJsonSecrets(json, seedName(baseName)) };
}

export type SkipKind = 'binary' | 'too_large' | 'unreadable' | 'special' | 'symlink';

export interface ScanSummary {
  files_scanned: number;
  dirs_scanned: number;
  bytes_read: number;
  keystores: number;
  skipped: Record<SkipKind, number>;
}

export function emptySummary(): ScanSummary {
  return { files_scanned: 0, dirs_scanned: 0, bytes_read: 0, keystores: 0, skipped: { binary: 0, too_large: 0, unreadable: 0, special: 0, symlink: 0 } };
}

const MNEMONIC_FIX = 'move the mnemonic offline (metal backup), delete this copy securely, and treat the seed as exposed if this machine was ever compromised';

/**
 * Collects what the walker reports and produces the findings.
 * Subjects are file paths as the user will recognise them (the DIR argument joined with the
 * path inside it).
 */
export class SeparationAudit {
  readonly findings: Finding[] = [];
  readonly summary: ScanSummary = emptySummary();
  private readonly keystores: Array<{ file: string; info: KeystoreInfo }> = [];

  mnemonicHits(file: string, hits: readonly MnemonicHit[]): void {
    for (const h of hits) {
      if (h.language === 'qrl') {
        this.qrlMnemonicHit(file, h);
        continue;
      }
      const evidence: Record<string, unknown> = { file, line: h.line, words: h.words, language: h.language };
      if (h.form) evidence['form'] = h.form;
      const written = h.form === 'stamps' ? ', written as four-letter stamps' : '';
      if (h.valid && h.publicVector) {
        this.findings.push(
          finding(
            'separation-public-test-mnemonic',
            'info',
            file,
            `line ${h.line}: a published test mnemonic (${h.publicVector}): not a secret, anyone can derive its keys`,
            { ...evidence, source: h.publicVector },
            'never hold funds or validators with it',
          ),
        );
      } else if (h.valid && h.degenerate) {
        this.findings.push(
          finding(
            'separation-mnemonic-test-pattern',
            'warning',
            file,
            `line ${h.line}: a checksum-valid ${h.words}-word ${h.language.replace('_', ' ')} sequence of at most two distinct words (a published test vector or repeated data, not a generated mnemonic)`,
            evidence,
            'if a wallet was ever created from it, its funds are not safe: anyone can derive its keys',
          ),
        );
      } else if (h.valid) {
        this.findings.push(
          finding('separation-mnemonic', 'error', file, `line ${h.line}: a valid ${h.words}-word ${h.language.replace('_', ' ')} bip39 mnemonic${written}`, evidence, MNEMONIC_FIX),
        );
      } else {
        this.findings.push(
          finding(
            'separation-mnemonic-near-miss',
            'warning',
            file,
            [12, 15, 18, 21, 24].includes(h.words)
              ? `line ${h.line}: ${h.words} ${h.language.replace('_', ' ')} bip39 words${written} in a row with a wrong checksum (a mistyped mnemonic is still a leak)`
              : `line ${h.line}: ${h.words} ${h.language.replace('_', ' ')} bip39 words in a row containing a checksum-valid stretch that is likely chance`,
            evidence,
            'if this is a mnemonic, remove it from this machine',
          ),
        );
      }
    }
  }

  /** A run of QRL (Zond) list words: no checksum, so length and place decide (separation/qrl-run.ts). */
  private qrlMnemonicHit(file: string, h: MnemonicHit): void {
    const evidence = { file, line: h.line, words: h.words, language: 'qrl' };
    const what = h.words === 34 ? 'a 34-word qrl extended-seed mnemonic (starts absorb aback: a qrl wallet seed)' : 'a 32-word qrl mnemonic (a zond staking seed)';
    if (!h.valid) {
      this.findings.push(
        finding('separation-qrl-mnemonic-long-run', 'warning', file, `line ${h.line}: ${h.words} qrl list words in a row: may hold a qrl mnemonic (the qrl list has no checksum, so it cannot be told apart)`, evidence, 'if a qrl mnemonic is in it, remove it from this machine'),
      );
    } else if (h.degenerate) {
      this.findings.push(
        finding('separation-qrl-mnemonic-test-pattern', 'warning', file, `line ${h.line}: ${what.replace(/^a /, 'the shape of a ')} made of at most two distinct words (test data, not a generated seed)`, evidence, 'if a wallet or validator was ever created from it, anyone can derive its keys'),
      );
    } else {
      this.findings.push(
        finding('separation-qrl-mnemonic', 'error', file, `line ${h.line}: ${what}; the qrl list has no checksum, so these words are a seed whatever they are`, evidence, 'move the seed offline (metal backup), delete this copy securely, and treat the seed as exposed if this machine was ever compromised'),
      );
    }
  }

  secretHits(file: string, hits: readonly SecretHit[]): void {
    for (const h of hits) {
      const where = [h.line > 0 ? `line ${h.line}` : '', h.field ? `field ${h.field}` : ''].filter(Boolean).join(', ');
      const evidence = { file, ...(h.line > 0 ? { line: h.line } : {}), ...(h.field ? { field: h.field } : {}) };
      if (h.publicVector) {
        this.findings.push(
          finding(
            'separation-public-test-key',
            'info',
            file,
            `${where ? `${where}: ` : ''}a published test key (${h.publicVector}): not a secret`,
            { ...evidence, source: h.publicVector },
            'never hold funds or validators with it',
          ),
        );
        continue;
      }
      if (h.withdrawal) {
        // The worst case: a bls withdrawal key can change a validator's 0x00 credentials to an
        // execution address of its holder's choice, i.e. take the stake.
        this.findings.push(
          finding(
            'separation-plaintext-withdrawal-key',
            'error',
            file,
            `${where ? `${where}: ` : ''}a plaintext 32-byte secret key named as a withdrawal key (a valid bls12-381 scalar): whoever reads it can redirect 0x00 withdrawal credentials`,
            evidence,
            'move the withdrawal key offline and delete this file securely; if a validator still has 0x00 credentials, treat the key as exposed',
          ),
        );
        continue;
      }
      this.findings.push(
        finding(
          'separation-plaintext-secret-key',
          'error',
          file,
          `${where ? `${where}: ` : ''}a plaintext 32-byte secret key (a valid bls12-381 scalar)`,
          evidence,
          'keep only encrypted eip-2335 signing keystores on the validator machine; delete this file securely',
        ),
      );
    }
  }

  /** Zond (QRL) seeds in hex: 48-byte seeds named as such, 51-byte extended seeds (separation/zond-secrets.ts). */
  zondSecretHits(file: string, hits: readonly ZondSecretHit[]): void {
    for (const h of hits) {
      const where = [h.line > 0 ? `line ${h.line}` : '', h.field ? `field ${h.field}` : ''].filter(Boolean).join(', ');
      const evidence = { file, ...(h.line > 0 ? { line: h.line } : {}), ...(h.field ? { field: h.field } : {}) };
      const fix = 'move the seed offline (metal backup), delete this copy securely, and treat the seed as exposed if this machine was ever compromised';
      if (h.kind === 'extended-seed') {
        this.findings.push(finding('separation-zond-hex-extended-seed', 'error', file, `${where ? `${where}: ` : ''}a qrl extended seed in hex (102 digits starting 010000): the wallet seed, from which the zond validator keys and the wallet key derive`, evidence, fix));
      } else {
        this.findings.push(finding('separation-zond-hex-seed', 'error', file, `${where ? `${where}: ` : ''}a 48-byte hex value named as a seed: a zond (qrl) staking seed, from which every validator key derives`, evidence, fix));
      }
    }
  }

  /** A go-qrl (gqrl) account keystore (separation/zond-secrets.ts). */
  zondWalletKeystore(file: string): void {
    this.findings.push(
      finding(
        'separation-zond-wallet-keystore',
        'error',
        file,
        'a go-qrl (gqrl) account keystore: an encrypted qrl wallet key that can move funds, not a validator signing keystore',
        { file },
        'keep wallet keys on the offline machine; only zond validator keystores belong here',
      ),
    );
  }

  hdWalletstore(file: string): void {
    this.findings.push(
      finding(
        'separation-hd-walletstore',
        'error',
        file,
        'an hd walletstore (eip-2386, ethdo): it holds the wallet seed, from which the withdrawal keys derive',
        { file },
        'keep hd wallets on the offline machine; export only signing keystores to the validator',
      ),
    );
  }

  /** A keystore file, with its mode bits (from lstat) for the permission check. */
  keystore(file: string, info: KeystoreInfo, mode: number): void {
    this.summary.keystores++;
    this.keystores.push({ file, info });
    const kind = pathKind(info.path);
    const evidence = { file, path: info.path, pubkey: info.pubkey ? `0x${info.pubkey}` : '' };
    if (kind === 'withdrawal') {
      this.findings.push(
        finding('separation-withdrawal-keystore', 'error', file, `keystore for withdrawal path ${info.path}: a withdrawal key on the validator machine`, evidence, 'move it to offline storage and delete it here'),
      );
    } else if (kind === 'other') {
      this.findings.push(
        finding('separation-non-signing-keystore', 'error', file, `keystore path ${info.path} is not an eip-2334 signing path (m/12381/3600/i/0/0)`, evidence, 'only signing keystores belong on the validator machine'),
      );
    }
    if (!info.strict) {
      this.findings.push(finding('separation-keystore-malformed', 'warning', file, 'looks like an eip-2335 keystore but is not a valid one (checked as one anyway)', { file }, `coldstake keystore verify ${file}`));
    }
    if (info.secretLikeFields.length > 0) {
      this.findings.push(
        finding('separation-keystore-plaintext-field', 'error', file, `keystore carries plaintext field${info.secretLikeFields.length === 1 ? '' : 's'} ${info.secretLikeFields.join(', ')}`, { file, fields: info.secretLikeFields }, 'remove the field: a keystore next to its password or secret is a plaintext key'),
      );
    }
    if (kind === 'none') {
      this.findings.push(
        finding('separation-keystore-without-path', 'warning', file, 'keystore has an empty path: cannot tell whether it is a signing key', evidence),
      );
    }
    if ((mode & 0o044) !== 0) {
      const who = [(mode & 0o040) !== 0 ? 'group' : '', (mode & 0o004) !== 0 ? 'others' : ''].filter(Boolean).join(' and ');
      this.findings.push(
        finding('separation-keystore-readable-by-others', 'warning', file, `keystore is readable by ${who} (mode ${(mode & 0o777).toString(8).padStart(3, '0')})`, { file, mode: (mode & 0o7777).toString(8).padStart(4, '0') }, `chmod 600 ${file}`),
      );
    }
  }

  /** A file or directory that was not scanned, with an info finding where the user should know. */
  skipped(kind: SkipKind, file: string, reason?: string): void {
    this.summary.skipped[kind]++;
    if (kind === 'unreadable') {
      this.findings.push(finding('separation-unreadable', 'info', file, `not scanned: ${reason ?? 'cannot read'}`, { file, reason: reason ?? '' }));
    } else if (kind === 'too_large') {
      this.findings.push(finding('separation-file-too-large', 'info', file, `not scanned: ${reason ?? 'larger than --max-file-size'}`, { file }));
    }
  }

  /** A symlink whose target lies outside the tree: not followed, so not scanned. */
  symlinkOutside(file: string): void {
    this.findings.push(finding('separation-symlink-outside-tree', 'info', file, 'symbolic link to outside the scanned tree: not followed', { file }, 'scan the target directory too if it belongs to this machine'));
  }

  /**
   * Close the audit: duplicate keystores and, with deposit data, withdrawal keys named by a
   * 0x00 credential.
   */
  finish(deposit?: { file: string; entries: readonly DepositCredential[] }): Finding[] {
    const byPubkey = new Map<string, Array<{ file: string; info: KeystoreInfo }>>();
    for (const k of this.keystores) {
      if (!k.info.pubkey) continue;
      const list = byPubkey.get(k.info.pubkey) ?? [];
      list.push(k);
      byPubkey.set(k.info.pubkey, list);
    }
    for (const [pk, group] of byPubkey) {
      if (group.length < 2) continue;
      const files = group.map((k) => k.file);
      // Copies of one keystore (the same encrypted secret): a copied folder, not a second encryption.
      const copies = group.every((k) => k.info.sealedId !== undefined && k.info.sealedId === group[0]!.info.sealedId);
      this.findings.push(copies
        ? finding('separation-duplicate-keystore', 'error', `0x${pk}`, `the same keystore is present ${files.length === 2 ? 'twice' : `${files.length} times`}: two validator clients signing with it will be slashed`, { pubkey: `0x${pk}`, files, copies: true }, 'remove the copy: keep exactly one file of each signing key on exactly one machine')
        : finding('separation-duplicate-keystore', 'error', `0x${pk}`, `the same key is in ${files.length} keystores: two validator clients signing with it will be slashed`, { pubkey: `0x${pk}`, files, copies: false }, 'keep exactly one copy of each signing key on exactly one machine'),
      );
    }
    if (deposit) {
      const index = blsCredentialIndex(deposit.entries);
      if (index.size === 0) {
        this.findings.push(finding('separation-no-bls-credentials', 'info', deposit.file, 'no 0x00 withdrawal credentials in the deposit data: no withdrawal key to look for', { file: deposit.file }));
      }
      for (const [pk, group] of byPubkey) {
        const validators = index.get(blsWithdrawalCredential(pk));
        if (!validators) continue;
        for (const { file } of group) {
          this.findings.push(
            finding(
              'separation-withdrawal-key-present',
              'error',
              file,
              `this keystore's key is the bls withdrawal key of ${validators.length} validator${validators.length === 1 ? '' : 's'} in ${deposit.file}`,
              { file, pubkey: `0x${pk}`, validators: validators.map((v) => `0x${v}`), deposit_data: deposit.file },
              'move the withdrawal key offline; consider changing to 0x01 credentials',
            ),
          );
        }
      }
    }
    return orderFindings(this.findings);
  }
}

/**
 * Directories that hold third-party packages (installed code, its docs and tests): findings there
 * are summarised apart from the user's own files. `vendor` covers Go, PHP and Ruby vendoring.
 */
const PACKAGE_DIRS = new Set([
  'node_modules', 'bower_components', '.npm', '.yarn', '.pnpm-store', 'site-packages', 'dist-packages', '__pypackages__',
  '.cargo', '.rustup', 'vendor', '.m2', '.gradle', '.gem', '.bundle', '.nvm', '.pyenv',
]);

/**
 * The package directory a path lies under, as shown (`proj/node_modules`), or undefined for the
 * user's own files. Go's module cache (`go/pkg/mod`) counts too. Pure: splits on `/` and `\`.
 */
export function packageDirOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    if (PACKAGE_DIRS.has(p) || (p === 'mod' && parts[i - 1] === 'pkg')) return parts.slice(0, i + 1).join('/');
  }
  return undefined;
}

/**
 * The package a path lies in, for summaries: the package directory and the next component
 * (two for an npm scope: `node_modules/@scure/bip39`).
 */
export function packageOf(file: string): string | undefined {
  const dir = packageDirOf(file);
  if (dir === undefined) return undefined;
  const rest = file.slice(dir.length + 1).split(/[\\/]/);
  const take = rest[0]?.startsWith('@') && rest.length > 2 ? 2 : 1;
  return rest.length > take ? [dir, ...rest.slice(0, take)].join('/') : dir;
}

const RANK = { error: 0, warning: 1, info: 2 } as const;

/**
 * The user's own files first, then findings under package directories (each marked with
 * `evidence.package_dir`); errors, then warnings, then notes within each; otherwise in walk order.
 */
export function orderFindings(findings: Finding[]): Finding[] {
  const keyed = findings.map((f, i) => {
    const file = typeof f.evidence['file'] === 'string' ? (f.evidence['file'] as string) : f.subject;
    const dir = packageDirOf(file);
    if (dir !== undefined) f.evidence['package_dir'] = dir;
    return { f, i, pkg: dir === undefined ? 0 : 1 };
  });
  keyed.sort((a, b) => a.pkg - b.pkg || RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i);
  findings.splice(0, findings.length, ...keyed.map((k) => k.f));
  return findings;
}
