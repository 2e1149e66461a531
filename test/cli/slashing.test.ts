import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCleanStderr, FIXTURES, mkTmp, rmTmp, runCli } from '../helpers/cli.js';

const NETWORKS = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'slashing', 'networks.json'), 'utf8')) as { networks: Record<string, { genesis_validators_root: string }> };
const MAINNET = NETWORKS.networks['mainnet']!.genesis_validators_root;
const HOODI = NETWORKS.networks['hoodi']!.genesis_validators_root;
const SUITE = path.join(FIXTURES, 'slashing', 'interchange-tests', 'tests', 'generated');

// Keys being migrated: two EIP-2335 keystores (fixtures/keystore) and a mainnet deposit_data file (fixtures/keys).
const KS_A = path.join(FIXTURES, 'keystore', 'pbkdf2_keystore.json');
const KS_B = path.join(FIXTURES, 'keystore', 'keystore-m_12381_3600_0_0_0-ethdo-test.json');
const DEPOSIT = path.join(FIXTURES, 'keys', 'lighthouse_sdc', 'mainnet_first_0_count_2_eth1_false', 'deposit_data-1715584092.json');
const pk = (file: string) => `0x${(JSON.parse(fs.readFileSync(file, 'utf8')) as { pubkey: string }).pubkey}`;
const DEPOSIT_PKS = (JSON.parse(fs.readFileSync(DEPOSIT, 'utf8')) as Array<{ pubkey: string }>).map((e) => `0x${e.pubkey}`);

let tmp: string;
const write = (name: string, content: unknown) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
};
const history = (data: unknown[], root = MAINNET) => ({ metadata: { interchange_format_version: '5', genesis_validators_root: root }, data });
const record = (pubkey: string, slots: string[], atts: Array<[string, string]>) => ({
  pubkey,
  signed_blocks: slots.map((slot) => ({ slot })),
  signed_attestations: atts.map(([s, t]) => ({ source_epoch: s, target_epoch: t })),
});

beforeAll(() => {
  tmp = mkTmp('coldstake-slashing-');
});
afterAll(() => rmTmp(tmp));

