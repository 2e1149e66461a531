// Wall time of `coldstake host check --root TREE --json` on a generated validator machine holding
// 10,000 keystores across client dirs (Lighthouse 4,000 with validator_definitions.yml, Lodestar
// 3,000, Nimbus 2,000, Teku 1,000 in a key directory), median of 7 runs after one warm-up.
// Target (issue 16): at most 3 s.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'coldstake');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coldstake-bench-host-'));

function pk(i) {
  const b = crypto.createHash('sha384').update(`bench ${i}`).digest();
  b[0] = 0xa0 | (b[0] & 0x1f);
  return `0x${b.toString('hex')}`;
}
function keystore(pubkey) {
  return JSON.stringify({ crypto: { kdf: { function: 'scrypt', params: { dklen: 32, n: 262144, r: 8, p: 1, salt: '00'.repeat(32) }, message: '' }, checksum: { function: 'sha256', params: {}, message: '11'.repeat(32) }, cipher: { function: 'aes-128-ctr', params: { iv: '22'.repeat(16) }, message: '33'.repeat(32) } }, description: '', pubkey: pubkey.slice(2), path: 'm/12381/3600/0/0/0', uuid: crypto.randomUUID(), version: 4 });
}
function write(p, text) {
  const f = path.join(root, p);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
}
function unit(name, exec) {
  write(`etc/systemd/system/${name}`, `[Service]\nUser=validator\nExecStart=${exec}\n\n[Install]\nWantedBy=multi-user.target\n`);
  fs.mkdirSync(path.join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  fs.symlinkSync(`/etc/systemd/system/${name}`, path.join(root, 'etc/systemd/system/multi-user.target.wants', name));
}

const counts = { lighthouse: 4000, lodestar: 3000, nimbus: 2000, teku: 1000 };
let i = 0;
write('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\nvalidator:x:990:990::/home/validator:/usr/sbin/nologin\n');
unit('lighthouse-vc.service', '/usr/bin/lighthouse vc --datadir /var/lib/lighthouse --enable-doppelganger-protection');
let defs = '---\n';
for (let k = 0; k < counts.lighthouse; k++, i++) {
  const p = pk(i);
  write(`var/lib/lighthouse/validators/${p}/voting-keystore.json`, keystore(p));
  defs += `- enabled: true\n  voting_public_key: "${p}"\n  type: local_keystore\n  voting_keystore_path: /var/lib/lighthouse/validators/${p}/voting-keystore.json\n  voting_keystore_password_path: /var/lib/lighthouse/secrets/${p}\n`;
}
write('var/lib/lighthouse/validators/validator_definitions.yml', defs);
write('var/lib/lighthouse/validators/slashing_protection.sqlite', 'x');
unit('lodestar-vc.service', '/usr/bin/lodestar validator --dataDir /var/lib/lodestar --doppelgangerProtection');
for (let k = 0; k < counts.lodestar; k++, i++) write(`var/lib/lodestar/keystores/${pk(i)}/voting-keystore.json`, keystore(pk(i)));
fs.mkdirSync(path.join(root, 'var/lib/lodestar/validator-db'), { recursive: true });
unit('nimbus-vc.service', '/usr/bin/nimbus_validator_client --data-dir=/var/lib/nimbus');
for (let k = 0; k < counts.nimbus; k++, i++) write(`var/lib/nimbus/validators/${pk(i)}/keystore.json`, keystore(pk(i)));
write('var/lib/nimbus/validators/slashing_protection.sqlite3', 'x');
unit('teku.service', '/usr/bin/teku validator-client --data-path=/var/lib/teku --validator-keys=/var/lib/teku/keys:/var/lib/teku/passwords --doppelganger-detection-enabled=true');
for (let k = 0; k < counts.teku; k++, i++) write(`var/lib/teku/keys/k${k}.json`, keystore(pk(i)));

const runs = [];
let report;
for (let r = 0; r < 8; r++) {
  const t0 = process.hrtime.bigint();
  const res = spawnSync(bin, ['host', 'check', '--root', root, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (res.status !== 0 && res.status !== 1) throw new Error(`host check: exit ${res.status}: ${res.stderr}`);
  if (r > 0) runs.push(ms);
  report = JSON.parse(res.stdout);
}
fs.rmSync(root, { recursive: true, force: true });
const keys = report.clients.reduce((n, c) => n + c.keys, 0);
if (keys !== i) throw new Error(`expected ${i} keys read, got ${keys}`);
runs.sort((a, b) => a - b);
const median = runs[Math.floor(runs.length / 2)];
console.log(`node ${process.versions.node}, ${os.cpus().length} cpus, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`host check, ${keys} keystores in 4 clients: median ${median.toFixed(0)} ms (min ${runs[0].toFixed(0)}, max ${runs[runs.length - 1].toFixed(0)}), target 3000 ms: ${median <= 3000 ? 'met' : 'MISSED'}`);
