/*! Which snapshots form a series: a target's every capture, the named ones, or a target's
 * from --since on, oldest first, and never two targets in one series. Pure: the store's
 * listing and its resolver come in as arguments. */
import { UsageError } from '../errors.js';
import type { SnapshotMeta } from '../model/snapshot.js';

/** The snapshots of one target, oldest first (`metas` is the store's listing, oldest first;
 * `resolve` turns a ref into a stored name, or throws the store's UsageError). */
export function pickSeries(metas: SnapshotMeta[], resolve: (ref: string) => string, refs: string[], since?: string): SnapshotMeta[] {
  if (metas.length === 0) resolve('latest'); // throws: no snapshots yet, with how to make one
  const targets = new Set<string>();
  for (const m of metas) targets.add(m.target);
  // a stored name is itself (list() holds only valid names, never `latest...`): resolving it lists the whole
  // store again, which made `trend NAME...` over N snapshots O(N^2) (1,000 names of 10,000: 85 s). Made
  // only when names are given: a whole target's series needs no table of every name (20,000: ~2 MB made and dropped)
  let names: Map<string, number> | undefined;
  const named = () => {
    if (!names) { names = new Map(); for (let i = 0; i < metas.length; i++) names.set(metas[i]!.name, i); }
    return names;
  };
  const byName = (ref: string) => metas[named().get(ref.includes(':') ? resolve(ref) : named().has(ref) ? ref : resolve(ref))!]!;
  let target: string;
  let chosen: SnapshotMeta[];
  if (refs.length === 1 && targets.has(refs[0]!) && !metas.some((m) => m.name === refs[0])) {
    target = refs[0]!;
    chosen = metas.filter((m) => m.target === target);
  } else if (refs.length) {
    const picked = new Set(refs.map((r) => byName(r).name));
    chosen = metas.filter((m) => picked.has(m.name));
    target = chosen[0]!.target;
  } else {
    target = since ? byName(since).target : metas[metas.length - 1]!.target;
    chosen = metas.filter((m) => m.target === target);
  }
  if (since) {
    const first = byName(since);
    if (first.target !== target) throw new UsageError(`--since ${since} is a capture of ${first.target}, not of ${target}`);
    const from = named().get(first.name)!;
    chosen = chosen.filter((m) => named().get(m.name)! >= from);
  }
  const others = [...new Set(chosen.map((m) => m.target))].filter((t) => t !== target);
  if (others.length) {
    throw new UsageError(`a trend follows one target, and these snapshots come from ${[target, ...others].join(', ')}; ` +
      `name one target (mapsdiff trend ${target}) or snapshots of one`);
  }
  return chosen;
}
