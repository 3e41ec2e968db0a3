/*! One probe of one target, as `GET /probe?target=T` asks: wait for a slot (per target and
 * overall), capture through the same path as `capture` (stored unless --no-store), lay it
 * out, judge the target's recent captures, and turn all of it into metric families. A probe
 * that fails for any reason (deadline, unreachable, no process, bad text) gives only
 * `mapsdiff_capture_success 0` and its reason: never a half set of series. */
import { performance } from 'node:perf_hooks';
import { CaptureError, MapsdiffError, ParseError, UsageError } from '../../errors.js';
import type { Selection } from '../../collect/source.js';
import type { FamilySamples } from '../../model/metrics.js';
import type { TrendResult } from '../../model/trend.js';
import { parseCapture } from '../../parse/index.js';
import { judgeSeries } from '../../analyze/trend.js';
import { walkSeries, type TrendCapture } from '../../analyze/series.js';
import { threadCounts } from '../../analyze/series-trend.js';
import { collectFamilies } from '../../render/metric-samples.js';
import type { SnapshotStore } from '../../store/store.js';
import { captureOne, refuseWithoutMaps } from '../capture-one.js';
import { loadSnapshot, reportFor, type LoadedSnapshot } from '../context.js';
import { openSources } from '../sources.js';
import type { Io } from '../io.js';
import type { Health } from './health.js';
import type { KeyedSlots, Slots } from './slots.js';

export interface ProbeContext {
  io: Io;
  /** null: --no-store (nothing kept, no trend). */
  store: SnapshotStore | null;
  /** serve's --process/--all/--smaps; a target file's processes apply when none are named. */
  selection: Selection;
  lenient: boolean;
  ceiling?: number;
  /** Captures of a target judged for the trend gauges (0: none). */
  trendWindow: number;
  /** Per target, the names of its latest stored captures, oldest first (at most trendWindow). */
  history: Map<string, string[]>;
  overall: Slots;
  perTarget: KeyedSlots;
  health: Health;
  version: string;
}

export interface ProbeAnswer {
  families: FamilySamples[];
  ok: boolean;
  /** The snapshot stored, when stored. */
  snapshot?: string;
  error?: { reason: string; message: string };
}

const neverAsk = async () => null; // a server has no one at a terminal to ask for a password

export async function probe(ctx: ProbeContext, target: string, processes: string[], timeoutMs: number, clientGone: AbortSignal): Promise<ProbeAnswer> {
  const t0 = performance.now();
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([deadline, ctx.io.signal, clientGone]);
  const releases: (() => void)[] = [];
  let label = target;
  let stage: 'queue' | 'capture' = 'queue';
  ctx.health.waiting++;
  try {
    releases.push(await ctx.perTarget.acquire(target, signal));
    releases.push(await ctx.overall.acquire(signal));
    ctx.health.waiting--;
    ctx.health.inFlight++;
    stage = 'capture';
    const [s] = await openSources([target], {}, ctx.io, undefined, neverAsk);
    label = s!.source.target;
    const sel = selectionOf(ctx.selection, processes, s!.defaultSelection);
    let loaded: LoadedSnapshot;
    let name: string | undefined;
    if (ctx.store) {
      const saved = await captureOne(ctx.store, s!, sel, { lenient: ctx.lenient, ceiling: ctx.ceiling }, signal);
      loaded = saved.snapshot;
      name = saved.name;
    } else {
      const raw = await s!.source.collect(sel, signal);
      if (signal.aborted) throw new CaptureError('interrupted; nothing was stored');
      refuseWithoutMaps(raw, label);
      const parsed = parseCapture(raw, { source: `capture of ${label}`, lenient: ctx.lenient });
      const meta = { name: '(not stored)', target: label, capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff' as const, version: ctx.version }, via: s!.via, lenient: ctx.lenient,
        ...(ctx.ceiling ?? s!.ceiling) !== undefined ? { ceiling: '0x' + (ctx.ceiling ?? s!.ceiling)!.toString(16) } : {} };
      loaded = { meta, sections: raw.sections, parsed };
    }
    const report = reportFor(loaded);
    const trend = ctx.store && name && ctx.trendWindow > 0 ? trendOf(ctx, ctx.store, label, name, loaded) : null;
    const seconds = Math.round(performance.now() - t0) / 1000;
    ctx.health.record(true, seconds);
    return {
      ok: true, ...(name ? { snapshot: name } : {}),
      families: collectFamilies({ target: label, probe: { ok: true, seconds, capturedAtMs: Date.parse(loaded.meta.capturedAt) }, capture: { report, parsed: loaded.parsed }, trend }),
    };
  } catch (err) {
    const error = classify(err, { deadline, shutdown: ctx.io.signal, clientGone, stage, timeoutMs });
    const seconds = Math.round(performance.now() - t0) / 1000;
    ctx.health.record(false, seconds, error.reason);
    return { ok: false, error, families: collectFamilies({ target: label, probe: { ok: false, seconds, capturedAtMs: Date.now(), reason: error.reason } }) };
  } finally {
    if (stage === 'queue') ctx.health.waiting--;
    else ctx.health.inFlight--;
    for (const r of releases.reverse()) r();
  }
}

