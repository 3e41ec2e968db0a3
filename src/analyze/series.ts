/*! Walks a series of capture reports once, oldest first, and records curves: the segments
 * between reboots, each process life (pid and start time; a restart starts a new life) and,
 * per life, a value per capture for every kind, the total, the headroom figures and every
 * region, chained from capture to capture with analyze/match (pairwise, O(n log n) each).
 * Reboots and intervals: analyze/boot. Pure: it holds the previous capture's regions only, never the whole series. */
import type { Meminfo } from '../model/capture.js';
import type { Landmarks, ProcessRef } from '../model/diff.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { Kind, Region } from '../model/vma.js';
import type { Life, SegmentCurves, SeriesCurves, Track, TrendCapture } from '../model/series.js';
import { matchProcesses, matchRegions } from './match.js';
import { landmarks } from './match-processes.js';
import { continuity } from './boot.js';
import { emptyRuns, lastRun, pushRun, repeatRun, type Float64Scratch } from './runs.js';

export type { Life, SegmentCurves, SeriesCurves, Track, TrendCapture } from '../model/series.js';

export function walkSeries(captures: Iterable<TrendCapture>, opts: { regions: boolean }): SeriesCurves {
  const out: SeriesCurves = { captures: { names: [], first: null, last: null }, segments: [], lives: [], restarts: [], reboots: [], otherBoards: [] };
  let prev: { report: SnapshotReport; alive: Map<ProcessReport, Life> } | null = null;
  let seg: SegmentCurves | null = null;
  // lives whose process was missing from a capture (gone mid-read, a partial capture): the
  // same pid and start time later in the segment continues the life
  let dormant = new Map<string, Life>();
  const key = (p: ProcessReport) => `${p.pid}:${p.startTime}`;
  for (const { report, threads } of captures) {
    const meta = report.meta;
    out.captures.names.push(meta.name);
    out.captures.first ??= meta;
    out.captures.last = meta;
    const between = prev ? continuity(prev.report, report) : null;
    const rebooted = between?.rebooted ?? false;
    if (between?.otherBoard.length) out.otherBoards.push({ before: prev!.report.meta.name, after: meta.name, why: between.otherBoard });
    if (rebooted) {
      out.reboots.push({ before: { snapshot: prev!.report.meta.name, uptime: prev!.report.uptime }, after: { snapshot: meta.name, uptime: report.uptime },
        by: between!.rebootedBy! });
    }
    if (!prev || rebooted || !seg) {
      seg = { from: meta.name, to: meta.name, t: [0], clock: report.uptime === null ? 'host' : 'uptime', memAvailable: emptyRuns(), memTotal: null };
      pushRun(seg.memAvailable, memAvailable(report.meminfo));
      out.segments.push(seg);
    } else {
      const c = between!;
      if (c.clock === 'unknown') seg.clock = 'unknown';
      else if (c.clock === 'host' && seg.clock === 'uptime') seg.clock = 'host';
      const dt = Math.max(0, c.interval ?? c.hostInterval ?? 0); // a reversed pair in the store order adds no time
      seg.t.push(seg.t[seg.t.length - 1]! + dt);
      seg.to = meta.name;
      pushRun(seg.memAvailable, memAvailable(report.meminfo));
    }
    seg.memTotal ??= memAvailable(report.meminfo, 'MemTotal');
    recordBoard(seg, report);
    const present = report.processes.filter((p) => !p.gone && p.regions.length > 0);
    const alive = new Map<ProcessReport, Life>();
    const startLife = (p: ProcessReport): Life => {
      const life = newLife(p, out.segments.length - 1, meta.name, report.uptime);
      out.lives.push(life);
      return life;
    };
    if (!prev || rebooted) {
      dormant = new Map();
      for (const p of present) alive.set(p, startLife(p));
    } else {
      const before = [...prev.alive.keys()];
      const ref = (p: ProcessReport): ProcessRef => ({ pid: p.pid, name: p.name, startTime: p.startTime, landmarks: landmarksOf(p.regions) });
      const byRef = new Map<ProcessRef, ProcessReport>();
      const refsB = before.map((p) => { const r = ref(p); byRef.set(r, p); return r; });
      const refsA = present.map((p) => { const r = ref(p); byRef.set(r, p); return r; });
      for (const m of matchProcesses(refsB, refsA)) {
        if (!m.after) {
          const gone = byRef.get(m.before!)!;
          if (gone.startTime !== null) dormant.set(key(gone), prev.alive.get(gone)!);
          continue;
        }
        const cur = byRef.get(m.after)!;
        if (m.before && !m.restarted) {
          alive.set(cur, prev.alive.get(byRef.get(m.before)!)!);
          continue;
        }
        if (m.before) {
          const old = byRef.get(m.before)!;
          out.restarts.push({ name: cur.name || old.name,
            before: { pid: old.pid, startTime: old.startTime, snapshot: prev.report.meta.name },
            after: { pid: cur.pid, startTime: cur.startTime, snapshot: meta.name } });
        }
        const back = !m.before && cur.startTime !== null ? dormant.get(key(cur)) : undefined;
        if (back) dormant.delete(key(cur));
        alive.set(cur, back ?? startLife(cur));
      }
    }
    const bp = new Map((report.board?.processes ?? []).map((b) => [b.pid, b]));
    for (const [p, life] of alive) {
      record(life, p, meta.name, threads.get(p.pid) ?? null, opts.regions, seg.t.length - 1);
      const b = bp.get(p.pid);
      pushRun((life.fds ??= emptyRuns()), b?.fds ?? null);
      if (b?.fdLimit !== undefined) life.fdLimit = b.fdLimit;
      pushRun((life.maps ??= emptyRuns()), p.regions.length);
    }
    prev = { report, alive };
  }
  for (const l of out.lives) flushRepeats(l);
  // no interval known: time is the captures' order, 0, 1, 2... (trend gives no rate over it; a life's times follow)
  for (const sg of out.segments) if (sg.clock === 'unknown') sg.t = sg.t.map((_, k) => k);
  return out;
}

