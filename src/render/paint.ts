/*! Colors for the terminal, only on a TTY and never with NO_COLOR; a plain Paint
 * otherwise. The only module that imports kleur. */
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

export const colorWanted = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean =>
  Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
