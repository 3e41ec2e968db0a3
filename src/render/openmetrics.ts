/*! Families of samples -> the two text formats metrics engines read. Pure.
 * - `prometheus`: text format 0.0.4 (HELP, TYPE; info families as gauges; timestamps in ms),
 *   what Prometheus scrapes and VictoriaMetrics's /api/v1/import/prometheus reads.
 * - `openmetrics`: OpenMetrics 1.0 (HELP, TYPE, UNIT; `_info` and `_total` suffixes on the
 *   samples only; timestamps in seconds; `# EOF`), what `promtool tsdb create-blocks-from
 *   openmetrics` backfills. Label values from a board are escaped (\\ \" \n), never trusted.
 * Samples of one series stay together, oldest first, as both formats require. */
import type { FamilySamples, MetricFamily, Sample } from '../model/metrics.js';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string, f: ExpositionFormat) => {
  const s = v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return f === 'openmetrics' ? s.replace(/"/g, '\\"') : s;
};

/** A number as both formats spell it: NaN, +Inf, -Inf, else the shortest exact decimal. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

/** The family name OpenMetrics declares (sample names add `_info` or `_total`). */
function familyName(f: MetricFamily, format: ExpositionFormat): string {
  if (format === 'prometheus') return f.name;
  if (f.type === 'info') return f.name.replace(/_info$/, '');
  if (f.type === 'counter') return f.name.replace(/_total$/, '');
  return f.name;
}

function seriesKey(s: Sample): string {
  return s.labels.map(([k, v]) => `${k}=${v}`).join('\0');
}

/** Samples of one series together, in first-seen order; each series by time. */
function grouped(samples: Sample[]): Sample[] {
  if (!samples.some((s) => s.timestampMs !== undefined)) return samples;
  const bySeries = new Map<string, Sample[]>();
  for (const s of samples) {
    const k = seriesKey(s);
    const list = bySeries.get(k);
    if (list) list.push(s);
    else bySeries.set(k, [s]);
  }
  const out: Sample[] = [];
  for (const list of bySeries.values()) {
    list.sort((a, b) => (a.timestampMs ?? 0) - (b.timestampMs ?? 0));
    for (const s of list) out.push(s);
  }
  return out;
}

function line(name: string, s: Sample, format: ExpositionFormat): string {
  const labels = s.labels.length ? `{${s.labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
  const ts = s.timestampMs === undefined ? '' : ' ' + (format === 'openmetrics' ? formatSeconds(s.timestampMs) : String(Math.round(s.timestampMs)));
  return `${name}${labels} ${formatValue(s.value)}${ts}\n`;
}

/** ms -> seconds with up to 3 decimals, exact (no float noise such as 1.0000000002). */
function formatSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000);
  const frac = Math.round(ms - whole * 1000);
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** One family's header and sample lines; nothing for a family without samples. */
export function renderFamily(fs: FamilySamples, format: ExpositionFormat): string {
  if (fs.samples.length === 0) return '';
  const f = fs.family;
  const fam = familyName(f, format);
  const type = format === 'prometheus' && f.type === 'info' ? 'gauge' : f.type;
  let out = `# HELP ${fam} ${escapeHelp(f.help, format)}\n# TYPE ${fam} ${type}\n`;
  if (format === 'openmetrics' && f.unit) out += `# UNIT ${fam} ${f.unit}\n`;
  for (const s of grouped(fs.samples)) out += line(f.name, s, format);
  return out;
}

export function renderExposition(families: FamilySamples[], format: ExpositionFormat): string {
  return families.map((f) => renderFamily(f, format)).join('') + (format === 'openmetrics' ? '# EOF\n' : '');
}
