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