/** Each capture's time in the life's segment (seconds since the segment began; positions when
 * its clock is unknown): the segment's time at each of the life's positions (Life.at). A Float64Array,
 * as analyze/runs runsAsFloat64 and for the same reason (`into`: in that scratch's memory, as there). */
export function lifeTimes(l: Life, seg: SegmentCurves, into?: Float64Scratch): Float64Array {
  const out = into ? into.take(l.at.length) : new Float64Array(l.at.length);
  let i = 0;
  for (let k = 0; k < l.at.values.length; k++) {
    for (let n = l.at.counts[k]!, shift = l.at.values[k]!; n > 0; n--, i++) out[i] = seg.t[shift + i]!;
  }
  return out;
}

/** A capture that shares its regions with the one before (analyze/report's reuse) shares their landmarks. */
const LANDMARKS = new WeakMap<readonly Region[], Landmarks>();
function landmarksOf(regions: readonly Region[]): Landmarks {
  let l = LANDMARKS.get(regions);
  if (!l) LANDMARKS.set(regions, (l = landmarks(regions)));
  return l;
}

/** The board keys trend judges (docs/trend.md): consumption that no process's maps show. */
export const BOARD_KEYS = ['MemFree', 'AnonPages', 'Shmem', 'Slab', 'SReclaimable', 'SUnreclaim', 'KernelStack', 'PageTables', 'VmallocUsed'];

function recordBoard(seg: SegmentCurves, report: SnapshotReport): void {
  const b = report.board;
  const series = (seg.board ??= new Map());
  const i = seg.t.length - 1;
  const put = (key: string, v: number | null) => {
    let c = series.get(key);
    if (!c) {
      series.set(key, (c = emptyRuns()));
      repeatRun(c, null, i);
    }
    pushRun(c, v);
  };
  if (b) {
    for (const k of BOARD_KEYS) if (b.meminfo[k] !== undefined) put(`meminfo:${k}`, b.meminfo[k]!);
    for (const c of b.allSlab ?? b.slabTop) put(`slab:${c.name}`, c.bytes);
    seg.tmpfsRoom = new Map();
    for (const m of b.tmpfs) if (m.used !== undefined) { put(`tmpfs:${m.mountPoint}`, m.used); seg.tmpfsRoom.set(m.mountPoint, m.available ?? 0); }
    seg.maxMapCount = b.maxMapCount;
  }
  for (const c of series.values()) if (c.length === i) pushRun(c, null);
}

