/*! The lines `watch` prints: one per capture (the largest growth since the first capture and
 * since the previous one, in the measure that ranks: analyze/growth), one per gap, and the closing summary. Chooses what
 * to show from compare results; never analyses. */
import type { CompareResult } from '../model/compare.js';
import type { Growth } from '../model/growth.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import type { Paint } from './paint.js';
import { signed } from './format.js';
import { escapeForTerminal as esc } from './escape.js';

export interface WatchLine {
  /** Host wall-clock time of the line. */
  at: Date;
  target: string;
  snapshot: string;
  processes: number;
  /** Which mode read smaps, and whose full smaps this capture holds. */
  smaps?: SnapshotMeta['smaps'];
  sinceFirst: CompareResult | null;
  sinceLast: CompareResult | null;
  /** What grew most in each, in the measure that ranks (analyze/growth). */
  largest: { sinceFirst: Growth | null; sinceLast: Growth | null };
}

const GAP_TEXT = 100;
const clock = (d: Date): string => d.toTimeString().slice(0, 8);

export function renderWatchLine(l: WatchLine, paint: Paint): string {
  const parts = [`${clock(l.at)} ${esc(l.target)} ${l.snapshot}  ${l.processes} process(es)`];
  if (l.smaps?.mode === 'auto') parts.push(`full smaps: ${l.smaps.read.length}`);
  if (l.sinceFirst) parts.push(`since ${l.sinceFirst.before.name}: ${growth(l.largest.sinceFirst, paint)}`);
  if (l.sinceLast) parts.push(`since ${l.sinceLast.before.name}: ${growth(l.largest.sinceLast, paint)}`);
  const recent = l.sinceLast ?? l.sinceFirst; // the second capture has only the one
  if (recent?.rebooted) parts.push(paint.warn('board REBOOTED'));
  const restarted = recent?.processes.filter((p) => p.diff.restarted && !recent.rebooted) ?? [];
  if (restarted.length) parts.push(paint.warn(`RESTARTED: ${restarted.map((p) => esc(p.diff.name || '?')).join(', ')}`));
  return parts.join('  ') + '\n';
}

/** By VSZ `+2 MiB heap [heap] (leaker 412)`; by a resident measure `+2 MiB RSS (leaker 412): heap [heap] +2 MiB in size`. */
function growth(g: Growth | null, paint: Paint): string {
  if (!g) return 'no growth';
  const region = `${g.kind} ${esc(g.region)}${g.status === 'new' ? ' (new)' : ''}`;
  if (g.measure === 'vsz') return `${paint.bad(signed(g.delta))} ${region} (${esc(g.process || '?')} ${g.pid})`;
  const head = `${paint.bad(signed(g.processDelta))} ${g.measure.toUpperCase()} (${esc(g.process || '?')} ${g.pid})`;
  return g.region ? `${head}: ${region} ${signed(g.delta)} ${g.regionMeasure === 'vsz' ? 'in size' : g.regionMeasure.toUpperCase()}` : head;
}

/** A failed tick; the error's first line, capped: a live line stays one line. */
export function renderWatchGap(at: Date, target: string, attempts: number, message: string, paint: Paint): string {
  const first = message.split('\n')[0]!;
  const text = first.length > GAP_TEXT ? first.slice(0, GAP_TEXT) + '…' : first;
  return `${clock(at)} ${esc(target)} ${paint.warn(`capture failed (${attempts} attempt(s)): ${esc(text)}; gap recorded, watching goes on`)}\n`;
}

export function renderWatchSummary(target: string, stored: string[], gaps: number, interrupted: boolean): string {
  const names = stored.length ? ` (${stored[0]}..${stored[stored.length - 1]})` : '';
  return `watch ${esc(target)}: ${stored.length} capture(s) stored${names}, ${gaps} gap(s)${interrupted ? ', stopped by interrupt' : ''}` +
    (stored.length > 1 ? `; see mapsdiff trend --since ${stored[0]}` : '') + '\n';
}
