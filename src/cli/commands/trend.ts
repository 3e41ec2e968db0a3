/*! `mapsdiff trend [TARGET | NAME... | --since NAME]`: is it a leak? Picks the series (one
 * target), loads it one snapshot at a time (the analysis keeps only curves), analyses,
 * renders; --fail-on-leak sets exit 1 on a process's leak or the board's own (Shmem, SUnreclaim,
 * a slab cache, a tmpfs mount...). Thin: no verdict logic lives here. */
import { trendSpec } from '../specs/trend.js';
import { renderTrendJson } from '../../render/trend-json.js';
import { renderTrendText } from '../../render/trend-text.js';
import { escapeForTerminal as esc } from '../../render/escape.js';
import { openStore, paintFor, type GlobalArgs } from '../context.js';
import { runTrend, targetNames } from '../series.js';
import { asList, parseHexAddress, parsePid, parseSize } from '../options.js';
import { parseDuration } from '../duration.js';
import type { Io } from '../io.js';
import { withinTarget } from '../../store/names.js';
import type { TrendResult } from '../../model/trend.js';

// the series pipeline lives in cli/series.ts (wiring) and analyze/ (the logic); re-exported for existing callers
export { runTrend, runTrendWithCurves, targetNames, type TrendRequest } from '../series.js';

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
      if (!args['fail-on-leak']) return;
      const leaks = result.processes.filter((p) => p.verdict === 'leak');
      // the board's own leaks (judged beyond its noise floor) count unless --pid/--process narrowed the question to processes
      const narrowed = args.pid !== undefined || args.process !== undefined;
      const board = narrowed ? [] : boardLeaks(result);
      if (!leaks.length && !board.length) return;
      const procs = leaks.length ? `${leaks.length} process(es) leak: ${leaks.map((p) => `${esc(p.name || '?')} (pid ${p.pid})`).join(', ')}` : 'no process leaks';
      io.stderr.write(`mapsdiff: --fail-on-leak: ${procs}${board.length ? `${leaks.length ? '; and' : ', but'} the board does: ${board.join(', ')}` : ''}\n`);
      setExit(1);
    },
  };
}

/** The board's series judged a leak (issue 12): meminfo keys, slab caches, tmpfs mounts. MemAvailable
 * alone is not among them: it is judged at the process noise, and what makes it fall shows beyond the
 * board's noise in a key (MemFree, AnonPages, Shmem, SUnreclaim, ...) or in a process's leak. */
function boardLeaks(r: TrendResult): string[] {
  return [
    ...(r.system ?? []).filter((x) => x.verdict === 'leak').map((x) => esc(x.key)),
    ...(r.slab ?? []).filter((x) => x.verdict === 'leak').map((x) => `slab ${esc(x.cache)}`),
    ...(r.tmpfs ?? []).filter((x) => x.verdict === 'leak').map((x) => `tmpfs ${esc(x.mountPoint)}`),
  ];
}
