/*! `trend` for people: the series in one line, then the suspects (leaks, soonest to run out
 * first), one line each, then what changed but is no leak, then the rest summarised, the
 * restarts, reboots and MemAvailable. Chooses what to show; never re-analyses. */
import type { ProcessTrend, TrendEntry, TrendResult, Verdict } from '../model/trend.js';
import type { Paint } from './paint.js';
import { duration, human, signed } from './format.js';
import { escapeForTerminal as esc } from './escape.js';
import { table } from './table.js';
import { ceilingPhrase } from './ceiling.js';
import { boardSuspects } from './board-trend-text.js';

const OTHERS_SHOWN = 10;
const COLUMNS = [{ header: 'PID' }, { header: 'PROCESS' }, { header: 'REGION / KIND' }, { header: 'RATE', align: 'right' as const },
  { header: 'VERDICT' }, { header: 'CONFIDENCE' }, { header: 'EVIDENCE' }, { header: 'TIME LEFT' }];

interface Row { p: ProcessTrend; e: TrendEntry }

export function renderTrendText(r: TrendResult, paint: Paint): string {
  const out: string[] = [head(r)];
  for (const f of r.findings) {
    if (f.code === 'single-capture') out.push(paint.warn('only one capture: a trend needs two or more (mapsdiff watch TARGET --every 30s)'));
    if (f.code === 'single-interval') out.push(paint.warn('only one interval: a leak cannot be told from warm-up yet; every verdict is low-confidence'));
    if (f.code === 'unknown-interval') {
      out.push(paint.warn(`segment ${f.segment + 1} has no known interval (imported snapshots carry no board uptime): verdicts follow the captures' order, no rate or time left is given`));
    }
    if (f.code === 'host-clock') out.push(paint.warn(`segment ${f.segment + 1} lacks the board's uptime in some capture: its intervals come from the host clock`));
  }
  if (r.gaps.length) {
    const at = (g: { at: string }) => g.at.slice(11, 19);
    out.push(paint.warn(`${r.gaps.length} capture(s) failed during the series (watch recorded them): `) +
      r.gaps.slice(0, 5).map((g) => `${at(g)} ${esc(g.reason.slice(0, 80))}`).join('; ') + (r.gaps.length > 5 ? '; ...' : ''));
  }
  const leaks = r.processes.flatMap((p) => shown(p, 'leak').map((e) => ({ p, e })));
  leaks.sort((a, b) => (a.e.timeLeft ?? Infinity) - (b.e.timeLeft ?? Infinity) || (b.e.rate ?? 0) - (a.e.rate ?? 0));
  const threadLeaks = r.processes.filter((p) => p.threads.leak);
  const board = boardSuspects(r, paint);
  const firstProcess = leaks[0]?.e.timeLeft ?? null;
  // a board-level leak that runs out first is listed first
  const boardFirst = board.lines.length > 0 && board.soonest !== null && (firstProcess === null || board.soonest < firstProcess);
  if (board.lines.length && (boardFirst || !(leaks.length || threadLeaks.length))) {
    out.push(paint.bold('SUSPECTS (board)'));
    for (const l of board.lines) out.push(l);
  }
  if (leaks.length || threadLeaks.length) {
    out.push(paint.bold('SUSPECTS'));
    if (leaks.length) out.push(table(COLUMNS, leaks.map((x) => row(x, paint)), '  ').trimEnd());
    // the time left against the free gaps depends on where user space ends: say where, and why
    for (const p of new Set(leaks.map((x) => x.p))) out.push(`  pid ${p.pid} ${esc(p.name || '?')}: ${ceilingPhrase(p.ceiling, p.ceilingSource)}`);
    for (const p of threadLeaks) {
      const t = p.threads;
      out.push(`  ${paint.bad('thread leak')}: pid ${p.pid} ${esc(p.name || '?')}: threads ${t.first.threads} -> ${t.last.threads}, thread stacks ${t.first.threadStacks} -> ${t.last.threadStacks} ` +
        `(${t.threadStacks.rate === null ? 'rate unknown' : `+${perHour(t.threadStacks.rate)}/h`}, ${t.threadStacks.confidence} confidence)`);
    }
    if (board.lines.length && !boardFirst) {
      out.push(paint.bold('SUSPECTS (board)'));
      for (const l of board.lines) out.push(l);
    }
  } else if (!board.lines.length) {
    out.push(paint.good('no leak found') + (r.processes.length ? '' : ' (no process in the series)'));
  } else out.push(paint.good('no leak found in any process') + ' (the board leaks above are the kernel\'s or uncaptured processes\')');
  for (const l of board.notes) out.push(l);
  const others = r.processes.flatMap((p) => [...shown(p, 'plateau'), ...shown(p, 'sawtooth')].map((e) => ({ p, e })));
  if (others.length) {
    others.sort((a, b) => Math.abs(b.e.evidence.last - b.e.evidence.first) - Math.abs(a.e.evidence.last - a.e.evidence.first));
    out.push(paint.bold('CHANGED, NOT LEAKING'));
    out.push(table(COLUMNS.slice(0, 7), others.slice(0, OTHERS_SHOWN).map((x) => row(x, paint).slice(0, 7)), '  ').trimEnd());
    if (others.length > OTHERS_SHOWN) out.push(`  ... and ${others.length - OTHERS_SHOWN} more (--json lists them all)`);
  }
  out.push(summary(r));
  for (const x of r.restarts) {
    out.push(paint.warn(`restart: ${esc(x.name || '?')} pid ${x.before.pid} (${x.before.snapshot}) -> pid ${x.after.pid} (${x.after.snapshot}); judged as two processes`));
  }
  for (const b of r.reboots) {
    const up = (u: number | null) => (u === null ? '' : ` (uptime ${duration(u)})`);
    const by = b.by === 'boot-id' ? 'a new boot id' : b.by === 'uptime-down' ? 'uptime went down' : 'uptime advanced far less than the host clock';
    out.push(paint.warn(`reboot: between ${b.before.snapshot}${up(b.before.uptime)} and ${b.after.snapshot}${up(b.after.uptime)} (${by}); the series is split there`));
  }
  r.segments.forEach((s, i) => {
    const m = s.memAvailable;
    if (!m) return;
    const prefix = r.segments.length > 1 ? `segment ${i + 1} (${s.from}..${s.to}) ` : '';
    out.push(`${prefix}MemAvailable ${human(m.last)}, ${m.rate === null ? 'rate unknown' : `${signed(-Math.round(m.rate))}/h`} (${m.verdict}${m.verdict === 'stable' ? '' : `, ${m.confidence} confidence`})` +
      (m.timeLeft !== null ? `, ${paint.bad('runs out in ' + duration(m.timeLeft))}` : ''));
  });
  return out.join('\n') + '\n';
}

