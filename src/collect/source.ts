/*! The one interface every collector implements: given what to capture, return the raw
 * sections, verbatim. Collectors never parse beyond finding processes, and never store. */
import type { RawCapture } from '../model/capture.js';

/** Which processes to capture. Names match comm or the basename of cmdline's first word. */
export interface Selection {
  pids: number[];
  names: string[];
  all: boolean;
  /** Also read /proc/PID/smaps (stalls the target while read; opt-in). smaps_rollup is always read when present. */
  smaps: boolean;
  /** watch --smaps auto (when `smaps` is false): read smaps for a process listed here only when its
   * smaps_rollup Rss (else status VmRSS) in KiB is above its bound; a process not listed is read
   * in full (it never was). Absent: `smaps` alone decides. */
  smapsAbove?: { pid: number; kib: number }[];
  /** Keep every argument of each command line (--cmdline); by default only argv[0], the program, leaves the board. */
  cmdline?: boolean;
}

export interface Source {
  /** Label stored as the snapshot's target, e.g. `local`, `board1`, `root@127.0.0.1:2222`. */
  readonly target: string;
  /** Stored as meta.from, e.g. `root@127.0.0.1:2222`. */
  readonly from?: string;
  /** Throws CaptureError (exit 3) when nothing usable could be captured; then nothing is stored. */
  collect(selection: Selection, signal?: AbortSignal): Promise<RawCapture>;
}
