/*! Small charts over time for the series report: stacked areas (totals by kind), a line
 * (the largest free gap, MemAvailable) and a sparkline per leak suspect. x is seconds,
 * y bytes from 0; a missing value (null) breaks the line. SVG markup only; pure. */
import { escapeXml as x } from './escape.js';
import { duration, human } from './format.js';

export interface ChartSeries {
  /** data-kind (or another key) of its path. */
  key: string;
  label: string;
  color: string;
  values: Array<number | null>;
}

export interface ChartOptions {
  width: number;
  height: number;
  title: string;
  /** A second line under the title (rate, time left). */
  subtitle?: string;
  /** data-chart attribute, for tests and the page's stylesheet. */
  chart: string;
  /** More attributes, already escaped. */
  attrs?: string;
  /** Stack the series (areas) instead of drawing lines. */
  stacked?: boolean;
}

const PAD = { l: 56, r: 8, b: 18 };
const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

export function chart(t: readonly number[], series: readonly ChartSeries[], o: ChartOptions): string {
  const top = o.subtitle ? 32 : 20;
  const w = o.width - PAD.l - PAD.r;
  const h = o.height - top - PAD.b;
  const span = Math.max(t[t.length - 1]! - t[0]!, 1);
  const X = (i: number) => PAD.l + ((t[i]! - t[0]!) / span) * w;
  const base = t.map(() => 0);
  const stackTops = series.map((s) => s.values.map((v, i) => (o.stacked ? (base[i]! += v ?? 0) : v)));
  const max = stackTops.reduce((m, line) => line.reduce<number>((mm, v) => Math.max(mm, v ?? 0), m), 1);
  const Y = (v: number) => top + h - (v / max) * h;
  const parts: string[] = [];
  series.forEach((s, k) => {
    const line = stackTops[k]!;
    const last = s.values[s.values.length - 1];
    const title = `<title>${x(`${s.label}: ${s.values[0] != null ? human(s.values[0]) : '-'} -> ${last != null ? human(last) : '-'}`)}</title>`;
    if (o.stacked) {
      const under = k > 0 ? stackTops[k - 1]! : base.map(() => 0);
      const d = line.map((v, i) => `${i ? 'L' : 'M'}${f1(X(i))} ${f1(Y(v!))}`).join('') +
        under.map((_, j) => { const i = under.length - 1 - j; return `L${f1(X(i))} ${f1(Y(under[i]!))}`; }).join('') + 'Z';
      parts.push(`<path d="${d}" fill="${s.color}" stroke="#fff" stroke-width=".5" data-kind="${x(s.key)}">${title}</path>`);
    } else {
      let d = '';
      let pen = false;
      line.forEach((v, i) => {
        if (v === null) { pen = false; return; }
        d += `${pen ? 'L' : 'M'}${f1(X(i))} ${f1(Y(v))}`;
        pen = true;
      });
      parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.8" data-kind="${x(s.key)}">${title}</path>`);
    }
  });
  const axes = `<line x1="${PAD.l}" y1="${top + h}" x2="${PAD.l + w}" y2="${top + h}" stroke="#999"/>` +
    `<line x1="${PAD.l}" y1="${top}" x2="${PAD.l}" y2="${top + h}" stroke="#999"/>` +
    `<text class="a" x="${PAD.l - 3}" y="${top + 4}">${human(max)}</text><text class="a" x="${PAD.l - 3}" y="${top + h}">0</text>` +
    `<text x="${PAD.l}" y="${o.height - 4}">0</text><text x="${PAD.l + w}" y="${o.height - 4}" text-anchor="end">${x(duration(span))}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${o.chart}"${o.attrs ?? ''} width="${o.width}" height="${o.height}" viewBox="0 0 ${o.width} ${o.height}">` +
    `<text class="h" x="4" y="13">${x(o.title)}</text>${o.subtitle ? `<text x="4" y="26">${x(o.subtitle)}</text>` : ''}${axes}${parts.join('')}</svg>`;
}
