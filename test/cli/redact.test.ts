/**
 * `coldstake redact` through the real binary: real log lines from the clients' issue trackers
 * (fixtures/redact/lines.json, each with its URL), the consistency rules, bytes kept as they are,
 * and the refusals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

interface LineCase {
  client: string;
  source: string;
  line: string;
  gone: string[];
  kept: string[];
  kinds: Record<string, number>;
}

const CASES: LineCase[] = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'redact', 'lines.json'), 'utf8'));
const KEY_A = 'b542b69ba14ddbaf717ca1762ece63a4804c08d38a1aadf156ae718d1545942e86763a1604f5065d4faa550b7259d651';
const KEY_B = 'a6e28765ddd79ce08b62d11ae17e68de7a2676d2e6dd29ecad3fad4d8e6b86befbf61a81e061ee9deb5d336b8c6e8c24';
const MNEMONIC = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

let dir: string;
beforeAll(() => {
  dir = mkTmp('coldstake-redact-');
});
afterAll(() => rmTmp(dir));

function write(name: string, data: string | Buffer): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

const placeholders = (s: string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const m of s.matchAll(/<([a-z-]+)-[0-9]+>/g)) out[m[1]!] = (out[m[1]!] ?? 0) + 1;
  return out;
};

describe('redact: real lines from ten clients', () => {
  it('covers at least ten clients, each line with its source', () => {
    const clients = new Set(CASES.map((c) => c.client.replace(/ \(.*\)$/, '')));
    expect(clients.size).toBeGreaterThanOrEqual(10);
    for (const c of CASES) expect(c.source).toMatch(/^(https:\/\/github\.com\/|adapted from https:|issue #20)/);
  });

  it('replaces every identifying value, keeps the rest, one placeholder per kind as expected', () => {
    const file = write('clients.log', CASES.map((c) => c.line).join('\n') + '\n');
    const r = runCli(['redact', file]);
    expect(r.code).toBe(0);
    assertCleanStderr(r.stderr);
    const out = r.stdout.split('\n');
    expect(out.length).toBe(CASES.length + 1);
    CASES.forEach((c, i) => {
      const got = out[i]!;
      for (const g of c.gone) expect(got, `${c.client}: ${c.source}`).not.toContain(g);
      for (const k of c.kept) expect(got, `${c.client}: ${c.source}`).toContain(k);
      expect(placeholders(got), `${c.client}: ${c.source}\n${got}`).toEqual(c.kinds);
    });
  });

  it('the redacted text passes --check, the original does not', () => {
    const file = write('clients2.log', CASES.map((c) => c.line).join('\n') + '\n');
    const red = runCli(['redact', file]);
    const redFile = write('clients2.red.log', red.stdout);
    const ok = runCli(['redact', '--check', redFile]);
    expect(ok.code, ok.stdout).toBe(0);
    const bad = runCli(['redact', '--check', file]);
    expect(bad.code).toBe(1);
    // One line per finding: file, line number and kind; never the value.
    const listed = bad.stdout.split('\n').filter((l) => l.startsWith(file));
    expect(listed.length).toBeGreaterThan(30);
    for (const l of listed) expect(l).toMatch(/:[0-9]+: [a-z-]+$/);
    for (const c of CASES) for (const g of c.gone) if (g.length >= 6) expect(bad.stdout).not.toContain(g);
  });

  it('redacting twice changes nothing more', () => {
    const file = write('clients3.log', CASES.map((c) => c.line).join('\n') + '\n');
    const once = runCli(['redact', file]).stdout;
    const twice = runCli(['redact', '-'], { input: once }).stdout;
    expect(twice).toBe(once);
  });
});

describe('redact: consistency', () => {
  it('one value, one placeholder, across lines, spellings and files; different values, different placeholders', () => {
    const a = write('a.log', `pubkey: 0x${KEY_A}\nvalidator ${KEY_B.toUpperCase()} missed\n`);
    const b = write('b.log', `pubkey=${KEY_A.toUpperCase()}\npubKey=0x${KEY_A.slice(0, 12)} proposed\nValidator: ${KEY_B.slice(0, 7)}\n`);
    const r = runCli(['redact', a, b]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('pubkey: <pubkey-1>\nvalidator <pubkey-2> missed\npubkey=<pubkey-1>\npubKey=<pubkey-1> proposed\nValidator: <pubkey-2>\n');
  });

  it('numbers in order of first appearance for each kind', () => {
    const r = runCli(['redact', '-'], { input: 'conn=203.0.113.9:1 validator_index: 7\nfrom 198.51.100.4 and 203.0.113.9, validatorIndex=9 validator_index=7\n' });
    expect(r.stdout).toBe('conn=<ip-1>:1 validator_index: <index-1>\nfrom <ip-2> and <ip-1>, validatorIndex=<index-2> validator_index=<index-1>\n');
  });

  it('a committee index, slots, epochs, versions, timestamps, loopback and public hosts stay', () => {
    const text = [
      'Dec 06 10:11:05.123 INFO Synced slot: 9430586, epoch: 294705, peers: 80, committee_index: 12, subnet_id: 3',
      'version v1.2.3.4 listening on 127.0.0.1:5052 and [::1]:9000, 0.0.0.0:30303',
      'checkpoint sync from https://beaconstate.info/ and https://mainnet.infura.io/ ok',
      'Published attestations slot=5286334, index=42, count=1',
    ].join('\n') + '\n';
    const r = runCli(['redact', '-'], { input: text });
    expect(r.stdout).toBe(text);
  });
});

describe('redact: every kind', () => {
  const cases: [string, string, string][] = [
    ['zond-pubkey', `pubkey ${'ab'.repeat(2592)}`, 'pubkey <zond-pubkey-1>'],
    ['address (Zond)', `to Q${'1f'.repeat(64)} sent`, 'to <address-1> sent'],
    ['ip v6 and v4-mapped', 'peer at 2001:db8::7 and ::ffff:203.0.113.5 via /ip4/198.51.100.7/tcp/9000', 'peer at <ip-1> and <ip-2> via /ip4/<ip-3>/tcp/9000'],
    ['peer (libp2p)', 'Peer connected peer=16Uiu2HAmBQwRTvTHvhyqpoD4iLrGFyY1Kmo2aXmPBCTyRDuKSuRu dir=out', 'Peer connected peer=<peer-1> dir=out'],
    ['peer (short)', 'peer=16...wQSREX disconnected', 'peer=<peer-1> disconnected'],
    ['enr', 'local enr enr:-Iu4QIZ7dSzbsQ1nJzKNkxcRoM8ZsaKxHm3wD7W0Ldh5kIxx2WmkL6aL0eRwYx6RZfEG5qbbS8nHzjvUZb8U1c1CvtkBgmlkgnY0 ok', 'local enr <enr-1> ok'],
    ['user (macOS, Windows)', 'data in /Users/alice/Library and C:\\Users\\Bob\\AppData', 'data in /Users/<user-1>/Library and C:\\Users\\<user-2>\\AppData'],
    ['url-credential', 'GET https://u:p4ss@node.example.com/x?apikey=abc123&x=1 Authorization: Bearer abcdefgh12345678', 'GET https://<url-credential-1>@node.example.com/x?apikey=<url-credential-2>&x=1 Authorization: Bearer <url-credential-3>'],
    ['jwt', 'token eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE3MDAwMDAwMDB9.c2lnbmF0dXJlX2hlcmU', 'token <url-credential-1>'],
    ['email', 'contact ops@example.org.', 'contact <email-1>.'],
    ['mac', 'link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff', 'link/ether <mac-1> brd ff:ff:ff:ff:ff:ff'],
    ['host (prompt, private URL)', 'joe@staker-01:~$ curl http://beacon.lan:5052/eth/v1/node/health', '<user-1>@<host-1>:~$ curl http://<host-2>:5052/eth/v1/node/health'],
    ['graffiti (JSON)', '{"graffiti": "Alice home staker", "slot": "1"}', '{"graffiti": "<graffiti-1>", "slot": "1"}'],
    ['address (withdrawal)', 'withdrawal_address=0x0f51bb10119727a7e5eA3538074fb341F56B09Ad', 'withdrawal_address=<address-1>'],
  ];
  it.each(cases)('%s', (_kind, input, expected) => {
    const r = runCli(['redact', '-'], { input: `${input}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${expected}\n`);
  });

  it('the roots of our own proposals, also where printed before the proposal line', () => {
    const root = `0x${'7c'.repeat(32)}`;
    const file = write('proposal.log', `Block imported root: ${root}, slot: 10\nINFO Successfully published block root: ${root}, slot: 10\nother root: 0x${'11'.repeat(32)}\n`);
    const r = runCli(['redact', file]);
    expect(r.stdout).toBe(`Block imported root: <block-root-1>, slot: 10\nINFO Successfully published block root: <block-root-1>, slot: 10\nother root: 0x${'11'.repeat(32)}\n`);
  });

  it('a mnemonic is redacted with a warning; --check makes it an error', () => {
    const r = runCli(['redact', '-'], { input: `note: ${MNEMONIC}\n` });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('note: <mnemonic-1>\n');
    expect(r.stderr).toMatch(/coldstake: warning: 1 BIP39 mnemonic was in the log/);
    const c = runCli(['redact', '--check', '-'], { input: `note: ${MNEMONIC}\n` });
    expect(c.code).toBe(1);
    expect(c.stdout).toContain('stdin:1: mnemonic');
    expect(c.stdout + c.stderr).not.toContain('abandon');
  });
});

describe('redact: bytes as they are', () => {
  it('keeps CRLF, line count, whitespace and invalid UTF-8', () => {
    const input = Buffer.concat([
      Buffer.from(`a\tb  pubkey: 0x${KEY_A}\r\n`),
      Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0xc3, 0x20]),
      Buffer.from(' 10.1.2.3\r\n\r\nno newline at end'),
    ]);
    const f = write('crlf.log', input);
    const out = path.join(dir, 'crlf.out');
    const r = runCli(['redact', f, '--out', out]);
    expect(r.code).toBe(0);
    const got = fs.readFileSync(out);
    const expected = Buffer.concat([Buffer.from('a\tb  pubkey: <pubkey-1>\r\n'), Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0xc3, 0x20]), Buffer.from(' <ip-1>\r\n\r\nno newline at end')]);
    expect(got.equals(expected)).toBe(true);
    expect((fs.statSync(out).mode & 0o777).toString(8)).toBe('600');
  });

  it('a file with NUL bytes is not a log: exit 2, nothing written', () => {
    const f = write('nul.log', Buffer.from(`pubkey: 0x${KEY_A}\nx\u0000y\n`));
    const out = path.join(dir, 'nul.out');
    const r = runCli(['redact', f, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^coldstake: error: .*nul\.log: has NUL bytes/m);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((n) => n.includes('nul.out'))).toEqual([]);
    const r2 = runCli(['redact', f]);
    expect(r2.code).toBe(2);
    expect(r2.stdout).toBe('');
  });

  it('--out never overwrites (exit 3), nor an input', () => {
    const f = write('in.log', 'x\n');
    const out = write('exists.log', 'old\n');
    const r = runCli(['redact', f, '--out', out]);
    expect(r.code).toBe(3);
    expect(fs.readFileSync(out, 'utf8')).toBe('old\n');
    expect(runCli(['redact', f, '--out', f]).code).toBe(3);
  });

  it('--json: counts per kind, lines and bytes, never a value', () => {
    const f = write('j.log', `pubkey: 0x${KEY_A}\nip 203.0.113.9 and 203.0.113.9\n`);
    const out = path.join(dir, 'j.out');
    const r = runCli(['redact', f, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ ok: true, command: 'redact', lines: 2, bytes: fs.statSync(f).size });
    expect(j.counts.ip).toEqual({ replaced: 2, distinct: 1 });
    expect(j.counts.pubkey).toEqual({ replaced: 1, distinct: 1 });
    expect(r.stdout).not.toContain(KEY_A);
    expect(r.stdout).not.toContain('203.0.113.9');
    const c = runCli(['redact', f, '--check', '--json']);
    expect(c.code).toBe(1);
    const jc = JSON.parse(c.stdout);
    expect(jc.ok).toBe(false);
    expect(jc.findings.map((x: { evidence: { line: number; kind: string } }) => `${x.evidence.line}:${x.evidence.kind}`)).toEqual(['1:pubkey', '2:ip', '2:ip']);
    expect(c.stdout).not.toContain('203.0.113.9');
  });

  it('usage: --json needs --out or --check; a missing file is exit 2', () => {
    expect(runCli(['redact', '--json'], { input: 'x\n' }).code).toBe(2);
    const r = runCli(['redact', path.join(dir, 'missing.log')]);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
  });
});
