/*! Which processes of a format 4 capture are the capture's own SSH session, never captured: the
 * remote shell (left out by the script itself), the shells between it and the SSH server, and the
 * server's processes for this connection (each one whose parent is a server process too), up to
 * but not the listening daemon. The script prints its shell's pid and its parent's (`$$`,
 * `$PPID`, behind the boundary: no other process can print that line); the chain above is
 * walked here over the stat lines the capture holds anyway (field 4 ppid, comm), instead of by
 * the shell under emulation. Only the shell's own ancestors are looked at, so no comm another
 * process chooses (`sshd`, `dropbear`) can take it out of a capture. Pure: no I/O. */
import type { RawCapture } from '../model/capture.js';
import { parseStat } from './stat.js';

/** The SSH servers' process names (comm), as the script's walk knew them. */
const SERVERS: ReadonlySet<string> = new Set(['dropbear', 'dropbearmulti', 'sshd', 'sshd-session']);

/** The pids of the capture's own session among `raw`'s processes; empty without a session line. */
export function sessionPids(raw: RawCapture): Set<number> {
  const out = new Set<number>();
  if (!raw.session) return out;
  out.add(raw.session.shell);
  const stats = new Map<number, { comm: string; ppid: number }>();
  for (const s of raw.sections) {
    if (s.name !== 'stat' || s.pid === undefined || s.status !== 'ok' || s.text === '') continue;
    try {
      const st = parseStat(s.text, `pid ${s.pid} stat`);
      if (st.pid === s.pid) stats.set(s.pid, { comm: st.comm, ppid: st.ppid });
    } catch { /* not a stat line: parse/index.ts reports it; it is no ancestor */ }
  }
  // the script's walk: shells up to the first server process whose parent is a server too; then
  // every such server process, up to (not) the first whose parent is not a server (the listener)
  let between: number[] = [];
  let inServer = false;
  const seen = new Set<number>();
  for (let q = raw.session.parent; q > 1 && !seen.has(q); ) {
    seen.add(q);
    const st = stats.get(q);
    if (!st) break;
    if (SERVERS.has(st.comm)) {
      const parent = stats.get(st.ppid);
      if (!parent || !SERVERS.has(parent.comm)) break;
      for (const p of between) out.add(p);
      out.add(q);
      between = [];
      inServer = true;
    } else {
      if (inServer) break;
      between.push(q);
    }
    q = st.ppid;
  }
  return out;
}

/** `raw` without the sections of its own session's processes and without its session line. */
export function withoutSession(raw: RawCapture): RawCapture {
  const own = sessionPids(raw);
  const { session: _, ...rest } = raw;
  return own.size ? { ...rest, sections: raw.sections.filter((s) => s.pid === undefined || !own.has(s.pid)) } : rest;
}
