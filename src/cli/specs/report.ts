/*! `mapsdiff report`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/report.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { CEILING_HELP } from '../options.js';

export const reportSpec = {
  command: 'report [names..]',
  describe: 'draw one snapshot (or two compared) as a self-contained HTML page or an SVG picture',
  builder: (y: Argv) =>
    y
      .positional('names', { type: 'string', array: true, describe: 'one snapshot, two to compare, three or more of one target for a series (latest, latest~1, t3, ...), or a target: all its captures as a series' })
      .option('output', { alias: 'o', type: 'string', requiresArg: true, describe: 'write the HTML report here (opens offline in any browser); - is stdout' })
      .option('svg', { type: 'string', requiresArg: true, describe: 'write one picture here: the first (or --pid) process; for two snapshots the one that grew most; - is stdout' })
      .option('pid', { type: 'number', array: true, describe: 'only this process (repeatable)' })
      .option('ceiling', { type: 'string', describe: CEILING_HELP })
      .option('by', { choices: ['vsz', 'rss', 'pss', 'uss'] as const, describe: 'two snapshots: what ranks the processes and regions, as for compare: vsz, rss, pss, uss (default: rss when both captures have it, else vsz)' })

      .option('target', { type: 'string', requiresArg: true, describe: 'every capture of this target as a series (or the names among its snapshots)' }),
};