function newLife(p: ProcessReport, segment: number, snapshot: string, uptime: number | null): Life {
  return {
    name: p.name, pid: p.pid, startTime: p.startTime, segment, from: snapshot, to: snapshot, at: emptyRuns(), uptime0: uptime,
    kinds: new Map(), credited: new Set(), total: emptyRuns(), largestGap: emptyRuns(), heapGap: emptyRuns(), ceiling: p.ceiling, ceilingSource: p.ceilingSource,
    stack: emptyRuns(), stackLimit: null, threads: emptyRuns(), threadStacks: emptyRuns(),
    tracks: [], residentTotal: emptyRuns(), residentKinds: new Map(), prev: [], prevTrack: new Map(),
  };
}

function record(life: Life, p: ProcessReport, snapshot: string, threads: number | null, regions: boolean, at: number): void {
  const i = life.at.length;
  pushRun(life.at, at - i);
  life.to = snapshot;
  const rssOf = new Map<Region, number>();
  if (p.regionResident) p.regions.forEach((r, j) => { const x = p.regionResident![j]; if (x) rssOf.set(r, x.rss); });
  if (regions) chain(life, p.regions, i, p.regionResident ? rssOf : null);
  pushRun(life.residentTotal, p.resident?.rss ?? null);
  if (!p.regionResident) life.residentKinds = null;
  if (life.residentKinds) {
    const rk = new Map<Kind, number>();
    for (const [r, x] of rssOf) if (r.kind !== 'kernel') rk.set(r.kind, (rk.get(r.kind) ?? 0) + x);
    for (const [k, x] of rk) {
      let c = life.residentKinds.get(k);
      if (!c) life.residentKinds.set(k, (c = zeros(i)));
      pushRun(c, x);
    }
    for (const c of life.residentKinds.values()) if (c.length === i) pushRun(c, 0);
  }
  const sizes = new Map(Object.entries(p.totals.byKind) as [Kind, number][]);
  const credits = new Map<Kind, number>();
  if (life.credited.size) flushRepeats(life); // their last sizes are read: every capture in
  for (const tr of life.credited) {
    const size = lastRun(tr.sizes)!;
    let owed = 0;
    for (const v of tr.credit.values()) if (v > 0) owed += v;
    const scale = owed > size ? size / owed : 1; // a region that shrank since owes at most what it has
    for (const [k, v] of tr.credit) credits.set(k, (credits.get(k) ?? 0) + v * scale);
  }
  for (const k of credits.keys()) if (!sizes.has(k)) sizes.set(k, 0);
  for (const [k, size] of sizes) {
    let c = life.kinds.get(k);
    if (!c) life.kinds.set(k, (c = zeros(i)));
    pushRun(c, size + (credits.get(k) ?? 0));
  }
  for (const c of life.kinds.values()) if (c.length === i) pushRun(c, 0); // that kind is gone: 0 bytes
  pushRun(life.total, p.totals.mapped);
  pushRun(life.largestGap, p.free.largest?.size ?? null);
  pushRun(life.heapGap, p.free.aboveHeap?.size ?? null);
  life.ceiling = p.ceiling;
  life.ceilingSource = p.ceilingSource;
  pushRun(life.stack, p.stack.size);
  life.stackLimit = p.stack.limit;
  pushRun(life.threads, threads);
  pushRun(life.threadStacks, p.threadStacks);
}

/** `n` zeros: a kind that first shows at the life's capture `n` had no bytes before. */
function zeros(n: number) {
  const r = emptyRuns<number>();
  repeatRun(r, 0, n);
  return r;
}

/** Extends each region's track with this capture: a match continues the track of its largest
 * before-VMA (others merged into it end there); a region with no before side starts a track. */
