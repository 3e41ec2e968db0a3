/*! The series pipeline `trend` and `report` share, after loading: each capture's report
 * narrowed to the wanted processes (with its thread counts), walked into curves, refused
 * when it mixes boards (unless forced), judged. Pure: the captures come in one at a time
 * from whatever iterable the caller loads them with, and only the curves are kept. */
import { UsageError } from '../errors.js';
import type { ParsedCapture } from '../model/capture.js';
import type { SnapshotReport } from '../model/report.js';
import type { SeriesCurves, TrendCapture } from '../model/series.js';
import type { TrendResult } from '../model/trend.js';
import { walkSeries } from './series.js';
import { judgeSeries, type TrendOptions } from './trend.js';

export interface SeriesRequest {
  processes?: string[];
  pids?: number[];
  options?: TrendOptions;
  /** Judge a series that mixes boards anyway. */
  force?: boolean;
}

/** One capture of the series: its report and what it was built from (for the thread counts). */
export interface SeriesCapture {
  report: SnapshotReport;
  parsed: ParsedCapture;
}

/** The verdicts and the curves they were judged on (for `report`, which draws both). */
export function analyzeSeries(captures: Iterable<SeriesCapture>, req: SeriesRequest): { trend: TrendResult; curves: SeriesCurves } {
  const names = req.processes ?? [];
  const pids = req.pids ?? [];
  const wanted = (p: { pid: number; name: string }) => (!names.length && !pids.length) || names.includes(p.name) || pids.includes(p.pid);
  const seen = new Map<string, { pid: number; name: string }>();
  function* narrowed(): Generator<TrendCapture> {
    for (const { report, parsed } of captures) {
      for (const p of report.processes) seen.set(`${p.pid} ${p.name}`, { pid: p.pid, name: p.name });
      report.processes = report.processes.filter(wanted);
      yield { report, threads: threadCounts(parsed) };
    }
  }
  const curves = walkSeries(narrowed(), { regions: req.options?.regions ?? true });
  const mixed = curves.otherBoards[0];
  if (mixed && !req.force) {
    throw new UsageError(`${mixed.before} and ${mixed.after} are not captures of one board (${mixed.why.join('; ')}); ` +
      'a trend follows one board: pick its snapshots, or pass --force to judge them anyway');
  }
  const result = judgeSeries(curves, req.options);
  if ((names.length || pids.length) && result.processes.length === 0) {
    const first = curves.captures.first!.name;
    const last = curves.captures.last!.name;
    throw new UsageError(`no process in ${first}..${last} matches ${[...pids.map((p) => `pid ${p}`), ...names].join(', ')}; ` +
      `the series holds: ${[...seen.values()].sort((x, y) => x.pid - y.pid).slice(0, 20).map((p) => `${p.pid} (${p.name || '?'})`).join(', ')}`);
  }
  return { trend: result, curves };
}

/** Threads per pid: status's Threads:, else stat's field 20, when captured. */
export function threadCounts(parsed: ParsedCapture): Map<number, number> {
  const threads = new Map<number, number>();
  for (const p of parsed.processes) {
    const n = p.status?.Threads !== undefined ? Number.parseInt(p.status.Threads, 10) : p.stat?.numThreads;
    if (n !== undefined && Number.isFinite(n)) threads.set(p.pid, n);
  }
  return threads;
}
