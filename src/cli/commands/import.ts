/*! `mapsdiff import MAPS ...`: a hand-made capture (a maps file copied off a serial
 * console, or a whole capture in the collector's format) becomes a snapshot. */
import { importSpec } from '../specs/import.js';
import { readImport } from '../../collect/file.js';
import { openStore, type GlobalArgs } from '../context.js';
import { parseHexAddress, parsePid } from '../options.js';
import { saveCapture } from '../save.js';
import type { Io } from '../io.js';
import { escapeForTerminal as esc, toJson } from '../../render/escape.js';

interface Args extends GlobalArgs {
  file: string;
  meminfo?: string;
  'ulimit-s'?: string;
  pid?: number;
  name?: string;
  target?: string;
  lenient?: boolean;
  ceiling?: string;
  json?: boolean;
}

export function importCommand(io: Io) {
  return {
    ...importSpec,
    handler: (args: Args) => {
      const store = openStore(args, io);
      const raw = readImport(args.file, {
        meminfo: args.meminfo,
        ulimitS: args['ulimit-s'],
        pid: args.pid === undefined ? 0 : parsePid(args.pid, '--pid'),
        cwd: io.cwd,
      });
      const saved = saveCapture(store, {
        raw,
        target: args.target ?? 'imported',
        via: 'import',
        from: args.file === '-' ? 'stdin' : args.file,
        name: args.name,
        lenient: args.lenient,
        ceiling: args.ceiling ? parseHexAddress(args.ceiling, '--ceiling') : undefined,
        source: args.file === '-' ? 'stdin' : args.file,
        // a bare maps file (or a capture holding only one maps section): empty, it says nothing
        requireMaps: raw.sections.filter((s) => s.pid !== undefined).length === 1 && raw.sections[0]!.name === 'maps',
      });
      io.stdout.write(args.json ? toJson({ snapshot: saved.name, processes: saved.processes, skipped: saved.skipped }, 2) + '\n' : saved.name + '\n');
      if (saved.skipped.length) {
        io.stderr.write(`--lenient: skipped ${saved.skipped.length} malformed line(s):\n${saved.skipped.map((s) => '  ' + esc(s)).join('\n')}\n`);
      }
    },
  };
}
