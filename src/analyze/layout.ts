/*! One process's address space: its classified regions, totals by kind and owner, the free
 * gaps up to the user-space ceiling (the seed's "NOT USED" rows), the main stack against its
 * limit, and findings as data. Pure and one pass; it never decides the ceiling or word size
 * (arch.ts and the caller do) and never formats.
 *
 * - User memory counts user VMAs only: kernel pages ([vdso], [vectors], ...) are left out of
 *   `mapped`, `byKind` and `byOwner`, so the three always add up to the same number. `vsz`
 *   is the kernel's VmSize: every VMA of the mm, kernel pages included, gate areas not.
 * - Gaps run from address 0 (as the seed's do) to the ceiling, between every VMA, kernel pages
 *   inside user space included: mmap cannot use the pages [vdso] or [sigpage] sit on.
 * - The VMAs must be in address order, without overlaps, as parse/maps returns them.
 */
import type { ProcLimits } from '../model/capture.js';
import type { CeilingSource, Finding, Gap, ProcessLayout, Totals } from '../model/layout.js';
import { KINDS, type Kind, type Region, type Vma } from '../model/vma.js';
import { classify } from './classify.js';
import { isGateArea } from './arch.js';

export interface LayoutOptions {
  /** Top of user space: gaps stop here, and user VMAs above it are reported. */
  ceiling: number;
  /** Why (ceiling.ts); default: given by the caller, as --ceiling. */
  ceilingSource?: CeilingSource;
  /** `uname -m`: whether [vectors] is a gate area (arch.isGateArea). */
  machine?: string | null;
  wordBits: 32 | 64;
  /** glibc's arena size for this word size (arch.arenaSize). */
  arenaSize: number;
  /** RLIMIT_STACK soft limit in bytes; null when unlimited or unknown. */
  stackLimit: number | null;
  stackLimitSource: 'limits' | 'ulimit -s' | null;
  /** The VMAs are handed over: they become the regions (classify's `adopt`). */
  adopt?: boolean;
}

/** The stack is reported as near its limit above this share of it. */
export const STACK_NEAR_LIMIT = 0.75;

export function layout(proc: { pid: number; name: string; vmas: readonly Vma[] }, opts: LayoutOptions): ProcessLayout {
  const { ceiling } = opts;
  const regions = classify(proc.vmas, { arenaSize: opts.arenaSize, threadStackSize: opts.stackLimit, adopt: opts.adopt });
  const sums = sumRegions(regions, ceiling, vectorsIsGate(opts.machine));
  const { mapped, vsz, stackSize, above, highest } = sums;
  const free = freeSpace(regions, ceiling, sums);

  const findings: Finding[] = [];
  if (above > 0) findings.push({ code: 'above-ceiling', ceiling, count: above, highest });
  if (opts.stackLimit !== null && stackSize > STACK_NEAR_LIMIT * opts.stackLimit) {
    findings.push({ code: 'stack-near-limit', size: stackSize, limit: opts.stackLimit });
  }

  return {
    pid: proc.pid,
    name: proc.name,
    ceiling,
    ceilingSource: opts.ceilingSource ?? { from: 'option', rule: '--ceiling', evidence: null },
    wordBits: opts.wordBits,
    regions,
    totals: withOwnerTotals({ mapped, vsz, kernel: vsz - mapped, byKind: byKindOf(sums) }, regions),
    free,
    stack: { size: stackSize, limit: opts.stackLimit, limitSource: opts.stackLimitSource },
    threadStacks: sums.threadStacks,
    findings,
  };
}

/** What one pass over the regions sums: the totals, and the free gaps up to the ceiling. */
interface Sums {
  mapped: number;
  vsz: number;
  heapEnd: number | null;
  stackSize: number;
  threadStacks: number;
  /** User regions ending above the ceiling, and the highest end of them. */
  above: number;
  highest: number;
  /** Bytes of each kind (KINDS' order), and the kinds in the order first seen (byKind's key order). */
  byKind: number[];
  kindOrder: number[];
  free: number;
  /** The (first) largest gap, its start and end; -1 with no gap. */
  largestStart: number;
  largestEnd: number;
  /** The first gap starting where the last `[heap]` ends; -1 when none. */
  aboveHeapEnd: number;
  /** Every region starts at or above the end of the one before it, and is not empty. */
  sorted: boolean;
}

