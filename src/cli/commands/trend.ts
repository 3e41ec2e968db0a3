/*! `mapsdiff trend [TARGET | NAME... | --since NAME]`: is it a leak? Picks the series (one
 * target), loads it one snapshot at a time (the analysis keeps only curves), analyses,
 * renders; --fail-on-leak sets exit 1. Thin: no verdict logic lives here. */
import type { Argv } from 'yargs';
import { renderTrendJson } from '../../render/trend-json.js';
import { renderTrendText } from '../../render/trend-text.js';
import { escapeForTerminal as esc } from '../../render/escape.js';
import { openStore, paintFor, type GlobalArgs } from '../context.js';
import { runTrend, targetNames } from '../series.js';
import { asList, CEILING_HELP, parseHexAddress, parsePid, parseSize } from '../options.js';
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
    command: 'trend [names..]',
    describe: 'is it a leak? verdicts over a series of captures of one target (default: every capture of the latest target)',
    builder: (y: Argv) =>
      y
        .positional('names', { type: 'string', array: true, describe: 'a target (all its captures), or the snapshots of the series' })
        .option('since', { type: 'string', describe: 'the captures of this snapshot\'s target from this one on' })
        .option('process', { type: 'string', array: true, describe: 'only processes of this name (repeatable)' })
        .option('pid', { type: 'number', array: true, describe: 'only this process (repeatable)' })
        .option('json', { type: 'boolean', describe: 'JSON (documented in docs/trend.md)' })
        .option('fail-on-leak', { type: 'boolean', describe: 'exit 1 when any leak is found (for soak tests)' })
        .option('force', { type: 'boolean', describe: 'judge a series whose captures come from different boards anyway' })
        .option('warmup', { type: 'string', describe: 'steady state starts this long after each process started, e.g. 5m (default: after the first quarter of the series)' })
        .option('noise', { type: 'string', default: '4K', describe: 'changes of at most SIZE between captures are noise' })
        .option('ceiling', { type: 'string', describe: CEILING_HELP })
        .option('target', { type: 'string', requiresArg: true, describe: 'every capture of this target (or the names among its snapshots)' }),
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
