/*! Resident memory of a process and of each of its regions, from what was captured:
 * per region from its smaps block (Rss, Pss, Private_Clean + Private_Dirty = USS, Swap,
 * SwapPss); per process from smaps_rollup, else the sum of smaps, else status (VmRSS,
 * VmSwap, RssAnon/RssFile/RssShmem). The kernel fills all of these in fs/proc/task_mmu.c
 * (smaps_account) and fs/proc/task_mmu.c task_mem (status). Pure. */
import type { ParsedProcess, SmapsEntry } from '../model/capture.js';
import type { ProcessResident, Resident } from '../model/report.js';
import type { Region } from '../model/vma.js';

export function fromSmaps(e: SmapsEntry): Resident {
  return {
    rss: e.rss, pss: e.pss, uss: e.privateClean + e.privateDirty, swap: e.swap,
    swapPss: e.swapPss ?? null, dirty: e.privateDirty,
  };
}

function sum(es: SmapsEntry[]): SmapsEntry {
  const s: SmapsEntry = { start: 0, end: 0, rss: 0, pss: 0, privateClean: 0, privateDirty: 0, sharedClean: 0, sharedDirty: 0, swap: 0 };
  let swapPss = es.length > 0;
  for (const e of es) {
    s.rss += e.rss; s.pss += e.pss; s.privateClean += e.privateClean; s.privateDirty += e.privateDirty;
    s.sharedClean += e.sharedClean; s.sharedDirty += e.sharedDirty; s.swap += e.swap;
    if (e.swapPss === undefined) swapPss = false;
    else s.swapPss = (s.swapPss ?? 0) + e.swapPss;
  }
  if (!swapPss) delete s.swapPss;
  return s;
}

export function statusBytes(v: string | undefined): number | null {
  const m = v ? /^(\d+)\s*kB/.exec(v.trim()) : null;
  return m ? Number(m[1]) * 1024 : null;
}

/** The process's measures with their source; null when neither smaps nor status had them. */
export function processResident(p: ParsedProcess): ProcessResident | null {
  const st = p.status;
  const split = { rssAnon: statusBytes(st?.RssAnon), rssFile: statusBytes(st?.RssFile), rssShmem: statusBytes(st?.RssShmem) };
  if (p.smapsRollup) return { ...fromSmaps(p.smapsRollup), source: 'smaps_rollup', ...split };
  if (p.smaps?.length) return { ...fromSmaps(sum(p.smaps)), source: 'smaps', ...split };
  const rss = statusBytes(st?.VmRSS);
  if (rss === null) return null;
  return { rss, pss: null, uss: null, swap: statusBytes(st?.VmSwap) ?? 0, swapPss: null, dirty: null, source: 'status', ...split };
}

/** Each region's smaps block, matched by start address (smaps prints the same VMAs as maps);
 * null when smaps was not captured, a null entry for a region smaps did not list. */
export function regionResident(p: ParsedProcess, regions: readonly Region[]): Array<Resident | null> | null {
  if (!p.smaps?.length) return null;
  const byStart = new Map<number, SmapsEntry>();
  for (const e of p.smaps) byStart.set(e.start, e);
  return regions.map((r) => {
    const e = byStart.get(r.start);
    return e ? fromSmaps(e) : null;
  });
}

/** Sum of the regions' measures (kernel regions excluded by the caller). */
export function addResident(a: Resident, b: Resident): Resident {
  const n = (x: number | null, y: number | null) => (x === null || y === null ? null : x + y);
  return { rss: a.rss + b.rss, pss: n(a.pss, b.pss), uss: n(a.uss, b.uss), swap: a.swap + b.swap, swapPss: n(a.swapPss, b.swapPss), dirty: n(a.dirty, b.dirty) };
}
