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
