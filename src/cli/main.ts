/*! The entry point: builds the yargs parser, runs one command, and is the only place
 * that turns errors into exit codes (0 ok, 1 threshold, 2 usage/bad input, 3 capture).
 * A user's mistake prints one clear message, never a stack trace. */
import yargs from 'yargs';
import { EXIT, MapsdiffError, UsageError } from '../errors.js';
import type { Io } from './io.js';
import { registerCommands } from './commands/index.js';
import { escapeForTerminal } from '../render/escape.js';

export async function main(argv: string[], io: Io): Promise<number> {
  let exitCode: number = EXIT.OK;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const parser = yargs(argv)
    .scriptName('mapsdiff')
    .usage('$0 <command> [options]\n\nWhich memory region of which process grew between two captures, and is it a leak.')
    .option('store', { type: 'string', describe: 'snapshot store directory (default: $MAPSDIFF_STORE, else the nearest .mapsdiff/ above the working directory)', global: true })
    .option('color', { type: 'boolean', describe: 'force colors on or off (default: on a TTY without NO_COLOR)', global: true })
    .strict()
    .demandCommand(1, 'name a command; see mapsdiff --help')
    .recommendCommands()
    .epilog('Exit codes: 0 ok, 1 threshold exceeded (--fail-over), 2 bad input or usage, 3 target unreachable or capture failed, 130 interrupted (Ctrl-C).')
    .wrap(Math.min(100, (io.stdout as { columns?: number }).columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(`${msg}\n(see 'mapsdiff --help')`);
    });
  registerCommands(parser, io, setExit);
  try {
    await parser.parseAsync();
  } catch (err) {
    return report(err, io);
  }
  return exitCode;
}

function report(err: unknown, io: Io): number {
  if (err instanceof MapsdiffError) {
    // a message may quote the board (a process name, a line): escaped, its own line breaks kept
    io.stderr.write(`mapsdiff: ${err.message.split('\n').map(escapeForTerminal).join('\n')}\n`);
    return err.exitCode;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && e.syscall) {
    // a file-system refusal the commands did not foresee: still the user's environment, not a bug
    io.stderr.write(`mapsdiff: ${e.message}\n`);
    return EXIT.USAGE;
  }
  io.stderr.write(`mapsdiff: internal error (a bug, please report it with this text):\n${(e && e.stack) || String(err)}\n`);
  return 70;
}
