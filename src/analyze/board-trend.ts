/*! The board's own series in a trend (issue 12): meminfo keys no process's maps show
 * (Shmem, Slab, SUnreclaim, KernelStack, PageTables, VmallocUsed, AnonPages, MemFree), each
 * slab cache, each tmpfs mount's usage, and per process its open fds against Max open files.
 * Same judge as every other curve; time left against MemAvailable (or the mount's room, or
 * the fd limit). A meminfo key is a leak only once it grew beyond the board's noise
 * (analyze/board-noise); growth into memory the kernel reclaims by itself (SReclaimable, a
 * reclaimable slab cache, MemFree into the page cache) is set aside, never a leak. Pure. */
import type { CurveVerdict, FdTrend, ProcessTrend, Segment, SlabTrend, SystemTrend, TmpfsTrend } from '../model/trend.js';
import { VERDICT_RANK } from '../model/trend.js';
import { judge, steadyStart, type JudgeScratch, type Warmup } from './verdict.js';
import { lifeTimes, type Life, type SegmentCurves } from './series.js';
import { firstRun, lastRun, runsAsFloat64, someRun } from './runs.js';
import { boardNoise, reclaimableCache } from './board-noise.js';

/** Keys a leaking process's own memory feeds: a process leak explains them. */
const PROCESS_FED = new Set(['MemFree', 'AnonPages', 'PageTables', 'KernelStack']);

/** A leak judged at `noise` whose steady growth stays within the board's noise is judged again
 * at the board's noise (it cannot be a leak there: the kernel's reclaim moves it that much). */
function beyond(t: ArrayLike<number>, v: ArrayLike<number>, w: number, noise: number, floor: number, scratch?: JudgeScratch): CurveVerdict {
  const first = judge(t, v, w, noise, scratch);
  if (first.verdict !== 'leak' || first.evidence.last - first.evidence.steadyStart > floor) return first;
  return judge(t, v, w, floor, scratch);
}

/** Growth the kernel gives back under memory pressure: kept as judged, but not a leak. */
const setAside = <T extends CurveVerdict>(v: T): T & { reclaimable?: true } =>
  (v.verdict === 'leak' ? { ...v, verdict: 'stable', reclaimable: true } : v);

/** `scratch`: memory for the curves, as judgeSeries passes it (analyze/runs Float64Scratch). */
export function judgeBoard(sc: SegmentCurves, seg: Segment, procs: ProcessTrend[], warmup: Warmup, noise: number, scratch?: JudgeScratch) {
  const system: SystemTrend[] = [];
  const slab: SlabTrend[] = [];
  const tmpfs: TmpfsTrend[] = [];
  const mem = seg.memAvailable?.last ?? null;
  const processLeak = procs.some((p) => p.verdict === 'leak');
  const left = (v: CurveVerdict, room: number | null) => (v.verdict === 'leak' && v.rate !== null && v.rate > 0 && room !== null ? (Math.max(0, room) / v.rate) * 3600 : null);
  const floor = boardNoise(sc.memTotal, noise);
  const w = steadyStart(sc.t, warmup, null);
  // without MemAvailable (before 3.14) nothing tells a fall of MemFree into the page cache from a leak
  const memLeaks = seg.memAvailable === null || seg.memAvailable.verdict === 'leak';
  for (const [key, vals] of sc.board ?? []) {
    if (someRun(vals, (x) => x === null) || vals.length < 2) continue;
    const used = runsAsFloat64(vals, 1, scratch?.values); // read and judged before the next key's
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const last = used[used.length - 1]!;
    if (kind === 'meminfo') {
      const curve = name === 'MemFree' ? used.map((x) => -x) : used;
      let v: CurveVerdict & { reclaimable?: true } = beyond(sc.t, curve, w, noise, floor, scratch);
      // reclaimable slab, and MemFree that went into the page cache while MemAvailable held
      if (name === 'SReclaimable' || (name === 'MemFree' && !memLeaks)) v = setAside(v);
      system.push({ key: name, ...v, last, timeLeft: left(v, mem), explained: processLeak && PROCESS_FED.has(name) });
    } else if (kind === 'slab') {
      const v: CurveVerdict & { reclaimable?: true } = reclaimableCache(name) ? setAside(judge(sc.t, used, w, noise, scratch)) : judge(sc.t, used, w, noise, scratch);
      if (v.verdict !== 'stable' || v.reclaimable) slab.push({ cache: name, ...v, last });
    } else if (kind === 'tmpfs') {
      const v = judge(sc.t, used, w, noise, scratch);
      const room = sc.tmpfsRoom?.get(name) ?? null;
      const ends = [left(v, room), left(v, mem)].filter((x): x is number => x !== null);
      tmpfs.push({ mountPoint: name, ...v, last, timeLeft: ends.length ? ends.reduce((m, x) => Math.min(m, x)) : null });
    }
  }
  // Slab is SReclaimable + SUnreclaim: with the split known, it leaks only when SUnreclaim does
  const unrecl = system.find((x) => x.key === 'SUnreclaim');
  const slabKey = system.findIndex((x) => x.key === 'Slab');
  if (unrecl && slabKey >= 0 && unrecl.verdict !== 'leak') {
    const s = system[slabKey]!;
    system[slabKey] = { ...setAside(s), timeLeft: s.verdict === 'leak' ? null : s.timeLeft };
  }
  const order = <T extends CurveVerdict>(a: T, b: T) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || (b.rate ?? 0) - (a.rate ?? 0);
  system.sort(order);
  slab.sort(order);
  tmpfs.sort(order);
  return { system, slab, tmpfs };
}

/** Per process: fds against Max open files, maps against vm.max_map_count. */
export function judgeFds(p: ProcessTrend, l: Life, sc: SegmentCurves, warmup: Warmup, scratch?: JudgeScratch): void {
  if (l.maps?.length) p.maps = { last: lastRun(l.maps)!, limit: sc.maxMapCount ?? null };
  const fds = l.fds;
  if (!fds || fds.length === 0 || someRun(fds, (x) => x === null)) return;
  const t = lifeTimes(l, sc, scratch?.times);
  const t0 = t[0]!;
  for (let i = 0; i < t.length; i++) t[i]! -= t0;
  const v = judge(t, runsAsFloat64(fds, 1, scratch?.values), steadyStart(t, warmup, null), 0, scratch);
  const last = lastRun(fds)!;
  const limit = l.fdLimit ?? null;
  const fd: FdTrend = { ...v, first: firstRun(fds)!, last, limit, timeLeft: v.verdict === 'leak' && v.rate !== null && v.rate > 0 && limit !== null ? (Math.max(0, limit - last) / v.rate) * 3600 : null };
  p.fds = fd;
  // running out of descriptors is a leak of the process's as much as memory is
  if (v.verdict === 'leak' && p.verdict !== 'leak') { p.verdict = 'leak'; p.confidence = v.confidence; }
}
