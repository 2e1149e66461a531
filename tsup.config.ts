import { builtinModules } from 'node:module';
import { defineConfig } from 'tsup';

/** Write every Node builtin import as `node:NAME` (dependencies sometimes import bare 'crypto'). */
const nodeProtocol = {
  name: 'node-protocol',
  setup(build: { onResolve: (o: { filter: RegExp }, cb: (a: { path: string }) => { path: string; external: boolean }) => void }) {
    const names = builtinModules.filter((m) => !m.startsWith('_')).map((m) => m.replace(/[/]/g, '\\/'));
    const filter = new RegExp(`^(${names.join('|')})$`);
    build.onResolve({ filter }, (args) => ({ path: `node:${args.path}`, external: true }));
  },
};

// One self-contained ESM file: every dependency inlined, only node: builtins imported,
// no minification and no source map, so the bytes are reviewable and reproducible.
// The banner gives bundled CommonJS dependencies a `require` for node builtins.
export default defineConfig({
  entry: { coldstake: 'src/cli/main.ts' },
  outDir: 'dist',
  format: ['esm'],
  outExtension: () => ({ js: '.mjs' }),
  platform: 'node',
  target: 'node20',
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
  banner: {
    js: "import { createRequire as __coldstakeCreateRequire } from 'node:module';\nconst require = __coldstakeCreateRequire(import.meta.url);",
  },
});
