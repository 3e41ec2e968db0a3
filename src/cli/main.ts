/*! The entry point: parses the arguments (fast-args.ts for a well-formed command line, else
 * yargs, yargs-cli.ts), runs one command, and is the only place
 * that turns errors into exit codes (0 ok, 1 threshold, 2 usage/bad input, 3 capture).
 * A user's mistake prints one clear message, never a stack trace. */
import fs from 'node:fs';
import { EXIT, MapsdiffError } from '../errors.js';
import type { Io } from './io.js';
import { runCommand } from './commands/index.js';
import { commandSpecs } from './specs.js';
import { fastArgs } from './fast-args.js';
import { didYouMean } from './suggest.js';
import { escapeForTerminal } from '../render/escape.js';

/** Every exit code, as the top-level help lists them (README "Exit codes" says the same). */
export const EXIT_CODES_HELP = [
  'Exit codes:',
  '  0    ok',
  '  1    a threshold was crossed: compare --fail-over SIZE (a process grew more), trend --fail-on-leak (a process leaks, or the board does: Shmem, SUnreclaim, a slab cache, a tmpfs mount...)',
  '  2    usage error or bad input: an unknown command, option or snapshot, an option value of the wrong form, a malformed file',
  '  3    a capture failed: target unreachable, login refused, no process matched',
  '  130  interrupted (Ctrl-C); captures already finished are kept',
].join('\n');

export async function main(argv: string[], io: Io): Promise<number> {
  // `mapsdiff help [CMD]` is `mapsdiff [CMD] --help`, as in git
  if (argv[0] === 'help') argv = [...argv.slice(1), '--help'];
  // `mapsdiff --version` alone: answered before yargs (which takes longer to load than node to start)
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${packageVersion()}\n`);
    return EXIT.OK;
  }
  // shell completion: answered before yargs, which would refuse the half-typed words
  if (argv[0] === '__complete') {
    const { complete } = await import('./complete.js');
    try { io.stdout.write(complete(argv.slice(1), io, commandSpecs()).join('\n') + '\n'); } catch { /* never an error while completing */ }
    return EXIT.OK;
  }
  if (argv[0] === 'completion') {
    const { COMPLETION_SCRIPTS } = await import('./complete.js');
    const script = argv.length === 2 ? COMPLETION_SCRIPTS[argv[1]!] : undefined;
    if (!script) { io.stderr.write(`mapsdiff: completion takes one shell: mapsdiff completion ${Object.keys(COMPLETION_SCRIPTS).join('|')}${argv[1] ? didYouMean(argv[1], Object.keys(COMPLETION_SCRIPTS)) : ''}\n`); return EXIT.USAGE; }
    io.stdout.write(script);
    return EXIT.OK;
  }
  // the man page (man/mapsdiff.1), written from the same command specs as the help
  if (argv[0] === '__manpage') {
    const { renderManPage } = await import('./manpage.js');
    io.stdout.write(renderManPage(commandSpecs(), EXIT_CODES_HELP));
    return EXIT.OK;
  }
  let exitCode: number = EXIT.OK;
  const setExit = (code: number) => {
    exitCode = Math.max(exitCode, code);
  };
  const run = (name: string, args: Record<string, unknown>) => runCommand(name, io, setExit, args);
  try {
    // a well-formed command line runs without yargs; anything else (help, a mistake) is yargs' to answer
    const fast = fastArgs(argv);
    if (fast) await run(fast.command, fast.args);
    else await (await import('./yargs-cli.js')).parseWithYargs(argv, io, run);
  } catch (err) {
    return report(err, io);
  }
  return exitCode;
}

/** The version yargs' --version prints: package.json's, two folders above dist/src/cli/. */
function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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
