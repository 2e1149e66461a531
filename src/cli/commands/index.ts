/**
 * Every command, in one list. Add a command by exporting a CommandSpec from its file
 * and listing it here.
 */
import type { CommandSpec } from '../common.js';
import { airgapCommand } from './airgap.js';
import { depositCommand } from './deposit.js';
import { keysCommand } from './keys.js';
import { keystoreCommand } from './keystore.js';
import { ownershipCommand } from './ownership.js';
import { slashingCommand } from './slashing.js';
import { versionCommand } from './version.js';

export const COMMANDS: CommandSpec[] = [
  airgapCommand,
  keysCommand,
  versionCommand,
  keystoreCommand,
  depositCommand,
  ownershipCommand,
  slashingCommand,
];
