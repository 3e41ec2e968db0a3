/*! What each `watch` line leads with: the growth that ranks first in a comparison, by the
 * measure that ranks it (analyze/compare-measure rankBy, compare's rule). By VSZ, the single
 * region that grew most in size; by a resident measure, the process that grew most in it,
 * with its region that grew most in its region measure. Pure: a ranked compare result in. */
import type { CompareResult } from '../model/compare.js';
import type { Growth } from '../model/growth.js';
import { regionDelta } from './compare-measure.js';

/** The growth that ranks first in a (ranked) comparison; null when nothing grew in its measure. */
export function largestGrowth(c: CompareResult): Growth | null {
  const measure = c.measure.measure;
  let best: Growth | null = null;
  if (measure === 'vsz') {
    for (const p of c.processes) {
      for (const d of p.diff.regions) {
        if (d.delta > 0 && (!best || d.delta > best.delta)) {
          best = { delta: d.delta, kind: d.kind, region: d.path || d.owner, status: d.status, process: p.diff.name, pid: p.diff.pid.after ?? p.diff.pid.before,
            measure, processDelta: p.growth.delta, regionMeasure: 'vsz' };
        }
      }
    }
    return best;
  }
  // ranked: the first process grew most in the measure (a not-captured one was not looked at before)
  const top = c.processes.find((p) => p.status !== 'not-captured');
  if (!top || top.ranking.delta <= 0) return null;
  const m = top.regionMeasure;
  best = { delta: 0, kind: '', region: '', status: '', process: top.diff.name, pid: top.diff.pid.after ?? top.diff.pid.before, measure, processDelta: top.ranking.delta, regionMeasure: m };
  for (const d of top.diff.regions) {
    const delta = regionDelta(d, m);
    if (delta > 0 && delta > best.delta) best = { ...best, delta, kind: d.kind, region: d.path || d.owner, status: d.status };
  }
  return best;
}
