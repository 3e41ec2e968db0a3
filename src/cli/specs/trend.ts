/*! `mapsdiff trend`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/trend.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { CEILING_HELP } from '../options.js';

export const trendSpec = {
  command: 'trend [names..]',
  describe: 'is it a leak? verdicts over a series of captures of one target (default: every capture of the latest target)',
  builder: (y: Argv) =>
    y
      .positional('names', { type: 'string', array: true, describe: 'a target (all its captures), or the snapshots of the series' })
      .option('since', { type: 'string', describe: 'the captures of this snapshot\'s target from this one on' })
      .option('process', { type: 'string', array: true, describe: 'only processes of this name (repeatable)' })
      .option('pid', { type: 'number', array: true, describe: 'only this process (repeatable)' })
      .option('json', { type: 'boolean', describe: 'JSON (documented in docs/trend.md)' })
      .option('fail-on-leak', { type: 'boolean', describe: 'exit 1 when a process leaks, or the board does (a meminfo key such as Shmem or SUnreclaim, a slab cache, a tmpfs mount; not with --pid/--process) (for soak tests)' })
      .option('force', { type: 'boolean', describe: 'judge a series whose captures come from different boards anyway' })
      .option('warmup', { type: 'string', describe: 'steady state starts this long after each process started, e.g. 5m (default: after the first quarter of the series)' })
      .option('noise', { type: 'string', default: '4K', describe: 'changes of at most SIZE between captures are noise' })
      .option('ceiling', { type: 'string', describe: CEILING_HELP })
      .option('target', { type: 'string', requiresArg: true, describe: 'every capture of this target (or the names among its snapshots)' }),
};
