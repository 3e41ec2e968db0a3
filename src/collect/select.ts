/*! Whether a process is one the user asked for: by pid, by comm, or by the basename of
 * the first word of its cmdline. Pure. */
import type { Selection } from './source.js';

export interface ProcEntry {
  pid: number;
  comm: string;
  /** First word of cmdline ('' for kernel threads). */
  argv0: string;
}

export function matchesSelection(p: ProcEntry, sel: Selection): boolean {
  if (sel.all) return true;
  if (sel.pids.includes(p.pid)) return true;
  const base = p.argv0.slice(p.argv0.lastIndexOf('/') + 1);
  return sel.names.some((n) => n === p.comm || (base !== '' && n === base));
}

/** `name (pid, pid)`, names in order, each one's pids by number (1, 98, 100), at most `cap` names. */
export function namesWithPids(byName: ReadonlyMap<string, readonly number[]>, cap: number): string {
  const names = [...byName.keys()].sort();
  const shown = names.slice(0, cap).map((n) => {
    const pids = [...byName.get(n)!].sort((x, y) => x - y);
    return `${JSON.stringify(n).slice(1, -1)} (${pids.slice(0, 4).join(', ')}${pids.length > 4 ? `, +${pids.length - 4}` : ''})`;
  });
  return shown.join(', ') + (names.length > cap ? `, ... (${names.length} names)` : '');
}
