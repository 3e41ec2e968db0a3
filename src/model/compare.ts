/*! What `compare` reports about two snapshots: the interval between them (from the
 * board's uptime), a reboot, meminfo lines that moved, and one ProcessDiff per process,
 * ranked by growth. Types only. */
import type { CeilingSource, Gap } from './layout.js';
import type { ProcessDiff, SizeDelta } from './diff.js';
import type { SnapshotMeta } from './snapshot.js';
import type { ResidentSource } from './report.js';
import type { Kind } from './vma.js';

/** What ranks processes and regions and what --min-delta / --fail-over look at (`compare --by`):
 * virtual size, or resident memory (docs/compare.md "Which measure"). */
export type Measure = 'vsz' | 'rss' | 'pss' | 'uss';

/** Resident memory on both sides, in bytes (a missing side counts 0, as for sizes); `pss` and
 * `uss` null when a side has only status (no PSS there). */
export interface ResidentDelta {
  rss: SizeDelta;
  pss: SizeDelta | null;
  uss: SizeDelta | null;
  swap: SizeDelta;
}

/** A region's resident memory from its smaps blocks, and whether it changed beyond one page
 * (by RSS, analyze/compare-resident): `grown` at an unchanged size is `grown (resident)`. */
export interface RegionResident extends ResidentDelta {
  status: 'grown' | 'shrunk' | 'same';
}

/** Per-region smaps summed by kind, owner and in total, each VMA under its own kind and owner. */
export interface ResidentTotals {
  total: ResidentDelta;
  byKind: Partial<Record<Kind, ResidentDelta>>;
  byOwner: Record<string, ResidentDelta>;
}

/** Which measure ranks a comparison, chosen by `--by` or by default (RSS when every process
 * compared has it in both captures, else VSZ); `lacking` says which capture lacked RSS then. */
export interface MeasureChoice {
  measure: Measure;
  from: 'option' | 'default';
  lacking: Lacking | null;
}

/** A capture lacking a measure for some of the processes compared. */
export interface Lacking {
  snapshot: string;
  measure: Measure;
  pids: number[];
}
import type { BoardCompare } from './board-compare.js';

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
  /** The process's resident measures (smaps_rollup, else the sum of smaps, else status) on both
   * sides (a new or gone process's other side counts 0); null when a side present has none. */
  resident: ResidentDelta | null;
  /** Where each side's came from; null for a side that is missing or has none. */
  residentSource: { before: ResidentSource | null; after: ResidentSource | null };
  /** From each region's smaps when every side present had smaps; null otherwise. */
  regionResident: ResidentTotals | null;
  /** Whether each side's capture read its full smaps (--smaps); false for a missing side. */
  smaps: { before: boolean; after: boolean };
  /** What ranks it and what --fail-over looks at: `growth` by VSZ, else the --by measure's delta. */
  ranking: { measure: 'vsz' | 'usable' | 'rss' | 'pss' | 'uss'; delta: number };
  /** What ranks its regions and kinds and what --min-delta looks at: the measure when its
   * regions have smaps on both sides, else `vsz`. */
  regionMeasure: Measure;
  largestGap: { before: Gap | null; after: Gap | null };
  freeTotal: { before: number | null; after: number | null };
  /** limitSource: where the limit was read; null with a null limit = unknown, else a null limit is unlimited. */
  stack: { before: number | null; after: number | null; limit: number | null; limitSource: 'limits' | 'ulimit -s' | null };
  wordBits: 32 | 64;
  ceiling: number;
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
  /** The measure that ranks `processes` (analyze/compare-measure rankBy). */
  measure: MeasureChoice;
  before: SnapshotMeta;
  after: SnapshotMeta;
  meminfo: MeminfoDelta[];
  /** Ranked: largest growth first (`growth`: VSZ or usable memory, whichever grew more). Gone and new processes are included (one side empty). */
  processes: ProcessCompare[];
  /** The board as a whole (issue 12); null when either side has no meminfo, or across a reboot
   * (nothing the kernel held carries over one). */
  board?: BoardCompare | null;
}
