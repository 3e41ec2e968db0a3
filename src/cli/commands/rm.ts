/*! `mapsdiff rm NAME...`: remove snapshots from the store (only what is named). */
import type { Argv } from 'yargs';
import { openStore, type GlobalArgs } from '../context.js';
import type { Io } from '../io.js';
import { withinTarget } from '../../store/names.js';

export function rmCommand(io: Io) {
  return {
    command: 'rm <names..>',
    describe: 'remove snapshots from the store',
    builder: (y: Argv) => y.positional('names', { type: 'string', array: true, describe: 'snapshot names or refs (TARGET:REF for one target\'s)' })
      .option('target', { type: 'string', requiresArg: true, describe: 'the names are refs among this target\'s snapshots (rm --target board1 latest)' }),
    handler: (args: GlobalArgs & { names: string[]; target?: string }) => {
      const store = openStore(args, io);
      const resolved = args.names.map((n) => store.resolveForRemoval(withinTarget(n, args.target))); // refuse all before removing any; a damaged file can be removed
      for (const n of new Set(resolved)) io.stdout.write(`removed ${store.remove(n)}\n`);
    },
  };
}
