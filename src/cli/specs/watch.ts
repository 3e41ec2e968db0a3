/*! `mapsdiff watch`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/watch.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { captureOptions } from '../capture-options.js';

export const watchSpec = {
  command: 'watch <targets..>',
  describe: 'capture on a schedule into the store, one line per capture, until --count, --for or Ctrl-C',
  builder: (y: Argv) =>
    captureOptions(y, true)
      .option('every', { type: 'string', demandOption: true, describe: 'time between captures, e.g. 30s, 5m, 200ms' })
      .option('count', { requiresArg: true, describe: 'stop after N captures (a gap counts as one)' })
      .option('for', { type: 'string', describe: 'stop after this long, e.g. 2h' })
      .option('retries', { requiresArg: true, default: 2, describe: 'retries of a failed capture before it is recorded as a gap' })
      .option('smaps-every', { requiresArg: true, describe: 'with --smaps auto: every Nth capture (the first included) reads full smaps of every process (default 10)' })
      .option('noise', { type: 'string', describe: 'with --smaps auto: Rss growth of at most SIZE since the last full read is noise (default 4K, as trend)' })
      .option('json', { type: 'boolean', describe: 'one JSON object per line: each capture, each gap, then a summary per target' })
      .option('by', { choices: ['vsz', 'rss', 'pss', 'uss'] as const, describe: 'what ranks each line\'s growth, as for compare: vsz (the region that grew most in size), rss, pss, uss (the process that grew most in it; default: rss when both captures have it, else vsz)' })
      .conflicts('count', 'for'),
};
