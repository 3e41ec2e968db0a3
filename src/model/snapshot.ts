/*! A stored snapshot: where, when and how it was captured, the raw sections verbatim,
 * and what was parsed from them. Types only. */
import type { RawSection, ParsedCapture, RemoteExit } from './capture.js';

export const SNAPSHOT_FORMAT = 'mapsdiff-snapshot/1';

export interface SnapshotMeta {
  name: string;
  /** Label of the target: `local`, a targets/NAME.json name, `user@host:port`, or --target for imports. */
  target: string;
  /** Host wall-clock time of the capture (ISO 8601). */
  capturedAt: string;
  tool: { name: 'mapsdiff'; version: string };
  /** How the capture was made. */
  via: 'local' | 'ssh' | 'import';
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
