/*! The two-snapshot page body: the interval and what moved in meminfo, the processes
 * ranked by growth in the measure that ranks (compare's: RSS when both captures have it),
 * and per process the before/after strips side by side with the top-growers table beside
 * them (a row click points at its region). Pure. */
import type { CompareResult, ProcessCompare } from '../model/compare.js';
import type { RegionSide } from '../model/diff.js';
import type { SnapshotReport } from '../model/report.js';
import { escapeXml as x } from './escape.js';
import { duration, human, signed } from './format.js';
import { snapshotLine, type PageData, type StringTable } from './html-page.js';
import { renderDiffSvg } from './svg-diff.js';
import { SCALE_NOTE } from './strip-scale.js';
import { ceilingPhrase } from './ceiling.js';
import { describeContinuity } from './continuity.js';
import { measureLine, regionStatus } from './compare-resident-text.js';
import { regionChanged, regionDelta } from '../analyze/compare-measure.js';

const TOP = 20;

export function compareBody(a: SnapshotReport, b: SnapshotReport, r: CompareResult, data: PageData, strings: StringTable): string {
  const c = describeContinuity(r);
  const when = c.warn ? `<span class="warn">${x(c.text)}</span>` : x(c.text);
  const parts = [`<header><h1>${x(`mapsdiff: ${r.before.name} -> ${r.after.name} (${r.after.target})`)}</h1>
<div class="meta">before: ${x(snapshotLine(a))}<br>after: ${x(snapshotLine(b))}</div><div class="facts">${when}</div><div class="facts">${x(measureLine(r).trimEnd())}</div></header>`];
  if (r.meminfo.length) {
    parts.push(`<div class="facts">meminfo: ${r.meminfo.slice(0, 8).map((m) => `${x(m.key)} <b>${m.unit ? signed(m.delta) : m.delta}</b>`).join(', ')}</div>`);
  }
  const m = r.measure.measure;
  const ranked = m === 'vsz' ? '' : `<th class="n">${m.toUpperCase()} delta</th>`;
  parts.push(`<table class="procs"><thead><tr><th>pid</th><th>process</th><th class="n">VSZ before</th><th class="n">after</th><th class="n">delta</th>${ranked}<th>note</th></tr></thead><tbody>` +
    r.processes.map((p, i) => `<tr onclick="location.hash='c${i}'"><td>${pidText(p)}</td><td><a href="#c${i}">${x(p.diff.name || '?')}</a></td><td class="n">${human(p.vsz.before)}</td><td class="n">${human(p.vsz.after)}</td>${deltaCell(p.vsz.delta)}${ranked && deltaCell(p.ranking.delta)}<td>${note(p)}</td></tr>`).join('') +
    '</tbody></table>');
  r.processes.forEach((p, i) => parts.push(processSection(p, `c${i}`, data, strings)));
  return parts.join('\n');
}

const pidText = (p: ProcessCompare) =>
  p.diff.pid.before !== null && p.diff.pid.after !== null && p.diff.pid.before !== p.diff.pid.after ? `${p.diff.pid.before}→${p.diff.pid.after}` : String(p.diff.pid.after ?? p.diff.pid.before);

const note = (p: ProcessCompare) =>
  p.status === 'not-captured' ? `not captured ${p.diff.pid.before === null ? 'before' : 'after'}` : p.diff.pid.before === null ? 'new process' : p.diff.pid.after === null ? 'gone' : p.diff.restarted ? '<span class="warn">RESTARTED</span>' : '';

const deltaCell = (d: number) => `<td class="n ${d > 0 ? 'up' : d < 0 ? 'down' : ''}">${signed(d)}</td>`;

const side = (s: RegionSide | null) => s && [s.start.toString(16), s.end.toString(16), s.perms, s.size, s.count];

