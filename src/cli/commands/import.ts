/*! `mapsdiff import MAPS ...`: a hand-made capture (a maps file copied off a serial
 * console, or a whole capture in the collector's format) becomes a snapshot. */
import type { Argv } from 'yargs';
import { readImport } from '../../collect/file.js';
import { openStore, type GlobalArgs } from '../context.js';
import { CEILING_HELP, parseHexAddress, parsePid } from '../options.js';
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
    command: 'import <file>',
    describe: 'store a maps file (or a whole capture in the collector format) as a snapshot',
    builder: (y: Argv) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'a /proc/PID/maps dump, or a capture file (docs/capture-format.md); - reads stdin' })
        .nargs('file', 1) // else yargs re-parses the positional as `--file -` and loses the `-`
        .option('meminfo', { type: 'string', describe: 'a /proc/meminfo dump taken at the same time' })
        .option('ulimit-s', { type: 'string', describe: "what 'ulimit -s' printed on the board (8192 or unlimited)" })
        .option('pid', { type: 'number', describe: 'the pid the maps file belongs to (default 0: unknown)' })
        .option('name', { type: 'string', describe: 'snapshot name (default: the next free t0, t1, ...)' })
        .option('target', { type: 'string', default: 'imported', describe: 'label of the board it came from' })
        .option('ceiling', { type: 'string', describe: CEILING_HELP })
        .option('lenient', { type: 'boolean', describe: 'skip malformed maps lines (they are listed) instead of refusing the file' })
        .option('json', { type: 'boolean', describe: 'print {"snapshot", "processes", "skipped"}' }),
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
