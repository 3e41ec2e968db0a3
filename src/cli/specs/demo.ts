/*! `mapsdiff demo`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/demo.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const demoSpec = {
  command: 'demo',
  describe: 'start a process that allocates, capture it twice from /proc, compare',
  builder: (y: Argv) => y.option('wait', { requiresArg: true, default: 2, describe: 'seconds between the two captures' }),
};
