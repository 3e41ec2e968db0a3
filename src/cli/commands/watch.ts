/*! `mapsdiff watch TARGET... --every 30s [--count N | --for 2h]`: captures into the store on a
 * schedule, one line per capture. A failed capture is retried, then recorded as a gap, and
 * watching goes on; Ctrl-C ends cleanly with every finished capture kept. Targets run at once.
 * `--smaps auto` reads full smaps only where smaps_rollup's Rss grew (analyze/smaps-auto.ts). */
import { watchSpec } from '../specs/watch.js';
import { EXIT, MapsdiffError, UsageError } from '../../errors.js';
import { compareReports } from '../../analyze/compare.js';
import type { Measure } from '../../model/compare.js';
import { rankedBy } from '../compare-by.js';
import type { SnapshotReport } from '../../model/report.js';
import type { Selection } from '../../collect/source.js';
import type { SnapshotStore } from '../../store/store.js';
import { largestGrowth } from '../../analyze/growth.js';
import { renderWatchGap, renderWatchLine, renderWatchSummary, type WatchLine } from '../../render/watch-text.js';
import { renderWatchGapJson, renderWatchLineJson, renderWatchSummaryJson } from '../../render/watch-json.js';
import { openStore, paintFor, reportFor, type GlobalArgs } from '../context.js';
import { parseCount, parseHexAddress, parseSize, selectionFrom } from '../options.js';
import { newSmapsAuto, nextSmapsRequest, recordSmapsCapture } from '../../analyze/smaps-auto.js';
import type { SmapsMode } from '../../model/snapshot.js';
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
  smaps?: unknown;
  smapsEvery?: unknown;
  noise?: string;
  cmdline?: boolean;
  ceiling?: string;
  lenient?: boolean;
  json?: boolean;
  by?: Measure;
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
  ceiling?: number;
  lenient?: boolean;
  /** What ranks each line's growth (--by; compare's default without it). */
  by?: Measure;
  /** --smaps auto: every Nth capture reads all, and Rss growth up to `noise` bytes is noise. */
  smapsAuto?: { every: number; noise: number };
}

/** --smaps's mode: no value or full, auto, rollup (none given: rollup). */
function smapsMode(v: unknown): SmapsMode {
  const last = Array.isArray(v) ? v[v.length - 1] : v;
  if (last === undefined || last === false || last === 'rollup' || last === 'false') return 'rollup';
  if (last === '' || last === true || last === 'full' || last === 'true') return 'full';
  if (last === 'auto') return 'auto';
  throw new UsageError(`--smaps takes full, auto or rollup, and got ${JSON.stringify(String(last))}; ` +
    'a target written right after --smaps is read as its value: write --smaps full (or auto), or put --smaps after the targets');
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
        retries: parseCount(args.retries ?? 2, '--retries', 0, 'retries'), lenient: args.lenient, by: args.by,
        ...(args.ceiling ? { ceiling: parseHexAddress(args.ceiling, '--ceiling') } : {}),
      };
      const mode = smapsMode(args.smaps);
      if (mode !== 'auto' && (args.smapsEvery !== undefined || args.noise !== undefined)) {
        throw new UsageError(`${args.smapsEvery !== undefined ? '--smaps-every' : '--noise'} says when --smaps auto reads full smaps; add --smaps auto, or drop it`);
      }
      if (mode === 'auto') {
        plan.smapsAuto = { every: parseCount(args.smapsEvery ?? 10, '--smaps-every', 1, 'captures'), noise: parseSize(args.noise ?? '4K', '--noise') };
      }
      const sources = await openSources([...new Set(args.targets)], args, io);
      const byMode = { ...args, smaps: mode === 'full' };
      const explicit = selectionFrom(byMode, false);
      // refuses a missing selection before the first capture; auto decides smaps itself, whatever a target file says
      const sels = sources.map((s) => selectionFor(s, explicit, byMode)).map((sel) => (mode === 'auto' ? { ...sel, smaps: false } : sel));
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
  const auto = plan.smapsAuto ? newSmapsAuto(plan.smapsAuto.every, plan.smapsAuto.noise) : null;
  for (let tick = 0, done = 0; !io.signal.aborted; done++) {
    if (plan.count !== null && done >= plan.count) break;
    const due = start + tick * plan.every;
    if (plan.forMs !== null && due - start > plan.forMs) break;
    await sleep(due - Date.now(), io.signal);
    if (io.signal.aborted) break;
    let error: unknown = null;
    let attempts = 0;
    const ask = auto ? nextSmapsRequest(auto) : null;
    const now: Selection = !ask ? sel : ask.full ? { ...sel, smaps: true } : { ...sel, smaps: false, smapsAbove: ask.above };
    for (; attempts <= plan.retries && !io.signal.aborted; attempts++) {
      if (attempts > 0) await sleep(Math.min(plan.every / 4, 2000), io.signal);
      try {
        const saved = await captureOne(store, s, now, { lenient: plan.lenient, ceiling: plan.ceiling, ...(auto ? { smapsMode: 'auto' as const } : {}) }, io.signal);
        const report = reportFor(saved.snapshot); // as stored, without reading it back
        stored.push(saved.name);
        if (auto) recordSmapsCapture(auto, saved.snapshot.parsed.processes);
        // ranked as compare ranks (RSS when every process has it on both sides, else VSZ; --by)
        const sinceFirst = first && rankedBy(compareReports(first, report), plan.by);
        const sinceLast = last && last !== first ? rankedBy(compareReports(last, report), plan.by) : null;
        io.stdout.write(out.line({
          at: new Date(), target, snapshot: saved.name, processes: saved.processes, smaps: saved.snapshot.meta.smaps, sinceFirst, sinceLast,
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
