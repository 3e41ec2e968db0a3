/*! The single region that grew most in a comparison, with its process (what each `watch`
 * line leads with). Pure: a compare result in, one Growth (or null) out. */
import type { CompareResult } from '../model/compare.js';
import type { Growth } from '../model/growth.js';

/** The single region that grew most in a comparison, with its process; null when nothing grew. */
export function largestGrowth(c: CompareResult): Growth | null {
  let best: Growth | null = null;
  for (const p of c.processes) {
    for (const d of p.diff.regions) {
      if (d.delta > 0 && (!best || d.delta > best.delta)) {
        best = { delta: d.delta, kind: d.kind, region: d.path || d.owner, status: d.status, process: p.diff.name, pid: p.diff.pid.after ?? p.diff.pid.before };
      }
    }
  }
  return best;
}
