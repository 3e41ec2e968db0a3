/*! `mapsdiff rm`'s yargs spec as data: its name and positionals, what it does, its options. Light to
 * import (no handler, nothing heavy): main.ts registers it, completion and the man page read it;
 * the handler in ../commands/rm.ts is loaded only when the command runs. */
import type { Argv } from 'yargs';

export const rmSpec = {
  command: 'rm <names..>',
  describe: 'remove snapshots from the store',
  builder: (y: Argv) => y.positional('names', { type: 'string', array: true, describe: 'snapshot names or refs (TARGET:REF for one target\'s)' })
    .option('target', { type: 'string', requiresArg: true, describe: 'the names are refs among this target\'s snapshots (rm --target board1 latest)' }),
};
