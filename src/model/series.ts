/*! The curves of a series (what analyze/series walks out of the captures, analyze/trend judges
 * and the report draws): per segment between reboots, per process life, per region track. Types
 * only; each curve holds one value per capture, never a capture itself. */
import type { SnapshotReport } from './report.js';
import type { LifeRef, Restart, Reboot } from './trend.js';
import type { CeilingSource } from './layout.js';
import type { SeriesSpan } from './snapshot.js';
import type { Kind, Region } from './vma.js';

export interface TrendCapture {
  report: SnapshotReport;
  /** Threads per pid (status Threads: or stat field 20), when captured. */
  threads: ReadonlyMap<number, number>;
}

/** One region matched across consecutive captures of a life. */
export interface Track {
  kind: Kind;
  owner: string;
  path: string;
  start: number;
  /** Index (in the life's captures) of its first value. */
  born: number;
  /** Its size per capture from `born` on, as runs (a region keeps its size for most captures:
   * a long series costs its changes, not its length; analyze/runs reads them). */
  sizes: Runs<number>;
  /** Its kind in the latest capture. */
  kindNow: Kind;
  /** Bytes that changed kind while the region lived on (an anonymous block the kernel merged
   * into a thread stack's line on ARM; a block that looks like an arena for one capture): +
   * for the kind they had, - for the kind that took them. Kind curves add the credits of the
   * tracks alive, so a change of kind is neither a give-back nor a growth; when the region
   * goes, its credits go with it. */
  credit: Map<Kind, number>;
  /** Resident bytes (smaps Rss of its VMAs) per value of `sizes`; null where smaps was not captured. */
  rss: Runs<number | null>;
}

export interface Life extends LifeRef {
  /** Position in its segment of each capture of this life, as runs of (position - index): one
   * run per stretch captured without a break. Its times are the segment's `t` at those positions
   * (analyze/series lifeTimes); `at.length` is its capture count. */
  at: Runs<number>;
  /** Board uptime (s) at its first capture, when known (with startTime: its age). */
  uptime0: number | null;
  kinds: Map<Kind, Runs<number>>;
  /** Tracks alive now that changed kind (see Track.credit). */
  credited: Set<Track>;
  total: Runs<number>;
  largestGap: Runs<number | null>;
  /** The gap right above [heap] (brk's only room), per capture; null without a heap. */
  heapGap: Runs<number | null>;
  /** The ceiling of its latest capture, and why. */
  ceiling: number;
  ceilingSource: CeilingSource;
  stack: Runs<number>;
  stackLimit: number | null;
  threads: Runs<number | null>;
  threadStacks: Runs<number>;
  tracks: Track[];
  /** Resident memory per capture (Rss: smaps_rollup, smaps or status's VmRSS); null where none was captured. */
  residentTotal: Runs<number | null>;
  /** Rss per kind from smaps, per capture; `residentKinds` is null once a capture lacked smaps. */
  residentKinds: Map<Kind, Runs<number>> | null;
  prev: Region[];
  prevTrack: Map<Region, Track>;
  /** The whole regions list `prev` was taken from: the same list again (a capture whose maps
   * were parsed once, see analyze/report's reuse) continues every track as it is. */
  prevAll?: readonly Region[];
  /** Each track `prev` continued, once, with its total size and its regions of `prev`. */
  prevTracks?: Track[];
  prevSizes?: number[];
  prevRegions?: Region[][];
  /** Captures that repeated `prev` exactly, not yet added to its tracks (analyze/series flushRepeats). */
  repeats?: number;
  /** Open fds per capture (null: not counted), Max open files and map counts (issue 12). */
  fds?: Runs<number | null>;
  fdLimit?: number | null;
  maps?: Runs<number>;
}

export interface SegmentCurves {
  from: string;
  to: string;
  /** Seconds since its first capture, one per capture (what every life of the segment is timed
   * by); with clock `unknown`, positions 0, 1, 2... (no interval is known). */
  t: number[];
  /** `unknown`: some interval has neither the board's uptime nor a host time (imports). */
  clock: 'uptime' | 'host' | 'unknown';
  memAvailable: Runs<number | null>;
  /** MemTotal (bytes) of the segment's first capture that had it. */
  memTotal: number | null;
  /** The board's series (issue 12), one value per capture (null: not in that capture):
   * `meminfo:KEY` (bytes), `slab:CACHE` (bytes), `tmpfs:MOUNTPOINT` (used bytes). */
  board?: Map<string, Runs<number | null>>;
  /** tmpfs room (available bytes) and vm.max_map_count at the latest capture. */
  tmpfsRoom?: Map<string, number>;
  maxMapCount?: number | null;
}

export interface SeriesCurves {
  captures: SeriesSpan;
  segments: SegmentCurves[];
  lives: Life[];
  restarts: Restart[];
  reboots: Reboot[];
  /** Consecutive captures that look like two different boards (analyze/boot): what differs. */
  otherBoards: { before: string; after: string; why: string[] }[];
}

/** A curve as runs of equal values: `values[k]` repeated `counts[k]` times; `length` values in all. */
export interface Runs<T> {
  values: T[];
  counts: number[];
  length: number;
}
