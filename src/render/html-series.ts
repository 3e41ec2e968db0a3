/*! The series page body (`report` with three or more captures of one target): the series
 * in one line, then per process life the totals by kind over time (stacked), the largest
 * free gap over time, virtual (VSZ) beside resident (RSS) over time, and one small chart per leak suspect
 * (on the measure it was judged by) with its rate and time left;
 * MemAvailable per segment. Draws what analyze/trend and its curves say; pure. */
import type { Life, SeriesCurves } from '../model/series.js';
import { entryCurves } from '../analyze/entry-curve.js';
import { expandRuns, someRun } from '../analyze/runs.js';
import { lifeTimes } from '../analyze/series.js';
import type { ProcessTrend, TrendEntry, TrendResult } from '../model/trend.js';
import { KINDS } from '../model/vma.js';
import { escapeXml as x } from './escape.js';
import { duration, human } from './format.js';
import { KIND_STYLE } from './kind-style.js';
import { chart } from './svg-chart.js';

export function seriesBody(r: TrendResult, curves: SeriesCurves): string {
  const first = r.series.first!;
  const last = r.series.last!;
  const parts = [`<header><h1>${x(`mapsdiff: ${r.target}, ${r.series.names.length} captures`)}</h1>
<div class="meta">${x(`${first.name} (${first.capturedAt}) to ${last.name} (${last.capturedAt}); ${r.segments.length} segment(s), ${r.reboots.length} reboot(s), ${r.restarts.length} restart(s)`)}</div></header>`];
  for (const rb of r.reboots) parts.push(`<div class="warn">${x(`the board rebooted between ${rb.before.snapshot} and ${rb.after.snapshot}: the series is split there`)}</div>`);
  for (const rs of r.restarts) parts.push(`<div class="warn">${x(`${rs.name} restarted: pid ${rs.before.pid} (${rs.before.snapshot}) -> pid ${rs.after.pid} (${rs.after.snapshot})`)}</div>`);
  curves.segments.forEach((s, i) => {
    if (someRun(s.memAvailable, (v) => v !== null)) {
      parts.push(chart(s.t, [{ key: 'memavailable', label: 'MemAvailable', color: '#4e79a7', values: expandRuns(s.memAvailable) }],
        { width: 520, height: 150, title: `MemAvailable, segment ${i + 1} (${s.from} to ${s.to})`, chart: 'memavailable' }));
    }
  });
  r.processes.forEach((p, i) => {
    const life = curves.lives.find((l) => l.pid === p.pid && l.startTime === p.startTime && l.segment === p.segment);
    if (life) parts.push(processSection(p, life, Array.from(lifeTimes(life, curves.segments[life.segment]!)), `t${i}`));
  });
  if (!r.processes.length) parts.push('<p>No process in the series.</p>');
  return parts.join('\n');
}

function processSection(p: ProcessTrend, l: Life, t: number[], id: string): string {
  const kinds = KINDS.filter((k) => k !== 'kernel' && l.kinds.has(k)).map((k) => ({ key: k, label: k, color: KIND_STYLE[k].fill, values: expandRuns(l.kinds.get(k)!) }));
  const suspects = p.entries.filter((e) => e.verdict === 'leak');
  const curveOf = entryCurves(l);
  const hasResident = someRun(l.residentTotal, (v) => v !== null);
  const charts = [
    chart(t, kinds, { width: 520, height: 200, title: 'mapped by kind (stacked)', chart: 'kinds', stacked: true }),
    chart(t, [{ key: 'vsz', label: 'virtual (VSZ)', color: '#4e79a7', values: expandRuns(l.total) },
      ...(hasResident ? [{ key: 'rss', label: 'resident (RSS)', color: '#e15759', values: expandRuns(l.residentTotal) }] : [])],
    { width: 420, height: 200, title: 'virtual and resident', subtitle: hasResident ? 'mapped (VSZ) beside resident (RSS)' : 'resident (RSS) not captured: VSZ only', chart: 'resident' }),
    chart(t, [{ key: 'largest-gap', label: 'largest free gap', color: '#59a14f', values: expandRuns(l.largestGap) }], { width: 360, height: 200, title: 'largest free gap', subtitle: 'the biggest mmap that can still succeed', chart: 'free' }),
  ];
  const keys = kinds.map((k) => `<span><i class="b-${k.key}"></i>${x(k.label)} ${human(k.values[k.values.length - 1] ?? 0)}</span>`).join('');
  const small = suspects.map((e) => chart(t, [{ key: String(e.kind), label: label(e), color: e.kind === 'total' ? '#333' : KIND_STYLE[e.kind].fill, values: curveOf(e) }],
    { width: 260, height: 130, title: label(e), subtitle: `${e.rate === null ? 'rate unknown' : `+${human(e.rate)}/h`}, ${e.confidence} confidence${e.timeLeft !== null ? `, ${duration(e.timeLeft)} left` : ''}`, chart: 'suspect', attrs: ` data-scope="${e.scope}" data-measure="${e.measure}"` }));
  const verdict = p.verdict === 'leak' ? `<span class="warn">LEAK</span>` : p.verdict;
  return `<section id="${id}" data-sec="${id}" data-pid="${p.pid}">
<h2>pid ${p.pid} ${x(p.name || '?')} — ${verdict} <span class="meta">${p.confidence} confidence; ${x(`${p.from} to ${p.to}, ${p.captures} captures over ${duration(p.duration)}`)}</span></h2>
<div class="row charts">${charts.join('')}</div><div class="keys">${keys}</div>
${small.length ? `<h3>Leak suspects</h3><div class="row charts">${small.join('')}</div>` : '<div class="facts">no leak suspect in this process</div>'}
</section>`;
}

const label = (e: TrendEntry) => {
  const what = e.scope === 'total' ? (e.measure === 'resident' ? 'total (RSS)' : 'total (VSZ)') : e.scope === 'kind' ? `all ${e.kind}` : `${e.path || e.owner} (${e.kind})`;
  return e.measure === 'resident' && e.scope !== 'total' ? `${what}, resident` : what;
};
