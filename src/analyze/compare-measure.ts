/*! Which measure ranks a comparison (`compare --by vsz|rss|pss|uss`) and what each process and
 * region then counts as its delta: what a capture lacks for a measure, the default (RSS when
 * every process compared has it in both captures, else VSZ), the ranking, region order. Pure:
 * the usage error for a --by that a capture cannot give is the caller's (it names the fix). */
import type { CompareResult, Lacking, Measure, ProcessCompare } from '../model/compare.js';
import type { RegionDiff } from '../model/diff.js';
import { sortDiffs, type DiffOrder } from './diff.js';

export { RESIDENT_NOISE } from './compare-resident.js';

/** The first capture (before, then after) lacking `m` for a process compared, with every such
 * pid; null when both have it. `not-captured` processes were not looked at on one side: left out. */
export function lackingMeasure(r: CompareResult, m: Measure): Lacking | null {
  if (m === 'vsz') return null;
  for (const side of ['before', 'after'] as const) {
    const pids: number[] = [];
    for (const p of r.processes) {
      const pid = p.diff.pid[side];
      if (p.status === 'not-captured' || pid === null) continue;
      const src = p.residentSource[side];
      if (src === null || (m !== 'rss' && src === 'status')) pids.push(pid);
    }
    if (pids.length) return { snapshot: (side === 'before' ? r.before : r.after).name, measure: m, pids: pids.sort((x, y) => x - y) };
  }
  return null;
}

/**
 * The comparison ranked by `by` (`auto`: RSS when no capture lacks it for a process compared,
 * else VSZ); the caller has checked an explicit `by` with lackingMeasure. Each process's
 * `ranking` is its delta in that measure (`growth`, VSZ or usable memory, for vsz), its
 * regions rank by it when both captures have its smaps, else by size (`regionMeasure`).
 */
export function rankBy(r: CompareResult, by: Measure | 'auto'): CompareResult {
  const lacking = by === 'auto' ? lackingMeasure(r, 'rss') : null;
  const measure: Measure = by !== 'auto' ? by : lacking || !r.processes.some((p) => p.status !== 'not-captured') ? 'vsz' : 'rss';
  const processes = r.processes.map((p): ProcessCompare => ({
    ...p,
    ranking: measure === 'vsz' ? p.growth : { measure, delta: p.resident?.[measure]?.delta ?? 0 },
    regionMeasure: measure !== 'vsz' && p.regionResident ? measure : 'vsz',
  }));
  processes.sort((x, y) => y.ranking.delta - x.ranking.delta || (x.diff.pid.after ?? x.diff.pid.before ?? 0) - (y.diff.pid.after ?? y.diff.pid.before ?? 0));
  return { ...r, measure: { measure, from: by === 'auto' ? 'default' : 'option', lacking: measure === 'vsz' ? lacking : null }, processes };
}

/** A region's delta in `m`: its size's for vsz (or without smaps), else its resident one. */
export function regionDelta(d: RegionDiff, m: Measure): number {
  return m === 'vsz' || !d.resident ? d.delta : d.resident[m]!.delta;
}

/** Changed beyond noise in size or in resident memory (or replaced: a new inode at the same size). */
export const regionChanged = (d: RegionDiff): boolean => d.status !== 'same' || d.note === 'replaced' || (d.resident !== undefined && d.resident.status !== 'same');

/** A sorted copy: `delta` = largest growth in `m` first, ties by address; `address` = by address. */
export function sortByMeasure(regions: readonly RegionDiff[], m: Measure, order: DiffOrder): RegionDiff[] {
  if (m === 'vsz' || order === 'address') return sortDiffs(regions, order);
  return sortDiffs(regions, 'address').sort((x, y) => regionDelta(y, m) - regionDelta(x, m)); // stable
}
