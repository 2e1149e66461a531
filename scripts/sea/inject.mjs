// Inject a single-executable blob into a copy of a Node binary (run by scripts/release.mjs, one
// process per target so the two run side by side). Usage: node inject.mjs BINARY BLOB
// postject's ELF writer (LIEF) prints "Can't find string offset for section name" for the official
// binaries' many notes: harmless (Node's own SEA tests see them too), so those lines are dropped.
import fs from 'node:fs';
import postject from 'postject';

// The fuse Node looks for to know a blob was injected (doc/api/single-executable-applications.md).
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

const [binary, blob] = process.argv.slice(2);
if (!binary || !blob) {
  process.stderr.write('usage: node inject.mjs BINARY BLOB\n');
  process.exit(2);
}
await postject.inject(binary, 'NODE_SEA_BLOB', fs.readFileSync(blob), { sentinelFuse: SENTINEL_FUSE });
