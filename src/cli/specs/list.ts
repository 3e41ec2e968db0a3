/*! `mapsdiff list`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/list.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const listSpec = {
  command: 'list',
  describe: 'list the snapshots in the store',
  builder: (y: Argv) => y.option('json', { type: 'boolean', describe: 'print JSON' })
    .option('target', { type: 'string', requiresArg: true, describe: 'only the snapshots of this target' }),
};
