/**
 * `coldstake version [--json]`: version, which build is running (the bundle under Node, or the
 * standalone executable), Node version, SHA-256 of the running file and of the program's code,
 * permission model state, the network guard's state in the main thread and in a worker, and the one
 * Zond format coldstake reads and writes (`zondFormat`).
 */
import type { Command } from 'commander';
import { ZOND_FORMAT } from '../../core/zond/format.js';
import { guardStatus, type GuardStatus } from '../../guard/install.js';
import { action, addJsonOption, type CommandSpec } from '../common.js';
import { jsonInert } from '../output/style.js';
import { buildKind, bundleSha256, permissionState, runningFile, runningFileSha256, VERSION } from '../self.js';
import { createPool } from '../workers/pool.js';

async function workerGuardStatus(): Promise<GuardStatus | { error: string }> {
  const pool = createPool(1);
  try {
    return await pool.run<GuardStatus>('guard-status', null);
  } catch (err) {
    return { error: (err as Error).name };
  } finally {
    await pool.close();
  }
}

async function run(opts: { json: boolean }): Promise<number> {
  const mainGuard = guardStatus();
  const workerGuard = await workerGuardStatus();
  const data = {
    version: VERSION,
    build: buildKind(),
    node: process.versions.node,
    file: runningFile(),
    sha256: runningFileSha256(),
    bundleSha256: bundleSha256(),
    permission: permissionState(),
    guard: { main: mainGuard, worker: workerGuard },
    zondFormat: { qrysm: ZOND_FORMAT.qrysmCommit, goQrllib: ZOND_FORMAT.goQrllib, label: ZOND_FORMAT.label },
  };
  const intact = (g: GuardStatus | { error: string }) => 'installed' in g && g.installed && g.tampered.length === 0;
  if (opts.json) {
    process.stdout.write(`${jsonInert(JSON.stringify(data, null, 2))}\n`);
  } else {
    const p = data.permission;
    const perm = p.enabled
      ? `on (child processes ${p.childProcess ? 'allowed' : 'denied'}, addons ${p.addons ? 'allowed' : 'denied'}, wasi ${p.wasi ? 'allowed' : 'denied'}, workers ${p.worker ? 'allowed' : 'denied'})`
      : `off (run through ${data.build === 'standalone' ? 'the release executable' : 'bin/coldstake'} to enable it)`;
    const guardLine = (g: GuardStatus | { error: string }) =>
      'installed' in g ? `${intact(g) ? 'installed' : 'BROKEN'} (${g.apis} APIs${g.tampered.length ? `, tampered: ${g.tampered.join(', ')}` : ''})` : `unavailable (${g.error})`;
    process.stdout.write(
      [
        `coldstake ${data.version}`,
        `build      ${data.build === 'standalone' ? 'standalone executable (Node embedded, no Node needed)' : 'bundle run by the Node below'}`,
        `node       ${data.node}${data.build === 'standalone' ? ' (embedded)' : ''}`,
        `file       ${data.file}`,
        `sha256     ${data.sha256}`,
        `bundle     ${data.bundleSha256}${data.build === 'standalone' ? ' (sha256 of the embedded code: coldstake-VERSION-standalone.cjs in the release)' : ' (the file above)'}`,
        `permission ${perm}`,
        `guard      main thread: ${guardLine(mainGuard)}; worker: ${guardLine(workerGuard)}`,
        `zond       ${ZOND_FORMAT.label}`,
        '',
      ].join('\n'),
    );
  }
  return intact(mainGuard) && intact(workerGuard) ? 0 : 70;
}

export const versionCommand: CommandSpec = {
  group: 'trust',
  order: 1,
  usage: 'version [--json]',
  summary: 'version, build, Node version, SHA-256 of the running file and bundle, guard status',
  example: 'version --json',
  register(program: Command) {
    addJsonOption(program.command('version').description('print the version, the SHA-256 of the running bundle and the guard status')).action(
      action((opts: { json: boolean }) => run(opts)),
    );
  },
};
