/*! The curve a trend entry was judged on, picked out of its life's curves (what the series
 * report draws beside each suspect). Pure: the life and the entries in, values out. */
import type { Life, Track } from '../model/series.js';
import type { TrendEntry } from '../model/trend.js';
import { expandRuns } from './runs.js';

/** Finds the curve of each entry of one life: index the life's region tracks once (a find per suspect was quadratic on 200k regions). */
export function entryCurves(l: Life): (e: TrendEntry) => Array<number | null> {
  const tracks = trackIndex(l);
  return (e) => curveOf(e, l, tracks);
}

/** The values of an entry's curve, one per capture of the life (null before a region was born). */
function curveOf(e: TrendEntry, l: Life, tracks: Map<string, Track>): Array<number | null> {
  const resident = e.measure === 'resident'; // judged on Rss: its curve is the resident one, not the mapped size
  if (e.scope === 'total') return expandRuns(resident ? l.residentTotal : l.total);
  if (e.scope === 'kind') {
    const c = resident ? l.residentKinds?.get(e.kind as never) : l.kinds.get(e.kind as never);
    return c ? expandRuns(c) : [];
  }
  const track = tracks.get(trackKey(e));
  if (!track) return [];
  const sizes = resident ? expandRuns(track.rss) : expandRuns(track.sizes);
  return Array.from({ length: l.at.length }, (_, i) => (i < track.born ? null : sizes[i - track.born] ?? null));
}

/** The life's region tracks by (start, owner, kind), the first of each. */
function trackIndex(l: Life): Map<string, Track> {
  const index = new Map<string, Track>();
  for (const t of l.tracks) if (!index.has(trackKey(t))) index.set(trackKey(t), t);
  return index;
}
const trackKey = (t: { start: number | null; owner: string; kind: string }) => `${t.start}\0${t.owner}\0${t.kind}`;
