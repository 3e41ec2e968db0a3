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

type DfUsage = { size: number; used: number; available: number };

/** `df -Pk` output: usage in bytes by mount point. */
export function parseDf(text: string, source: string): Map<string, DfUsage> {
  const out = new Map<string, DfUsage>();
  const ls = text.split('\n');
  let last: string | null = null; // the mount point of the line before, when it was df's
  let shadowed: DfUsage | undefined; // what that line replaced under the same mount point
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('Filesystem')) { last = null; continue; }
    const m = dfLine(l);
    if (!m && last !== null) {
      // a mount point may hold any byte but NUL, a newline too: BusyBox df prints it as it is
      // (/proc/mounts writes \012, coreutils df a ?), so the line goes on with the rest of it
      const usage = out.get(last)!;
      if (shadowed) out.set(last, shadowed);
      else out.delete(last);
      last = `${last}\n${l}`;
      shadowed = out.get(last);
      out.set(last, usage);
      continue;
    }
    if (!m) throw new ParseError(source, i + 1, l.slice(0, 160), 'not a `df -Pk` line', 'tmpfs   61340   128   61212   0% /dev/shm');
    shadowed = out.get(m.mountPoint);
    out.set(m.mountPoint, { size: m.blocks * 1024, used: m.used * 1024, available: m.available * 1024 });
    last = m.mountPoint;
  }
  return out;
}

/**
 * One `df -Pk` line: device, three numbers, capacity (`N%`, or `-` for a size of 0), mount point
 * (the rest of the line, spaces and all). The device is what mount(2) was given, spaces and all
 * too (`mount -t tmpfs "my dev" DIR`; /proc/mounts writes it my\040dev, df as it is): its end is
 * the first word that three numbers and a capacity follow. One pass over the words (a regex
 * that let the device hold spaces backtracked quadratically over a long run of them).
 */
function dfLine(l: string): { mountPoint: string; blocks: number; used: number; available: number } | null {
  const at: number[] = []; // start and end of each word
  for (const w of l.matchAll(/\S+/g)) at.push(w.index, w.index + w[0].length);
  const word = (k: number) => l.slice(at[2 * k], at[2 * k + 1]);
  for (let k = 1; 2 * (k + 4) < at.length; k++) {
    if (NUMBER.test(word(k)) && NUMBER.test(word(k + 1)) && NUMBER.test(word(k + 2)) && CAPACITY.test(word(k + 3))) {
      return { mountPoint: l.slice(at[2 * (k + 4)]), blocks: Number(word(k)), used: Number(word(k + 1)), available: Number(word(k + 2)) };
    }
  }
  return null;
}

const NUMBER = /^[0-9]+$/;
const CAPACITY = /^(?:[0-9]+%|-)$/;
