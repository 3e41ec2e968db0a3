/*! Two snapshot reports -> the board section of `compare` (issue 12): each bucket of MemTotal's
 * accounting (analyze/board) before and after, which moved beyond the board's noise, and what
 * the captures show moving with it in the same direction: process memory by each process's USS
 * (RSS where smaps was not captured), shmem/tmpfs by each tmpfs mount's use, slab by each cache,
 * kernel stacks by each process's threads; fds and map counts per process against their
 * limits, and the board's open file handles. Pure. */
import type { BoardReport } from '../model/board.js';
import type { BoardCompare, BucketMove, CountMove, Explanation, Moved } from '../model/board-compare.js';
import type { ProcessCompare } from '../model/compare.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import { boardNoise, reclaimableCache } from './board-noise.js';

const SHOWN = 5;
const moved = (before: number, after: number): Moved => ({ before, after, delta: after - before });

export function compareBoards(a: SnapshotReport, b: SnapshotReport, pairs: readonly ProcessCompare[], noise = 4096): BoardCompare | null {
  const ba = a.board, bb = b.board;
  if (!ba?.accounting || !bb?.accounting) return null;
  const floor = boardNoise(bb.accounting.memTotal, noise);
  const byPidA = new Map(a.processes.map((p) => [p.pid, p]));
  const byPidB = new Map(b.processes.map((p) => [p.pid, p]));
  const sides = pairs.filter((p) => p.status !== 'not-captured').map((p) => ({
    p, pa: p.diff.pid.before === null ? null : byPidA.get(p.diff.pid.before) ?? null, pb: p.diff.pid.after === null ? null : byPidB.get(p.diff.pid.after) ?? null,
  }));
  const slab = slabMoves(ba, bb);
  const tmpfs = tmpfsMoves(ba, bb);
  const explain = (name: string, sign: number): Explanation[] => {
    const keep = (e: Explanation) => e.delta * sign > 0;
    let out: Explanation[] = [];
    if (name === 'process memory') out = sides.map(({ p, pa, pb }) => processMemory(p, pa, pb)).filter((e): e is Explanation => e !== null);
    else if (name === 'shmem/tmpfs') out = tmpfs.map((m) => ({ what: 'tmpfs', mountPoint: m.mountPoint, delta: m.delta }));
    else if (name === 'slab') out = slab.map((c) => ({ what: 'slab', cache: c.cache, delta: c.delta, reclaimable: c.reclaimable }));
    else if (name === 'kernel stacks') {
      out = sides.map(({ p }) => ({ what: 'threads' as const, pid: p.diff.pid.after ?? p.diff.pid.before, name: p.diff.name, delta: p.diff.threadStacks.after - p.diff.threadStacks.before }));
    }
    return out.filter(keep).sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta)).slice(0, SHOWN);
  };
  const names = bb.accounting.buckets.map((x) => x.name);
  const value = (acc: NonNullable<BoardReport['accounting']>, name: string) => (name === 'unaccounted' ? acc.remainder : acc.buckets.find((x) => x.name === name)?.bytes ?? 0);
  const buckets: BucketMove[] = [...names, 'unaccounted'].map((name) => {
    const m = moved(value(ba.accounting!, name), value(bb.accounting!, name));
    const explainedBy = m.delta === 0 ? [] : explain(name, Math.sign(m.delta));
    const bytes = explainedBy.filter((e) => e.what !== 'threads');
    return { name, ...m, moved: Math.abs(m.delta) > floor, explainedBy, explained: bytes.length ? bytes.reduce((s, e) => s + e.delta, 0) : null };
  });
  const mi = (r: BoardReport, k: string) => r.meminfo[k];
  const split = ['SReclaimable', 'SUnreclaim'].every((k) => mi(ba, k) !== undefined && mi(bb, k) !== undefined)
    ? { reclaimable: mi(bb, 'SReclaimable')! - mi(ba, 'SReclaimable')!, unreclaimable: mi(bb, 'SUnreclaim')! - mi(ba, 'SUnreclaim')! } : null;
  const inUse = (r: BoardReport) => (r.fileNr ? r.fileNr.allocated - r.fileNr.unused : null);
  const fa = inUse(ba), fb = inUse(bb);
  return {
    noise: floor,
    memTotal: { before: ba.accounting.memTotal, after: bb.accounting.memTotal },
    buckets,
    trusted: ba.accounting.trusted && bb.accounting.trusted,
    slabSplit: split,
    slab,
    tmpfs,
    fileNr: fa !== null && fb !== null ? { ...moved(fa, fb), max: bb.fileNr!.max } : null,
    fds: counts(sides, ba, bb, (x) => x.fds, (x) => x.fdLimit),
    maps: counts(sides, ba, bb, (x) => x.maps, () => bb.maxMapCount),
  };
}

