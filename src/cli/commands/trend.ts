/*! `mapsdiff trend [TARGET | NAME... | --since NAME]`: is it a leak? Picks the series (one
 * target), loads it one snapshot at a time (the analysis keeps only curves), analyses,
 * renders; --fail-on-leak sets exit 1. Thin: no verdict logic lives here. */
import { trendSpec } from '../specs/trend.js';
import { UsageError } from '../../errors.js';
import type { SnapshotStore } from '../../store/store.js';
import type { SnapshotMeta } from '../../model/snapshot.js';
import type { TrendResult } from '../../model/trend.js';
import { judgeSeries, type TrendCapture, type TrendOptions } from '../../analyze/trend.js';
import { walkSeries, type SeriesCurves } from '../../analyze/series.js';
import { renderTrendJson } from '../../render/trend-json.js';
import { renderTrendText } from '../../render/trend-text.js';
import { escapeForTerminal as esc } from '../../render/escape.js';
import { loadSnapshot, openStore, paintFor, reportFor, type GlobalArgs } from '../context.js';
import { asList, parseHexAddress, parsePid, parseSize } from '../options.js';
import { parseDuration } from '../duration.js';
import type { Io } from '../io.js';
import { withinTarget } from '../../store/names.js';

/** --target T: T itself (all its captures), or the names as refs among its snapshots. */
export const targetNames = (names: string[], target: string | undefined): string[] =>
  target === undefined ? names : names.length ? names.map((n) => withinTarget(n, target)) : [target];

interface Args extends GlobalArgs {
  names?: string[];
  since?: string;
  process?: string | string[];
  pid?: number | number[];
  json?: boolean;
  'fail-on-leak'?: boolean;
  force?: boolean;
  warmup?: string;
  noise?: string;
  ceiling?: string;
  target?: string;
}

export function trendCommand(io: Io, setExit: (code: number) => void) {
  return {
    ...trendSpec,
    handler: (args: Args) => {
      const store = openStore(args, io);
      const result = runTrend(store, {
        names: targetNames(args.names ?? [], args.target), since: args.since === undefined ? undefined : withinTarget(args.since, args.target),
        processes: asList(args.process).map(String), pids: asList(args.pid).map((p) => parsePid(p, '--pid')), force: args.force,
        ...(args.ceiling !== undefined ? { ceiling: parseHexAddress(args.ceiling, '--ceiling') } : {}),
        options: {
          noise: parseSize(args.noise ?? '4K', '--noise'),
          ...(args.warmup !== undefined ? { warmup: { seconds: parseDuration(args.warmup, '--warmup') / 1000 } } : {}),
        },
      });
      io.stdout.write(args.json ? renderTrendJson(result) : renderTrendText(result, paintFor(args, io)));
      const leaks = result.processes.filter((p) => p.verdict === 'leak');
      if (args['fail-on-leak'] && leaks.length) {
        io.stderr.write(`mapsdiff: --fail-on-leak: ${leaks.length} process(es) leak: ${leaks.map((p) => `${esc(p.name || '?')} (pid ${p.pid})`).join(', ')}\n`);
        setExit(1);
      }
    },
  };
}

export interface TrendRequest {
  names: string[];
  since?: string;
  processes?: string[];
  pids?: number[];
  /** --ceiling; default: as each snapshot stored it, else inferred (the same as watch and show). */
  ceiling?: bigint;
  options?: TrendOptions;
  /** Judge a series that mixes boards anyway. */
  force?: boolean;
}

export function runTrend(store: SnapshotStore, req: TrendRequest): TrendResult {
  return runTrendWithCurves(store, req).trend;
}

/** The verdicts and the curves they were judged on (for `report`, which draws both), one load per snapshot. */
export function runTrendWithCurves(store: SnapshotStore, req: TrendRequest): { trend: TrendResult; curves: SeriesCurves } {
  const series = pickSeries(store, req.names, req.since);
  const names = req.processes ?? [];
  const pids = req.pids ?? [];
  const wanted = (p: { pid: number; name: string }) => (!names.length && !pids.length) || names.includes(p.name) || pids.includes(p.pid);
  const seen = new Map<string, { pid: number; name: string }>();
  function* captures(): Generator<TrendCapture> {
    for (const meta of series) {
      const loaded = loadSnapshot(store, meta.name);
      const report = reportFor(loaded, { ceiling: req.ceiling });
      for (const p of report.processes) seen.set(`${p.pid} ${p.name}`, { pid: p.pid, name: p.name });
      report.processes = report.processes.filter(wanted);
      const threads = new Map<number, number>();
      for (const p of loaded.parsed.processes) {
        const n = p.status?.Threads !== undefined ? Number.parseInt(p.status.Threads, 10) : p.stat?.numThreads;
        if (n !== undefined && Number.isFinite(n)) threads.set(p.pid, n);
      }
      yield { report, threads };
    }
  }
  const curves = walkSeries(captures(), { regions: req.options?.regions ?? true });
  const mixed = curves.otherBoards[0];
  if (mixed && !req.force) {
    throw new UsageError(`${mixed.before} and ${mixed.after} are not captures of one board (${mixed.why.join('; ')}); ` +
      'a trend follows one board: pick its snapshots, or pass --force to judge them anyway');
  }
  const result = judgeSeries(curves, req.options);
  // watch's failed captures of this target from the series' first capture on: its holes
  const first = series[0]!.capturedAt;
  result.gaps = store.gaps().filter((g) => g.target === series[0]!.target && g.at >= first);
  if ((names.length || pids.length) && result.processes.length === 0) {
    throw new UsageError(`no process in ${series[0]!.name}..${series[series.length - 1]!.name} matches ${[...pids.map((p) => `pid ${p}`), ...names].join(', ')}; ` +
      `the series holds: ${[...seen.values()].sort((x, y) => x.pid - y.pid).slice(0, 20).map((p) => `${p.pid} (${p.name || '?'})`).join(', ')}`);
  }
  return { trend: result, curves };
}

/** The snapshots of one target, oldest first: a target's all, the named ones, or from --since on. */
function pickSeries(store: SnapshotStore, refs: string[], since?: string): SnapshotMeta[] {
  const metas = store.list();
  if (metas.length === 0) store.resolve('latest'); // throws: no snapshots yet, with how to make one
  const targets = new Set(metas.map((m) => m.target));
  const byName = (ref: string) => { const n = store.resolve(ref); return metas.find((m) => m.name === n)!; };
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
    const from = metas.indexOf(first);
    chosen = chosen.filter((m) => metas.indexOf(m) >= from);
  }
  const others = [...new Set(chosen.map((m) => m.target))].filter((t) => t !== target);
  if (others.length) {
    throw new UsageError(`a trend follows one target, and these snapshots come from ${[target, ...others].join(', ')}; ` +
      `name one target (mapsdiff trend ${target}) or snapshots of one`);
  }
  return chosen;
}