/**
 * The totals and the free gaps in one pass (issue 15: the totals' pass, then the gaps' pass
 * with a closure per gap, led the layout's profile). Kinds are summed by their index in an
 * array, not by a string key. Gaps are `eachGap`'s, inline. The gap right above [heap] is the
 * first gap after the last `[heap]` line that starts where it ends: in address order, no gap
 * before that line can start there (every one ends at or below the line's start); out of
 * order (never from parse/maps), freeSpace looks for it again as it always did.
 */
function sumRegions(regions: readonly Region[], ceiling: number, vectorsGate: boolean): Sums {
  const byKind = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const kindOrder: number[] = [];
  let seenKinds = 0;
  let mapped = 0;
  let vsz = 0;
  let heapEnd: number | null = null;
  let stackSize = 0;
  let threadStacks = 0;
  let above = 0;
  let highest = 0;
  let free = 0;
  let largestStart = -1;
  let largestEnd = -1;
  let largestSize = 0;
  let aboveHeapEnd = -1;
  let sorted = true;
  let cursor = 0;
  let prevEnd = 0;
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i]!;
    const start = r.start;
    const end = r.end;
    const size = end - start;
    if (start < prevEnd || end <= start) sorted = false;
    prevEnd = end;
    // the gap below r (eachGap)
    if (start > cursor && cursor < ceiling) {
      const gapEnd = start < ceiling ? start : ceiling;
      const gapSize = gapEnd - cursor;
      free += gapSize;
      if (largestStart < 0 || gapSize > largestSize) { largestStart = cursor; largestEnd = gapEnd; largestSize = gapSize; }
      if (cursor === heapEnd && aboveHeapEnd < 0) aboveHeapEnd = gapEnd;
    }
    if (end > cursor) cursor = end;
    // the totals
    if (!(r.inode === 0 && (r.path === '[vsyscall]' || (vectorsGate && r.path === '[vectors]')))) vsz += size; // isGateArea
    const kind = r.kind;
    if (kind === 'heap' && r.path === '[heap]') { heapEnd = end; aboveHeapEnd = -1; }
    if (kind === 'kernel') continue;
    mapped += size;
    const k = kindIndex(kind);
    if ((seenKinds & (1 << k)) === 0) { seenKinds |= 1 << k; kindOrder.push(k); }
    byKind[k] += size;
    if (kind === 'stack') stackSize += size;
    else if (kind === 'thread-stack') threadStacks++;
    if (end > ceiling) {
      above++;
      if (end > highest) highest = end;
    }
  }
  if (cursor < ceiling) {
    const gapSize = ceiling - cursor;
    free += gapSize;
    if (largestStart < 0 || gapSize > largestSize) { largestStart = cursor; largestEnd = ceiling; }
    if (cursor === heapEnd && aboveHeapEnd < 0) aboveHeapEnd = ceiling;
  }
  return { mapped, vsz, heapEnd, stackSize, threadStacks, above, highest, byKind, kindOrder, free, largestStart, largestEnd, aboveHeapEnd, sorted };
}

/** A kind's index in KINDS (kernel's too), by its first letter and length: no string compared. */
function kindIndex(kind: Kind): number {
  switch (kind.charCodeAt(0)) {
    case 99: return 0; // code
    case 114: return 1; // rodata
    case 100: return 2; // data
    case 98: return 3; // bss
    case 104: return 4; // heap
    case 115: return kind.length === 5 ? 5 : 10; // stack, shared
    case 116: return 6; // thread-stack
    case 97: return kind.length === 5 ? 7 : 9; // arena, anon
    case 103: return 8; // guard
    default: return 11; // kernel
  }
}

function byKindOf(s: Sums): Partial<Record<Kind, number>> {
  const byKind: Partial<Record<Kind, number>> = {};
  for (const k of s.kindOrder) byKind[KINDS[k]!] = s.byKind[k]!;
  return byKind;
}

/** Whether `[vectors]` is a gate area on this machine (arch.isGateArea), decided once. */
function vectorsIsGate(machine: string | null | undefined): boolean {
  return isGateArea({ path: '[vectors]', inode: 0 }, machine);
}

/**
 * `byOwner` summed when first read, then kept: only show prints it, and with one owner per
 * thread stack and arena it led the layout's profile (a compare never reads it).
 */