describe('coldstake slashing verify', () => {
  it('prints the watermark table for a sound file and exits 0', () => {
    const f = write('ok.json', history([record(pk(KS_A), ['100', '90'], [['10', '11'], ['11', '12']]), record(pk(KS_B), [], [])]));
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet']);
    expect(r.code, r.stderr).toBe(0);
    assertCleanStderr(r.stderr);
    const row = r.stdout.split('\n').find((l) => l.startsWith(pk(KS_A)))!;
    expect(row.trim().split(/\s+/)).toEqual([pk(KS_A), '2', '2', '100', '11', '12']);
    expect(r.stdout.split('\n').find((l) => l.startsWith(pk(KS_B)))!.trim().split(/\s+/)).toEqual([pk(KS_B), '0', '0', '-', '-', '-']);
    expect(r.stdout).toContain(`genesis validators root ${MAINNET}`);
  });

  it('knows the genesis validators root of every built-in network (values from networks.json)', () => {
    for (const [name, n] of Object.entries(NETWORKS.networks)) {
      const f = write(`net-${name}.json`, history([], n.genesis_validators_root.toUpperCase().replace('0X', '0x')));
      const r = runCli(['slashing', 'verify', f, '--network', name, '--json']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(JSON.parse(r.stdout).genesis_validators_root).toBe(n.genesis_validators_root.toLowerCase());
    }
    expect(Object.keys(NETWORKS.networks).sort()).toEqual(['holesky', 'hoodi', 'mainnet', 'sepolia']);
  });

  it('--json carries the validators with decimal-string watermarks', () => {
    const f = write('ok2.json', history([record(pk(KS_A), ['18446744073709551615'], [['0', '0']])]));
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    // 2^64 - 1 is kept exact, and warned about: above 2^53 - 1 and far beyond mainnet's current slot.
    expect(j).toMatchObject({ ok: true, command: 'slashing verify', network: 'mainnet', genesis_validators_root: MAINNET, interchange_format_version: '5', records: 1 });
    expect(j.findings.map((x: { id: string; severity: string }) => `${x.severity}:${x.id}`)).toEqual(['warning:slashing-unsafe-integer', 'warning:slashing-watermark-in-future']);
    expect(j.validators).toEqual([{ pubkey: pk(KS_A), blocks: 1, attestations: 1, max_block_slot: '18446744073709551615', max_source_epoch: '0', max_target_epoch: '0' }]);
  });

  it('exits 1 on slashable data from the interchange suite', () => {
    const tc = JSON.parse(fs.readFileSync(path.join(SUITE, 'single_validator_slashable_blocks.json'), 'utf8'));
    const f = write('slashable.json', tc.steps[0].interchange);
    const r = runCli(['slashing', 'verify', f, '--network', 'devnet-a', '--genesis-validators-root', tc.genesis_validators_root, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.ok).toBe(false);
    expect(j.findings.map((x: { id: string }) => x.id)).toEqual(['slashing-double-block']);
  });

  it('a key being migrated without history is an error with the wait hint; extra history is info', () => {
    const dir = path.join(tmp, 'keys');
    fs.mkdirSync(dir);
    fs.copyFileSync(KS_A, path.join(dir, 'keystore-a.json'));
    fs.copyFileSync(KS_B, path.join(dir, 'keystore-b.json'));
    const other = `0x${'ab'.repeat(48)}`;
    const f = write('partial.json', history([record(pk(KS_A), ['5'], [['1', '2']]), record(other, ['6'], [])]));
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--keystores', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${pk(KS_B)}: is being migrated`);
    expect(r.stdout).toMatch(/\[slashing-key-without-history\]/);
    expect(r.stdout).toMatch(/fix: .*wait until at least two epochs have finalized \(about 13 minutes\)/);
    expect(r.stdout).toMatch(/1 pubkey has history in the file but no key being migrated .*\[slashing-history-without-key\]/);
    const ok = write('full.json', history([record(pk(KS_A), ['5'], [['1', '2']]), record(pk(KS_B), ['7'], [])]));
    const r2 = runCli(['slashing', 'verify', ok, '--network', 'mainnet', '--keystores', dir, '--json']);
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout).migrating).toEqual({ keys: 2, keystores: dir, deposit_data: null });
  });

  it('a keystore directory without keystores, or with a broken keystore, is bad input', () => {
    const f = write('any.json', history([]));
    const empty = path.join(tmp, 'empty-keys');
    fs.mkdirSync(empty);
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--keystores', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty-keys: no keystore files found/);
    const broken = path.join(tmp, 'broken-keys');
    fs.mkdirSync(broken);
    const ks = JSON.parse(fs.readFileSync(KS_A, 'utf8'));
    ks.pubkey = 'zz';
    fs.writeFileSync(path.join(broken, 'keystore-x.json'), JSON.stringify(ks));
    const r2 = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--keystores', broken]);
    expect(r2.code).toBe(2);
    assertCleanStderr(r2.stderr);
    expect(r2.stderr).toMatch(/keystore-x\.json.*pubkey/);
    expect(r2.stderr).toMatch(/hint: run coldstake keystore verify/);
  });

  it('takes the keys being migrated from deposit data too', () => {
    const f = write('dep.json', history([record(DEPOSIT_PKS[0]!, ['5'], [])]));
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--deposit-data', DEPOSIT, '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((x: { id: string; subject: string }) => [x.id, x.subject])).toEqual([['slashing-key-without-history', DEPOSIT_PKS[1]]]);
  });

  const bad: Array<[string, string | Buffer, string[], RegExp]> = [
    ['not JSON', '{"metadata": {', [], /not valid JSON: unexpected end of the document/],
    ['old minimal version', JSON.stringify({ metadata: { interchange_format: 'minimal', interchange_format_version: '3', genesis_validators_root: MAINNET }, data: [{ pubkey: `0x${'11'.repeat(48)}`, last_signed_block_slot: '5' }] }), [], /old_minimal_version\.json: is interchange format version "3" \(draft "minimal" format\).*was not checked/],
    ['wrong root', JSON.stringify(history([], HOODI)), [], /metadata\.genesis_validators_root: is 0x212f.*not the mainnet genesis validators root/],
    ['overflow', JSON.stringify(history([record(`0x${'11'.repeat(48)}`, [], []), record(`0x${'22'.repeat(48)}`, [], [['1', '18446744073709551616']])])), [], /data\[1\]\.signed_attestations\[0\]\.target_epoch: is larger than 2\^64 - 1/],
    ['negative', JSON.stringify(history([record(`0x${'11'.repeat(48)}`, ['-1'], [])])), [], /data\[0\]\.signed_blocks\[0\]\.slot: must not be negative/],
    ['missing field', JSON.stringify(history([{ pubkey: `0x${'11'.repeat(48)}`, signed_blocks: [] }])), [], /data\[0\]\.signed_attestations: missing/],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), [], /invalid UTF-8/],
    ['deep nesting', `{"metadata":${'['.repeat(100)}`, [], /nesting deeper than 16 levels/],
    ['unknown network', JSON.stringify(history([])), ['--network', 'goerli'], /unknown network 'goerli'/],
    ['contradicting root', JSON.stringify(history([])), ['--genesis-validators-root', HOODI], /is not mainnet's/],
    ['malformed root flag', JSON.stringify(history([])), ['--network', 'devnet', '--genesis-validators-root', '0x1234'], /--genesis-validators-root must be 0x followed by 64 hex digits/],
    ['bad devnet name', JSON.stringify(history([])), ['--network', 'Dev Net', '--genesis-validators-root', MAINNET], /a devnet name must be/],
    ['devnet root mismatch', JSON.stringify(history([])), ['--network', 'devnet', '--genesis-validators-root', HOODI], /not the devnet genesis validators root/],
  ];
  // Bad flags are usage errors: no report (README: every exit path but a usage error prints one).
  const USAGE = new Set(['unknown network', 'contradicting root', 'malformed root flag', 'bad devnet name']);
  for (const [label, content, extra, msg] of bad) {
    it(`bad input: ${label} → one error line, exit 2`, () => {
      const f = path.join(tmp, `bad-${label.replace(/\W/g, '_')}.json`);
      fs.writeFileSync(f, content);
      const args = extra.includes('--network') ? ['slashing', 'verify', f, ...extra] : ['slashing', 'verify', f, '--network', 'mainnet', ...extra];
      const r = runCli(args);
      expect(r.code, r.stderr).toBe(2);
      assertCleanStderr(r.stderr);
      const errors = r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error: '));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(msg);
      expect(r.stdout).toBe('');
      if (USAGE.has(label)) return;
      // --json: exactly one JSON object on stdout on this exit path too, the same error line on stderr.
      const j = runCli([...args, '--json']);
      expect(j.code, j.stderr).toBe(2);
      expect(j.stderr).toBe(r.stderr);
      const report = JSON.parse(j.stdout);
      expect(report).toMatchObject({ ok: false, command: 'slashing verify', file: f, network: args[args.indexOf('--network') + 1], validators: [] });
      const errs = report.findings.filter((x: { severity: string }) => x.severity === 'error');
      expect(errs).toHaveLength(1);
      expect(`coldstake: error: ${errs[0].subject}: ${errs[0].message}`).toBe(errors[0]);
      expect(errs[0].id).toBe(label.includes('root mismatch') || label === 'wrong root' ? 'slashing-network-mismatch' : label.includes('version') ? 'slashing-format-version' : 'slashing-malformed');
    });
  }

  it('keeps u64 exact: slots 2^53 and 2^53 + 1 are two slots, not a double proposal (warned as unsafe for JavaScript clients)', () => {
    const f = write('u53.json', history([{ pubkey: pk(KS_A), signed_blocks: [{ slot: '9007199254740992', signing_root: `0x${'01'.repeat(32)}` }, { slot: '9007199254740993', signing_root: `0x${'02'.repeat(32)}` }], signed_attestations: [] }]));
    const ok = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.findings.map((x: { id: string }) => x.id)).toEqual(['slashing-unsafe-integer', 'slashing-watermark-in-future']);
    expect(j.validators[0].max_block_slot).toBe('9007199254740993');
  });

  it('--json: an unreadable file or key source is one JSON report too (exit 2); the history is still checked', () => {
    const missing = runCli(['slashing', 'verify', path.join(tmp, 'nope.json'), '--network', 'mainnet', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout).findings.map((x: { id: string; message: string }) => [x.id, x.message])).toEqual([['slashing-malformed', 'no such file']]);
    const dir = runCli(['slashing', 'verify', tmp, '--network', 'mainnet', '--json']);
    expect(dir.code).toBe(2);
    expect(JSON.parse(dir.stdout).findings[0]).toMatchObject({ id: 'slashing-malformed', message: 'not a regular file' });
    const f = write('keys-bad.json', history([record(pk(KS_A), ['1', '1'], [])]));
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet', '--keystores', path.join(tmp, 'no-such-dir'), '--json']);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    const j = JSON.parse(r.stdout);
    expect(j.findings.map((x: { id: string }) => x.id)).toEqual(['slashing-keys-unreadable', 'slashing-double-block']);
    expect(j.validators).toHaveLength(1);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('coldstake: error: '))).toHaveLength(1);
  });

  it('refuses more than 1,000,000 attestations for one pubkey (huge array), naming the entry', () => {
    const f = path.join(tmp, 'huge.json');
    const fd = fs.openSync(f, 'w');
    fs.writeSync(fd, `{"metadata":{"interchange_format_version":"5","genesis_validators_root":"${MAINNET}"},"data":[{"pubkey":"0x${'11'.repeat(48)}","signed_blocks":[],"signed_attestations":[`);
    const att = '{"source_epoch":"1","target_epoch":"2"}';
    const block = Array.from({ length: 10_000 }, () => att).join(',');
    for (let i = 0; i < 101; i++) fs.writeSync(fd, `${i === 0 ? '' : ','}${block}`);
    fs.writeSync(fd, ']}]}');
    fs.closeSync(fd);
    const r = runCli(['slashing', 'verify', f, '--network', 'mainnet']);
    fs.rmSync(f);
    expect(r.code).toBe(2);
    assertCleanStderr(r.stderr);
    expect(r.stderr).toMatch(/data\[0\]\.signed_attestations\[1000000\]: more than 1000000 signed attestations for one pubkey/);
  });

  it('refuses a file over 256 MiB before reading it, and a missing file', () => {
    const big = path.join(tmp, 'big.json');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 256 * 1024 * 1024 + 1);
    const r = runCli(['slashing', 'verify', big, '--network', 'mainnet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/more than the 268435456-byte limit/);
    fs.rmSync(big);
    const m = runCli(['slashing', 'verify', path.join(tmp, 'nope.json'), '--network', 'mainnet']);
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/nope\.json: no such file/);
  });
});
