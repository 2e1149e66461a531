/**
 * One pubkey's signing history in compact typed arrays, and the checks that find slashable or
 * unsound data in it (EIP-3076 conditions; consensus-specs `process_proposer_slashing` and
 * `is_slashable_attestation_data`).
 *
 * Memory: 8 bytes per slot/epoch, 32 + 1 bytes per signing root (stored or not), 8 bytes for
 * where the entry sits in the file: 49 bytes per block, 57 per attestation. Buffers grow by
 * doubling and are reused from one record to the next.
 */
import { finding, type Finding } from '../findings.js';

const ZERO_ROOT_RE = /^0x0{64}$/;

/** Where an entry sits in the file: `data[record].signed_…[item]`. */
function entryPath(list: 'signed_blocks' | 'signed_attestations', record: number, item: number): string {
  return `data[${record}].${list}[${item}]`;
}

function grow<T extends BigUint64Array | Uint8Array | Uint32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const next = make(Math.max(need, a.length * 2, 4));
  next.set(a as never);
  return next;
}

function nibble(c: number): number {
  // '0'-'9', 'A'-'F', 'a'-'f' (the caller has checked the string is 0x + 64 hex digits).
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function hexToBytesInto(hex: string, out: Uint8Array, at: number): void {
  for (let k = 0; k < 32; k++) out[at + k] = (nibble(hex.charCodeAt(2 + 2 * k)) << 4) | nibble(hex.charCodeAt(3 + 2 * k));
}

function sameRoot(roots: Uint8Array, a: number, b: number): boolean {
  const x = a * 32;
  const y = b * 32;
  for (let k = 0; k < 32; k++) if (roots[x + k] !== roots[y + k]) return false;
  return true;
}

/** A list of entries: values plus optional 32-byte signing roots plus file positions. */
// Shared empty arrays: a list allocates on its first entry (many pubkeys have no blocks, and the
// merge pass holds one history per duplicated pubkey).
const NO_U64 = new BigUint64Array(0);
const NO_U8 = new Uint8Array(0);
const NO_U32 = new Uint32Array(0);

class EntryList {
  count = 0;
  a = NO_U64;
  b = NO_U64;
  roots = NO_U8;
  hasRoot = NO_U8;
  record = NO_U32;
  item = NO_U32;
  group = NO_U32;
  constructor(
    readonly pairs: boolean,
    private readonly grouped = false,
  ) {}

  /** Make room for one more entry; returns its index. */
  private reserve(): number {
    const need = this.count + 1;
    this.a = grow(this.a, need, (n) => new BigUint64Array(n));
    if (this.pairs) this.b = grow(this.b, need, (n) => new BigUint64Array(n));
    this.roots = grow(this.roots, need * 32, (n) => new Uint8Array(n));
    this.hasRoot = grow(this.hasRoot, need, (n) => new Uint8Array(n));
    this.record = grow(this.record, need, (n) => new Uint32Array(n));
    this.item = grow(this.item, need, (n) => new Uint32Array(n));
    if (this.grouped) this.group = grow(this.group, need, (n) => new Uint32Array(n));
    this.count = need;
    return need - 1;
  }

  push(a: bigint, b: bigint, root: string | null, record: number, item: number): void {
    const i = this.reserve();
    this.a[i] = a;
    if (this.pairs) this.b[i] = b;
    if (root === null || ZERO_ROOT_RE.test(root)) {
      // An all-zero signing root is the placeholder EIP-3076 suggests for "unknown": it cannot
      // prove that two entries are the same message, so it counts as missing.
      this.hasRoot[i] = 0;
    } else {
      this.hasRoot[i] = 1;
      hexToBytesInto(root, this.roots, i * 32);
    }
    this.record[i] = record;
    this.item[i] = item;
  }

  /** Append entry `j` of `o` (same kind of list), tagged with `group` when this list is grouped. */
  copyFrom(o: EntryList, j: number, group = 0): void {
    const i = this.reserve();
    this.a[i] = o.a[j] as bigint;
    if (this.pairs) this.b[i] = o.b[j] as bigint;
    this.hasRoot[i] = o.hasRoot[j] as number;
    if (o.hasRoot[j]) this.roots.set(o.roots.subarray(j * 32, j * 32 + 32), i * 32);
    this.record[i] = o.record[j] as number;
    this.item[i] = o.item[j] as number;
    if (this.grouped) this.group[i] = group;
  }

  /** Indices sorted by `key` ascending (then `tie` descending when given); no sort when already in order. */
  sortedBy(key: BigUint64Array, tie?: BigUint64Array): Uint32Array {
    const idx = new Uint32Array(this.count);
    let sorted = true;
    for (let i = 0; i < this.count; i++) {
      idx[i] = i;
      if (i > 0) {
        const p = key[i - 1] as bigint;
        const c = key[i] as bigint;
        if (p > c || (tie !== undefined && p === c && (tie[i - 1] as bigint) < (tie[i] as bigint))) sorted = false;
      }
    }
    if (sorted) return idx;
    return idx.sort((x, y) => {
      const kx = key[x] as bigint;
      const ky = key[y] as bigint;
      if (kx !== ky) return kx < ky ? -1 : 1;
      if (tie !== undefined) {
        const tx = tie[x] as bigint;
        const ty = tie[y] as bigint;
        if (tx !== ty) return tx > ty ? -1 : 1;
      }
      return x - y;
    });
  }
}

/** Signed blocks and attestations of one pubkey (possibly merged from several sections). */
export class SigningHistory {
  readonly blocks = new EntryList(false);
  readonly attestations = new EntryList(true);

  addBlock(slot: bigint, signingRoot: string | null, record: number, item: number): void {
    this.blocks.push(slot, 0n, signingRoot, record, item);
  }

  addAttestation(source: bigint, target: bigint, signingRoot: string | null, record: number, item: number): void {
    this.attestations.push(source, target, signingRoot, record, item);
  }

  /** Forget the entries, keep the buffers for the next record. */
  clear(): void {
    this.blocks.count = 0;
    this.attestations.count = 0;
  }

}

/**
 * The entries of the pubkeys that have several sections, gathered across the file (second read)
 * in one set of compact columns tagged with the pubkey's group number: 61 bytes per entry and no
 * per-pubkey object, then checked one pubkey at a time.
 */
export class HistoryArena {
  private readonly blocks = new EntryList(false, true);
  private readonly attestations = new EntryList(true, true);

  /** Add one section's entries to `group`. */
  add(h: SigningHistory, group: number): void {
    for (let j = 0; j < h.blocks.count; j++) this.blocks.copyFrom(h.blocks, j, group);
    for (let j = 0; j < h.attestations.count; j++) this.attestations.copyFrom(h.attestations, j, group);
  }

  /** Call `fn` for each group 0..groups-1 with its merged history, entries in file order. */
  forEachGroup(groups: number, fn: (group: number, h: SigningHistory) => void): void {
    const order = (l: EntryList) => {
      // Counting sort by group: stable, so each group's entries stay in file order.
      const start = new Uint32Array(groups + 1);
      for (let i = 0; i < l.count; i++) {
        const k = (l.group[i] as number) + 1;
        start[k] = (start[k] as number) + 1;
      }
      for (let g = 0; g < groups; g++) start[g + 1] = (start[g + 1] as number) + (start[g] as number);
      const next = start.slice(0, groups);
      const idx = new Uint32Array(l.count);
      for (let i = 0; i < l.count; i++) {
        const g = l.group[i] as number;
        idx[next[g] as number] = i;
        next[g] = (next[g] as number) + 1;
      }
      return { start, idx };
    };
    const b = order(this.blocks);
    const a = order(this.attestations);
    const h = new SigningHistory();
    for (let g = 0; g < groups; g++) {
      h.clear();
      for (let k = b.start[g] as number; k < (b.start[g + 1] as number); k++) h.blocks.copyFrom(this.blocks, b.idx[k] as number);
      for (let k = a.start[g] as number; k < (a.start[g + 1] as number); k++) h.attestations.copyFrom(this.attestations, a.idx[k] as number);
      fn(g, h);
    }
  }
}

/** The largest value of an entry list, or null when it is empty. */
export function maxOf(list: { count: number }, values: BigUint64Array): bigint | null {
  let m: bigint | null = null;
  for (let i = 0; i < list.count; i++) {
    const v = values[i] as bigint;
    if (m === null || v > m) m = v;
  }
  return m;
}

/** Watermarks of a history: counts and highest slot / source / target. */
export function watermarks(h: SigningHistory): { blocks: number; attestations: number; maxBlockSlot: bigint | null; maxSourceEpoch: bigint | null; maxTargetEpoch: bigint | null } {
  return {
    blocks: h.blocks.count,
    attestations: h.attestations.count,
    maxBlockSlot: maxOf(h.blocks, h.blocks.a),
    maxSourceEpoch: maxOf(h.attestations, h.attestations.a),
    maxTargetEpoch: maxOf(h.attestations, h.attestations.b),
  };
}

/** Examples kept per finding; the count covers all of them. */
export const MAX_EXAMPLES = 5;

/**
 * Slashable or unsound data in one pubkey's history. At most one finding per kind, each with
 * the number of cases and up to MAX_EXAMPLES examples naming the entries' JSON paths.
 */
export function checkHistory(pubkey: string, h: SigningHistory): Finding[] {
  const out: Finding[] = [];
  const blockFinding = checkDoubleBlocks(pubkey, h.blocks);
  if (blockFinding) out.push(blockFinding);
  out.push(...checkAttestations(pubkey, h.attestations));
  return out;
}

function checkDoubleBlocks(pubkey: string, l: EntryList): Finding | null {
  const idx = l.sortedBy(l.a);
  let cases = 0;
  const examples: Record<string, unknown>[] = [];
  for (let s = 0; s < idx.length; ) {
    let e = s + 1;
    const slot = l.a[idx[s] as number] as bigint;
    while (e < idx.length && l.a[idx[e] as number] === slot) e++;
    if (e - s > 1) {
      const first = idx[s] as number;
      let conflict = false;
      for (let k = s; k < e && !conflict; k++) {
        const j = idx[k] as number;
        if (!l.hasRoot[j] || !sameRoot(l.roots, first, j)) conflict = true;
      }
      if (conflict) {
        cases++;
        if (examples.length < MAX_EXAMPLES) {
          const entries: string[] = [];
          for (let k = s; k < e && entries.length < 10; k++) entries.push(entryPath('signed_blocks', l.record[idx[k] as number] as number, l.item[idx[k] as number] as number));
          examples.push({ slot: slot.toString(), entries });
        }
      }
    }
    s = e;
  }
  if (cases === 0) return null;
  const ex = examples[0] as { slot: string; entries: string[] };
  return finding(
    'slashing-double-block',
    'error',
    pubkey,
    `${cases} slot${cases === 1 ? '' : 's'} with two block proposals whose signing roots differ or are missing, e.g. slot ${ex.slot}: ${ex.entries.join(', ')}`,
    { count: cases, examples },
    'export the history again from the stopped old client; do not import a file that proves a double proposal',
  );
}

function checkAttestations(pubkey: string, l: EntryList): Finding[] {
  const out: Finding[] = [];
  const path = (i: number) => entryPath('signed_attestations', l.record[i] as number, l.item[i] as number);
  const describe = (i: number) => ({ entry: path(i), source_epoch: (l.a[i] as bigint).toString(), target_epoch: (l.b[i] as bigint).toString() });

  // source > target: no honest client signs this.
  let inverted = 0;
  const invertedEx: Record<string, unknown>[] = [];
  for (let i = 0; i < l.count; i++) {
    if ((l.a[i] as bigint) > (l.b[i] as bigint)) {
      inverted++;
      if (invertedEx.length < MAX_EXAMPLES) invertedEx.push(describe(i));
    }
  }
  if (inverted > 0) {
    const e = invertedEx[0] as { entry: string; source_epoch: string; target_epoch: string };
    out.push(
      finding(
        'slashing-source-after-target',
        'error',
        pubkey,
        `${inverted} attestation${inverted === 1 ? '' : 's'} with source epoch after target epoch, e.g. ${e.entry} (source ${e.source_epoch}, target ${e.target_epoch})`,
        { count: inverted, examples: invertedEx },
        'the file is unsound: export the history again from the stopped old client',
      ),
    );
  }

  // Double votes: one target epoch, different attestation data (or roots that cannot prove it is the same).
  const byTarget = l.sortedBy(l.b);
  let doubles = 0;
  const doubleEx: Record<string, unknown>[] = [];
  for (let s = 0; s < byTarget.length; ) {
    let e = s + 1;
    const target = l.b[byTarget[s] as number] as bigint;
    while (e < byTarget.length && l.b[byTarget[e] as number] === target) e++;
    if (e - s > 1) {
      const first = byTarget[s] as number;
      let conflict = false;
      for (let k = s; k < e && !conflict; k++) {
        const j = byTarget[k] as number;
        if (!l.hasRoot[j] || !sameRoot(l.roots, first, j) || l.a[j] !== l.a[first]) conflict = true;
      }
      if (conflict) {
        doubles++;
        if (doubleEx.length < MAX_EXAMPLES) {
          const entries: Record<string, unknown>[] = [];
          for (let k = s; k < e && entries.length < 10; k++) entries.push(describe(byTarget[k] as number));
          doubleEx.push({ target_epoch: target.toString(), entries });
        }
      }
    }
    s = e;
  }
  if (doubles > 0) {
    const ex = doubleEx[0] as { target_epoch: string; entries: { entry: string }[] };
    out.push(
      finding(
        'slashing-double-vote',
        'error',
        pubkey,
        `${doubles} target epoch${doubles === 1 ? '' : 's'} with two attestations whose data or signing roots differ or are missing, e.g. target ${ex.target_epoch}: ${ex.entries.map((x) => x.entry).join(', ')}`,
        { count: doubles, examples: doubleEx },
        'export the history again from the stopped old client; do not import a file that proves a double vote',
      ),
    );
  }

  // Surround votes: a.source < b.source and b.target < a.target. Sorted by source ascending, the
  // highest target among strictly smaller sources surrounds every later target below it.
  const bySource = l.sortedBy(l.a, l.b);
  let surrounds = 0;
  const surroundEx: Record<string, unknown>[] = [];
  let maxTarget = -1n;
  let witness = -1;
  for (let s = 0; s < bySource.length; ) {
    let e = s + 1;
    const source = l.a[bySource[s] as number] as bigint;
    while (e < bySource.length && l.a[bySource[e] as number] === source) e++;
    let groupMax = -1n;
    let groupWitness = -1;
    for (let k = s; k < e; k++) {
      const j = bySource[k] as number;
      const t = l.b[j] as bigint;
      if (witness >= 0 && t < maxTarget) {
        surrounds++;
        if (surroundEx.length < MAX_EXAMPLES) surroundEx.push({ surrounded: describe(j), surrounding: describe(witness) });
      }
      if (t > groupMax) {
        groupMax = t;
        groupWitness = j;
      }
    }
    if (groupMax > maxTarget) {
      maxTarget = groupMax;
      witness = groupWitness;
    }
    s = e;
  }
  if (surrounds > 0) {
    const ex = surroundEx[0] as { surrounded: { entry: string; source_epoch: string; target_epoch: string }; surrounding: { entry: string; source_epoch: string; target_epoch: string } };
    out.push(
      finding(
        'slashing-surround-vote',
        'error',
        pubkey,
        `${surrounds} attestation${surrounds === 1 ? '' : 's'} surrounded by another, e.g. ${ex.surrounding.entry} (source ${ex.surrounding.source_epoch}, target ${ex.surrounding.target_epoch}) surrounds ${ex.surrounded.entry} (source ${ex.surrounded.source_epoch}, target ${ex.surrounded.target_epoch})`,
        { count: surrounds, examples: surroundEx },
        'export the history again from the stopped old client; do not import a file that proves a surround vote',
      ),
    );
  }
  return out;
}
