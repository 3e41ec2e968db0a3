/*! `compare` for people: what to read first (the interval, a reboot, the processes
 * ranked by growth, the meminfo lines that moved), then per process the totals by kind,
 * free space, stack and thread stacks, and each region that changed; a process with no
 * region changed is one line. Sizes: KiB columns in tables (as pmap), human units in sentences. */
import type { CompareResult, ProcessCompare } from '../model/compare.js';
import type { RegionDiff, RegionSide, SizeDelta } from '../model/diff.js';
import type { Paint } from './paint.js';
import type { CompareView } from './compare-json.js';
import { addr, human, kib, signed, signedKib } from './format.js';
import { regionDelta } from '../analyze/compare-measure.js';
import { escapeForTerminal as esc } from './escape.js';
import { table } from './table.js';
import { ceilingPhrase } from './ceiling.js';
import { describeContinuity } from './continuity.js';
import { measureLine, regionStatus, residentCells, residentHeads, residentShown } from './compare-resident-text.js';
import { renderBoardCompareText } from './board-compare-text.js';

export function renderCompareText(view: CompareView, paint: Paint): string {
  const r = view.result;
  const out: string[] = [head(r, paint)];
  const withPss = r.processes.some((p) => p.pss);
  const uss = (p: ProcessCompare) => (p.rss && p.resident?.uss ? p.resident.uss : null);
  const withUss = r.processes.some((p) => uss(p));
  out.push(table(
    [{ header: 'PID' }, { header: 'PROCESS' }, { header: 'VSZ BEFORE', align: 'right' }, { header: 'AFTER', align: 'right' }, { header: 'DELTA', align: 'right' },
      { header: 'RSS DELTA', align: 'right' }, ...(withPss ? [{ header: 'PSS DELTA', align: 'right' as const }] : []),
      ...(withUss ? [{ header: 'USS DELTA', align: 'right' as const }] : []), { header: 'NOTE' }],
    r.processes.map((p) => [pidText(p), esc(p.diff.name || '?'), kib(p.vsz.before), kib(p.vsz.after), colored(p.vsz.delta, paint, signedKib),
      p.rss ? signedKib(p.rss.delta) : '-', ...(withPss ? [p.pss ? signedKib(p.pss.delta) : '-'] : []), ...(withUss ? [uss(p) ? signedKib(uss(p)!.delta) : '-'] : []), processNote(p)]),
  ));
  if (r.meminfo.length) {
    const one = r.meminfo.filter((m) => m.only);
    if (one.length) out.push('meminfo keys on one side only: ' + one.map((m) => `${m.key} only ${m.only} (${m.unit ? human(m.before || m.after) : m.before || m.after})`).join(', ') + '\n');
    out.push('meminfo: ' + r.meminfo.filter((m) => !m.only).slice(0, 10).map((m) => `${m.key} ${m.unit ? signed(m.delta) : (m.delta > 0 ? '+' : '') + m.delta}`).join(', ') + '\n');
  }
  if (r.board) out.push(renderBoardCompareText(r.board, paint));
  r.processes.forEach((p, i) => {
    const whole = p.diff.pid.before === null ? 'new' : p.diff.pid.after === null ? 'gone' : null;
    if (whole && !view.detailNewAndGone) {
      const vsz = whole === 'new' ? p.vsz.after : p.vsz.before;
      const lines = whole === 'new' ? p.diff.vmas.after : p.diff.vmas.before;
      const what = p.status === 'not-captured' ? notCaptured(p, r) : `${whole} process`;
      out.push(paint.bold(`pid ${pidText(p)}  ${esc(p.diff.name || '?')}`) + `  ${what}: VSZ ${human(vsz)} in ${lines} maps lines (--all lists its regions)\n`);
      return;
    }
    if (p.status === 'matched' && !p.diff.restarted && p.diff.regions.length && p.diff.regions.every((x) => regionStatus(x) === 'same' && !x.note)) {
      const bySize = r.measure.from === 'option' ? regionsBySize(p, r) : null;
      out.push(paint.bold(`pid ${pidText(p)}  ${esc(p.diff.name || '?')}`) + `  no region changed: VSZ ${human(p.vsz.after)} in ${p.diff.vmas.after} maps lines` +
        (p.rss?.delta ? `, RSS ${signed(p.rss.delta)}` : '') + (p.pss?.delta ? `, PSS ${signed(p.pss.delta)}` : '') +
        (bySize ? `; ${bySize}` : '') + '\n');
      return;
    }
    out.push(processText(p, view.regions(i), paint, r));
  });
  return out.join('\n');
}