function head(r: TrendResult): string {
  const n = r.series.names.length;
  const span = r.segments.reduce((a, s) => a + s.duration, 0);
  const names = r.series.first && r.series.last ? `${r.series.first.name}..${r.series.last.name}` : '';
  return `trend of ${esc(r.target)}: ${n} capture(s) ${names}, ${duration(span)} of board uptime` +
    (r.segments.length > 1 ? ` in ${r.segments.length} segments` : '') + `; ${r.processes.length} process(es)`;
}

/** A process's entries of one verdict worth a line: kinds; the total only when no kind has that
 * verdict; regions only when their kind has not that verdict already. */
function shown(p: ProcessTrend, verdict: Verdict): TrendEntry[] {
  const es = p.entries.filter((e) => e.verdict === verdict);
  const kinds = new Set(es.filter((e) => e.scope === 'kind').map((e) => `${e.measure} ${e.kind}`));
  const any = (m: string) => [...kinds].some((k) => k.startsWith(m + ' '));
  return es.filter((e) => e.scope === 'kind' || (e.scope === 'total' && !any(e.measure)) || (e.scope === 'region' && !kinds.has(`${e.measure} ${e.kind}`)));
}

function row({ p, e }: Row, paint: Paint): string[] {
  const res = e.measure === 'resident';
  const what = e.scope === 'total' ? (res ? 'total (RSS)' : 'total (VSZ)') : (e.scope === 'kind' ? `${paint.kind(e.kind)} (all)` : `${paint.kind(e.kind)} ${esc(e.path || e.owner)}`) + (res ? ' RSS' : '');
  const ev = e.evidence;
  const evidence = e.verdict === 'plateau' ? `flat for ${e.rate === null ? `${ev.flatFor} capture(s)` : duration(ev.flatFor)}` : `grew ${ev.grew}/${ev.intervals}` + (ev.shrank ? `, shrank ${ev.shrank}` : '');
  const verdict = e.verdict === 'leak' ? paint.bad('leak') : e.verdict;
  return [String(p.pid), esc(p.name || '?'), what, e.rate === null ? '?' : `${signed(Math.round(e.rate))}/h`, verdict, e.confidence, evidence, timeLeft(e)];
}

function timeLeft(e: TrendEntry): string {
  if (e.timeLeft === null) return '-';
  const by = e.timeLeftBy;
  const gap = e.kind === 'heap' && (e.scope === 'kind' || e.path === '[heap]') ? 'the gap above [heap]' : 'largest free gap';
  const what = e.timeLeft === by.stack ? 'stack limit' : e.timeLeft === by.addressSpace ? gap : 'MemAvailable';
  return e.timeLeft > 100 * 365 * 86400 ? `> 100 years (${what})` : `${duration(e.timeLeft)} (${what})`;
}

function summary(r: TrendResult): string {
  const count = new Map<Verdict, number>();
  for (const p of r.processes) count.set(p.verdict, (count.get(p.verdict) ?? 0) + 1);
  const parts = (['leak', 'plateau', 'sawtooth', 'stable'] as const).filter((v) => count.has(v)).map((v) => `${count.get(v)} ${v}`);
  const stable = r.processes.reduce((a, p) => a + p.stableRegions, 0);
  return `processes: ${parts.join(', ') || 'none'}; ${stable} region(s) stable across the series`;
}

const perHour = (x: number): string => (Math.round(x * 10) / 10).toString();
