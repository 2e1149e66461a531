/**
 * Issue 10: crash safety. `keys new` is killed with SIGKILL (the launcher and the node process
 * together, as a power cut or the OOM killer would) at random moments. Afterwards every file
 * under a final name in the output directory is complete and valid: a keystore with the pubkey and
 * path of an uninterrupted run, or that run's deposit data exactly. The only other thing that may
 * be left is a hidden temporary file (`.NAME.<hex>.tmp`: nothing can remove it after a SIGKILL)
 * that is mode 0600 and holds no secret in plain text. A rerun explains what it found, counts
 * included, and refuses (exit 3) instead of overwriting.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDepositData } from '../../src/core/eth/deposit.js';
import { parseKeystore } from '../../src/core/eth/keystore.js';
import { TEMP_FILE_RE } from '../../src/cli/io/safe-write.js';
import { mkTmp, rmTmp, runCli, spawnCli } from '../helpers/cli.js';
import { rng } from './mutate.js';
import { findSecrets, mnemonicForms } from './secret-search.js';

const MNEMONIC = 'test test test test test test test test test test test waste';
const PASSWORD = 'crash-test-password-1';
const ADDRESS = '0x0f51bb10119727a7e5eA3538074fb341F56B09Ad';
const TRIALS = Number(process.env['CRASH_TRIALS'] ?? 20);
const COUNT = 3;

let work: string;
beforeAll(() => {
  work = mkTmp('coldstake-crash-');
});
afterAll(() => rmTmp(work));

function args(out: string): string[] {
  return ['keys', 'new', '--network', 'hoodi', '--count', String(COUNT), '--withdrawal-address', ADDRESS, '--kdf', 'pbkdf2',
    '--out', out, '--mnemonic-file', '-', '--password-file', '-', '--allow-online'];
}

/**
 * Start keys new and SIGKILL its process group: after `ms`, or (with `whenWriting`) `ms` after the
 * first entry appears in the output directory (polled every 2 ms), so the kill lands while files
 * are being written. Resolves when the process is gone.
 */
function runAndKill(out: string, ms: number, whenWriting = false): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawnCli(args(out));
    child.stdin.end(`${MNEMONIC}\n${PASSWORD}\n`);
    child.stdout.resume();
    child.stderr.resume();
    let killed = false;
    let exited = false;
    const kill = (): void => {
      if (exited) return;
      killed = true;
      try { process.kill(-(child.pid as number), 'SIGKILL'); } catch { /* already exited */ }
    };
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    if (whenWriting) {
      poll = setInterval(() => {
        let started = false;
        try { started = fs.readdirSync(out).length > 0; } catch { /* not created yet */ }
        if (started) {
          clearInterval(poll);
          timer = setTimeout(kill, ms);
        }
      }, 2);
    } else {
      timer = setTimeout(kill, ms);
    }
    child.on('close', (code) => {
      exited = true;
      clearTimeout(timer);
      clearInterval(poll);
      // Let an orphaned grandchild (if any) be reaped before we look at the directory.
      setTimeout(() => resolve({ killed, code }), 50);
    });
  });
}

/** The validator index in a keystore file name (`keystore-m_12381_3600_{i}_0_0-{time}.json`). */
function keystoreIndex(name: string): number {
  return Number(/^keystore-m_12381_3600_(\d+)_0_0-/.exec(name)?.[1]);
}

