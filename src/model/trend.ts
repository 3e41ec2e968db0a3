/*! What `trend` says about a series of captures of one target: per process life (pid and
 * start time) the verdict of each kind, region and thread count with its evidence, time
 * left until a limit, and the restarts and reboots that split the series. Types only. */
import type { Kind } from './vma.js';
import type { CeilingSource } from './layout.js';
import type { SeriesSpan, CaptureGap } from './snapshot.js';

/** Most serious first (VERDICT_RANK). */
export type Verdict = 'leak' | 'plateau' | 'sawtooth' | 'stable';
export const VERDICT_RANK: Record<Verdict, number> = { leak: 3, plateau: 2, sawtooth: 1, stable: 0 };

export type Confidence = 'low' | 'medium' | 'high';

/** One sampled value per capture of a curve, at board-uptime seconds since the life began. */
export interface Curve {
  t: number[];
  v: number[];
}

/** Why a curve got its verdict. Sizes in bytes, times in seconds, rates per hour. */
export interface Evidence {
  /** Intervals in the steady state (after warm-up) and how many of them grew / shrank (beyond noise). */
  intervals: number;
  grew: number;
  shrank: number;
  /** Seconds from the life's first capture to the first steady-state capture. */
  warmup: number;
  /** Value at the first capture, at the start of the steady state, at the last capture. */
  first: number;
  steadyStart: number;
  last: number;
  /** Least-squares slope over the steady state, per hour; null when the intervals are unknown. */
  steadyRate: number | null;
  /** Trailing stretch (seconds) over which the value stayed within noise of its last value. */
  flatFor: number;
}

export interface CurveVerdict {
  verdict: Verdict;
  confidence: Confidence;
  /** The current rate per hour: the steady slope; for a plateau, the slope of its flat tail.
   * null when the intervals are unknown (a segment of clock `unknown`). */
  rate: number | null;
  evidence: Evidence;
}

/** What ran out first, at the current rate of a leak. Seconds; null = no limit known or not consumed. */
export interface TimeLeft {
  /** Until the room runs out: for [heap] the gap right above it (brk grows only there), else the largest gap. */
  addressSpace: number | null;
  stack: number | null;
  memAvailable: number | null;
}

/** What a curve measures: `virtual` = mapped size (VSZ, region sizes); `resident` = Rss (RAM in use). */
export type Measure = 'virtual' | 'resident';

export interface TrendEntry extends CurveVerdict {
  /** Virtual entries drive the address-space and stack horizons; resident ones the MemAvailable horizon. */
  measure: Measure;
  /** `kind`: every region of that kind together (owner '*'); `region`: one region matched across the series; `total`: VSZ. */
  scope: 'kind' | 'region' | 'total';
  kind: Kind | 'total';
  owner: string;
  path: string;
  /** Start address of the region when first seen (scope region). */
  start: number | null;
  /** The soonest of timeLeftBy, in seconds; null when not a leak or no limit applies. */
  timeLeft: number | null;
  timeLeftBy: TimeLeft;
}

export interface ThreadTrend {
  /** Thread count from status Threads: / stat field 20; null when not captured. */
  threads: CurveVerdict | null;
  threadStacks: CurveVerdict;
  first: { threads: number | null; threadStacks: number };
  last: { threads: number | null; threadStacks: number };
  /** Thread count and thread-stack count both rose in the steady state. */
  leak: boolean;
}

export interface Headroom {
  /** Last value and its consumption verdict (the gap shrinking, the stack growing). */
  largestGap: number | null;
  /** Last size of the gap right above [heap]: all brk can still grow by (null without a heap). */
  heapGap: number | null;
  stackSize: number;
  stackLimit: number | null;
  addressSpace: CurveVerdict | null;
  stack: CurveVerdict;
}

/** One process life: a process (pid and start time) from its first to its last capture. */
export interface LifeRef {
  name: string;
  pid: number;
  startTime: number | null;
  /** Index into TrendResult.segments. */
  segment: number;
  /** First and last snapshot of this life. */
  from: string;
  to: string;
}

