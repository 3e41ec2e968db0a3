/*! The store's temporary files: how a writer names them (who owns it: boot, pid namespace,
 * pid and that process's start time), how one is written whole (every short write resumed,
 * then fsync), and which stale ones the next writer may remove: those whose owner is
 * provably gone, or, when the owner cannot be checked from here (another machine or pid
 * namespace, an older mapsdiff), those untouched for a day, far longer than any write. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export const TEMP_PREFIX = '.tmp-';
/** A temporary file whose owner cannot be checked is stale after this long without a write. */
export const STALE_UNKNOWN_MS = 24 * 3600 * 1000;

interface Owner {
  /** First 8 hex digits of the kernel's boot id, then the pid namespace's inode. */
  where: string;
  pid: number;
  start: string;
}

let me: Owner | null | undefined;

/** This process as an owner, or null where /proc cannot say (not Linux). */
function self(): Owner | null {
  if (me !== undefined) return me;
  try {
    const boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replace(/-/g, '').slice(0, 8);
    const ns = /\[(\d+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1];
    const start = startTime(process.pid);
    me = /^[0-9a-f]{8}$/.test(boot) && ns && start ? { where: `${boot}.${ns}`, pid: process.pid, start } : null;
  } catch {
    me = null;
  }
  return me;
}

/** Field 22 of /proc/PID/stat (start time in clock ticks after boot), or null when there is no such process. */
function startTime(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** A fresh temporary file name that says who writes it. */
export function tempName(): string {
  const o = self();
  const rand = randomBytes(6).toString('hex');
  return o ? `${TEMP_PREFIX}${o.where}-${o.pid}-${o.start}-${rand}` : `${TEMP_PREFIX}x-${process.pid}-${rand}`;
}

const OWNED = /^\.tmp-([0-9a-f]{8}\.\d+)-(\d+)-(\d+)-[0-9a-f]+$/;
/** Every name tempName gives (an owner that can be checked, or `x` and a pid): 12 hex digits at the end. */
const NAMED = /^\.tmp-(?:[0-9a-f]{8}\.\d+-\d+-\d+|x-\d+)-[0-9a-f]{12}$/;

/** Whether `name` is one tempName could have given (not merely a name starting with its prefix). */
export const isTempName = (name: string): boolean => NAMED.test(name);

/** Whether the temporary file `name` (last written at `mtimeMs`) belongs to no running writer. */
export function isStale(name: string, mtimeMs: number, now: number): boolean {
  const o = self();
  const m = OWNED.exec(name);
  if (o && m && m[1] === o.where) return startTime(Number(m[2])) !== m[3]; // gone, or its pid now another process's
  return now - mtimeMs > STALE_UNKNOWN_MS;
}

/** Removes the stale temporary files among `entries` of `dir`; returns how many. Never fails a write. */
export function removeStaleTemps(dir: string, entries: string[]): number {
  let removed = 0;
  const now = Date.now();
  for (const e of entries) {
    if (!e.startsWith(TEMP_PREFIX)) continue;
    const file = path.join(dir, e);
    try {
      const st = fs.lstatSync(file);
      if (st.isDirectory() || !isStale(e, st.mtimeMs, now)) continue;
      fs.unlinkSync(file);
      removed++;
    } catch { /* gone already (another writer cleaned it), or not ours to remove */ }
  }
  return removed;
}

/** Creates `file` (never an existing one) holding exactly `text`, fsynced: a short write is
 * resumed, so the file is whole or the call throws. */
export function writeSynced(file: string, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    for (let off = 0; off < buf.length; ) {
      const n = fs.writeSync(fd, buf, off, buf.length - off);
      if (n <= 0) throw Object.assign(new Error(`write returned ${n}`), { code: 'EIO', syscall: 'write' });
      off += n;
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
