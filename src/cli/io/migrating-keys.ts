/**
 * The pubkeys of the keys an operator is about to start on a new machine: from keystores
 * (their `pubkey` member, EIP-2335) and/or from deposit data (its `pubkey` fields).
 * Nothing is decrypted: `keystore verify` proves that a keystore's secret matches its pubkey.
 */
import { InputError } from '../../core/errors.js';
import { MAX_DEPOSIT_FILE_BYTES, parseDepositData } from '../../core/eth/deposit.js';
import type { MigratingKey } from '../../core/slashing/slashing.js';
import { readKeystores } from './keystore-files.js';
import { decodeUtf8, readBoundedFile } from './read-input.js';

function hex(bytes: Uint8Array): string {
  let s = '0x';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/**
 * Keys from every keystore under `dir`.
 * @throws {InputError} when no keystore is found, or one cannot be read or parsed (its pubkey
 *   would be unknown, so coverage could not be decided).
 */
export function keysFromKeystores(dir: string): MigratingKey[] {
  const files = readKeystores([dir]);
  if (files.length === 0) {
    throw new InputError('no keystore files found', { file: dir, hint: 'give the directory that holds the keystore-*.json files being migrated' });
  }
  return files.map((f) => {
    if (!f.ok) {
      throw new InputError(f.detail, { file: f.file, field: f.field, hint: 'run coldstake keystore verify on the keystores first' });
    }
    // A keystore without a pubkey member names its key only once decrypted.
    if (f.keystore.pubkey === undefined) {
      throw new InputError('the keystore has no pubkey member, so its key is unknown without its password', { file: f.file, field: 'pubkey', hint: 'run coldstake keystore verify on it: it decrypts the file and reports the pubkey' });
    }
    return { pubkey: `0x${f.keystore.pubkey.toLowerCase()}`, source: f.file };
  });
}

/**
 * Keys from a deposit_data file.
 * @throws {InputError} when the file is unreadable or not strict deposit data.
 */
export function keysFromDepositData(file: string): MigratingKey[] {
  const entries = parseDepositData(decodeUtf8(readBoundedFile(file, MAX_DEPOSIT_FILE_BYTES), file), file);
  if (entries.length === 0) throw new InputError('has no deposits', { file });
  return entries.map((e, i) => ({ pubkey: hex(e.pubkey), source: `${file} [${i}]` }));
}
