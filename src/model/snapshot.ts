/*! A stored snapshot: where, when and how it was captured, the raw sections verbatim,
 * and what was parsed from them. Types only. */
import type { RawSection, ParsedCapture, RemoteExit } from './capture.js';

export const SNAPSHOT_FORMAT = 'mapsdiff-snapshot/1';

export type SmapsMode = 'rollup' | 'full' | 'auto';

export interface SnapshotMeta {
  name: string;
  /** Label of the target: `local`, a targets/NAME.json name, `user@host:port`, or --target for imports. */
  target: string;
  /** Host wall-clock time of the capture (ISO 8601). */
  capturedAt: string;
  tool: { name: 'mapsdiff'; version: string };
  /** How the capture was made. */
  via: 'local' | 'ssh' | 'import' | 'console';
  /** Files the import read, or `user@host:port` for ssh. */
  from?: string;
  /** Parsed with --lenient (bad maps lines skipped). */
  lenient: boolean;
  /** User-space ceiling setting in force for this target, as hex, when one was set. */
  ceiling?: string;
  /** What was kept of each process's command line: `program` (argv[0], the default) or `full` (--cmdline). */
  cmdline?: 'program' | 'full';
  /** SSH: how the remote shell exited (a non-zero status on a complete capture is shown, not hidden). */
  remoteExit?: RemoteExit;
  /** Host time the capture began (ISO 8601); with capturedAt it bounds when the board's uptime
   * was read. Absent in imports and in snapshots of older versions. */
  startedAt?: string;
  /** What the capture was asked for (--pid, --process, --all, or the target's defaults).
   * Absent in imports and in snapshots of older versions: then nothing is known of it. */
  selection?: { pids: number[]; names: string[]; all: boolean };
  /** Names of `selection.names` that matched no process. */
  unmatched?: string[];
  /** Where the target's name was found (captures over SSH; absent in older snapshots). */
  targetOrigin?: TargetOrigin;
  /** How /proc/PID/smaps was asked for: `rollup` (smaps_rollup only, the default), `full`
   * (--smaps), `auto` (watch --smaps auto: only where Rss grew, and every Nth capture), and the
   * pids whose full smaps this capture holds. A process not in `read` has no per-region resident
   * memory here: unknown, never zero. Absent in imports and in snapshots of older versions. */
  smaps?: { mode: SmapsMode; read: number[] };
}

/** How a name typed after `capture` was resolved (docs/targets.md, "Which one wins"). */
/** The captures of a series: every name, oldest first, and the headers of the first and the last
 * (null in a series of none). A series keeps no header a capture: 20,000 captures kept 20,000
 * (~170 B each) for the first's and last's name, time and target (issue 15). */
export interface SeriesSpan {
  names: string[];
  first: SnapshotMeta | null;
  last: SnapshotMeta | null;
}

export interface TargetOrigin {
  /** `file`: a target file; `ssh-config`: a ~/.ssh/config Host alias; `address`: user@host[:port] as typed. */
  kind: 'file' | 'ssh-config' | 'address';
  /** The target file, or the ssh config file holding the Host line. */
  file?: string;
  /** The Host line, for `ssh-config`. */
  line?: number;
  /** The user config whose "targets" entry gave the alias its defaults. */
  defaults?: string;
  /** Others of the same name that were not used, e.g. `/repo/targets/board1.json`. */
  shadowed?: string[];
}

/** A capture that `watch` tried and could not make (board rebooting, network gone): kept so
 * that `trend` can say where its series has holes. */
export interface CaptureGap {
  target: string;
  /** Host time of the failure (ISO 8601). */
  at: string;
  attempts: number;
  reason: string;
}

export interface Snapshot {
  meta: SnapshotMeta;
  sections: RawSection[];
  parsed: ParsedCapture;
}
