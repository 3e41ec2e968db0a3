/*! `mapsdiff trend [TARGET | NAME... | --since NAME]`: is it a leak? Picks the series (one
 * target), loads it one snapshot at a time (the analysis keeps only curves), analyses,
 * renders; --fail-on-leak sets exit 1. Thin: no verdict logic lives here. */
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
      const leaks = result.processes.filter((p) => p.verdict === 'leak');
      if (args['fail-on-leak'] && leaks.length) {
        io.stderr.write(`mapsdiff: --fail-on-leak: ${leaks.length} process(es) leak: ${leaks.map((p) => `${esc(p.name || '?')} (pid ${p.pid})`).join(', ')}\n`);
        setExit(1);
      }
    },
  };
}
