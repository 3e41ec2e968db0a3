/*! `mapsdiff script [--pid N | --process NAME | --all]`: prints the console capture script
 * (collect/console-script.ts) for a console where nothing can be automated, ready to paste:
 * a here-document to `sh -s`. Save the terminal's log (minicom, picocom, screen) and give it
 * to `mapsdiff import`: the sums on every closing line are checked there. */
import { scriptSpec } from '../specs/script.js';
import { buildConsoleScript } from '../../collect/console-script.js';
import { newBoundary } from '../../collect/remote-script.js';
import { selectionFrom } from '../options.js';
import type { Io } from '../io.js';

interface Args {
  pid?: number[];
  process?: string[];
  all?: boolean;
  smaps?: boolean;
  cmdline?: boolean;
}

export function scriptCommand(io: Io) {
  return {
    ...scriptSpec,
    handler: (args: Args) => {
      const sel = selectionFrom(args, true);
      const eof = 'MAPSDIFF_EOF_' + newBoundary().slice(0, 8);
      io.stdout.write(`sh -s <<'${eof}'\n${buildConsoleScript(sel, newBoundary())}${eof}\n`);
    },
  };
}