/** The probe's &process=, else serve's --process/--all, else the target file's processes. */
function selectionOf(serve: Selection, processes: string[], target: Selection | undefined): Selection {
  for (const n of processes) if (n === '' || n.includes('\n') || n.includes('\0')) throw new UsageError(`process=${JSON.stringify(n)}: a process name is one line of text`);
  if (processes.length) return { ...serve, pids: [], names: processes, all: false };
  if (serve.all || serve.names.length || serve.pids.length) return serve;
  if (target) return target;
  throw new UsageError('say which processes to capture: &process=NAME in the probe URL, serve --process NAME or --all, or "processes" in the target file');
}

/** The reason codes of docs/metrics.md. */
function classify(err: unknown, w: { deadline: AbortSignal; shutdown: AbortSignal; clientGone: AbortSignal; stage: string; timeoutMs: number }): { reason: string; message: string } {
  const secs = (w.timeoutMs / 1000).toFixed(1);
  if (w.deadline.aborted) {
    return w.stage === 'queue'
      ? { reason: 'busy', message: `no capture slot came free within the probe's ${secs} s (raise --concurrency or --per-target, or the scrape timeout)` }
      : { reason: 'timeout', message: `the capture did not finish within the probe's ${secs} s (the scrape timeout less --timeout-offset); nothing was stored` };
  }
  if (w.shutdown.aborted) return { reason: 'shutdown', message: 'serve is shutting down; nothing was stored' };
  if (w.clientGone.aborted) return { reason: 'cancelled', message: 'the scraper hung up before the capture finished; nothing was stored' };
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof ParseError) return { reason: 'parse', message };
  if (err instanceof UsageError) return { reason: 'target', message };
  if (err instanceof CaptureError) return { reason: 'capture', message };
  if (err instanceof MapsdiffError) return { reason: 'error', message };
  return { reason: 'internal', message: `internal error (a bug, please report it): ${message}` };
}

/** The target's last `trendWindow` stored captures judged (kinds, totals, threads; no region chaining). */
function trendOf(ctx: ProbeContext, store: SnapshotStore, target: string, name: string, current: LoadedSnapshot): TrendResult {
  const names = [...(ctx.history.get(target) ?? []), name].slice(-ctx.trendWindow);
  ctx.history.set(target, names);
  const kept: string[] = [];
  function* captures(): Generator<TrendCapture> {
    for (const n of names) {
      let loaded: LoadedSnapshot;
      try {
        loaded = n === name ? current : loadSnapshot(store, n);
      } catch {
        continue; // removed from the store since (mapsdiff rm): judged without it
      }
      kept.push(n);
      yield { report: reportFor(loaded), threads: threadCounts(loaded.parsed) };
    }
  }
  const result = judgeSeries(walkSeries(captures(), { regions: false }));
  ctx.history.set(target, kept);
  return result;
}
