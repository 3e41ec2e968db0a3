/*! What `show` reports about one snapshot: its metadata, board-wide facts and one
 * layout per process. Types only. */
import type { Meminfo } from './capture.js';
import type { ProcessLayout } from './layout.js';
import type { SnapshotMeta } from './snapshot.js';
import type { BoardReport } from './board.js';

export interface ProcessReport extends ProcessLayout {
  startTime: number | null;
  /** The first word of its cmdline, when captured. */
  argv0?: string;
  missing: string[];
  denied: string[];
  gone: boolean;
  /** From smaps_rollup or smaps when captured, in bytes. */
  rss: number | null;
  pss: number | null;
  /** The process's resident measures and where they came from; null when none was captured. */
  resident: ProcessResident | null;
  /** Per region (same order as `regions`) when smaps was captured; null otherwise. */
  regionResident: Array<Resident | null> | null;
}

/** Resident memory in bytes (docs/trend.md "Resident memory"). */
export interface Resident {
  rss: number;
  /** null from status (the kernel prints no PSS there). */
  pss: number | null;
  /** Unique set size: Private_Clean + Private_Dirty; null from status. */
  uss: number | null;
  swap: number;
  /** SwapPss where the kernel prints it (4.15+). */
  swapPss: number | null;
  /** Private_Dirty (smaps) or null: showmap's DIRTY column. */
  dirty: number | null;
}

/** `smaps_rollup` first (cheap), else the sum of every smaps block, else status's VmRSS/VmSwap. */
export type ResidentSource = 'smaps_rollup' | 'smaps' | 'status';

export interface ProcessResident extends Resident {
  source: ResidentSource;
  /** From status when captured: RssAnon, RssFile, RssShmem (kernel 4.5+). */
  rssAnon: number | null;
  rssFile: number | null;
  rssShmem: number | null;
}

export interface SnapshotReport {
  meta: SnapshotMeta;
  uname: string | null;
  machine: string | null;
  /** `uname -a`'s host name (nodename), when captured. */
  hostname: string | null;
  uptime: number | null;
  /** /proc/sys/kernel/random/boot_id, when captured. */
  bootId: string | null;
  meminfo: Meminfo | null;
  ulimitStack: number | null | undefined;
  processes: ProcessReport[];
  /** The board as a whole (issue 12). */
  board?: BoardReport;
  /** Lines skipped with --lenient. */
  skipped: string[];
}