/** A process's USS (RSS without smaps) before and after; a new process adds all of it, a gone one gives it back. */
function processMemory(p: ProcessCompare, pa: ProcessReport | null, pb: ProcessReport | null): Explanation | null {
  const both = [pa, pb].filter((x): x is ProcessReport => x !== null);
  if (both.some((x) => !x.resident)) return null;
  const measure = both.every((x) => x.resident!.uss !== null) ? 'uss' : 'rss';
  const of = (x: ProcessReport | null) => (x ? (measure === 'uss' ? x.resident!.uss! : x.resident!.rss) : 0);
  return { what: 'process', pid: p.diff.pid.after ?? p.diff.pid.before, name: p.diff.name, measure, delta: of(pb) - of(pa) };
}

function slabMoves(ba: BoardReport, bb: BoardReport): Array<Moved & { cache: string; reclaimable: boolean }> {
  const before = new Map((ba.allSlab ?? ba.slabTop).map((c) => [c.name, c.bytes]));
  const after = bb.allSlab ?? bb.slabTop;
  if (!before.size || !after.length) return [];
  const out = after.filter((c) => before.has(c.name)).map((c) => ({ cache: c.name, ...moved(before.get(c.name)!, c.bytes), reclaimable: reclaimableCache(c.name) }));
  return out.filter((c) => c.delta !== 0).sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.cache.localeCompare(y.cache));
}

function tmpfsMoves(ba: BoardReport, bb: BoardReport): Array<Moved & { mountPoint: string }> {
  const before = new Map(ba.tmpfs.filter((m) => m.used !== undefined).map((m) => [m.mountPoint, m.used!]));
  return bb.tmpfs.filter((m) => m.used !== undefined && before.has(m.mountPoint))
    .map((m) => ({ mountPoint: m.mountPoint, ...moved(before.get(m.mountPoint)!, m.used!) }))
    .filter((m) => m.delta !== 0).sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
}

type Side = { p: ProcessCompare; pa: ProcessReport | null; pb: ProcessReport | null };
type BP = BoardReport['processes'][number];

/** Per process on both sides: a count that changed, with the later side's limit; largest growth first. */
function counts(sides: Side[], ba: BoardReport, bb: BoardReport, count: (x: BP) => number | null, limit: (x: BP) => number | null): CountMove[] {
  const A = new Map(ba.processes.map((x) => [x.pid, x]));
  const B = new Map(bb.processes.map((x) => [x.pid, x]));
  const out: CountMove[] = [];
  for (const { p } of sides) {
    const x = p.diff.pid.before === null ? undefined : A.get(p.diff.pid.before);
    const y = p.diff.pid.after === null ? undefined : B.get(p.diff.pid.after);
    if (!x || !y) continue;
    const cx = count(x), cy = count(y);
    if (cx === null || cy === null || cx === cy) continue;
    out.push({ pid: y.pid, name: p.diff.name, ...moved(cx, cy), limit: limit(y) });
  }
  return out.sort((m, n) => n.delta - m.delta || (m.pid ?? 0) - (n.pid ?? 0));
}
