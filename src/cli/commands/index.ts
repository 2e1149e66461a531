/**
 * Every command, in one list. Add a command by exporting a CommandSpec from its file
 * and listing it here.
 */
import type { CommandSpec } from '../common.js';
import { airgapCommand } from './airgap.js';
import { keystoreCommand } from './keystore.js';
import { slashingCommand } from './slashing.js';
import { backupCommand } from './backup.js';
import { keysCommand } from './keys.js';
import { mnemonicCommand } from './mnemonic.js';
import { versionCommand } from './version.js';

export const COMMANDS: CommandSpec[] = [
  airgapCommand,
  backupCommand,
  keysCommand,
  mnemonicCommand,
  versionCommand,
  keystoreCommand,
  slashingCommand,
];