function processSection(p: ProcessCompare, id: string, data: PageData, strings: StringTable): string {
  const d = p.diff;
  data.sections[id] = { bits: p.wordBits, diffs: d.regions.map((g) => [g.status, strings.id(g.owner), strings.id(g.path), side(g.before), side(g.after), g.note ?? '', g.delta]) };
  const g = p.largestGap;
  const facts = `VSZ ${human(p.vsz.before)} → ${human(p.vsz.after)} (<b>${signed(p.vsz.delta)}</b>)` + (p.rss ? `, RSS ${signed(p.rss.delta)}` : '') +
    `; largest free gap ${g.before ? human(g.before.size) : '-'} → ${g.after ? human(g.after.size) : '-'}` +
    `; thread stacks ${d.threadStacks.before} → ${d.threadStacks.after}; maps lines ${d.vmas.before} → ${d.vmas.after}`;
  const counts = { grown: 0, shrunk: 0, new: 0, gone: 0, same: 0 };
  for (const r of d.regions) counts[r.status]++;
  // regions rank by the process's region measure: resident when both sides have its smaps, else size
  const m = p.regionMeasure;
  const by = (r: (typeof d.regions)[number]) => regionDelta(r, m);
  const growers = d.regions.map((r, i) => ({ r, i })).filter(({ r }) => (m === 'vsz' ? r.status !== 'same' : regionChanged(r))).sort((u, v) => by(v.r) - by(u.r) || u.i - v.i).slice(0, TOP);
  const resHead = m === 'vsz' ? '' : `<th class="n">${m.toUpperCase()} delta</th>`;
  const table = `<table class="growers"><thead><tr><th>region</th><th>kind</th><th>status</th><th class="n">before</th><th class="n">after</th><th class="n">delta</th>${resHead}</tr></thead><tbody>` +
    growers.map(({ r, i }) => `<tr data-ref="${id}-d${i}"><td>${x(label(r.path, r.owner))}</td><td>${r.kind}</td><td>${regionStatus(r)}${r.note ? ` (${r.note})` : ''}</td>` +
      `<td class="n">${r.before ? human(r.before.size) : '-'}</td><td class="n">${r.after ? human(r.after.size) : '-'}</td>${deltaCell(r.delta)}${resHead && deltaCell(by(r))}</tr>`).join('') +
    (growers.length ? '' : `<tr><td colspan="${resHead ? 7 : 6}">no region changed</td></tr>`) + '</tbody></table>';
  const kinds = Object.entries(d.byKind).filter(([, v]) => v && (v.before || v.after)).sort((u, v) => v[1]!.delta - u[1]!.delta || v[1]!.after - u[1]!.after);
  const byKind = `<table class="kinds"><thead><tr><th>kind</th><th class="n">before</th><th class="n">after</th><th class="n">delta</th></tr></thead><tbody>` +
    kinds.map(([k, v]) => `<tr><td><i class="b-${k}" style="display:inline-block;width:10px;height:10px;margin-right:4px"></i>${k}</td><td class="n">${human(v!.before)}</td><td class="n">${human(v!.after)}</td>${deltaCell(v!.delta)}</tr>`).join('') + '</tbody></table>';
  return `<section id="${id}" data-sec="${id}">
<h2>pid ${pidText(p)} ${x(d.name || '?')} ${note(p)} <span class="meta">${p.wordBits}-bit, ${x(ceilingPhrase(p.ceiling, p.ceilingSource))}</span></h2>
<div class="facts">${facts}</div>${d.restarted ? '<div class="warn">this process RESTARTED between the captures: the comparison spans two different processes</div>' : ''}
<div class="facts">${counts.grown} grown, ${counts.new} new, ${counts.gone} gone, ${counts.shrunk} shrunk, ${counts.same} unchanged</div>
<div class="note">Before and after side by side, a row per region: red outline = grown or new, green = shrunk, faded and dashed = gone. ${x(SCALE_NOTE)}.</div>
<div class="row"><div>${renderDiffSvg(p, id, { ids: new Set(growers.map((g) => g.i)) })}</div><div class="side"><h3>Top growers</h3>${table}<h3>By kind</h3>${byKind}</div></div>
</section>`;
}

const label = (path: string, owner: string) => path || owner;
