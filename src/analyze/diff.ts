/*! Two captures of one process -> ProcessDiff: each region's status, sides and delta,
 * and totals by kind and owner that always add up. Pure and O(n log n); matching is
 * analyze/match's job, wording render/'s: nothing here returns text for people. */
import type { Kind, Region } from '../model/vma.js';
import type { DiffStatus, ProcessDiff, ProcessMatch, RegionDiff, RegionSide, SizeDelta } from '../model/diff.js';
import { matchRegions, type RegionMatch } from './match.js';

/**
 * Compares two captures of one process. `proc` comes from matchProcesses; for a gone
 * process pass `after` = [] (every region gone), for a new one `before` = []. `inOrder`: both
 * are known to be in address order already (compare checked), so the match need not check.
 */
export function diffProcess(proc: ProcessMatch, before: readonly Region[], after: readonly Region[], inOrder = false): ProcessDiff {
  const sum = new Totals();
  // totals summed as each region is made, in address order (byKind's keys come in the order
  // their kinds are first met): a second pass over 100k regions, of two classes and their
  // sides, cost twice the match itself
  const changedAt: number[] = [];
  let at = 0;
  const regions = matchRegions(before, after, {
    same: (b: Region, a: Region): RegionDiff => {
      const size = b.end - b.start;
      sum.pair(b, a, size);
      at++;
      return new Unchanged(b, a, size);
    },
    each: (m: RegionMatch): RegionDiff => {
      sum.side(m.before, 0, m.beforeSize);
      sum.side(m.after, 1, m.afterSize);
      changedAt.push(at++);
      return toDiff(m);
    },
  }, inOrder);
  const diff = {
    pid: { before: proc.before?.pid ?? null, after: proc.after?.pid ?? null },
    name: proc.after?.name ?? proc.before?.name ?? '',
    restarted: proc.restarted,
    regions,
    changedAt,
    byKind: sum.byKind(),
  } as ProcessDiff;
  // owner totals are summed when first read, then kept: only compare --json prints them, and
  // with one owner per thread stack and arena they led the diff's profile
  let byOwner: Record<string, SizeDelta> | undefined;
  Object.defineProperty(diff, 'byOwner', { enumerable: true, configurable: true, get: () => (byOwner ??= ownerTotals(regions)), set: (v: Record<string, SizeDelta>) => void (byOwner = v) });
  diff.total = { before: sum.total[0]!, after: sum.total[1]!, delta: sum.total[1]! - sum.total[0]! };
  diff.threadStacks = { before: sum.threadStacks[0]!, after: sum.threadStacks[1]! };
  diff.vmas = { before: before.length, after: after.length };
  return diff;
}

/**
 * The sums of diffProcess, side 0 before and 1 after: in total, by kind (slots in the order the
 * kinds are first met) and the thread stacks. Each VMA counts under its own kind, as show does,
 * also in a region of several kinds (a merge, a split, a thread stack the kernel joined with an
 * anonymous block); the total adds each side's size. Fields are assigned in the constructor, not
 * declared as class fields (each `new` of one then runs an initializer), and a VMA's kind is
 * mostly its neighbour's or its pair's: the last slot is kept.
 */
class Totals {
  declare readonly total: Float64Array;
  declare readonly threadStacks: Float64Array;
  declare readonly slots: Map<Kind, number>;
  declare readonly kinds: Kind[];
  declare readonly sums: number[];
  declare lastKind: Kind | null;
  declare lastSlot: number;

  constructor() {
    this.total = new Float64Array(2);
    this.threadStacks = new Float64Array(2);
    this.slots = new Map();
    this.kinds = [];
    this.sums = [];
    this.lastKind = null;
    this.lastSlot = 0;
  }

  /** A VMA printed alike in both captures: `b` before, `a` after, both of `size`. */
  pair(b: Region, a: Region, size: number): void {
    this.total[0] += size;
    this.total[1] += size;
    this.add(b.kind, 0, size);
    this.add(a.kind, 1, size);
  }

