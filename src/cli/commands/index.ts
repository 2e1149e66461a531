/**
 * Every command, in one list. Add a command by exporting a CommandSpec from its file
 * and listing it here.
 */
import type { CommandSpec } from '../common.js';
import { airgapCommand } from './airgap.js';
import { backupCommand } from './backup.js';
import { credentialsCommand, credentialsVerifyCommand } from './credentials.js';
import { depositCommand, depositTopUpCommand } from './deposit.js';
import { exitSignCommand } from './exit.js';
import { exitVerifyCommand } from './exit-verify.js';
import { hostCommand } from './host.js';
import { keysCommand } from './keys.js';
import { keystoreCommand } from './keystore.js';
import { mnemonicCommand } from './mnemonic.js';
import { ownershipCommand } from './ownership.js';
import { redactCommand } from './redact.js';
import { separationCommand } from './separation.js';
import { slashingCommand } from './slashing.js';
import { versionCommand } from './version.js';

export const COMMANDS: CommandSpec[] = [
  airgapCommand,
  mnemonicCommand,
  keysCommand,
  backupCommand,
  ownershipCommand,
  credentialsCommand,
  depositTopUpCommand,
  credentialsVerifyCommand,
  depositCommand,
  exitSignCommand,
  exitVerifyCommand,
  keystoreCommand,
  separationCommand,
  slashingCommand,
  hostCommand,
  redactCommand,
  versionCommand,
];
