/*! The full parser, yargs: everything the fast path (fast-args.ts) leaves to it — help, the
 * version with other words, usage errors with their did-you-mean, and any argument list the
 * fast path does not take as certainly well-formed. Loaded only then: yargs takes longer to
 * load than node takes to start. Runs the chosen command through `run`. */
import { UsageError } from '../errors.js';
import type { Io } from './io.js';
import { registerCommands, type RunCommand } from './commands/index.js';
import { GLOBAL_OPTIONS } from './specs.js';
import { didYouMean } from './suggest.js';
import { EXIT_CODES_HELP } from './main.js';

/** Parses argv with yargs and runs its command through `run`; rejects with the usage error or the command's error. */
export async function parseWithYargs(argv: string[], io: Io, run: RunCommand): Promise<void> {
  // imported here, not at the top: a bundle (scripts/bundle.mjs) hoists a static import of a package to its start
  const { default: yargs } = await import('yargs');
  const parser = yargs(argv)
    .scriptName('mapsdiff')
    .usage('$0 <command> [options]\n\nWhich memory region of which process grew between two captures, and is it a leak.')
    .option('store', GLOBAL_OPTIONS.store!)
    .option('color', GLOBAL_OPTIONS.color!)
    .strict()
    .demandCommand(1, 'name a command; see mapsdiff --help')
    .recommendCommands()
    .alias('h', 'help')
    .alias('V', 'version')
    .epilog(`'mapsdiff help CMD' (or CMD --help) shows a command's options and examples; eval "$(mapsdiff completion bash)" (or zsh; fish: mapsdiff completion fish | source) completes commands, options, snapshots and targets; man mapsdiff has it all on one page.\n\n${EXIT_CODES_HELP}`)
    .wrap(Math.min(100, (io.stdout as { columns?: number }).columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      // yargs' own validation errors (YError: "Not enough arguments following: count") are usage errors too
      if (err && err.name !== 'YError') throw err;
      throw new UsageError(`${unknownOptions(msg, parser as unknown as OptionsOf, argv) ?? msg ?? err?.message}\n(see 'mapsdiff --help')`);
    });
  // yargs renders the command's whole help after each command, in case it is to be shown later;
  // ours never is (fail() above throws instead), and rendering it took longer than the command
  (parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } })
    .getInternalMethods().getUsageInstance().cacheHelpMessage = () => {};
  registerCommands(parser, run);
  await parser.parseAsync();
}

/** yargs' "Unknown arguments: min-detla, minDetla" as options the user typed, each with the nearest known ones. */
type OptionsOf = { getOptions(): { key: Record<string, unknown> } };
function unknownOptions(msg: string | null, y: OptionsOf, argv: string[]): string | null {
  const m = msg ? /^Unknown arguments?: (.*)$/.exec(msg) : null;
  if (!m) return null;
  const known = Object.keys(y.getOptions().key).filter((k) => k.length > 1 && !/[A-Z]/.test(k) && k !== '$0');
  const typed = m[1]!.split(', ').filter((k) => !/[A-Z]/.test(k) || !m[1]!.includes(k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())));
  // a word typed without dashes (an unknown command or an extra argument) is left as yargs says it
  if (!typed.every((k) => argv.some((a) => a.replace(/=.*$/, '') === (k.length === 1 ? `-${k}` : `--${k}`)))) return null;
  return typed.map((k) => {
    const flag = k.length === 1 ? `-${k}` : `--${k}`;
    return `unknown option ${flag}${didYouMean(k, known, (c) => `--${c}`)}`;
  }).join('\n');
}
