import { defineConfig } from 'tsup';

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
  banner: {
    js: "import { createRequire as __coldstakeCreateRequire } from 'node:module';\nconst require = __coldstakeCreateRequire(import.meta.url);",
  },
});
