/*! `mapsdiff report`: one self-contained HTML page (inline SVG, CSS and a small script,
 * no network, no fonts) for one snapshot (each process's address-space strip, totals by
 * kind as a bar), two (html-compare) or a series (html-series). Pure: (input) => string. */
import type { CompareResult } from '../model/compare.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { StyleKind } from './kind-style.js';
import { KIND_STYLE, STYLE_KINDS } from './kind-style.js';
import { escapeXml as x } from './escape.js';
import { human, percent } from './format.js';
import { describeFinding } from './findings.js';
import { page, snapshotLine, StringTable, type PageData } from './html-page.js';
import { residentNote, renderStripSvg } from './svg.js';
import { ceilingPhrase } from './ceiling.js';
import { SCALE_NOTE } from './strip-scale.js';
import { compareBody } from './html-compare.js';
import { seriesBody } from './html-series.js';
import type { TrendResult } from '../model/trend.js';
import type { SeriesCurves } from '../model/series.js';

export type HtmlInput =
  | { view: 'snapshot'; report: SnapshotReport }
  | { view: 'compare'; before: SnapshotReport; after: SnapshotReport; result: CompareResult }
  | { view: 'series'; trend: TrendResult; curves: SeriesCurves };

export function renderHtml(input: HtmlInput): string {
  const strings = new StringTable();
  const data: PageData = { strings: strings.strings, sections: {} };
  if (input.view === 'series') {
    return page(`mapsdiff: ${input.trend.target}, ${input.trend.series.names.length} captures`, seriesBody(input.trend, input.curves), data);
  }
  if (input.view === 'compare') {
    const { result } = input;
    const title = `mapsdiff: ${result.before.name} -> ${result.after.name} (${result.after.target})`;
    return page(title, compareBody(input.before, input.after, result, data, strings), data);
  }
  const { report } = input;
  const title = `mapsdiff: ${report.meta.name} (${report.meta.target})`;
  const parts = [`<header><h1>${x(title)}</h1><div class="meta">${x(snapshotLine(report))}</div></header>`];
  if (report.processes.length > 1) {
    parts.push('<nav>' + report.processes.map((p, i) => `<a href="#s${i}">${p.pid} ${x(p.name || '?')}</a>`).join('') + '</nav>');
  }
  report.processes.forEach((p, i) => {
    const id = `s${i}`;
    data.sections[id] = { bits: p.wordBits, regions: p.regions.map((r) => [
      r.end.toString(16), r.perms, r.offset.toString(16), r.dev, r.inode, strings.id(r.path), strings.id(r.owner), ...(r.deleted ? [1] : []),
    ]) };
    parts.push(processSection(p, id));
  });
  if (report.processes.length === 0) parts.push('<p class="warn">This snapshot holds no process.</p>');
  return page(title, parts.join('\n'), data);
}

function processSection(p: ProcessReport, id: string): string {
  const lg = p.free.largest;
  const facts = `mapped (VSZ) <b>${human(p.totals.mapped)}</b>` + (p.rss !== null ? `, RSS <b>${human(p.rss)}</b>` : '') +
    `; free <b>${human(p.free.total)}</b> in ${p.free.gaps.length} gaps, largest <b>${lg ? human(lg.size) : '-'}</b>` +
    `; stack ${human(p.stack.size)}` + (p.stack.limit !== null ? ` of ${human(p.stack.limit)} (${percent(p.stack.size, p.stack.limit)})` : '') +
    `; ${p.threadStacks} thread stacks; ${p.regions.length} VMAs`;
  const findings = p.findings.map((f) => `<div class="warn">${x(describeFinding(f))}</div>`).join('');
  return `<section id="${id}" data-sec="${id}" data-pid="${p.pid}">
<h2>pid ${p.pid} ${x(p.name || '?')} <span class="meta">${p.wordBits}-bit, ${x(ceilingPhrase(p.ceiling, p.ceilingSource))}</span></h2>
<div class="facts">${facts}</div>${findings}
${kindBar(p.totals.byKind, p.totals.mapped)}
<div class="note">The strip: address 0 at the top left, down each column, then the next column. ${x(SCALE_NOTE)}. Hover or click a box for its maps line.</div>
<div class="note" data-legend="resident">Resident memory: ${x(residentNote(p))}.</div>
${renderStripSvg(p)}
</section>`;
}

/** Totals by kind as one bar (share of the mapped total) with a key under it. */
export function kindBar(byKind: Partial<Record<StyleKind, number>>, total: number): string {
  const kinds = STYLE_KINDS.filter((k) => (byKind[k] ?? 0) > 0).sort((a, b) => byKind[b]! - byKind[a]!);
  const segs = kinds.map((k) => {
    const share = (100 * byKind[k]!) / Math.max(total, 1);
    return `<div class="b-${k}" style="width:${share.toFixed(2)}%" title="${x(`${k} ${human(byKind[k]!)} (${percent(byKind[k]!, total)})`)}">${share >= 6 ? x(k) : ''}</div>`;
  }).join('');
  const keys = kinds.map((k) => `<span data-total="${k}"><i class="b-${k}"></i>${x(KIND_STYLE[k].label)} <b>${human(byKind[k]!)}</b> ${percent(byKind[k]!, total)}</span>`).join('');
  return `<div class="kindbar" role="img" aria-label="totals by kind">${segs}</div><div class="keys">${keys}</div>`;
}
