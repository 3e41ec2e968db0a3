/*! `mapsdiff rm NAME...`: remove snapshots from the store (only what is named). */
import { rmSpec } from '../specs/rm.js';
import { openStore, type GlobalArgs } from '../context.js';
import type { Io } from '../io.js';
import { withinTarget } from '../../store/names.js';

export function rmCommand(io: Io) {
  return {
    ...rmSpec,
    handler: (args: GlobalArgs & { names: string[]; target?: string }) => {
      const store = openStore(args, io);
      const resolved = args.names.map((n) => store.resolveForRemoval(withinTarget(n, args.target))); // refuse all before removing any; a damaged file can be removed
      for (const n of new Set(resolved)) io.stdout.write(`removed ${store.remove(n)}\n`);
    },
  };
}
