/*! The fast path of argument parsing: a small strict parser over the command table
 * (specs/index.ts) that takes the common well-formed command line — a known command, its
 * declared options spelled out, each value of the form its option declares, the positionals
 * it declares — and returns the arguments exactly as yargs would hand them to the command
 * (the same keys, camelCase twins, aliases, defaults and `_`/`$0`). Whatever it is not sure
 * of, it declines (null) and main.ts asks yargs (yargs-cli.ts): help, the version, every
 * usage error and its did-you-mean, `--` , short or camelCase spellings, `--x=` on a flag,
 * a value that begins with a dash, a repeated option, a number yargs would coerce oddly.
 * test/cli/fast-args.test.ts holds the two to the same result on a table of argument lists. */
import { COMMAND_SPECS, commandName } from './specs/index.js';
import { GLOBAL_OPTIONS } from './specs.js';

export interface FastParse {
  command: string;
  args: Record<string, unknown>;
}

interface Opt {
  name: string;
  type?: string;
  array?: boolean;
  choices?: readonly unknown[];
  default?: unknown;
  alias: string[];
  requiresArg?: boolean;
  demandOption?: boolean;
  nargs?: number;
}

interface Positional extends Opt {
  required: boolean;
  variadic: boolean;
}

interface Table {
  options: Map<string, Opt>;
  /** `-o` and other one-letter aliases, to their option. */
  short: Map<string, Opt>;
  positionals: Positional[];
  conflicts: [string, string][];
}

/** What a builder declares, as the fast path needs it; null when it calls anything the fast path does not model. */
function tableOf(spec: (typeof COMMAND_SPECS)[number]): Table | null {
  const declared = new Map<string, Opt>();
  const conflicts: [string, string][] = [];
  const positionalOpts = new Map<string, Opt>();
  let unknown = false;
  const opt = (name: string, o: Record<string, unknown> = {}): Opt => ({
    name,
    type: typeof o.type === 'string' ? o.type : undefined,
    array: Boolean(o.array),
    choices: Array.isArray(o.choices) ? o.choices : undefined,
    default: o.default,
    alias: o.alias === undefined ? [] : ([] as string[]).concat(o.alias as string | string[]),
    requiresArg: Boolean(o.requiresArg),
    demandOption: Boolean(o.demandOption),
  });
  const proxy: unknown = new Proxy({}, {
    get: (_t, prop) => (...args: unknown[]) => {
      if (prop === 'option' && typeof args[0] === 'string') declared.set(args[0], opt(args[0], args[1] as Record<string, unknown>));
      else if (prop === 'positional') positionalOpts.set(args[0] as string, opt(args[0] as string, args[1] as Record<string, unknown>));
      else if (prop === 'nargs' && typeof args[0] === 'string' && typeof args[1] === 'number') {
        const p = positionalOpts.get(args[0]);
        if (p) p.nargs = args[1]; else unknown = true;
      } else if (prop === 'conflicts' && typeof args[0] === 'string') {
        for (const other of ([] as string[]).concat(args[1] as string | string[])) conflicts.push([args[0], other]);
      } else if (prop !== 'example' && prop !== 'epilog') unknown = true;
      return proxy;
    },
  });
  (spec.builder as (y: unknown) => unknown)(proxy);
  if (unknown) return null;
  const positionals: Positional[] = [];
  for (const word of spec.command.split(' ').slice(1)) {
    const m = /^([<[])([a-z][a-z0-9-]*)(\.\.)?[>\]]$/.exec(word);
    if (!m) return null;
    const p = positionalOpts.get(m[2]!) ?? opt(m[2]!);
    positionals.push({ ...p, required: m[1] === '<', variadic: m[3] === '..' });
  }
  // every positional a string: yargs would coerce any other kind
  if (positionals.some((p) => p.type !== 'string' || p.choices || p.alias.length)) return null;
  if ([...positionalOpts.keys()].some((k) => !positionals.some((p) => p.name === k))) return null;
  const options = new Map<string, Opt>();
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) options.set(name, opt(name, o));
  for (const [name, o] of declared) options.set(name, o);
  const short = new Map<string, Opt>();
  for (const o of options.values()) {
    if (o.type !== undefined && !['string', 'boolean', 'number'].includes(o.type)) return null;
    if (o.type === 'boolean' && (o.array || o.choices || o.requiresArg)) return null;
    for (const a of o.alias) {
      if (a.length !== 1 || options.has(a)) return null;
      short.set(a, o);
    }
  }
  return { options, short, positionals, conflicts };
}

