/*! A series of captures of one target -> TrendResult: per process life the verdict of every
 * kind, the total, each region that was not stable and the thread count, with time left
 * at the current rate; restarts and reboots split the series and are reported, never
 * averaged over. Pure; warm-up and noise come in as arguments. */
import type { Kind } from '../model/vma.js';
import type {
  Confidence, CurveVerdict, Headroom, Measure, ProcessTrend, Segment, ThreadTrend, TimeLeft, TrendEntry, TrendFinding, TrendResult,
} from '../model/trend.js';
import { VERDICT_RANK } from '../model/trend.js';
import { judge, judgeScratch, steadyStart, type JudgeScratch, type Warmup } from './verdict.js';
import { judgeBoard, judgeFds } from './board-trend.js';
import { firstRun, lastRun, runsAsFloat64, someRun } from './runs.js';
import { lifeTimes, walkSeries, type Life, type SegmentCurves, type SeriesCurves, type TrendCapture } from './series.js';

export type { TrendCapture } from './series.js';
export type { Warmup } from './verdict.js';

export interface TrendOptions {
  /** Changes of at most this many bytes between captures are noise (default: one page). */
  noise?: number;
  /** Default: the first quarter of each life's observed span. */
  warmup?: Warmup;
  /** USER_HZ, the unit of /proc/PID/stat's start time (100 on every Linux mapsdiff meets). */
  clockTicks?: number;
  /** Chain regions across the series (default true); false = kinds and totals only. */
  regions?: boolean;
  /** Noise of the board-wide MemAvailable (default: the largest of 1 MiB, 0.5% of MemTotal and `noise`). */
  memNoise?: number;
}

/** The page cache and every other process move MemAvailable by more than a page between reads. */
const MEM_NOISE = 1 << 20;
const MEM_NOISE_SHARE = 0.005;

export function analyzeTrend(captures: Iterable<TrendCapture>, opts: TrendOptions = {}): TrendResult {
  return judgeSeries(walkSeries(captures, { regions: opts.regions ?? true }), opts);
}

/** The verdicts on curves already walked (a report draws the same curves it judges). */
export function judgeSeries(curves: SeriesCurves, opts: TrendOptions = {}): TrendResult {
  const noise = opts.noise ?? 4096;
  const warmup = opts.warmup ?? { fraction: 0.25 };
  // one set of scratch doubles for every curve judged here (analyze/runs Float64Scratch): a curve is read back, judged and done with before the next
  const scratch = judgeScratch();
  const segments = curves.segments.map((s) => segment(s, warmup, opts.memNoise ?? Math.max(noise, MEM_NOISE, (s.memTotal ?? 0) * MEM_NOISE_SHARE), scratch));
  const processes = curves.lives.map((l) => processTrend(l, segments[l.segment]!, curves.segments[l.segment]!, warmup, noise, opts.clockTicks ?? 100, scratch));
  for (const [i, l] of curves.lives.entries()) judgeFds(processes[i]!, l, curves.segments[l.segment]!, warmup, scratch);
  processes.sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || topRate(b) - topRate(a) || a.pid - b.pid);
  const findings: TrendFinding[] = [];
  if (curves.captures.names.length === 1) findings.push({ code: 'single-capture' });
  else if (curves.segments.reduce((m, s) => Math.max(m, s.t.length), 0) === 2) findings.push({ code: 'single-interval' });
  segments.forEach((s, i) => {
    if (s.clock === 'host') findings.push({ code: 'host-clock', segment: i });
    if (s.clock === 'unknown') findings.push({ code: 'unknown-interval', segment: i });
  });
  const lastSeg = curves.segments.length - 1;
  const board = lastSeg >= 0 ? judgeBoard(curves.segments[lastSeg]!, segments[lastSeg]!, processes.filter((p) => p.segment === lastSeg), warmup, noise, scratch) : null;
  return {
    ...(board ?? {}),
    target: curves.captures.last?.target ?? '',
    series: curves.captures,
    segments,
    processes,
    restarts: curves.restarts,
    reboots: curves.reboots,
    findings,
    gaps: [],
  };
}

