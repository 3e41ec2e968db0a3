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
import type { Kind, Region, Vma } from '../model/vma.js';
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
  const byKind: Partial<Record<Kind, number>> = {};
  let mapped = 0;
  let vsz = 0;
  let heapEnd: number | null = null;
  let stackSize = 0;
  let threadStacks = 0;
  let above = 0;
  let highest = 0;
  for (const r of regions) {
    const size = r.end - r.start;
    if (!isGateArea(r, opts.machine)) vsz += size;
    if (r.kind === 'heap' && r.path === '[heap]') heapEnd = r.end;
    if (r.kind === 'kernel') continue;
    mapped += size;
    byKind[r.kind] = (byKind[r.kind] ?? 0) + size;
    if (r.kind === 'stack') stackSize += size;
    if (r.kind === 'thread-stack') threadStacks++;
    if (r.end > ceiling) {
      above++;
      if (r.end > highest) highest = r.end;
    }
  }
  const free = freeSpace(regions, ceiling, heapEnd);

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
    totals: withOwnerTotals({ mapped, vsz, kernel: vsz - mapped, byKind }, regions),
    free,
    stack: { size: stackSize, limit: opts.stackLimit, limitSource: opts.stackLimitSource },
    threadStacks,
    findings,
  };
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
 * The free space: its total, the (first) largest gap and the one right above [heap] are summed
 * at once; the list of gaps is made when first read, then kept: only show and the HTML map
 * print it (a 100k-VMA capture has some 30k gaps, and a compare reads none of them).
 */
function freeSpace(regions: readonly Region[], ceiling: number, heapEnd: number | null): ProcessLayout['free'] {
  let total = 0;
  let largest: Gap | null = null;
  let aboveHeap: Gap | null = null;
  eachGap(regions, ceiling, (start, end) => {
    const size = end - start;
    total += size;
    if (largest === null || size > largest.size) largest = { start, end, size };
    if (start === heapEnd && aboveHeap === null) aboveHeap = { start, end, size };
  });
  const free = { total, largest } as ProcessLayout['free'];
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
