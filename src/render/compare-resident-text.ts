/*! compare's resident memory for people: the line saying which measure ranks (and why, when
 * the default fell back to VSZ), a region's status with `grown (resident)`, and the resident
 * columns (BEFORE, AFTER, DELTA of RSS, or of PSS/USS with --by) beside the virtual ones. */
import type { CompareResult, Measure } from '../model/compare.js';
import type { RegionDiff, SizeDelta } from '../model/diff.js';
import type { Paint } from './paint.js';
import type { Column } from './table.js';
import { kib } from './format.js';
import { escapeForTerminal as esc } from './escape.js';

const NAMES: Record<Measure, string> = {
  vsz: 'VSZ (or usable memory, whichever grew more)',
  rss: 'RSS (resident set: pages in RAM)',
  pss: 'PSS (proportional set: shared pages divided among their sharers)',
  uss: 'USS (unique set: Private_Clean + Private_Dirty)',
};

/** `measure: RSS (...), by default: both captures have it; --by vsz|rss|pss|uss`. */
export function measureLine(r: CompareResult): string {
  const c = r.measure;
  const why = c.from === 'option' ? `--by ${c.measure}`
    : c.lacking ? `by default, as ${c.lacking.snapshot} has no ${c.lacking.measure.toUpperCase()} for pid ${pids(c.lacking.pids, r)} (mapsdiff capture reads it; --smaps for each region's); --by vsz|rss|pss|uss`
    : c.measure === 'rss' ? 'by default: both captures have it; --by vsz|rss|pss|uss'
    : 'by default; --by vsz|rss|pss|uss';
  return `measure: ${NAMES[c.measure]}, ${why}\n`;
}

function pids(list: number[], r: CompareResult): string {
  const name = (pid: number) => r.processes.find((p) => p.diff.pid.before === pid || p.diff.pid.after === pid)?.diff.name || '?';
  return list.slice(0, 6).map((pid) => `${pid} (${esc(name(pid))})`).join(', ') + (list.length > 6 ? `, and ${list.length - 6} more` : '');
}

/** The resident measure the columns show: RSS, or PSS/USS when they rank. */
export const residentShown = (m: Measure): 'rss' | 'pss' | 'uss' => (m === 'pss' || m === 'uss' ? m : 'rss');

/** `grown`, ... or, at an unchanged size, `grown (resident)` / `shrunk (resident)` (beyond one page of RSS). */
export const regionStatus = (d: RegionDiff): string =>
  d.status === 'same' && d.resident && d.resident.status !== 'same' ? `${d.resident.status} (resident)` : d.status;

/** The headers with `RSS BEFORE`, `AFTER`, `DELTA` inserted at `at` when `shown` is set. */
export function residentHeads(cols: Column[], shown: 'rss' | 'pss' | 'uss' | null, at: number): Column[] {
  if (!shown) return cols;
  const right = { align: 'right' as const };
  return [...cols.slice(0, at), { header: `${shown.toUpperCase()} BEFORE`, ...right }, { header: 'AFTER', ...right }, { header: 'DELTA', ...right }, ...cols.slice(at)];
}

/** The cells with the resident ones inserted at `at` when `on` (`-` when this row has none). */
export function residentCells(cells: string[], on: boolean, v: SizeDelta | null, at: number, colored: (n: number, p: Paint) => string, paint: Paint): string[] {
  if (!on) return cells;
  const mid = v ? [kib(v.before), kib(v.after), colored(v.delta, paint)] : ['-', '-', '-'];
  return [...cells.slice(0, at), ...mid, ...cells.slice(at)];
}
