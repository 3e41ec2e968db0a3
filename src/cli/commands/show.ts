/*! `mapsdiff show NAME`: one snapshot, every region with its kind and owner and the
 * free gaps, then totals, free space and stack headroom; as text, CSV or JSON. */
import { showSpec } from '../specs/show.js';
import { UsageError } from '../../errors.js';
import { loadSnapshot, openStore, paintFor, reportFor, type GlobalArgs } from '../context.js';
import { asList, parseHexAddress, parsePid } from '../options.js';
import type { Io } from '../io.js';
import { renderShowText, type ShowSort } from '../../render/show-text.js';
import { renderShowJson } from '../../render/show-json.js';
import { renderShowCsv } from '../../render/show-csv.js';
import { renderMapBar } from '../../render/map-bar.js';

interface Args extends GlobalArgs {
  name: string;
  pid?: number | number[];
  csv?: boolean;
  json?: boolean;
  map?: boolean;
  ceiling?: string;
  sort?: string;
}

export function showCommand(io: Io) {
  return {
    ...showSpec,
    handler: (args: Args) => {
      const store = openStore(args, io);
      const loaded = loadSnapshot(store, args.name);
      const pids = asList(args.pid).map((p) => parsePid(p, '--pid'));
      const missing = pids.filter((p) => !loaded.parsed.processes.some((q) => q.pid === p));
      if (missing.length) {
        const there = loaded.parsed.processes.map((p) => `${p.pid} (${p.name || '?'})`).join(', ');
        throw new UsageError(`snapshot ${loaded.meta.name} has no pid ${missing.join(', ')}; it holds: ${there}`);
      }
      const report = reportFor(loaded, { pids, ceiling: args.ceiling ? parseHexAddress(args.ceiling, '--ceiling') : undefined });
      if (args.json) io.stdout.write(renderShowJson(report));
      else if (args.csv) io.stdout.write(renderShowCsv(report));
      else if (args.map) {
        // as wide as the terminal (address column and margin aside), 64 cells when not a terminal
        const cols = (io.stdout as { columns?: number }).columns;
        const width = cols && cols > 40 ? Math.min(160, cols - 16) : 64;
        io.stdout.write(renderMapBar(report, { paint: paintFor(args, io), width }));
      }
      else io.stdout.write(renderShowText(report, { paint: paintFor(args, io), sort: (args.sort ?? 'address') as ShowSort }));
    },
  };
}
