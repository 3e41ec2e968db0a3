/*! The series `trend` and `report` read: picked from the store (analyze/series-pick), loaded
 * one snapshot at a time (only the curves, and each process's last maps and layout, outlive a capture), analysed (analyze/series-trend),
 * with watch's recorded gaps of the target. Wiring only: the I/O is here, the logic in analyze/. */
import type { SnapshotStore } from '../store/store.js';
import type { SeriesCurves } from '../model/series.js';
import type { TrendResult } from '../model/trend.js';
import type { TrendOptions } from '../analyze/trend.js';
import { pickSeries } from '../analyze/series-pick.js';
import { analyzeSeries, type SeriesCapture } from '../analyze/series-trend.js';
import { withinTarget } from '../store/names.js';
import type { MapsReuse } from '../parse/index.js';
import type { TextReuse } from '../store/sections-scan.js';
import type { LayoutReuse } from '../analyze/report.js';
import { parseStored, reportFor } from './context.js';
import { withYoungGenerationKept } from './young-generation.js';

/** --target T: T itself (all its captures), or the names as refs among its snapshots. */
export const targetNames = (names: string[], target: string | undefined): string[] =>
  target === undefined ? names : names.length ? names.map((n) => withinTarget(n, target)) : [target];

export interface TrendRequest {
  names: string[];
  since?: string;
  processes?: string[];
  pids?: number[];
  /** --ceiling; default: as each snapshot stored it, else inferred (the same as watch and show). */
  ceiling?: number;
  options?: TrendOptions;
  /** Judge a series that mixes boards anyway. */
  force?: boolean;
}

export function runTrend(store: SnapshotStore, req: TrendRequest): TrendResult {
  return runTrendWithCurves(store, req).trend;
}

/** The verdicts and the curves they were judged on (for `report`, which draws both), one load per snapshot. */
export function runTrendWithCurves(store: SnapshotStore, req: TrendRequest): { trend: TrendResult; curves: SeriesCurves } {
  return withYoungGenerationKept(() => walkStored(store, req));
}

function walkStored(store: SnapshotStore, req: TrendRequest): { trend: TrendResult; curves: SeriesCurves } {
  const listing = store.listing();
  const series = pickSeries(listing, (ref) => store.resolve(ref), req.names, req.since);
  // taken before the walk: a snapshot changed in place since the index recorded it rewrites its
  // listing row as it is read, and the gaps are those of the target the series was picked for
  const first = listing.capturedAt(series[0]!);
  const target = listing.target(series[0]!);
  function* captures(): Generator<SeriesCapture> {
    // consecutive captures mostly repeat a process's maps: parsed and laid out once, shared after
    const maps: MapsReuse = new Map();
    const layouts: LayoutReuse = new Map();
    const texts: TextReuse = new Map();
    // each header only while its snapshot is read: the series keeps names (analyze/series)
    for (const i of series) {
      const loaded = parseStored(store.loadListed(listing.passingMeta(i), texts), maps, undefined, store);
      yield { report: reportFor(loaded, { ceiling: req.ceiling, reuse: layouts }), parsed: loaded.parsed };
    }
  }
  const out = analyzeSeries(captures(), req);
  // watch's failed captures of this target from the series' first capture on: its holes
  out.trend.gaps = store.gaps().filter((g) => g.target === target && g.at >= first);
  return out;
}