export interface ProcessTrend extends LifeRef {
  /** How many captures the life spans. */
  captures: number;
  /** Seconds spanned (board uptime). */
  duration: number;
  /** The most serious verdict of its entries and threads. */
  verdict: Verdict;
  confidence: Confidence;
  /** Kinds and total always; regions only when not stable. Suspects first. */
  entries: TrendEntry[];
  /** Regions matched across the series that were stable (not listed). */
  stableRegions: number;
  threads: ThreadTrend;
  headroom: Headroom;
  /** The user-space ceiling of its latest capture, and why (docs/address-space.md). */
  ceiling: number;
  ceilingSource: CeilingSource;
  fds?: FdTrend;
  /** Map count at the last capture against vm.max_map_count. */
  maps?: { last: number; limit: number | null };
}

export interface Restart {
  name: string;
  before: { pid: number; startTime: number | null; snapshot: string };
  after: { pid: number; startTime: number | null; snapshot: string };
}

export interface Reboot {
  /** Uptimes when captured (null: not captured, the boot id showed the reboot). */
  before: { snapshot: string; uptime: number | null };
  after: { snapshot: string; uptime: number | null };
  /** What showed it (model/compare Continuity.rebootedBy). */
  by: 'boot-id' | 'uptime-down' | 'uptime-behind-clock';
}

/** A stretch of the series without a reboot. */
export interface Segment {
  from: string;
  to: string;
  captures: number;
  duration: number;
  /** `uptime`: intervals from the board's /proc/uptime; `host`: some capture had none, the host clock
   * was used; `unknown`: some interval is known by neither (imported snapshots without uptime):
   * times are capture positions, and no rate or time left is given. */
  clock: 'uptime' | 'host' | 'unknown';
  /** Board-wide MemAvailable: its consumption verdict and last value; null when not captured. */
  memAvailable: (CurveVerdict & { last: number; timeLeft: number | null }) | null;
}

export type TrendFinding =
  | { code: 'single-interval' }
  | { code: 'single-capture' }
  | { code: 'host-clock'; segment: number }
  | { code: 'unknown-interval'; segment: number };

/** A board-wide series (issue 12): `meminfo:KEY`, judged as consumption (MemFree falling is growth). */
export interface SystemTrend extends CurveVerdict {
  key: string;
  last: number;
  /** Seconds until MemAvailable is gone at this rate (a leak only). */
  timeLeft: number | null;
  /** A process's leak in the same segment could account for it (AnonPages grows with a leaking heap). */
  explained: boolean;
  /** It grew as a leak does, into memory the kernel reclaims by itself (SReclaimable; Slab when
   * SUnreclaim did not leak; MemFree while MemAvailable held): set aside, verdict `stable`. */
  reclaimable?: true;
}
export interface SlabTrend extends CurveVerdict {
  cache: string;
  last: number;
  /** A SLAB_RECLAIM_ACCOUNT cache (dentry, inode caches) that grew as a leak does: set aside, verdict `stable`. */
  reclaimable?: true;
}
export interface TmpfsTrend extends CurveVerdict {
  mountPoint: string;
  last: number;
  /** Seconds until the mount (or MemAvailable, the sooner) is full. */
  timeLeft: number | null;
}
/** A process's open fds against Max open files (issue 12). */
export interface FdTrend extends CurveVerdict {
  first: number;
  last: number;
  limit: number | null;
  timeLeft: number | null;
}

export interface TrendResult {
  target: string;
  series: SeriesSpan;
  segments: Segment[];
  processes: ProcessTrend[];
  restarts: Restart[];
  reboots: Reboot[];
  findings: TrendFinding[];
  /** The board's own series in the latest segment (issue 12), leaks first. */
  system?: SystemTrend[];
  slab?: SlabTrend[];
  tmpfs?: TmpfsTrend[];
  /** Captures `watch` could not make during the series (the command fills this in; analysis leaves it empty). */
  gaps: CaptureGap[];
}