function head(r: CompareResult, paint: Paint): string {
  const c = describeContinuity(r);
  const when = c.warn ? paint.bad(c.text) : c.text;
  const boards = r.otherBoard.length ? paint.bad(`\nDIFFERENT BOARDS (--force): ${esc(r.otherBoard.join('; '))}`) : '';
  return `compare ${r.before.name} -> ${r.after.name}  target ${esc(r.after.target)}${r.before.target !== r.after.target ? ` (before: ${esc(r.before.target)})` : ''}  ${when}${boards}\n` +
    measureLine(r);
}

const pidText = (p: ProcessCompare) =>
  p.diff.pid.before !== null && p.diff.pid.after !== null && p.diff.pid.before !== p.diff.pid.after ? `${p.diff.pid.before}->${p.diff.pid.after}` : String(p.diff.pid.after ?? p.diff.pid.before);

/** `regions by size: t1 has no smaps ...` when the process ranks by a resident measure its regions lack. */
function regionsBySize(p: ProcessCompare, r: CompareResult): string | null {
  if (p.regionMeasure !== 'vsz' || r.measure.measure === 'vsz') return null;
  const lacks = [p.smaps.before || p.diff.pid.before === null ? '' : r.before.name, p.smaps.after || p.diff.pid.after === null ? '' : r.after.name].filter(Boolean);
  return `regions by size: ${lacks.join(' and ')} ${lacks.length > 1 ? 'have' : 'has'} no smaps for this process (capture --smaps)`;
}

/** In one capture only because the other was not asked for it. */
const notCaptured = (p: ProcessCompare, r: CompareResult) =>
  `not captured in ${p.diff.pid.before === null ? r.before.name : r.after.name} (that capture did not select it)`;

function processNote(p: ProcessCompare): string {
  if (p.status === 'not-captured') return 'not captured ' + (p.diff.pid.before === null ? 'before' : 'after');
  if (p.diff.pid.before === null) return 'new process';
  if (p.diff.pid.after === null) return 'gone';
  return p.diff.restarted ? 'RESTARTED' : '';
}

const colored = (d: number, paint: Paint, fmt = signed) => (d > 0 ? paint.bad(fmt(d)) : d < 0 ? paint.good(fmt(d)) : fmt(d));

