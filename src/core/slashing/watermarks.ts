/**
 * Watermarks that clients mis-read or that stop a validator (issue 14 point 9): any slot or epoch
 * above 2^53 - 1, which JavaScript clients round (Lodestar parses them with parseInt and stores a
 * block watermark of 2^64 - 1 as slot 0), and maxima beyond the network's current slot or epoch by
 * its genesis time and the local clock, which every client then refuses to sign below.
 * All arithmetic is on bigint: a u64 never passes through a floating-point number.
 */
import { finding, type Finding } from '../findings.js';
import { SECONDS_PER_SLOT, SLOTS_PER_EPOCH } from '../eth/networks.js';
import { MAX_EXAMPLES } from './history.js';
import type { ValidatorSummary, VerifyInterchangeOptions } from './slashing.js';

/** Number.MAX_SAFE_INTEGER: above it a JavaScript number cannot hold every integer. */
export const MAX_SAFE_U64 = (1n << 53n) - 1n;

const FIELDS = [
  ['maxBlockSlot', 'max_block_slot'],
  ['maxSourceEpoch', 'max_source_epoch'],
  ['maxTargetEpoch', 'max_target_epoch'],
] as const;

/** A rough duration for a message: "about 3 days", "about 12,000 years". */
export function roughDuration(seconds: bigint): string {
  const units: Array<[bigint, string]> = [
    [365n * 86400n, 'year'],
    [86400n, 'day'],
    [3600n, 'hour'],
    [60n, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size) {
      const n = seconds / size;
      return `about ${n.toLocaleString('en-US')} ${name}${n === 1n ? '' : 's'}`;
    }
  }
  return 'less than a minute';
}

/**
 * Watermarks that clients mis-read or that stop a validator: any slot or epoch above 2^53 - 1
 * (JavaScript clients round it), and, when the network's genesis time is known, any maximum beyond
 * its current slot (more than one epoch ahead) or epoch (more than one ahead) by the local clock.
 */
export function watermarkFindings(opts: Pick<VerifyInterchangeOptions, 'file' | 'network' | 'clock'>, validators: readonly ValidatorSummary[]): Finding[] {
  const out: Finding[] = [];
  const unsafe: Array<{ pubkey: string; field: string; value: string }> = [];
  let unsafeKeys = 0;
  for (const v of validators) {
    let hit = false;
    for (const [k, name] of FIELDS) {
      const x = v[k];
      if (x !== null && x > MAX_SAFE_U64) {
        hit = true;
        if (unsafe.length < MAX_EXAMPLES) unsafe.push({ pubkey: v.pubkey, field: name, value: x.toString() });
      }
    }
    if (hit) unsafeKeys++;
  }
  if (unsafeKeys > 0) {
    const e = unsafe[0] as { pubkey: string; field: string; value: string };
    out.push(
      finding(
        'slashing-unsafe-integer',
        'warning',
        opts.file,
        `${unsafeKeys} pubkey${unsafeKeys === 1 ? ' has' : 's have'} a slot or epoch above 2^53 - 1 (9007199254740991), e.g. ${e.pubkey} ${e.field} ${e.value}: JavaScript clients read it rounded (Lodestar stores a block watermark of 2^64 - 1 as slot 0 and then signs any block), while Lighthouse, Prysm and Teku keep it exact and refuse to sign anything at or below it, so the validator never signs again`,
        { count: unsafeKeys, examples: unsafe },
        'no network will reach such a slot or epoch: export the history again from the stopped old client; never import this file into Lodestar',
      ),
    );
  }
  const clock = opts.clock;
  if (clock) {
    const elapsed = BigInt(Math.max(0, Math.floor(clock.now) - clock.genesisTime));
    const slot = elapsed / BigInt(SECONDS_PER_SLOT);
    const epoch = slot / BigInt(SLOTS_PER_EPOCH);
    const perEpoch = BigInt(SECONDS_PER_SLOT * SLOTS_PER_EPOCH);
    const ahead: Array<{ pubkey: string; field: string; value: string; ahead_seconds: string }> = [];
    let aheadKeys = 0;
    for (const v of validators) {
      let hit = false;
      for (const [k, name] of FIELDS) {
        const x = v[k];
        if (x === null) continue;
        const seconds = k === 'maxBlockSlot' ? (x > slot + BigInt(SLOTS_PER_EPOCH) ? (x - slot) * BigInt(SECONDS_PER_SLOT) : 0n) : x > epoch + 1n ? (x - epoch) * perEpoch : 0n;
        if (seconds > 0n) {
          hit = true;
          if (ahead.length < MAX_EXAMPLES) ahead.push({ pubkey: v.pubkey, field: name, value: x.toString(), ahead_seconds: seconds.toString() });
        }
      }
      if (hit) aheadKeys++;
    }
    if (aheadKeys > 0) {
      const e = ahead[0] as { pubkey: string; field: string; value: string; ahead_seconds: string };
      const what = e.field === 'max_block_slot' ? `propose a block at or below slot ${e.value}` : `attest with a ${e.field === 'max_source_epoch' ? 'source' : 'target'} epoch at or below ${e.value}`;
      const now = new Date(Math.floor(clock.now) * 1000).toISOString().replace(/\.000Z$/, 'Z');
      out.push(
        finding(
          'slashing-watermark-in-future',
          'warning',
          opts.file,
          `${aheadKeys} pubkey${aheadKeys === 1 ? ' has' : 's have'} history beyond ${opts.network}'s current slot ${slot} (epoch ${epoch}, from its genesis time and this machine's clock ${now}), e.g. ${e.pubkey} ${e.field} ${e.value}, ${roughDuration(BigInt(e.ahead_seconds))} ahead: after import the client refuses to ${what}, so the validator misses its duties until then`,
          { count: aheadKeys, current_slot: slot.toString(), current_epoch: epoch.toString(), now, examples: ahead },
          'check this machine\'s clock; if it is right, this is not a real history of this network: export it again from the stopped old client',
        ),
      );
    }
  }
  return out;
}
