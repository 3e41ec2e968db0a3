/*! Which snapshots form a series: a target's every capture, the named ones, or a target's
 * from --since on, oldest first, and never two targets in one series. Pure: the store's
 * listing and its resolver come in as arguments, and the series is positions in that listing
 * (a series of 20,000 captures needs no header of each to be picked: issue 15). */
import { UsageError } from '../errors.js';

/** The store's snapshots oldest first, as the listing gives them (store/listing.ts). */
export interface SeriesListing {
  readonly length: number;
  name(i: number): string;
  target(i: number): string;
  /** The position of the snapshot named `name`, or -1. */
  find(name: string): number;
}

/** The positions in `listed` of one target's snapshots, oldest first. `resolve` turns a ref into a
 * stored name, or throws the store's UsageError. */
export function pickSeries(listed: SeriesListing, resolve: (ref: string) => string, refs: string[], since?: string): number[] {
  if (listed.length === 0) resolve('latest'); // throws: no snapshots yet, with how to make one
  // a stored name is itself (the listing holds only valid names, never `latest...`): resolving it lists
  // the whole store again, which made `trend NAME...` over N snapshots O(N^2) (1,000 names of 10,000: 85 s)
  const at = (ref: string): number => {
    const i = ref.includes(':') ? -1 : listed.find(ref);
    if (i >= 0) return i;
    const name = resolve(ref);
    const j = listed.find(name);
    if (j < 0) throw new UsageError(`${ref} (${name}) is not among the snapshots listed a moment before: the store changed while the series was picked; run the command again`);
    return j;
  };
  const where = (keep: (i: number) => boolean): number[] => {
    const out: number[] = [];
    for (let i = 0; i < listed.length; i++) if (keep(i)) out.push(i);
    return out;
  };
  let target: string;
  let chosen: number[];
  if (refs.length === 1 && listed.find(refs[0]!) < 0 && hasTarget(listed, refs[0]!)) {
    target = refs[0]!;
    chosen = where((i) => listed.target(i) === target);
  } else if (refs.length) {
    const picked = new Set(refs.map(at));
    chosen = where((i) => picked.has(i));
    target = listed.target(chosen[0]!);
  } else {
    target = since ? listed.target(at(since)) : listed.target(listed.length - 1);
    chosen = where((i) => listed.target(i) === target);
  }
  if (since) {
    const from = at(since);
    if (listed.target(from) !== target) throw new UsageError(`--since ${since} is a capture of ${listed.target(from)}, not of ${target}`);
    chosen = chosen.filter((i) => i >= from);
  }
  const others = [...new Set(chosen.map((i) => listed.target(i)))].filter((t) => t !== target);
  if (others.length) {
    throw new UsageError(`a trend follows one target, and these snapshots come from ${[target, ...others].join(', ')}; ` +
      `name one target (mapsdiff trend ${target}) or snapshots of one`);
  }
  return chosen;
}

function hasTarget(listed: SeriesListing, target: string): boolean {
  for (let i = 0; i < listed.length; i++) if (listed.target(i) === target) return true;
  return false;
}
