/*! Snapshot names and refs: the rules for a valid name, the next free tN, and how
 * `latest` / `latest~N` resolve against a list ordered oldest first. Pure. */
import { UsageError } from '../errors.js';

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

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
  const m = /^latest(?:~(\d+))?$/.exec(ref);
  if (m) {
    const back = Number(m[1] ?? 0);
    const idx = ordered.length - 1 - back;
    if (idx < 0) {
      throw new UsageError(
        ordered.length === 0
          ? `no snapshots yet, so ${ref} names nothing: make one with 'mapsdiff capture local --pid PID' or 'mapsdiff import FILE'`
          : `${ref} goes back ${back} but the store holds only ${ordered.length} snapshot(s): ${ordered.join(', ')}`,
      );
    }
    return ordered[idx]!;
  }
  if (ordered.includes(ref)) return ref;
  throw new UsageError(
    `no snapshot named ${JSON.stringify(ref)}; ` +
      (ordered.length ? `the store holds: ${ordered.join(', ')}` : `the store is empty: make one with 'mapsdiff capture local --pid PID'`),
  );
}
