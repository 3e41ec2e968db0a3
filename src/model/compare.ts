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
  stack: { before: number | null; after: number | null; limit: number | null };
  wordBits: 32 | 64;
  ceiling: bigint;
  ceilingSource: CeilingSource;
}

export interface CompareResult {
  before: SnapshotMeta;
  after: SnapshotMeta;
  /** Seconds between the captures by the board's uptime; null when either lacks uptime or the board rebooted. */
  interval: number | null;
  /** Uptime went down: the board rebooted between the captures. */
  rebooted: boolean;
  /** Host wall-clock seconds between the captures (for when uptime is missing). */
  hostInterval: number;
  meminfo: MeminfoDelta[];
  /** Ranked: largest growth first (`growth`: VSZ or usable memory, whichever grew more). Gone and new processes are included (one side empty). */
  processes: ProcessCompare[];
}
