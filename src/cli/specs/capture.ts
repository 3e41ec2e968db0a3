/*! `mapsdiff capture`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/capture.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';
import { captureOptions } from '../capture-options.js';

export const captureSpec = {
  command: 'capture <targets..>',
  describe: "capture processes' maps, meminfo and limits into the store ('local' = this machine)",
  builder: (y: Argv) =>
    captureOptions(y)
      .option('name', { type: 'string', describe: 'snapshot name (one target only; default: the next free t0, t1, ...)' })
      .option('concurrency', { requiresArg: true, default: 4, describe: 'targets captured at once (a whole number, 1 or more)' })
      .option('json', { type: 'boolean', describe: 'print {"snapshots": [{target, name, processes, skipped, unmatched}], "failed": [{target, error, exitCode}]}' }),
};
