/*! `mapsdiff list`: the snapshots in the store, oldest first. */
import { listSpec } from '../specs/list.js';
import { openStore, type GlobalArgs } from '../context.js';
import type { Io } from '../io.js';
import { table } from '../../render/table.js';
import { escapeForTerminal as esc, toJson } from '../../render/escape.js';

export function listCommand(io: Io) {
  return {
    ...listSpec,
    handler: (args: GlobalArgs & { json?: boolean; target?: string }) => {
      const store = openStore(args, io);
      const metas = store.list().filter((m) => args.target === undefined || m.target === args.target);
      if (args.json) {
        io.stdout.write(toJson({ store: store.dir, snapshots: metas }, 2) + '\n');
        return;
      }
      io.stdout.write(`store: ${esc(store.dir)}\n`); // which store: the nearest .mapsdiff/ may not be the one expected
      if (metas.length === 0) {
        io.stdout.write(`no snapshots${args.target !== undefined ? ` of target ${esc(args.target)}` : ''} in ${store.dir} yet: 'mapsdiff capture local --pid PID' or 'mapsdiff import FILE' makes one\n`);
        return;
      }
      const rows = metas.map((m) => [m.name, esc(m.target), m.via, m.capturedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'), esc(m.from ?? '')]);
      io.stdout.write(table([{ header: 'NAME' }, { header: 'TARGET' }, { header: 'VIA' }, { header: 'CAPTURED (UTC)' }, { header: 'FROM' }], rows));
    },
  };
}
