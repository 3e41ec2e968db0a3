/*! `mapsdiff watch TARGET... --every 30s [--count N | --for 2h]`: captures into the store on a
 * schedule, one line per capture. A failed capture is retried, then recorded as a gap, and
 * watching goes on; Ctrl-C ends cleanly with every finished capture kept. Targets run at once. */
import { watchSpec } from '../specs/watch.js';
import { EXIT, MapsdiffError, UsageError } from '../../errors.js';
import { compareReports } from '../../analyze/compare.js';
import type { SnapshotReport } from '../../model/report.js';
import type { Selection } from '../../collect/source.js';
import type { SnapshotStore } from '../../store/store.js';
import { largestGrowth } from '../../analyze/growth.js';
import { renderWatchGap, renderWatchLine, renderWatchSummary, type WatchLine } from '../../render/watch-text.js';
import { renderWatchGapJson, renderWatchLineJson, renderWatchSummaryJson } from '../../render/watch-json.js';
import { openStore, paintFor, reportFor, type GlobalArgs } from '../context.js';
import { parseCount, parseHexAddress, selectionFrom } from '../options.js';
import { parseDuration } from '../duration.js';
import { captureOne, selectionFor } from '../capture-one.js';
import { openSources, type OpenedSource, type SourceArgs } from '../sources.js';
import type { Io } from '../io.js';

interface Args extends GlobalArgs, SourceArgs {
  targets: string[];
  every: string;
  count?: unknown;
  for?: string;
  retries?: unknown;
  pid?: number | number[];
  process?: string | string[];
  all?: boolean;
  smaps?: boolean;
  cmdline?: boolean;
  ceiling?: string;
  lenient?: boolean;
  json?: boolean;
}

/** How watch's lines are written: for people, or one JSON object per line (--json). */
interface Output {
  line(l: WatchLine): string;
  gap(at: Date, target: string, attempts: number, message: string): string;
  summary(target: string, stored: string[], gaps: number, interrupted: boolean): string;
}

interface Plan {
  every: number;
  count: number | null;
  forMs: number | null;
  retries: number;
  ceiling?: bigint;
  lenient?: boolean;
}

export function watchCommand(io: Io, setExit: (code: number) => void) {
  return {
    ...watchSpec,
    handler: async (args: Args) => {
      const store = openStore(args, io);
      const every = parseDuration(args.every, '--every');
      if (every < 100) throw new UsageError(`--every ${args.every} is too short; the shortest is 100ms`);
      const plan: Plan = {
        every, count: args.count !== undefined ? parseCount(args.count, '--count', 1, 'captures') : null, forMs: args.for !== undefined ? parseDuration(args.for, '--for') : null,
        retries: parseCount(args.retries ?? 2, '--retries', 0, 'retries'), lenient: args.lenient,
        ...(args.ceiling ? { ceiling: parseHexAddress(args.ceiling, '--ceiling') } : {}),
      };
      const sources = await openSources([...new Set(args.targets)], args, io);
      const explicit = selectionFrom(args, false);
      const sels = sources.map((s) => selectionFor(s, explicit, args)); // refuses a missing selection before the first capture
      const paint = paintFor(args, io);
      const out: Output = args.json
        ? { line: renderWatchLineJson, gap: renderWatchGapJson, summary: renderWatchSummaryJson }
        : { line: (l) => renderWatchLine(l, paint), gap: (a, t, n, m) => renderWatchGap(a, t, n, m, paint), summary: renderWatchSummary };
      const results = await Promise.all(sources.map((s, i) => watchOne(store, s, sels[i]!, plan, io, out)));
      if (results.some((stored) => stored === 0)) setExit(EXIT.CAPTURE);
    },
  };
}

/** Watches one target; returns how many captures were stored. */
async function watchOne(store: SnapshotStore, s: OpenedSource, sel: Selection, plan: Plan, io: Io, out: Output): Promise<number> {
  const target = s.source.target;
  const stored: string[] = [];
  let gaps = 0;
  let first: SnapshotReport | null = null;
  let last: SnapshotReport | null = null;
  const start = Date.now();
  for (let tick = 0, done = 0; !io.signal.aborted; done++) {
    if (plan.count !== null && done >= plan.count) break;
    const due = start + tick * plan.every;
    if (plan.forMs !== null && due - start > plan.forMs) break;
    await sleep(due - Date.now(), io.signal);
    if (io.signal.aborted) break;
    let error: unknown = null;
    let attempts = 0;
    for (; attempts <= plan.retries && !io.signal.aborted; attempts++) {
      if (attempts > 0) await sleep(Math.min(plan.every / 4, 2000), io.signal);
      try {
        const saved = await captureOne(store, s, sel, { lenient: plan.lenient, ceiling: plan.ceiling }, io.signal);
        const report = reportFor(saved.snapshot); // as stored, without reading it back
        stored.push(saved.name);
        const sinceFirst = first && compareReports(first, report);
        const sinceLast = last && last !== first ? compareReports(last, report) : null;
        io.stdout.write(out.line({
          at: new Date(), target, snapshot: saved.name, processes: saved.processes, sinceFirst, sinceLast,
          largest: { sinceFirst: sinceFirst && largestGrowth(sinceFirst), sinceLast: sinceLast && largestGrowth(sinceLast) },
        }));
        first ??= report;
        last = report;
        error = null;
        break;
      } catch (err) {
        if (!(err instanceof MapsdiffError) || err.exitCode === EXIT.USAGE) throw err; // a bug or a user's mistake: no point retrying
        error = err;
      }
    }
    if (error !== null && !io.signal.aborted) {
      gaps++;
      store.addGap({ target, at: new Date().toISOString(), attempts, reason: (error as Error).message });
      io.stdout.write(out.gap(new Date(), target, attempts, (error as Error).message));
    }
    tick = Math.max(tick + 1, Math.floor((Date.now() - start) / plan.every)); // late: the next one now; ticks overrun whole are skipped
  }
  io.stdout.write(out.summary(target, stored, gaps, io.signal.aborted));
  return stored.length;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
