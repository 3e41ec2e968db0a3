/*! `watch --json`: one JSON object per line, as each capture or gap happens, then a
 * summary line per target; for scripts and soak-test logs. Fields are only ever added. */
import type { WatchLine } from './watch-text.js';
import { toJson } from './escape.js';

export function renderWatchLineJson(l: WatchLine): string {
  const recent = l.sinceLast ?? l.sinceFirst;
  return toJson({
    at: l.at.toISOString(), target: l.target, snapshot: l.snapshot, processes: l.processes,
    ...(l.smaps ? { smaps: l.smaps } : {}),
    sinceFirst: l.sinceFirst && { from: l.sinceFirst.before.name, largest: l.largest.sinceFirst },
    sinceLast: l.sinceLast && { from: l.sinceLast.before.name, largest: l.largest.sinceLast },
    rebooted: recent?.rebooted ?? false,
    restarted: recent && !recent.rebooted ? recent.processes.filter((p) => p.diff.restarted).map((p) => p.diff.name) : [],
  }) + '\n';
}

export function renderWatchGapJson(at: Date, target: string, attempts: number, message: string): string {
  return toJson({ at: at.toISOString(), target, gap: { attempts, reason: message } }) + '\n';
}

export function renderWatchSummaryJson(target: string, stored: string[], gaps: number, interrupted: boolean): string {
  return toJson({ target, summary: { stored, gaps, interrupted } }) + '\n';
}