function chain(life: Life, all: readonly Region[], i: number, rssOf: ReadonlyMap<Region, number> | null): void {
  if (all === life.prevAll && life.prevTracks) {
    // the very regions of the last capture: each track matches its own regions again, and goes
    // on with their total, one value per capture (as a match pushes m.afterSize below)
    const { prevTracks, prevSizes, prevRegions } = life;
    if (!rssOf) {
      // no resident figures: the values of last time again, only counted (flushRepeats adds them)
      life.repeats = (life.repeats ?? 0) + 1;
      return;
    }
    flushRepeats(life);
    for (let k = 0; k < prevTracks.length; k++) {
      pushRun(prevTracks[k]!.sizes, prevSizes![k]!);
      pushRun(prevTracks[k]!.rss, prevRegions![k]!.reduce((a, r) => a + (rssOf.get(r) ?? 0), 0));
    }
    return;
  }
  flushRepeats(life);
  const cur = all.filter((r) => r.kind !== 'kernel');
  const next = new Map<Region, Track>();
  // each track once, with its regions (several when a region is printed in several lines):
  // a track goes on in one match at most (the first to take it makes it longer than i)
  const prevTracks: Track[] = [];
  const prevRegions: Region[][] = [];
  const prevSizes: number[] = [];
  for (const m of matchRegions(life.prev, cur)) {
    if (m.after.length === 0) continue; // gone: its track ends
    let track: Track | undefined;
    let big = -1;
    for (const b of m.before) {
      const size = Number(b.end) - Number(b.start);
      const t = life.prevTrack.get(b);
      if (t && size > big && t.born + t.sizes.length === i) { track = t; big = size; }
    }
    const a = largest(m.after);
    if (!track) {
      track = { kind: a.kind, owner: a.owner, path: a.path, start: m.after[0]!.start, born: i, sizes: emptyRuns(), kindNow: a.kind, credit: new Map(), rss: emptyRuns() };
      life.tracks.push(track);
    }
    pushRun(track.sizes, m.afterSize);
    pushRun(track.rss, rssOf ? m.after.reduce((a, r) => a + (rssOf.get(r) ?? 0), 0) : null);
    for (const r of m.after) next.set(r, track);
    prevTracks.push(track);
    prevRegions.push(m.after);
    prevSizes.push(m.afterSize);
    const kind = a.kind;
    if (kind !== track.kindNow && m.before.length > 0) {
      const bytes = Math.min(m.beforeSize, m.afterSize);
      track.credit.set(track.kindNow, (track.credit.get(track.kindNow) ?? 0) + bytes);
      track.credit.set(kind, (track.credit.get(kind) ?? 0) - bytes);
      track.kindNow = kind;
      life.credited.add(track);
    }
  }
  life.prev = cur;
  life.prevAll = all;
  life.prevTrack = next;
  life.prevTracks = prevTracks;
  life.prevRegions = prevRegions;
  life.prevSizes = prevSizes;
  if (life.credited.size) {
    const alive = new Set(prevTracks);
    for (const tr of life.credited) if (!alive.has(tr)) life.credited.delete(tr); // gone: its credits with it
  }
}

/** Applies the captures chain() only counted: each track of `prev` takes its size (and no
 * resident figure) once per such capture, exactly as one push each would have. */
export function flushRepeats(life: Life): void {
  const n = life.repeats ?? 0;
  if (n === 0) return;
  life.repeats = 0;
  const { prevTracks, prevSizes } = life;
  for (let k = 0; k < prevTracks!.length; k++) {
    repeatRun(prevTracks![k]!.sizes, prevSizes![k]!, n);
    repeatRun(prevTracks![k]!.rss, null, n);
  }
}

function largest(rs: Region[]): Region {
  let best = rs[0]!;
  if (rs.length === 1) return best;
  for (const r of rs) if (r.end - r.start > best.end - best.start) best = r;
  return best;
}

function memAvailable(m: Meminfo | null, key = 'MemAvailable'): number | null {
  const e = m?.[key];
  return e && e.unit === 'kB' ? e.value * 1024 : null;
}
