import { builtinModules } from 'node:module';
import { defineConfig } from 'tsup';

/** Write every Node builtin import as `node:NAME`, as the main build does. */
const nodeProtocol = {
  name: 'node-protocol',
  setup(build: { onResolve: (o: { filter: RegExp }, cb: (a: { path: string }) => { path: string; external: boolean }) => void }) {
    const names = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/'));
    const filter = new RegExp(`^(${names.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `node:${args.path}`, external: true }));
  },
};

// The code embedded in the single executable (scripts/release.mjs): the same source as
// dist/coldstake.mjs, as one CommonJS file, because a Node 24 single executable runs only a
// CommonJS main. CommonJS has no import.meta: `import.meta.url` becomes the executable's own
// file URL (the program, its workers and its version report all mean that file there).
// Unminified, no source map, reproducible like the main build.
export default defineConfig({
  entry: { 'coldstake-standalone': 'src/cli/main.ts' },
  outDir: '.cache/release-work/code',
  format: ['cjs'],
  outExtension: () => ({ js: '.cjs' }),
  platform: 'node',
  target: 'node24',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  sourcemap: false,
  minify: false,
  dts: false,
  clean: true,
  shims: false,
  removeNodeProtocol: false,
  esbuildPlugins: [nodeProtocol],
  esbuildOptions(options) {
    options.define = { ...(options.define ?? {}), 'import.meta.url': '__coldstakeExecutableUrl' };
  },
  banner: {
    js: "'use strict';\nvar __coldstakeExecutableUrl = require('node:url').pathToFileURL(process.execPath).href;",
  },
});
