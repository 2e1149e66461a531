// The single executable's main script: run the embedded program (asset coldstake.cjs, the
// CommonJS build of dist/coldstake.mjs's source) as a CommonJS module. Nothing else runs before
// it, and the program's first module installs the network guard. The program is kept as an asset,
// not as this main script, so that it can be hashed (`coldstake version`) and handed to worker
// threads as text: a single executable has no file a worker could load.
'use strict';
const sea = require('node:sea');
const vm = require('node:vm');
const code = sea.getAsset('coldstake.cjs', 'utf8');
const run = vm.compileFunction(code, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: 'coldstake.cjs' });
run.call(module.exports, module.exports, require, module, __filename, __dirname);