  /** A side of a region: its VMAs (none when the side is empty) and their summed size. */
  side(rs: readonly Region[], side: 0 | 1, size: number): void {
    if (rs.length === 0) return;
    this.total[side] += size;
    if (rs.length === 1) return this.add(rs[0]!.kind, side, size);
    for (const r of rs) this.add(r.kind, side, r.end - r.start);
  }

  byKind(): Partial<Record<Kind, SizeDelta>> {
    const out: Partial<Record<Kind, SizeDelta>> = {};
    this.kinds.forEach((k, i) => {
      const before = this.sums[2 * i]!;
      const after = this.sums[2 * i + 1]!;
      out[k] = { before, after, delta: after - before };
    });
    return out;
  }

  add(kind: Kind, side: 0 | 1, size: number): void {
    let i = this.lastSlot;
    if (kind !== this.lastKind) {
      const known = this.slots.get(kind);
      if (known === undefined) {
        this.slots.set(kind, (i = this.kinds.length));
        this.kinds.push(kind);
        this.sums.push(0, 0);
      } else i = known;
      this.lastKind = kind;
      this.lastSlot = i;
    }
    this.sums[2 * i + side] += size;
    if (kind === 'thread-stack') this.threadStacks[side]++;
  }
}

const SIDES = ['before', 'after'] as const;

/** Totals by owner, counted as byKind is: a side of one VMA by its own owner, else each VMA by its own. */
function ownerTotals(regions: readonly RegionDiff[]): Record<string, SizeDelta> {
  const byOwner: Record<string, SizeDelta> = Object.create(null);
  for (const d of regions) {
    if (d instanceof Unchanged) {
      add(byOwner[d.was.owner] ??= zero(), 'before', d.size);
      add(byOwner[d.now.owner] ??= zero(), 'after', d.size);
      continue;
    }
    for (const side of SIDES) {
      const s = d[side];
      if (!s) continue;
      if (s.count === 1) add(byOwner[s.owner] ??= zero(), side, s.size);
      else for (const r of s.regions) add(byOwner[r.owner] ??= zero(), side, r.end - r.start);
    }
  }
  return { ...byOwner };
}

export type DiffOrder = 'delta' | 'address';

/** A sorted copy: `delta` = largest growth first (shrinks last), ties by address; `address` = by address. */
export function sortDiffs(regions: readonly RegionDiff[], by: DiffOrder): RegionDiff[] {
  const ordered = inAddressOrder(regions);
  return by === 'address' ? ordered : ordered.sort((x, y) => y.delta - x.delta); // stable: ties stay in address order
}

function toDiff(m: RegionMatch): RegionDiff {
  if (m.note === undefined && m.before.length === 1 && m.after.length === 1 && m.beforeSize === m.afterSize) return new Unchanged(m.before[0]!, m.after[0]!, m.afterSize);
  const before = sideOf(m.before, m.beforeSize);
  const after = sideOf(m.after, m.afterSize);
  const label = (after ?? before)!;
  const delta = (after?.size ?? 0) - (before?.size ?? 0);
  const status: DiffStatus = !before ? 'new' : !after ? 'gone' : delta > 0 ? 'grown' : delta < 0 ? 'shrunk' : 'same';
  const d: RegionDiff = { status, kind: label.kind, owner: label.owner, path: label.path, before, after, delta };
  if (m.note) d.note = m.note;
  return d;
}

function sideOf(rs: Region[], size: number): RegionSide | null {
  if (rs.length === 0) return null;
  if (rs.length === 1) return new OneVma(rs[0]!, size);
  let big = rs[0]!;
  let end = big.end;
  let bigSize = -1;
  for (const r of rs) {
    const n = r.end - r.start;
    if (n > bigSize) [big, bigSize] = [r, n];
    if (r.end > end) end = r.end;
  }
  return new SomeVmas(rs, size, big, end);
}

