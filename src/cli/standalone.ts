/**
 * The standalone build: coldstake as a Node.js single executable application (scripts/release.mjs).
 * There the executable's own loader (scripts/sea/main.cjs) runs the CommonJS build of this program
 * from the embedded asset `coldstake.cjs`; workers are started from that same text, since there is
 * no bundle file on disk to point them at.
 */
import { createHash } from 'node:crypto';

/** The asset that holds the program's code inside the executable. */
export const EMBEDDED_CODE_ASSET = 'coldstake.cjs';

interface SeaModule {
  isSea(): boolean;
  getAsset(key: string): ArrayBuffer;
  getAsset(key: string, encoding: string): string;
}

function seaModule(): SeaModule | undefined {
  // node:sea is looked up at run time: Node 20.19's ESM loader has it, but a static import would
  // tie the bundle to it for no gain outside the executable.
  try {
    return process.getBuiltinModule('node:sea') as SeaModule | undefined;
  } catch {
    return undefined;
  }
}

/** True inside the single executable (the code comes from the embedded asset, not a file). */
export function isStandalone(): boolean {
  try {
    return seaModule()?.isSea() === true;
  } catch {
    return false;
  }
}

let cached: string | undefined;

/**
 * The program's code as embedded in the executable (what its loader runs).
 * @throws {Error} outside the single executable
 */
export function embeddedCode(): string {
  if (cached !== undefined) return cached;
  const sea = seaModule();
  if (!sea || !sea.isSea()) throw new Error('not running as the standalone executable');
  cached = sea.getAsset(EMBEDDED_CODE_ASSET, 'utf8');
  return cached;
}

/** SHA-256 (hex) of the embedded code: equal to `sha256sum coldstake-VERSION-standalone.cjs` from the release. */
export function embeddedCodeSha256(): string {
  const sea = seaModule();
  if (!sea || !sea.isSea()) throw new Error('not running as the standalone executable');
  return createHash('sha256').update(new Uint8Array(sea.getAsset(EMBEDDED_CODE_ASSET))).digest('hex');
}

/**
 * NODE_* variables that change nothing coldstake does: NODE_OPTIONS (the executable ignores it),
 * NODE_EXTRA_CA_CERTS (TLS roots: coldstake opens no connection; many systems set it globally),
 * NODE_NO_WARNINGS and NODE_DISABLE_COLORS (Node's own messages), NODE_ENV (not read by Node).
 */
const HARMLESS_NODE_VARIABLES = new Set(['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'NODE_NO_WARNINGS', 'NODE_DISABLE_COLORS', 'NODE_ENV']);

/**
 * NODE_* variables the executable's Node read at start-up and that coldstake cannot drop there
 * (bin/coldstake drops them before Node starts): NODE_DEBUG=stream would print what streams read,
 * NODE_ICU_DATA changes Unicode normalisation (and so a seed), NODE_V8_COVERAGE and
 * NODE_REDIRECT_WARNINGS write files; any other, including those a later Node adds, counts too.
 */
export function startupNodeVariables(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.keys(env)
    .filter((k) => /^NODE_/i.test(k) && !HARMLESS_NODE_VARIABLES.has(k))
    .sort();
}
