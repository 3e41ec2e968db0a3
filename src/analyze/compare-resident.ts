/*! Resident memory of two captures of one process, beside the virtual diff: the process's
 * measures (analyze/resident: smaps_rollup, else smaps, else status), each region's from its
 * smaps blocks, and their sums by kind and owner. Pure; it only annotates the ProcessDiff
 * analyze/compare just built (each region's `resident`), it never re-matches. */
import type { ProcessReport, Resident } from '../model/report.js';
import type { RegionResident, ResidentDelta, ResidentTotals } from '../model/compare.js';
import type { RegionDiff, RegionSide, SizeDelta } from '../model/diff.js';
import type { Region } from '../model/vma.js';

/**
 * The noise floor of `grown (resident)`: one 4 KiB page of RSS. The kernel counts Rss in whole
 * pages (fs/proc/task_mmu.c smaps_account adds the page's size for each present page), so any
 * change of RSS is at least one page faulted in or dropped: that is real, however small. What
 * moves by less is PSS (each shared page divided among its sharers, summed in fixed point and
 * printed truncated to kB), and it moves when another process maps or unmaps the same pages.
 * 4 KiB is the smallest page of every port mapsdiff reads (ARM, MIPS, x86).
 */
export const RESIDENT_NOISE = 4096;

type Side = 'before' | 'after';

/** The process's measures on both sides; null when a side present has none. */
export function processResidentDelta(pa: ProcessReport | null, pb: ProcessReport | null): ResidentDelta | null {
  if ((pa && !pa.resident) || (pb && !pb.resident)) return null;
  const of = (p: ProcessReport | null, pick: (r: Resident) => number | null): number | null => (p ? pick(p.resident!) : 0);
  return {
    rss: sd(of(pa, (r) => r.rss)!, of(pb, (r) => r.rss)!),
    pss: nsd(of(pa, (r) => r.pss), of(pb, (r) => r.pss)),
    uss: nsd(of(pa, (r) => r.uss), of(pb, (r) => r.uss)),
    swap: sd(of(pa, (r) => r.swap)!, of(pb, (r) => r.swap)!),
  };
}

/**
 * Sets each region's `resident` and returns the sums by kind, owner and in total, when every
 * side present has smaps; else null and the regions are left as they are. A VMA that smaps did
 * not list (mapped or unmapped between the maps and smaps reads) counts 0.
 */
export function regionResidentDelta(regions: RegionDiff[], pa: ProcessReport | null, pb: ProcessReport | null): ResidentTotals | null {
  if ((pa && !pa.regionResident) || (pb && !pb.regionResident)) return null;
  if (!pa && !pb) return null;
  const res = new Map<Region, Resident | null>();
  for (const p of [pa, pb]) p?.regions.forEach((r, i) => res.set(r, p.regionResident![i] ?? null));
  const totals: ResidentTotals = { total: zero(), byKind: {}, byOwner: Object.create(null) };
  for (const d of regions) {
    const rd = zero();
    for (const side of ['before', 'after'] as const) {
      const s = d[side];
      if (s) addSide(rd, totals, s, side, res);
    }
    d.resident = withStatus(rd);
  }
  totals.byOwner = { ...totals.byOwner };
  return totals;
}

function addSide(rd: ResidentDelta, totals: ResidentTotals, s: RegionSide, side: Side, res: Map<Region, Resident | null>): void {
  for (const r of s.regions) {
    const x = res.get(r);
    if (!x) continue;
    add(rd, side, x);
    add(totals.total, side, x);
    add(totals.byKind[r.kind] ??= zero(), side, x);
    add(totals.byOwner[r.owner] ??= zero(), side, x);
  }
}

function withStatus(d: ResidentDelta): RegionResident {
  const n = d.rss.delta;
  return { ...d, status: n >= RESIDENT_NOISE ? 'grown' : n <= -RESIDENT_NOISE ? 'shrunk' : 'same' };
}

function add(t: ResidentDelta, side: Side, x: Resident): void {
  put(t.rss, side, x.rss);
  put(t.pss!, side, x.pss ?? 0);
  put(t.uss!, side, x.uss ?? 0);
  put(t.swap, side, x.swap);
}

function put(t: SizeDelta, side: Side, n: number): void {
  t[side] += n;
  t.delta = t.after - t.before;
}

const sd = (before: number, after: number): SizeDelta => ({ before, after, delta: after - before });
const nsd = (before: number | null, after: number | null): SizeDelta | null => (before === null || after === null ? null : sd(before, after));
const zero = (): ResidentDelta => ({ rss: sd(0, 0), pss: sd(0, 0), uss: sd(0, 0), swap: sd(0, 0) });