function segment(s: SegmentCurves, warmup: Warmup, noise: number, scratch: JudgeScratch): Segment {
  const known = !someRun(s.memAvailable, (x) => x === null);
  let memAvailable: Segment['memAvailable'] = null;
  if (known && s.t.length) {
    const used = runsAsFloat64(s.memAvailable, -1, scratch.values); // consumption: MemAvailable going down is growth
    const v = timed(s.clock, judge(s.t, used, steadyStart(s.t, warmup, null), noise, scratch));
    const last = lastRun(s.memAvailable)!;
    memAvailable = { ...v, last, timeLeft: v.verdict === 'leak' && v.rate !== null && v.rate > 0 ? (last / v.rate) * 3600 : null };
  }
  return { from: s.from, to: s.to, captures: s.t.length, duration: s.t[s.t.length - 1]! - s.t[0]!, clock: s.clock, memAvailable };
}

function processTrend(l: Life, seg: Segment, sc: SegmentCurves, warmup: Warmup, noise: number, hz: number, scratch: JudgeScratch): ProcessTrend {
  const t = lifeTimes(l, sc, scratch.times);
  const t0 = t[0]!;
  for (let i = 0; i < t.length; i++) t[i]! -= t0;
  const age0 = seg.clock !== 'unknown' && l.uptime0 !== null && l.startTime !== null ? Math.max(0, l.uptime0 - l.startTime / hz) : null;
  const judgeFrom = (tt: ArrayLike<number>, v: ArrayLike<number>, n = noise) => timed(seg.clock, judge(tt, v, steadyStart(tt, warmup, age0), n, scratch));
  // each curve in the scratch's memory: judged (judgeFrom) before the next is read back
  const values = (r: Parameters<typeof runsAsFloat64>[0], sign: 1 | -1 = 1, zeros = 0) => runsAsFloat64(r, sign, scratch.values, zeros);
  const lastGap = lastRun(l.largestGap) ?? null;
  const heapGap = lastRun(l.heapGap) ?? null;
  const lastStack = lastRun(l.stack)!;
  const headroom: Headroom = {
    largestGap: lastGap,
    heapGap,
    stackSize: lastStack,
    stackLimit: l.stackLimit,
    addressSpace: !someRun(l.largestGap, (g) => g === null) ? judgeFrom(t, values(l.largestGap, -1)) : null,
    stack: judgeFrom(t, values(l.stack)),
  };
  const mem = seg.memAvailable?.last ?? null;
  // brk grows [heap] only into the gap right above it; anything mmap'd takes the largest gap
  // virtual growth consumes address space (and the stack's limit), resident growth consumes RAM:
  // an 8 MiB thread stack mapped is 8 MiB of address space and only the pages touched of RAM
  const timeLeft = (v: CurveVerdict, measure: Measure, isStack: boolean, isHeap: boolean): [number | null, TimeLeft] => {
    const by: TimeLeft = { addressSpace: null, stack: null, memAvailable: null };
    const rate = v.rate;
    if (v.verdict !== 'leak' || rate === null || rate <= 0) return [null, by];
    const secs = (room: number) => (Math.max(0, room) / rate) * 3600;
    if (measure === 'resident') by.memAvailable = mem !== null ? secs(mem) : null;
    else if (isStack) by.stack = l.stackLimit !== null ? secs(l.stackLimit - lastStack) : null;
    else {
      const room = isHeap && heapGap !== null ? heapGap : lastGap;
      by.addressSpace = room !== null ? secs(room) : null;
    }
    const all = [by.addressSpace, by.stack, by.memAvailable].filter((x): x is number => x !== null);
    return [all.length ? all.reduce((a, b) => Math.min(a, b)) : null, by];
  };
  const entry = (measure: Measure, scope: TrendEntry['scope'], kind: Kind | 'total', owner: string, path: string, start: number | null, v: CurveVerdict): TrendEntry => {
    const judged = kind === 'guard' ? notALeak(v) : v;
    const [left, by] = timeLeft(judged, measure, kind === 'stack', kind === 'heap' && (scope === 'kind' || path === '[heap]'));
    return { measure, scope, kind, owner, path, start, ...judged, timeLeft: left, timeLeftBy: by };
  };
  const entries: TrendEntry[] = [entry('virtual', 'total', 'total', '*', '', null, judgeFrom(t, values(l.total)))];
  for (const [k, v] of l.kinds) entries.push(entry('virtual', 'kind', k, '*', '', null, judgeFrom(t, values(v))));
  if (l.residentTotal.length && !someRun(l.residentTotal, (x) => x === null)) {
    entries.push(entry('resident', 'total', 'total', '*', '', null, judgeFrom(t, values(l.residentTotal))));
  }
  for (const [k, v] of l.residentKinds ?? []) entries.push(entry('resident', 'kind', k, '*', '', null, judgeFrom(t, values(v))));
  let stableRegions = 0;
  for (const tr of l.tracks) {
    // a region gone before the life's last capture gave all of its bytes back: its curve ends at 0
    const ended = tr.born + tr.sizes.length < t.length;
    // one size all along (most regions of a long series): judge says stable of a flat curve
    // (no growth, nothing given back), and a stable region is only counted
    if (noise >= 0 && !ended && tr.sizes.values.length === 1 && tr.rss.values.length === 1) {
      stableRegions++;
      continue;
    }
    const tt = t.subarray(tr.born, tr.born + tr.sizes.length + (ended ? 1 : 0)); // read only: a view, not a copy
    const v = entry('virtual', 'region', tr.kind, tr.owner, tr.path, tr.start, judgeFrom(tt, values(tr.sizes, 1, ended ? 1 : 0)));
    if (v.verdict === 'stable') stableRegions++;
    else entries.push(v);
    if (someRun(tr.rss, (x) => x === null)) continue;
    const r = entry('resident', 'region', tr.kind, tr.owner, tr.path, tr.start, judgeFrom(tt, values(tr.rss, 1, ended ? 1 : 0)));
    if (r.verdict !== 'stable') entries.push(r);
  }
  entries.sort((a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || (b.rate ?? 0) - (a.rate ?? 0));
  const threads = threadTrend(l, t, judgeFrom, values);
  // the process's verdict: its total, kinds and threads, and those regions judged with some
  // confidence (a region born two captures ago, still growing, is listed but decides nothing)
  const top = entries.find((e) => e.scope !== 'region' || e.confidence !== 'low')!;
  const verdict = threads.leak && VERDICT_RANK[top.verdict] < VERDICT_RANK.leak ? 'leak' : top.verdict;
  const confidence: Confidence = threads.leak && verdict === 'leak' && top.verdict !== 'leak' ? threads.threadStacks.confidence : top.confidence;
  return {
    name: l.name, pid: l.pid, startTime: l.startTime, segment: l.segment, from: l.from, to: l.to, captures: l.at.length,
    duration: t[t.length - 1]!, verdict, confidence, entries, stableRegions, threads, headroom,
    ceiling: l.ceiling, ceilingSource: l.ceilingSource,
  };
}

function threadTrend(l: Life, t: ArrayLike<number>, judgeFrom: (t: ArrayLike<number>, v: ArrayLike<number>, noise?: number) => CurveVerdict,
  values: (r: Life['threads']) => Float64Array): ThreadTrend {
  const known = !someRun(l.threads, (x) => x === null);
  const threads = known ? judgeFrom(t, values(l.threads), 0) : null;
  const threadStacks = judgeFrom(t, values(l.threadStacks), 0);
  return {
    threads,
    threadStacks,
    first: { threads: firstRun(l.threads) ?? null, threadStacks: firstRun(l.threadStacks)! },
    last: { threads: lastRun(l.threads) ?? null, threadStacks: lastRun(l.threadStacks)! },
    leak: threads?.verdict === 'leak' && threadStacks.verdict === 'leak',
  };
}

/** Guard and reserve (`---p`) lines are never resident and never a memory leak: their growing or
 * shrinking is address-space bookkeeping (a thread stack's guard, an arena's reserve given over
 * to the arena by mprotect). Judged, listed when they change, but never called a leak. */
function notALeak(v: CurveVerdict): CurveVerdict {
  return v.verdict === 'leak' ? { ...v, verdict: 'stable' } : v;
}

const topRate = (p: ProcessTrend): number => p.entries[0]?.rate ?? 0;

/** Over unknown intervals (times are capture positions) the shape is judged, but no rate is given. */
function timed(clock: Segment['clock'], v: CurveVerdict): CurveVerdict {
  return clock !== 'unknown' ? v : { ...v, rate: null, evidence: { ...v.evidence, steadyRate: null } };
}