function withOwnerTotals(t: Omit<Totals, 'byOwner'>, regions: readonly Region[]): Totals {
  // one getter for every Totals, its regions (then its sums) in a hidden slot: a closure per
  // object gave each its own hidden class, and V8 keeps those (with the closure, so the
  // regions) alive until a full GC: in a series every layout outlived its capture (issue 15)
  Object.defineProperty(t, OWNERS, { value: regions, writable: true });
  return Object.defineProperty(t as Totals, 'byOwner', { enumerable: true, get: byOwnerOf });
}

const OWNERS = Symbol('owner totals');

function byOwnerOf(this: Totals & { [OWNERS]: readonly Region[] | Record<string, number> }): Record<string, number> {
  const v = this[OWNERS];
  if (!Array.isArray(v)) return v as Record<string, number>;
  const sums = ownerTotals(v as readonly Region[]);
  this[OWNERS] = sums;
  return sums;
}

function ownerTotals(regions: readonly Region[]): Record<string, number> {
  const byOwner = new Map<string, number>();
  for (const r of regions) {
    if (r.kind !== 'kernel') byOwner.set(r.owner, (byOwner.get(r.owner) ?? 0) + (r.end - r.start));
  }
  // fromEntries makes own properties even for a name like `__proto__` from [anon:NAME]
  return Object.fromEntries(byOwner);
}

/** Calls `each` with the bounds of every free gap, in address order: from 0 to the ceiling, between the VMAs. */
function eachGap(regions: readonly Region[], ceiling: number, each: (start: number, end: number) => void): void {
  let cursor = 0;
  for (const r of regions) {
    if (r.start > cursor && cursor < ceiling) each(cursor, r.start < ceiling ? r.start : ceiling);
    if (r.end > cursor) cursor = r.end;
  }
  if (cursor < ceiling) each(cursor, ceiling);
}

/**
 * The free space: its total, the (first) largest gap and the one right above [heap], summed
 * with the totals (sumRegions); the list of gaps is made when first read, then kept: only show
 * and the HTML map print it (a 100k-VMA capture has some 30k gaps, and a compare reads none of them).
 */
function freeSpace(regions: readonly Region[], ceiling: number, s: Sums): ProcessLayout['free'] {
  const heapEnd = s.heapEnd;
  let aboveHeap: Gap | null = s.aboveHeapEnd < 0 ? null : gap(heapEnd!, s.aboveHeapEnd);
  if (!s.sorted && heapEnd !== null) {
    aboveHeap = null;
    eachGap(regions, ceiling, (start, end) => {
      if (start === heapEnd && aboveHeap === null) aboveHeap = gap(start, end);
    });
  }
  const free = { total: s.free, largest: s.largestStart < 0 ? null : gap(s.largestStart, s.largestEnd) } as ProcessLayout['free'];
  // one getter for every layout, the regions and ceiling (then the list) in a hidden slot (see withOwnerTotals)
  Object.defineProperty(free, GAPS, { value: { regions, ceiling }, writable: true });
  Object.defineProperty(free, 'gaps', { enumerable: true, get: gapsOf });
  free.aboveHeap = heapEnd === null ? null : aboveHeap ?? { start: heapEnd, end: heapEnd, size: 0 };
  return free;
}

const GAPS = Symbol('gaps');

function gapsOf(this: ProcessLayout['free'] & { [GAPS]: Gap[] | { regions: readonly Region[]; ceiling: number } }): Gap[] {
  const v = this[GAPS];
  if (Array.isArray(v)) return v;
  const gaps: Gap[] = [];
  eachGap(v.regions, v.ceiling, (start, end) => gaps.push(gap(start, end)));
  this[GAPS] = gaps;
  return gaps;
}

function gap(start: number, end: number): Gap {
  return { start, end, size: end - start };
}

/**
 * The stack limit to judge the main stack by: the process's own /proc/PID/limits (soft
 * "Max stack size") when it was captured, else the shell's `ulimit -s`. A null limit from
 * either means unlimited; nothing captured gives `{ null, null }`.
 */
export function stackLimitFor(
  parsed: { limits?: ProcLimits },
  ulimitStack: number | null | undefined,
): Pick<LayoutOptions, 'stackLimit' | 'stackLimitSource'> {
  if (parsed.limits) return { stackLimit: parsed.limits.stackSoft, stackLimitSource: 'limits' };
  if (ulimitStack !== undefined) return { stackLimit: ulimitStack, stackLimitSource: 'ulimit -s' };
  return { stackLimit: null, stackLimitSource: null };
}