function processText(p: ProcessCompare, regions: RegionDiff[], paint: Paint, r: CompareResult): string {
  const d = p.diff;
  const lines = [paint.bold(`pid ${pidText(p)}  ${esc(d.name || '?')}`) + `  VSZ ${human(p.vsz.before)} -> ${human(p.vsz.after)} (${signed(p.vsz.delta)})` +
    (p.usable.delta !== p.vsz.delta ? `, usable memory ${signed(p.usable.delta)}` : '') +
    (p.rss ? `, RSS ${signed(p.rss.delta)}` : '') + (p.pss ? `, PSS ${signed(p.pss.delta)}` : '') +
    (p.rss && p.resident?.uss ? `, USS ${signed(p.resident.uss.delta)}` : '') + (p.rss && p.resident?.swap.delta ? `, swap ${signed(p.resident.swap.delta)}` : '') +
    `, maps lines ${d.vmas.before} -> ${d.vmas.after}`];
  if (d.restarted) lines.push(paint.warn('this process RESTARTED between the captures: the comparison spans two different processes'));
  const m = p.regionMeasure;
  const by = (x: RegionDiff) => regionDelta(x, m);
  const growths = largest(growable(p), by, 3);
  if (growths.length) lines.push(`largest ${m === 'vsz' ? '' : m.toUpperCase() + ' '}growths: ` + growths.map((g) => `${esc(label(g))} ${signed(by(g))}${g.status === 'new' ? ' (new)' : ''}`).join(', '));
  const bySize = regionsBySize(p, r);
  if (bySize) lines.push(bySize);
  const g = p.largestGap;
  if (g.before || g.after) {
    lines.push(`free address space in ${ceilingPhrase(p.ceiling, p.ceilingSource)}: largest gap ${g.before ? human(g.before.size) : '-'} -> ${g.after ? human(g.after.size) : '-'}` +
      `, total free ${p.freeTotal.before !== null ? human(p.freeTotal.before) : '-'} -> ${p.freeTotal.after !== null ? human(p.freeTotal.after) : '-'}`);
  }
  const st = p.stack;
  lines.push(`stack ${st.before !== null ? human(st.before) : '-'} -> ${st.after !== null ? human(st.after) : '-'}` +
    (st.limit === null ? (st.limitSource !== null ? ` (limit unlimited, from ${st.limitSource})` : ' (limit unknown: no limits or ulimit -s captured)')
      : st.after !== null && st.after > st.limit ? `, over its ${human(st.limit)} limit` : ` of ${human(st.limit)} limit`) + `; thread stacks ${d.threadStacks.before} -> ${d.threadStacks.after}`);
  const kinds = Object.entries(d.byKind) as [string, SizeDelta][];
  const res = p.regionResident;
  const shown = residentShown(r.measure.measure);
  const kindRes = (k: string) => res?.byKind[k as keyof typeof res.byKind]?.[shown] ?? null;
  const kindBy = (k: string, v: SizeDelta) => (m === 'vsz' ? v : kindRes(k) ?? v);
  const coloredKib = (n: number, pp: Paint) => colored(n, pp, signedKib);
  lines.push(table(residentHeads([{ header: 'KIND' }, { header: 'BEFORE', align: 'right' }, { header: 'AFTER', align: 'right' }, { header: 'DELTA', align: 'right' }], res ? shown : null, 4),
    kinds.sort((x, y) => kindBy(y[0], y[1]).delta - kindBy(x[0], x[1]).delta || y[1].after - x[1].after)
      .map(([k, v]) => residentCells([paint.kind(k), kib(v.before), kib(v.after), coloredKib(v.delta, paint)], !!res, kindRes(k), 4, coloredKib, paint)), '  ').trimEnd());
  if (res) {
    const owners = Object.entries(res.byOwner).map(([o, v]) => [o, v[shown]!.delta] as const).filter(([, n]) => n !== 0)
      .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]) || (x[0] < y[0] ? -1 : 1));
    lines.push(`${shown.toUpperCase()} by owner: ` + (owners.length ? owners.slice(0, 8).map(([o, n]) => `${esc(o)} ${signed(n)}`).join(', ') +
      (owners.length > 8 ? `, and ${owners.length - 8} more` : '') : 'no change'));
  }
  if (regions.length) {
    lines.push(table(
      residentHeads([{ header: 'STATUS' }, { header: 'KIND' }, { header: 'BEFORE' }, { header: 'AFTER' }, { header: 'SIZE BEFORE', align: 'right' }, { header: 'AFTER', align: 'right' }, { header: 'DELTA', align: 'right' }, { header: 'OWNER / FILE' }], res ? shown : null, 7),
      regions.map((x) => residentCells([regionStatus(x) + (x.note ? ` (${x.note})` : ''), paint.kind(x.kind), range(x.before, p.wordBits), range(x.after, p.wordBits),
        x.before ? kib(x.before.size) : '-', x.after ? kib(x.after.size) : '-', coloredKib(x.delta, paint), esc(label(x))], !!res, x.resident?.[shown] ?? null, 7, coloredKib, paint)),
      '  ').trimEnd());
  } else {
    lines.push('  no region changed' + (d.regions.length ? '' : ' (no maps captured)'));
  }
  return lines.join('\n') + '\n';
}

/** The regions that can have grown in the process's region measure: without smaps (or by vsz)
 * none of one VMA printed alike in both captures (delta 0), so only the others (ProcessDiff.changedAt). */
function growable(p: ProcessCompare): readonly RegionDiff[] {
  const { regions, changedAt } = p.diff;
  if ((p.regionMeasure !== 'vsz' && p.regionResident) || !changedAt) return regions;
  return changedAt.map((i) => regions[i]!);
}

/** The `n` with the largest positive `by`, largest first, ties in the regions' order (as a stable sort). */
function largest(regions: readonly RegionDiff[], by: (x: RegionDiff) => number, n: number): RegionDiff[] {
  const top: RegionDiff[] = [];
  for (const x of regions) {
    const v = by(x);
    if (v <= 0 || (top.length === n && v <= by(top[n - 1]!))) continue;
    let k = top.length === n ? n - 1 : top.length;
    while (k > 0 && by(top[k - 1]!) < v) {
      top[k] = top[k - 1]!;
      k--;
    }
    top[k] = x;
  }
  return top;
}

const range = (s: RegionSide | null, bits: 32 | 64) => (s ? `${addr(s.start, bits)}-${addr(s.end, bits)}` : '-');
const label = (x: RegionDiff) => (x.path ? x.path : x.owner);