describe(`kill -9 during keys new (${TRIALS} trials)`, () => {
  it('leaves only complete, valid files (or nothing) and a rerun explains instead of overwriting', async () => {
    // How long a full run takes here, to spread the kills across it.
    const full = path.join(work, 'full');
    const t0 = Date.now();
    const ok = runCli(args(full), { input: `${MNEMONIC}\n${PASSWORD}\n`, timeoutMs: 120_000 });
    const fullMs = Date.now() - t0;
    expect(ok.code).toBe(0);
    expect(fs.readdirSync(full).filter((f) => f.startsWith('keystore-'))).toHaveLength(COUNT);
    // What a complete file holds: the uninterrupted run's keystore fields (salt and IV are fresh
    // per run) and its deposit data (deterministic, byte for byte apart from the file name).
    const reference = new Map<number, { pubkey: string; path: string }>();
    let referenceDeposit: unknown;
    for (const e of fs.readdirSync(full)) {
      const doc = JSON.parse(fs.readFileSync(path.join(full, e), 'utf8')) as { pubkey: string; path: string };
      if (e.startsWith('keystore-')) reference.set(keystoreIndex(e), { pubkey: doc.pubkey, path: doc.path });
      else referenceDeposit = doc;
    }
    const secrets = [...mnemonicForms(MNEMONIC, [''], COUNT), { name: 'keystore password', value: PASSWORD }];

    const r = rng(4242);
    const seen = { nothing: 0, partialSet: 0, complete: 0, tempLeft: 0, killedWhileWriting: 0 };
    for (let t = 0; t < TRIALS; t++) {
      const out = path.join(work, `trial-${t}`);
      // Half the kills land at any moment of the run; the other half within 0-40 ms of the first
      // file appearing in the output directory, while keystores and the deposit file are written.
      const whileWriting = t % 2 === 1;
      const at = whileWriting ? Math.floor(r() * 40) : Math.floor(fullMs * r() * 1.1);
      const { killed } = await runAndKill(out, at, whileWriting);
      // The run takes well over 40 ms from its first file to its end (3 keystores, the deposit
      // file, the re-verification), so these kills land while writing unless the machine stalls.
      if (whileWriting && killed) seen.killedWhileWriting++;
      const entries = fs.existsSync(out) ? fs.readdirSync(out) : [];
      const finals = entries.filter((e) => !TEMP_FILE_RE.test(e));
      const temps = entries.filter((e) => TEMP_FILE_RE.test(e));
      for (const e of finals) {
        const text = fs.readFileSync(path.join(out, e), 'utf8');
        if (e.startsWith('keystore-')) {
          expect(() => parseKeystore(JSON.parse(text), e)).not.toThrow();
          const doc = JSON.parse(text) as { pubkey: string; path: string };
          expect({ file: e, pubkey: doc.pubkey, path: doc.path }).toEqual({ file: e, ...reference.get(keystoreIndex(e)) });
        } else if (e.startsWith('deposit_data-')) {
          expect(parseDepositData(text, e)).toHaveLength(COUNT);
          expect(JSON.parse(text)).toEqual(referenceDeposit);
        } else {
          throw new Error(`unexpected file after a kill at ${at} ms: ${e}`);
        }
        expect({ file: e, mode: fs.statSync(path.join(out, e)).mode & 0o777 }).toEqual({ file: e, mode: 0o600 });
      }
      // A temp file is hidden, named after the file it was to become, owner-only, and never holds
      // a secret in plain text (it is a keystore or deposit file being written).
      for (const e of temps) {
        expect(e).toMatch(/^\.(keystore-m_12381_3600_\d+_0_0-\d+|deposit_data-\d+)\.json\.[0-9a-f]{12}\.tmp$/);
        expect({ file: e, mode: fs.statSync(path.join(out, e)).mode & 0o777 }).toEqual({ file: e, mode: 0o600 });
        expect(findSecrets(secrets, [{ what: e, text: fs.readFileSync(path.join(out, e), 'latin1') }])).toEqual([]);
      }
      if (entries.length === 0) seen.nothing++;
      else if (finals.some((e) => e.startsWith('deposit_data-'))) seen.complete++;
      else seen.partialSet++;
      if (temps.length > 0) seen.tempLeft++;

      if (entries.length > 0) {
        const before = new Map(entries.map((e) => [e, fs.readFileSync(path.join(out, e))]));
        const again = runCli(args(out), { input: `${MNEMONIC}\n${PASSWORD}\n`, timeoutMs: 60_000 });
        expect(again.code).toBe(3);
        expect(again.stderr).toMatch(/coldstake: error: .* is not empty \(.*\): refusing to write next to existing files/);
        // It says what it found, counted.
        const keystores = finals.filter((e) => e.startsWith('keystore-')).length;
        const deposits = finals.filter((e) => e.startsWith('deposit_data-')).length;
        const found = [
          keystores > 0 ? `${keystores} keystore${keystores === 1 ? '' : 's'}` : null,
          deposits > 0 ? `${deposits} deposit data file` : keystores > 0 ? 'no deposit data file' : null,
          temps.length > 0 ? `${temps.length} unfinished temporary file${temps.length === 1 ? '' : 's'}` : null,
        ].filter((x): x is string => x !== null);
        for (const f of found) expect(again.stderr).toContain(f);
        if (temps.length > 0 || !finals.some((e) => e.startsWith('deposit_data-'))) expect(again.stderr).toMatch(/interrupted/);
        for (const [e, bytes] of before) expect(fs.readFileSync(path.join(out, e)).equals(bytes)).toBe(true);
        expect(fs.readdirSync(out).sort()).toEqual([...entries].sort());
      }
    }
    console.log(`full run ${fullMs} ms; after ${TRIALS} kills: ${JSON.stringify(seen)}`);
    // Kills that landed while writing must have left something behind to judge: a partial set of
    // complete keystores or a hidden temp file (else the trials proved nothing about writing).
    expect(seen.killedWhileWriting).toBeGreaterThanOrEqual(Math.floor(TRIALS / 4));
    expect(seen.partialSet + seen.tempLeft).toBeGreaterThanOrEqual(Math.floor(TRIALS / 5));
  }, 600_000);
});
