/*! What `compare` says about the board as a whole (issue 12): which bucket of MemTotal's
 * accounting moved, what explains it where the captures can say (a process's USS, a slab
 * cache, a tmpfs mount, threads), and fds and maps per process against their limits. Types only. */

export interface Moved {
  before: number;
  after: number;
  delta: number;
}

/** One thing that moved with a bucket, in the bucket's direction. */
export type Explanation =
  | { what: 'process'; pid: number | null; name: string; measure: 'uss' | 'rss'; delta: number }
  | { what: 'threads'; pid: number | null; name: string; delta: number }
  | { what: 'slab'; cache: string; delta: number; reclaimable: boolean }
  | { what: 'tmpfs'; mountPoint: string; delta: number };

export interface BucketMove extends Moved {
  /** free, page cache, process memory, shmem/tmpfs, slab, kernel stacks, page tables, vmalloc, unaccounted. */
  name: string;
  /** |delta| is beyond the board's noise. */
  moved: boolean;
  /** Largest first; empty when nothing captured explains it. */
  explainedBy: Explanation[];
  /** What the byte explanations add up to; null with none (threads explain kernel stacks, not in bytes). */
  explained: number | null;
}

export interface CountMove extends Moved {
  pid: number | null;
  name: string;
  /** Max open files (fds) or vm.max_map_count (maps) of the later side; null unlimited or unknown. */
  limit: number | null;
}

export interface BoardCompare {
  /** Bytes a bucket must move by to count (analyze/board-noise). */
  noise: number;
  memTotal: { before: number; after: number };
  /** Every bucket, in the accounting's order. */
  buckets: BucketMove[];
  /** False when either side's accounting cannot be trusted (see show's accounting notes). */
  trusted: boolean;
  /** SReclaimable and SUnreclaim deltas, when both sides print them. */
  slabSplit: { reclaimable: number; unreclaimable: number } | null;
  /** Caches that changed, largest change first (slabinfo on both sides: root only). */
  slab: Array<Moved & { cache: string; reclaimable: boolean }>;
  tmpfs: Array<Moved & { mountPoint: string }>;
  /** Open file handles of the whole board (fs/file-nr: allocated - unused), and fs.file-max. */
  fileNr: (Moved & { max: number }) | null;
  /** Processes on both sides whose open fds changed, largest growth first. */
  fds: CountMove[];
  /** Processes on both sides whose map count changed, largest growth first. */
  maps: CountMove[];
}
