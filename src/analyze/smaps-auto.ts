/*! `watch --smaps auto`: which processes the next capture reads full smaps for. smaps walks
 * every page table under the process's mmap lock (fs/proc/task_mmu.c show_smap), while
 * smaps_rollup walks them once with no per-VMA text and status's VmRSS is only counters; so
 * full smaps is read only for a process whose Rss grew beyond the noise since its last full
 * read, for one never read in full, and for all every Nth capture. Pure: the state is data. */
import type { ParsedProcess } from '../model/capture.js';
import { processResident } from './resident.js';

export interface SmapsAutoState {
  /** Every Nth capture (the first included) reads full smaps of every process. */
  every: number;
  /** Bytes of Rss growth since the last full read that are noise. */
  noise: number;
  /** Captures made so far. */
  captures: number;
  /** pid -> the process (by start time) and its Rss when its smaps was last read in full. */
  base: Map<number, { startTime: number | null; rss: number }>;
}

export function newSmapsAuto(every: number, noise: number): SmapsAutoState {
  return { every, noise, captures: 0, base: new Map() };
}

/** What the next capture asks for: all (`full`), or a bound in KiB per process read in full before
 * (above it, the capture reads its smaps; a process without a bound is read). */
export function nextSmapsRequest(st: SmapsAutoState): { full: true } | { full: false; above: { pid: number; kib: number }[] } {
  if (st.captures % st.every === 0) return { full: true };
  // Rss is printed in whole kB: above (rss + noise) bytes <=> above floor((rss + noise) / 1024) kB;
  // a board's smaps can sum beyond 2^53 (15 digits of kB a block): such a bound is kept at 2^53 - 1,
  // a whole number the script's test(1) takes (intmax_t), so watch goes on
  return { full: false, above: [...st.base].map(([pid, b]) => ({ pid, kib: Math.min(Math.floor((b.rss + st.noise) / 1024), Number.MAX_SAFE_INTEGER) })) };
}

/** Records a stored capture: each process whose smaps was read is its new base; a process gone or
 * restarted (new start time) loses its base, so its next capture reads it in full. */
export function recordSmapsCapture(st: SmapsAutoState, processes: readonly ParsedProcess[]): void {
  st.captures++;
  const seen = new Set<number>();
  for (const p of processes) {
    if (!(p.pid > 0)) continue; // a board can send `pid 0` sections; no process has it, so no bound (the script takes none)
    seen.add(p.pid);
    const start = p.stat?.startTime ?? null;
    const rss = processResident(p)?.rss;
    if (p.smaps !== undefined && rss !== undefined) st.base.set(p.pid, { startTime: start, rss });
    else if (st.base.get(p.pid)?.startTime !== start) st.base.delete(p.pid);
  }
  for (const pid of [...st.base.keys()]) if (!seen.has(pid)) st.base.delete(pid);
}