/**
 * A side as its VMAs say: its VMAs and size are kept, the rest is read off them (the largest
 * VMA, the first start) when asked. Two 100k-VMA captures made 200k sides, each with 13 fields,
 * a `lines` and a `regions` array, nearly all of unchanged regions nobody prints.
 */
abstract class Side implements RegionSide {
  constructor(readonly size: number) {}
  abstract get regions(): Region[];
  /** The largest VMA: its perms, kind, owner, path, dev, inode and deleted are the side's. */
  protected abstract get big(): Region;
  abstract get end(): number;
  get start(): number { return this.regions[0]!.start; } // regions are in address order
  get count(): number { return this.regions.length; }
  get perms(): string { return this.big.perms; }
  get kind(): Kind { return this.big.kind; }
  get owner(): string { return this.big.owner; }
  get path(): string { return this.big.path; }
  get dev(): string { return this.big.dev; }
  get inode(): number { return this.big.inode; }
  get deleted(): boolean { return this.big.deleted; }
  get lines(): number[] { return this.regions.map((r) => r.line); }
}

/** The common side: one VMA (a new one-element `regions` array each time it is read). */
class OneVma extends Side {
  readonly #r: Region;
  constructor(r: Region, size: number) {
    super(size);
    this.#r = r;
  }
  get regions(): Region[] { return [this.#r]; }
  protected get big(): Region { return this.#r; }
  override get start(): number { return this.#r.start; }
  get end(): number { return this.#r.end; }
  override get count(): number { return 1; }
  override get lines(): number[] { return [this.#r.line]; }
}

class SomeVmas extends Side {
  readonly #rs: Region[];
  readonly #big: Region;
  readonly #end: number;
  constructor(rs: Region[], size: number, big: Region, end: number) {
    super(size);
    this.#rs = rs;
    this.#big = big;
    this.#end = end;
  }
  get regions(): Region[] { return this.#rs; }
  protected get big(): Region { return this.#big; }
  get end(): number { return this.#end; }
}

/**
 * A region of one VMA on each side, of one size, with no note: most regions of a compare (the
 * lines printed alike in both captures). One object holding the two VMAs; its sides are made when
 * read (nothing reads those of an unchanged region but --all and smaps): three objects per region
 * (a RegionDiff and two sides) of two 100k-VMA captures were the largest part of what the GC copied.
 * Reads as the RegionDiff toDiff would build: status `same`, delta 0, the after VMA's labels.
 */
class Unchanged implements RegionDiff {
  declare resident?: RegionDiff['resident']; // set by compare-resident only when both captures had smaps
  /** The VMA before, the VMA after, and their size (assigned, not class fields: see Totals). */
  declare readonly was: Region;
  declare readonly now: Region;
  declare readonly size: number;
  constructor(was: Region, now: Region, size: number) {
    this.was = was;
    this.now = now;
    this.size = size;
  }
  get status(): DiffStatus { return 'same'; }
  get delta(): number { return 0; }
  get kind(): Kind { return this.now.kind; }
  get owner(): string { return this.now.owner; }
  get path(): string { return this.now.path; }
  get before(): RegionSide { return new OneVma(this.was, this.size); }
  get after(): RegionSide { return new OneVma(this.now, this.size); }
}

/**
 * A copy in address order: by the after start (the before start when gone); at one address
 * what was there before comes first. Sorted on keys read once (an unchanged region makes its
 * sides anew each time they are read).
 */
function inAddressOrder(regions: readonly RegionDiff[]): RegionDiff[] {
  const n = regions.length;
  const at = new Float64Array(n);
  const was = new Float64Array(n);
  regions.forEach((d, i) => {
    at[i] = (d.after ?? d.before)!.start;
    was[i] = d.before ? d.before.start : Number.MAX_VALUE;
  });
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => at[x]! - at[y]! || was[x]! - was[y]!);
  return order.map((i) => regions[i]!);
}

const zero = (): SizeDelta => ({ before: 0, after: 0, delta: 0 });

function add(t: SizeDelta, side: 'before' | 'after', size: number): void {
  t[side] += size;
  t.delta = t.after - t.before;
}
