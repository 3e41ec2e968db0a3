/*! What `compare` reports about two snapshots: the interval between them (from the
 * board's uptime), a reboot, meminfo lines that moved, and one ProcessDiff per process,
 * ranked by growth. Types only. */
import type { CeilingSource, Gap } from './layout.js';
import type { ProcessDiff, SizeDelta } from './diff.js';
import type { SnapshotMeta } from './snapshot.js';

export interface MeminfoDelta {
  key: string;
  /** Bytes for kB lines, the bare number for unit-less lines. */
  before: number;
  after: number;
  delta: number;
  unit: 'bytes' | '';
  /** A key on one side only (a kernel upgrade between the captures): its value on that side
   * (the other side's `before`/`after` is 0, `delta` 0). */
  only?: 'before' | 'after';
}

export interface ProcessCompare {
  diff: ProcessDiff;
  /** `new` / `gone`: in one capture only; `not-captured`: in one capture only because the other
   * capture was not asked for it (its --pid/--process/--all did not select it). */
  status: 'matched' | 'new' | 'gone' | 'not-captured';
  /** VSZ (the kernel's VmSize), always; RSS/PSS when both captures have them (smaps_rollup, smaps or status). */
  vsz: SizeDelta;
  /** Usable memory: user memory without guard and reserved (---p) pages. A malloc arena growing
   * into its own reserve leaves VSZ as it was and grows this. */
  usable: SizeDelta;
  /** The measure that grew more (VSZ or usable memory): what the ranking and --fail-over look at. */
  growth: { measure: 'vsz' | 'usable'; delta: number };
  rss: SizeDelta | null;
  pss: SizeDelta | null;
  largestGap: { before: Gap | null; after: Gap | null };
  freeTotal: { before: number | null; after: number | null };
  /** limitSource: where the limit was read; null with a null limit = unknown, else a null limit is unlimited. */
  stack: { before: number | null; after: number | null; limit: number | null; limitSource: 'limits' | 'ulimit -s' | null };
  wordBits: 32 | 64;
  ceiling: bigint;
  ceilingSource: CeilingSource;
}

/** Two captures of one board: their order, a reboot between them, the interval (analyze/boot). */
export interface Continuity {
  /** The second capture was taken before the first (`compare t1 t0`): deltas read backwards in time. */
  reversed: boolean;
  /** A reboot lies between the captures: every process is a new one. */
  rebooted: boolean;
  /** `boot-id`: the boot ids differ; `uptime-down`: the later uptime is lower; `uptime-behind-clock`:
   * the board's uptime advanced far less than the host clock (it was down in between). */
  rebootedBy: 'boot-id' | 'uptime-down' | 'uptime-behind-clock' | null;
  /** Seconds from the first to the second capture by the board's uptime (negative when reversed);
   * null when either lacks uptime or a reboot lies between. */
  interval: number | null;
  /** Host wall-clock seconds from the first to the second capture; null when either was imported
   * (its host time is when `import` ran, not when the board was read). */
  hostInterval: number | null;
  /** Which clock the interval comes from; `unknown`: neither can tell. */
  clock: 'uptime' | 'host' | 'unknown';
  /** What shows the captures come from different boards, one phrase each; empty: one board as far as known. */
  otherBoard: string[];
}

export interface CompareResult extends Continuity {
  before: SnapshotMeta;
  after: SnapshotMeta;
  meminfo: MeminfoDelta[];
  /** Ranked: largest growth first (`growth`: VSZ or usable memory, whichever grew more). Gone and new processes are included (one side empty). */
  processes: ProcessCompare[];
}
