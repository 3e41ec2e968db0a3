/*! The commands as data, for the man page and shell completion: each command's usage,
 * description, positionals, options and examples, read from its yargs builder by recording
 * what the builder declares. `commandSpecs` is the one reader: whatever shape the command
 * table takes, only it needs to know. Runs no handler, reads no file. */
import { COMMAND_SPECS } from './specs/index.js';
import { EXAMPLES } from './examples.js';

export interface OptionSpec {
  name: string;
  describe?: string;
  type?: string;
  array?: boolean;
  choices?: readonly (string | number)[];
  default?: unknown;
  alias?: string[];
}

export interface CommandSpec {
  name: string;
  /** yargs' command string, e.g. "compare [a] [b]". */
  usage: string;
  describe: string;
  positionals: OptionSpec[];
  options: OptionSpec[];
  examples: [string, string][];
}

/** The options every command takes (main.ts declares them from here). */
export const GLOBAL_OPTIONS: Record<string, { type: 'string' | 'boolean'; describe: string; global: true }> = {
  store: { type: 'string', describe: 'snapshot store directory (default: $MAPSDIFF_STORE, else the nearest .mapsdiff/ above the working directory)', global: true },
  color: { type: 'boolean', describe: 'colors on or off (default: FORCE_COLOR or CLICOLOR_FORCE, else off with a non-empty NO_COLOR or TERM=dumb, else on a TTY)', global: true },
};

/** The global options plus -h/-V, as specs. */
export function globalOptionSpecs(): OptionSpec[] {
  return [
    ...Object.entries(GLOBAL_OPTIONS).map(([name, o]) => ({ name, type: o.type, describe: o.describe })),
    { name: 'help', type: 'boolean', alias: ['h'], describe: 'show help (of a command: mapsdiff CMD --help, or mapsdiff help CMD)' },
    { name: 'version', type: 'boolean', alias: ['V'], describe: 'show the version number' },
  ];
}

/** Commands that are not in the command table: answered by main.ts itself. */
export const EXTRA_COMMANDS: { name: string; usage: string; describe: string }[] = [
  { name: 'help', usage: 'help [command]', describe: "the help of a command, as 'mapsdiff CMD --help'" },
  { name: 'completion', usage: 'completion <bash|zsh|fish>', describe: 'print the shell completion script for bash, zsh or fish' },
];

/** Every command of the table, in its order, as data. */
export function commandSpecs(): CommandSpec[] {
  return COMMAND_SPECS.map((c) => {
    const name = c.command.split(' ')[0]!;
    const rec = record(c.builder as (y: unknown) => unknown);
    return { name, usage: c.command, describe: c.describe, positionals: rec.positionals, options: rec.options, examples: [...rec.examples, ...(EXAMPLES[name] ?? [])] };
  });
}

/** Runs a builder against a stand-in for yargs that keeps .option/.positional/.example and passes over the rest. */
function record(builder: (y: unknown) => unknown): { positionals: OptionSpec[]; options: OptionSpec[]; examples: [string, string][] } {
  const positionals: OptionSpec[] = [];
  const options: OptionSpec[] = [];
  const examples: [string, string][] = [];
  const spec = (name: string, o: Record<string, unknown> = {}): OptionSpec => ({
    name,
    ...(typeof o.describe === 'string' ? { describe: o.describe } : typeof o.desc === 'string' ? { describe: o.desc } : {}),
    ...(typeof o.type === 'string' ? { type: o.type } : {}),
    ...(o.array ? { array: true } : {}),
    ...(Array.isArray(o.choices) ? { choices: o.choices } : {}),
    ...(o.default !== undefined ? { default: o.default } : {}),
    ...(o.alias !== undefined ? { alias: ([] as string[]).concat(o.alias as string | string[]) } : {}),
  });
  const proxy: unknown = new Proxy({}, {
    get: (_t, prop) => (...args: unknown[]) => {
      if (prop === 'option' || prop === 'options') {
        if (typeof args[0] === 'string') options.push(spec(args[0], args[1] as Record<string, unknown>));
        else for (const [k, v] of Object.entries(args[0] as Record<string, Record<string, unknown>>)) options.push(spec(k, v));
      } else if (prop === 'positional') positionals.push(spec(args[0] as string, args[1] as Record<string, unknown>));
      else if (prop === 'example') examples.push([String(args[0]), String(args[1] ?? '')]);
      return proxy;
    },
  });
  builder(proxy);
  return { positionals, options, examples };
}
