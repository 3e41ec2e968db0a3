/*! Colors for the terminal, and the one place that decides whether to use them (colorWanted);
 * a plain Paint otherwise. The only module that imports kleur. */
import kleur from 'kleur';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  warn(s: string): string;
  good(s: string): string;
  bad(s: string): string;
  kind(k: string): string;
  /** `text` in kind `k`'s color (the map bar's cells). */
  kindAs(k: string, text: string): string;
}

const KIND_COLORS: Record<string, (s: string) => string> = {
  code: kleur.blue, rodata: kleur.cyan, data: kleur.green, bss: kleur.green, heap: kleur.red,
  stack: kleur.magenta, 'thread-stack': kleur.magenta, arena: kleur.yellow, guard: kleur.gray,
  anon: kleur.yellow, shared: kleur.cyan, kernel: kleur.gray, free: kleur.gray,
};

export function makePaint(color: boolean): Paint {
  if (!color) {
    const id = (s: string) => s;
    return { bold: id, dim: id, warn: id, good: id, bad: id, kind: id, kindAs: (_k, s) => s };
  }
  kleur.enabled = true;
  return {
    bold: kleur.bold, dim: kleur.dim, warn: kleur.yellow, good: kleur.green, bad: kleur.red,
    kind: (k) => (KIND_COLORS[k] ?? ((s: string) => s))(k),
    kindAs: (k, s) => (KIND_COLORS[k] ?? ((t: string) => t))(s),
  };
}

const set = (v: string | undefined) => v !== undefined && v !== '';

/** Whether to paint, first rule that applies: --color/--no-color; FORCE_COLOR (Node's: 0 or
 * false turn colors off, any other value on) or CLICOLOR_FORCE other than 0 (bixense.com/clicolors);
 * NO_COLOR when non-empty (no-color.org: an empty NO_COLOR is as if unset); TERM=dumb; else
 * whether the stream is a TTY. kleur's own guess from the environment is never used. */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (set(env.FORCE_COLOR)) return !/^(0|false)$/i.test(env.FORCE_COLOR!);
  if (set(env.CLICOLOR_FORCE) && env.CLICOLOR_FORCE !== '0') return true;
  if (set(env.NO_COLOR)) return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}
