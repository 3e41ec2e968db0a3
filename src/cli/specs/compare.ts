/*! `mapsdiff compare`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/compare.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { CEILING_HELP } from '../options.js';

export const compareSpec = {
  command: 'compare [a] [b]',
  describe: 'which process and which regions grew between two snapshots (default: the two newest of the same target)',
  builder: (y: Argv) =>
    y
      .positional('a', { type: 'string', describe: 'the earlier snapshot (name, latest~1, ...)' })
      .positional('b', { type: 'string', describe: 'the later snapshot (default: latest)' })
      .option('pid', { type: 'number', array: true, describe: 'only this process (repeatable)' })
      .option('process', { type: 'string', array: true, describe: 'only processes of this name (repeatable)' })
      .option('min-delta', { type: 'string', describe: 'hide regions that changed by less than SIZE (e.g. 64K)' })
      .option('sort', { choices: ['delta', 'address'] as const, default: 'delta' as const, describe: 'order of the regions' })
      .option('all', { type: 'boolean', describe: 'also list regions that did not change' })
      .option('raw', { type: 'boolean', describe: 'a unified diff of the raw maps text of each process' })
      .option('json', { type: 'boolean', describe: 'JSON (documented in the README)' })
      .option('fail-over', { type: 'string', describe: 'exit 1 when any process grew by more than SIZE in the --by measure (for soak tests)' })
      .option('by', { choices: ['vsz', 'rss', 'pss', 'uss'] as const, describe: 'what ranks and what --min-delta/--fail-over look at: vsz (VSZ or usable memory, whichever grew more), rss, pss, uss (default: rss when both captures have it, else vsz)' })
      .option('ceiling', { type: 'string', describe: CEILING_HELP })
      .option('force', { type: 'boolean', describe: 'compare snapshots that come from two different boards anyway' })

      .option('target', { type: 'string', requiresArg: true, describe: 'A and B among this target\'s snapshots (default: its two newest)' }),
};
