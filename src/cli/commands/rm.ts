/*! `mapsdiff rm NAME...`: remove snapshots from the store (only what is named). */
import type { Argv } from 'yargs';
import { openStore, type GlobalArgs } from '../context.js';
import type { Io } from '../io.js';

export function rmCommand(io: Io) {
  return {
    command: 'rm <names..>',
    describe: 'remove snapshots from the store',
    builder: (y: Argv) => y.positional('names', { type: 'string', array: true, describe: 'snapshot names or refs' }),
    handler: (args: GlobalArgs & { names: string[] }) => {
      const store = openStore(args, io);
      const resolved = args.names.map((n) => store.resolveForRemoval(n)); // refuse all before removing any; a damaged file can be removed
      for (const n of new Set(resolved)) io.stdout.write(`removed ${store.remove(n)}\n`);
    },
  };
}
