/*! Whether a capture's selection (--pid, --process, --all) takes a process: the rule the
 * collectors apply (collect/select.ts), over what a snapshot recorded. Pure. */
import type { SnapshotMeta } from '../model/snapshot.js';

type Asked = NonNullable<SnapshotMeta['selection']>;

/** By pid, by comm, or by the basename of argv[0]. */
export function selects(sel: Asked, p: { pid: number; name: string; argv0?: string }): boolean {
  if (sel.all || sel.pids.includes(p.pid)) return true;
  const base = p.argv0 ? p.argv0.slice(p.argv0.lastIndexOf('/') + 1) : '';
  return sel.names.some((n) => n === p.name || (base !== '' && n === base));
}
