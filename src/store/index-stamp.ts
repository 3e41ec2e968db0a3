/*! DIR/index.stamp: what a listing found, so the next one can take the index's last lines for
 * `latest` without reading the directory or the whole index (issue 15: `compare latest~1 latest`
 * with 10,000 snapshots). It is written only when a full listing found the store tidy: every
 * snapshot file indexed, one index line a file, in capture-time order, each line its file's own
 * record, nothing to report. It holds the directory's and the index's identity and times as they
 * were before that listing read them; it is used only while both are still exactly so.
 *
 * Why that is enough (the kernel's rules): creating, removing or renaming an entry of a directory
 * sets the directory's mtime and ctime to the current time (POSIX; Linux's `inode_set_mtime_to_ts`
 * in every filesystem's create, unlink and rename), and an append sets the file's size and times.
 * The clock those times come from is coarse (a tick, ~4 ms; FAT keeps 2 s), so a change in the
 * same tick as the stat could leave the times as they were ("racy git"): a stamp is written only
 * when both times are older than RACY_MS, so any later change gives a time the stamp does not hold.
 * A snapshot's file changed in place changes neither; its load notices that, as it always did.
 * A stamp that is damaged, or says what the index does not hold, is ignored. Best effort: writing
 * it never fails a command. */
import fs from 'node:fs';
import path from 'node:path';
import { isTempName, removeStaleTemps, tempName } from './temp-files.js';

export const STAMP = 'index.stamp';
/** Older than this, a time cannot be that of a change still to come in the same clock tick. */
export const RACY_MS = 3000;
/** An index larger than this is read the whole way, not as its last lines. */
const STAMP_MAX_INDEX = 64 << 20;

/** The parts of a file's stat that any change to it, or to a directory's entries, moves. */
interface Identity { dev: string; ino: string; size: string; mtimeNs: string; ctimeNs: string }

export interface Stamp {
  v: 1;
  dir: Identity;
  index: Identity;
  /** The index's lines, each one snapshot's, oldest first. */
  lines: number;
}

export const identityOf = (st: fs.BigIntStats): Identity => ({
  dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs), ctimeNs: String(st.ctimeNs),
});

const sameIdentity = (a: Identity, b: Identity): boolean =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;

/** Old enough, at `nowMs`, that no change of their tick is still to come (RACY_MS, or `racyMs`). */
export const settled = (st: fs.BigIntStats, nowMs: number, racyMs = RACY_MS): boolean =>
  Number(st.mtimeNs / 1_000_000n) <= nowMs - racyMs && Number(st.ctimeNs / 1_000_000n) <= nowMs - racyMs;

const isIdentity = (v: unknown): v is Identity => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return ['dev', 'ino', 'size', 'mtimeNs', 'ctimeNs'].every((k) => typeof o[k] === 'string' && /^[0-9]{1,24}$/.test(o[k] as string));
};

/** The stamp of DIR, or null when there is none, or it is not one mapsdiff wrote. */
export function readStamp(dir: string): Stamp | null {
  try {
    const file = path.join(dir, STAMP);
    const st = fs.lstatSync(file);
    if (!st.isFile() || st.size > 4096) return null;
    const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Stamp>;
    if (s.v !== 1 || !isIdentity(s.dir) || !isIdentity(s.index) || !Number.isSafeInteger(s.lines) || s.lines! < 1) return null;
    return s as Stamp;
  } catch {
    return null;
  }
}

/** Whether `s` still holds: the directory `snapDir` is as it says (lstat now), and the index
 * (`indexSt`, its open file's fstat) too. */
export function stampHolds(s: Stamp, dirSt: fs.BigIntStats, indexSt: fs.BigIntStats): boolean {
  return indexSt.size <= BigInt(STAMP_MAX_INDEX) && sameIdentity(s.dir, identityOf(dirSt)) && sameIdentity(s.index, identityOf(indexSt));
}

/** Writes the stamp (a temp file in DIR, not in DIR/snapshots: that would move the directory's
 * times the stamp holds, then renamed over it); never throws. A stamp's temp file left in DIR by
 * a writer that died between its write and its rename is removed here, by the next stamp's
 * writer, as the snapshots' writers remove theirs (temp-files.ts: only once its owner is gone). */
export function writeStamp(dir: string, s: Stamp): void {
  const tmp = path.join(dir, tempName());
  try {
    // DIR may hold the user's own files (`--store .`): only names tempName gives, never any `.tmp-` file
    removeStaleTemps(dir, fs.readdirSync(dir).filter(isTempName));
  } catch { /* DIR unreadable: the write below fails alike */ }
  try {
    fs.writeFileSync(tmp, JSON.stringify(s) + '\n', { flag: 'wx' });
    fs.renameSync(tmp, path.join(dir, STAMP));
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* left: a few bytes */ }
  }
}

/** Removes the stamp (it said what the index does not hold); never throws. */
export function dropStamp(dir: string): void {
  try { fs.rmSync(path.join(dir, STAMP), { force: true }); } catch { /* a read-only store: it is checked each time anyway */ }
}