const camel = (k: string): string => k.replace(/-([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A plain decimal whole number, as yargs reads it the same way (no sign, no leading zero, no exponent). */
const PLAIN_NUMBER = /^(0|[1-9]\d{0,14})$/;

/** The arguments for the command, as yargs would give them; null when yargs must decide. */
export function fastArgs(argv: readonly string[]): FastParse | null {
  // before the command: only the global options
  let i = 0;
  const given = new Map<Opt, unknown>();
  const globals: Table = { options: new Map(Object.entries(GLOBAL_OPTIONS).map(([n, o]) => [n, { name: n, type: o.type, alias: [] }])), short: new Map(), positionals: [], conflicts: [] };
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const took = option(argv, i, globals, given);
    if (took === null) return null;
    i += took;
  }
  const name = argv[i];
  const spec = COMMAND_SPECS.find((s) => commandName(s) === name);
  if (!spec) return null;
  const table = tableOf(spec);
  if (!table) return null;
  // the global options seen so far, as this command's (the same declarations)
  const early = [...given].map(([o, v]) => [table.options.get(o.name)!, v] as const);
  given.clear();
  for (const [o, v] of early) given.set(o, v);
  const words: string[] = [];
  for (i++; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-') && a !== '-') {
      const took = option(argv, i, table, given);
      if (took === null) return null;
      i += took;
    } else {
      words.push(a);
    }
  }
  for (const [x, y] of table.conflicts) {
    if ([...given.keys()].some((o) => o.name === x) && [...given.keys()].some((o) => o.name === y)) return null;
  }
  const args: Record<string, unknown> = { _: [name] };
  const set = (o: Opt, v: unknown) => {
    for (const k of [o.name, ...o.alias]) {
      args[k] = v;
      if (k.includes('-')) args[camel(k)] = v;
    }
  };
  for (const o of table.options.values()) {
    if (given.has(o)) set(o, given.get(o));
    else if (o.demandOption) return null;
    else if (o.default !== undefined) set(o, o.default);
  }
  // the positionals, in their order; a lone `-` (stdin) only where yargs keeps it as typed (nargs 1)
  let w = 0;
  for (const p of table.positionals) {
    if (p.variadic) {
      const rest = words.slice(w);
      w = words.length;
      if (rest.includes('-') || (p.required && rest.length === 0)) return null;
      set(p, rest);
    } else if (w < words.length) {
      const v = words[w++]!;
      if (v === '-' && p.nargs !== 1) return null;
      set(p, v);
    } else if (p.required) {
      return null;
    } else if (p.default !== undefined) {
      set(p, p.default);
    }
  }
  if (w < words.length) return null; // an extra word: yargs' "Unknown argument"
  args.$0 = 'mapsdiff';
  return { command: name!, args };
}

/** Reads the option at argv[i] into `given`; returns how many more words it took (0 or 1), or null to decline. */
function option(argv: readonly string[], i: number, table: Table, given: Map<Opt, unknown>): number | null {
  const a = argv[i]!;
  let o: Opt | undefined;
  let inline: string | undefined;
  let negated = false;
  if (a.startsWith('--')) {
    const eq = a.indexOf('=');
    const key = eq < 0 ? a.slice(2) : a.slice(2, eq);
    if (eq >= 0) inline = a.slice(eq + 1);
    o = table.options.get(key);
    if (!o && key.startsWith('no-') && inline === undefined) {
      o = table.options.get(key.slice(3));
      negated = true;
    }
  } else if (a.length === 2) {
    o = table.short.get(a[1]!);
  }
  if (!o || (given.has(o) && !o.array)) return null;
  if (o.type === 'boolean') {
    // `--x true` and `--x=false` are yargs' to read
    if (inline !== undefined || argv[i + 1] === 'true' || argv[i + 1] === 'false') return null;
    given.set(o, !negated);
    return 0;
  }
  if (negated) return null;
  let value = inline;
  if (value === undefined) {
    value = argv[i + 1];
    if (value === undefined || (value.startsWith('-') && !(value === '-' && o.requiresArg && o.type === 'string'))) return null;
  } else if (value === '') {
    return null;
  }
  let v: unknown = value;
  if (o.choices) {
    if (!o.choices.includes(value)) return null;
  } else if (o.type === 'number' || o.type === undefined) {
    // an untyped option: yargs makes a number of what looks like one, and leaves a word as typed
    if (PLAIN_NUMBER.test(value)) v = Number(value);
    else return null;
  }
  if (o.array) {
    // an array option takes every word after it (yargs): only one value, then an option or the end
    const next = argv[i + (inline === undefined ? 2 : 1)];
    if (next !== undefined && (!next.startsWith('-') || next === '-')) return null;
    given.set(o, [...((given.get(o) as unknown[] | undefined) ?? []), v]);
  } else {
    given.set(o, v);
  }
  return inline === undefined ? 1 : 0;
}
