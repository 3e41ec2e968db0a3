/*! Snapshot names and refs: the rules for a valid name, the next free tN, and how
 * `latest` / `latest~N` resolve against a list ordered oldest first. Pure. */
import { UsageError } from '../errors.js';

/** The letters a snapshot name is made of (JSON writes them unescaped). */
export const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** A name the store can hold and every command can address: a hidden file (`.x`) would be
 * stored but never listed, and `latest...` would be shadowed by the refs. */
export function isValidName(name: string): boolean {
  return NAME.test(name) && !name.startsWith('.') && !name.startsWith('latest');
}

export function checkName(name: string): string {
  if (!isValidName(name)) {
    throw new UsageError(
      `invalid snapshot name ${JSON.stringify(name)}: use 1-100 letters, digits, '.', '_' or '-', not starting with '.' or 'latest', e.g. --name before-soak`,
    );
  }
  return name;
}

/** The lowest tN not in `taken`, starting after the highest existing tN. */
export function nextAutoName(taken: Iterable<string>): string {
  let max = -1;
  for (const n of taken) {
    const m = /^t(\d{1,9})$/.exec(n);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `t${max + 1}`;
}

/** Resolves NAME, `latest` or `latest~N` against names ordered oldest first. */
export function resolveRef(ref: string, ordered: string[]): string {
  return pick(ref, ordered.length, (i) => ordered[i]!, (name) => ordered.includes(name), () => ordered);
}

/** Snapshots oldest first, as the store lists them (store/listing.ts), or an array of metas (`namedOf`). */
export interface Named {
  readonly length: number;
  name(i: number): string;
  target(i: number): string;
  /** The position of the snapshot named `name`, or -1. */
  find(name: string): number;
}

export const namedOf = (metas: { name: string; target: string }[]): Named => ({
  length: metas.length,
  name: (i) => metas[i]!.name,
  target: (i) => metas[i]!.target,
  find: (name) => metas.findIndex((m) => m.name === name),
});

/** resolveRef over `count` names, the i-th `nameAt(i)`; `all` for the messages only. */
function pick(ref: string, count: number, nameAt: (i: number) => string, has: (name: string) => boolean, all: () => string[]): string {
  const m = /^latest(?:~(\d+))?$/.exec(ref);
  if (m) {
    const back = Number(m[1] ?? 0);
    const idx = count - 1 - back;
    if (idx < 0) {
      throw new UsageError(
        count === 0
          ? `no snapshots yet, so ${ref} names nothing: make one with 'mapsdiff capture local --pid PID' or 'mapsdiff import FILE'`
          : `${ref} goes back ${back} but the store holds only ${count} snapshot(s): ${all().join(', ')}`,
      );
    }
    return nameAt(idx);
  }
  if (has(ref)) return ref;
  throw new UsageError(
    `no snapshot named ${JSON.stringify(ref)}; ` +
      (count ? `the store holds: ${all().join(', ')}` : `the store is empty: make one with 'mapsdiff capture local --pid PID'`),
  );
}

/** `TARGET:REF` (board1:latest, board1:latest~1, root@10.0.0.5:22:t3) resolves REF among that
 * target's snapshots only; a ref without `:` among all. Names never hold `:`, so the last `:`
 * splits (a target label may hold one, as user@host:port does). */
export function resolveQualified(ref: string, listed: Named): string {
  const names = (at: number[] | null) => {
    const out: string[] = [];
    for (let i = 0; i < (at ? at.length : listed.length); i++) out.push(listed.name(at ? at[i]! : i));
    return out;
  };
  const cut = ref.lastIndexOf(':');
  if (cut < 0) return pick(ref, listed.length, (i) => listed.name(i), (name) => listed.find(name) >= 0, () => names(null));
  const target = ref.slice(0, cut);
  const rest = ref.slice(cut + 1) || 'latest';
  const mine: number[] = [];
  for (let i = 0; i < listed.length; i++) if (listed.target(i) === target) mine.push(i);
  if (mine.length === 0) {
    const targets = new Set<string>();
    for (let i = 0; i < listed.length; i++) targets.add(listed.target(i));
    throw new UsageError(`no snapshot of target ${JSON.stringify(target)} (in ${JSON.stringify(ref)}); ` +
      (targets.size ? `the store holds captures of: ${[...targets].join(', ')}` : `the store is empty: make one with 'mapsdiff capture local --pid PID'`));
  }
  try {
    return pick(rest, mine.length, (i) => listed.name(mine[i]!), (name) => { const i = listed.find(name); return i >= 0 && listed.target(i) === target; }, () => names(mine));
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(`target ${target}: ${e.message.replace('the store holds only', 'it has only').replace('the store holds:', 'its snapshots are:')}`);
    throw e;
  }
}

/** REF within --target T: `T:REF`, unless REF names its target already. */
export const withinTarget = (ref: string, target: string | undefined): string => (target === undefined || ref.includes(':') ? ref : `${target}:${ref}`);
