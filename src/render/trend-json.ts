/*! The documented JSON of `trend --json` (docs/trend.md): series, processes with their
 * verdict and regions (kind, owner, verdict, rate in bytes/hour, timeLeft in seconds or
 * null), restarts and reboots. Fields are only ever added. */
import type { CurveVerdict, TrendEntry, TrendResult } from '../model/trend.js';
import { hex } from './format.js';
import { ceilingReason } from './ceiling.js';
import { toJson } from './escape.js';

const round = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x));

const verdictOf = (v: CurveVerdict) => ({ verdict: v.verdict, confidence: v.confidence, rate: round(v.rate) });

const evidence = (v: CurveVerdict) => {
  const e = v.evidence;
  return {
    intervals: e.intervals, grew: e.grew, shrank: e.shrank, warmup: round(e.warmup), first: e.first,
    steadyStart: e.steadyStart, last: e.last, steadyRate: round(e.steadyRate), flatFor: round(e.flatFor),
  };
};

const entry = (e: TrendEntry) => ({
  scope: e.scope,
  kind: e.kind,
  owner: e.owner,
  ...(e.scope === 'region' ? { path: e.path, start: e.start === null ? null : hex(e.start) } : {}),
  ...verdictOf(e),
  measure: e.measure,
  timeLeft: round(e.timeLeft),
  timeLeftBy: { addressSpace: round(e.timeLeftBy.addressSpace), stack: round(e.timeLeftBy.stack), memAvailable: round(e.timeLeftBy.memAvailable) },
  evidence: evidence(e),
});

export function renderTrendJson(r: TrendResult): string {
  const out = {
    target: r.target,
    series: r.series.names,
    gaps: r.gaps,
    segments: r.segments.map((s) => ({
      from: s.from, to: s.to, captures: s.captures, duration: round(s.duration), clock: s.clock,
      memAvailable: s.memAvailable && { last: s.memAvailable.last, ...verdictOf(s.memAvailable), timeLeft: round(s.memAvailable.timeLeft) },
    })),
    processes: r.processes.map((p) => ({
      name: p.name,
      pid: p.pid,
      startTime: p.startTime,
      segment: p.segment,
      from: p.from,
      to: p.to,
      captures: p.captures,
      duration: round(p.duration),
      verdict: p.verdict,
      confidence: p.confidence,
      ceiling: hex(p.ceiling),
      ceilingSource: ceilingReason(p.ceilingSource),
      regions: p.entries.map(entry),
      stableRegions: p.stableRegions,
      threads: {
        leak: p.threads.leak,
        first: p.threads.first,
        last: p.threads.last,
        threads: p.threads.threads && verdictOf(p.threads.threads),
        threadStacks: verdictOf(p.threads.threadStacks),
      },
      headroom: {
        largestGap: p.headroom.largestGap,
        heapGap: p.headroom.heapGap,
        addressSpace: p.headroom.addressSpace && verdictOf(p.headroom.addressSpace),
        stackSize: p.headroom.stackSize,
        stackLimit: p.headroom.stackLimit,
        stack: verdictOf(p.headroom.stack),
      },
      ...(p.fds ? { fds: { first: p.fds.first, last: p.fds.last, limit: p.fds.limit, ...verdictOf(p.fds), timeLeft: round(p.fds.timeLeft) } } : {}),
      ...(p.maps ? { maps: p.maps } : {}),
    })),
    system: (r.system ?? []).map((x) => ({ key: x.key, last: x.last, ...verdictOf(x), timeLeft: round(x.timeLeft), explained: x.explained, ...(x.reclaimable ? { reclaimable: true } : {}), evidence: evidence(x) })),
    slab: (r.slab ?? []).map((x) => ({ cache: x.cache, last: x.last, ...verdictOf(x), ...(x.reclaimable ? { reclaimable: true } : {}) })),
    tmpfs: (r.tmpfs ?? []).map((x) => ({ mountPoint: x.mountPoint, last: x.last, ...verdictOf(x), timeLeft: round(x.timeLeft) })),
    restarts: r.restarts,
    reboots: r.reboots,
    findings: r.findings,
    leaks: r.processes.filter((p) => p.verdict === 'leak').length,
  };
  return toJson(out, 2) + '\n';
}
