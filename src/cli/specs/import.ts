/*! `mapsdiff import`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/import.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { CEILING_HELP } from '../options.js';

export const importSpec = {
  command: 'import <file>',
  describe: 'store a maps file (or a whole capture in the collector format) as a snapshot',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'a /proc/PID/maps dump, or a capture file (docs/capture-format.md); - reads stdin' })
      .nargs('file', 1) // else yargs re-parses the positional as `--file -` and loses the `-`
      .option('meminfo', { type: 'string', describe: 'a /proc/meminfo dump taken at the same time' })
      .option('ulimit-s', { type: 'string', describe: "what 'ulimit -s' printed on the board (8192 or unlimited)" })
      .option('pid', { type: 'number', describe: 'the pid the maps file belongs to (default 0: unknown)' })
      .option('name', { type: 'string', describe: 'snapshot name (default: the next free t0, t1, ...)' })
      .option('target', { type: 'string', default: 'imported', describe: 'label of the board it came from' })
      .option('ceiling', { type: 'string', describe: CEILING_HELP })
      .option('lenient', { type: 'boolean', describe: 'skip malformed maps lines (they are listed) instead of refusing the file' })
      .option('json', { type: 'boolean', describe: 'print {"snapshot", "processes", "skipped"}' }),
};
