/*! The command table. Each command lives in its own file and stays thin: resolve,
 * collect or load, analyze, render, write. Only the specs (../specs/) are loaded up front;
 * a command's handler, and whatever it imports (ssh2, diff, the HTML renderer...), is
 * loaded when that command runs. */
import type { Argv, CommandModule } from 'yargs';
import type { Io } from '../io.js';
import { EXAMPLES } from '../examples.js';
import { COMMAND_SPECS, commandName } from '../specs/index.js';

type SetExit = (code: number) => void;
type Handler = (args: never) => unknown;

/** Runs the named command with its parsed arguments (main.ts's runner loads its handler). */
export type RunCommand = (name: string, args: Record<string, unknown>) => Promise<void>;

/** Each command's handler, imported on first use. */
const HANDLERS: Record<string, (io: Io, setExit: SetExit) => Promise<Handler>> = {
  demo: async (io, setExit) => (await import('./demo.js')).demoCommand(io, setExit).handler,
  capture: async (io, setExit) => (await import('./capture.js')).captureCommand(io, setExit).handler,
  compare: async (io, setExit) => (await import('./compare.js')).compareCommand(io, setExit).handler,
  import: async (io) => (await import('./import.js')).importCommand(io).handler,
  list: async (io) => (await import('./list.js')).listCommand(io).handler,
  show: async (io) => (await import('./show.js')).showCommand(io).handler,
  rm: async (io) => (await import('./rm.js')).rmCommand(io).handler,
  script: async (io) => (await import('./script.js')).scriptCommand(io).handler,
  report: async (io) => (await import('./report.js')).reportCommand(io).handler,
  trend: async (io, setExit) => (await import('./trend.js')).trendCommand(io, setExit).handler,
  watch: async (io, setExit) => (await import('./watch.js')).watchCommand(io, setExit).handler,
  serve: async (io) => (await import('./serve.js')).serveCommand(io).handler,
  export: async (io) => (await import('./export.js')).exportCommand(io).handler,
};

/** Loads the command's handler and runs it with the parsed arguments. */
export async function runCommand(name: string, io: Io, setExit: SetExit, args: Record<string, unknown>): Promise<void> {
  await (await HANDLERS[name]!(io, setExit) as (a: unknown) => unknown)(args);
}

/** Declares every command of the table to yargs; the one it picks runs through `run`. */
export function registerCommands(y: Argv, run: RunCommand): void {
  for (const spec of COMMAND_SPECS) {
    const name = commandName(spec);
    const examples = EXAMPLES[name] ?? [];
    const builder = spec.builder as (y: Argv) => Argv;
    y.command({
      ...spec,
      builder: (yy: Argv) => examples.reduce((acc, [cmd, what]) => acc.example(cmd, what), builder(yy)),
      handler: (args: Record<string, unknown>) => run(name, args),
    } as unknown as CommandModule);
  }
}
