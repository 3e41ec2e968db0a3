/*! compare's `--by vsz|rss|pss|uss`: the measure checked against what the two captures hold
 * (a --by a capture cannot give is a usage error naming it and how to capture it, never a
 * silent fallback), the ranking, and the --fail-over lines in that measure. */
import { UsageError } from '../errors.js';
import type { CompareResult, Lacking, Measure } from '../model/compare.js';
import { lackingMeasure, rankBy } from '../analyze/compare-measure.js';
import { human, signed } from '../render/format.js';
import { escapeForTerminal as esc } from '../render/escape.js';

export const MEASURES = ['vsz', 'rss', 'pss', 'uss'] as const;

/** The comparison ranked by `by` (the default without it); exit 2 when a capture lacks it. */
export function rankedBy(r: CompareResult, by: Measure | undefined): CompareResult {
  const lacking = by ? lackingMeasure(r, by) : null;
  if (lacking) throw new UsageError(`--by ${by}: ${lackingPhrase(lacking, r)}; ${fix(lacking)}`);
  return rankBy(r, by ?? 'auto');
}

/** `t0 has no RSS for pid 107 (rsspool), 104 (steady)`. */
export function lackingPhrase(l: Lacking, r: CompareResult): string {
  const name = (pid: number) => r.processes.find((p) => p.diff.pid.before === pid || p.diff.pid.after === pid)?.diff.name || '?';
  const pids = l.pids.slice(0, 8).map((pid) => `${pid} (${esc(name(pid))})`).join(', ') + (l.pids.length > 8 ? `, and ${l.pids.length - 8} more` : '');
  return `${l.snapshot} has no ${l.measure.toUpperCase()} for pid ${pids}`;
}

function fix(l: Lacking): string {
  const where = l.measure === 'rss'
    ? 'RSS comes from smaps_rollup, smaps or status, and that capture has none of them (an imported maps file?)'
    : `${l.measure.toUpperCase()} comes from smaps_rollup or smaps (status has RSS only)`;
  return `${where}: capture again with mapsdiff capture TARGET --smaps (smaps_rollup is read by default, full smaps with --smaps), or compare --by ${l.measure === 'rss' ? 'vsz' : 'rss or --by vsz'}`;
}

/** One stderr line per process over --fail-over in the ranking measure. */
export function failOverLines(r: CompareResult, failOver: number): string[] {
  // a process only one capture was asked for did not grow: it was not looked at before
  return r.processes.filter((p) => p.status !== 'not-captured' && p.ranking.delta > failOver).map((p) => {
    const m = p.ranking.measure;
    const head = `mapsdiff: ${esc(p.diff.name || '?')} (pid ${p.diff.pid.after ?? p.diff.pid.before}) grew by ${human(p.ranking.delta)}`;
    const what = m === 'usable' ? `in usable memory; VSZ ${signed(p.vsz.delta)}: it grew into its own reserve` : `in ${m.toUpperCase()}`;
    return `${head}, over --fail-over ${human(failOver)} (${what})`;
  });
}
