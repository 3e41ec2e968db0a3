/*! tmpfs mounts: /proc/mounts (fs/proc_namespace.c: show_vfsmnt, spaces and backslashes in
 * names escaped as \040 \011 \012 \134) and `df -Pk` (POSIX format, 1K blocks; BusyBox and
 * coreutils alike) -> TmpfsMount[]. Pure: no I/O. */
import { ParseError } from '../errors.js';
import type { TmpfsMount } from '../model/capture.js';

const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The tmpfs lines of /proc/mounts (every other line is checked for shape, then skipped). */
export function parseTmpfsMounts(text: string, source: string): TmpfsMount[] {
  const out: TmpfsMount[] = [];
  const ls = text.split('\n');
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!.replace(/\r$/, '');
    if (l.trim() === '') continue;
    const w = l.split(' ');
    if (w.length < 4) throw new ParseError(source, i + 1, l.slice(0, 160), 'not a /proc/mounts line (device mountpoint type options 0 0)', 'tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0');
    if (w[2] !== 'tmpfs') continue;
    const m: TmpfsMount = { device: unescape(w[0]!), mountPoint: unescape(w[1]!) };
    const size = /(?:^|,)size=([0-9]+)k(?:,|$)/.exec(w[3]!);
    if (size) m.sizeOption = Number(size[1]) * 1024;
    // a mount point mounted over again: the last line is the one a path reaches
    const dup = out.findIndex((o) => o.mountPoint === m.mountPoint);
    if (dup !== -1) out.splice(dup, 1);
    out.push(m);
  }
  return out;
}

/** `df -Pk` output: usage in bytes by mount point. */
export function parseDf(text: string, source: string): Map<string, { size: number; used: number; available: number }> {
  const out = new Map<string, { size: number; used: number; available: number }>();
  const ls = text.split('\n');
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('Filesystem')) continue;
    const m = /^(\S+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+%|-)\s+(.+)$/.exec(l);
    if (!m) throw new ParseError(source, i + 1, l.slice(0, 160), 'not a `df -Pk` line', 'tmpfs   61340   128   61212   0% /dev/shm');
    out.set(m[6]!, { size: Number(m[2]) * 1024, used: Number(m[3]) * 1024, available: Number(m[4]) * 1024 });
  }
  return out;
}
