/*! The same samples as long tables, one row per sample, for DuckDB, pandas or a
 * spreadsheet: CSV (RFC 4180, a header, one column per label of any metric, empty when the
 * metric has no such label) and NDJSON (one object per line, labels as an object). Pure. */
import type { FamilySamples } from '../model/metrics.js';
import { ALL_METRICS } from './metric-defs.js';
import { formatValue } from './openmetrics.js';

/** Every label any metric has, `target` and `process` first. */
export const LABEL_COLUMNS: readonly string[] = ['target', 'process', ...new Set(ALL_METRICS.flatMap((f) => f.labels))];

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function csvHeader(): string {
  return ['timestamp', 'snapshot', 'metric', ...LABEL_COLUMNS, 'value'].join(',') + '\n';
}

/** Rows of one capture: `timestamp` is its capturedAt (ISO 8601, UTC). */
export function csvRows(families: FamilySamples[], snapshot: string, capturedAt: string): string {
  let out = '';
  for (const { family, samples } of families) {
    for (const s of samples) {
      const labels = new Map(s.labels);
      out += [capturedAt, snapshot, family.name, ...LABEL_COLUMNS.map((l) => labels.get(l) ?? ''), formatValue(s.value)].map(csvCell).join(',') + '\n';
    }
  }
  return out;
}

export function ndjsonRows(families: FamilySamples[], snapshot: string, capturedAt: string): string {
  let out = '';
  for (const { family, samples } of families) {
    for (const s of samples) {
      // JSON has no NaN or Infinity: those values are written as strings
      const value = Number.isFinite(s.value) ? s.value : formatValue(s.value);
      out += JSON.stringify({ timestamp: capturedAt, snapshot, metric: family.name, labels: Object.fromEntries(s.labels), value }) + '\n';
    }
  }
  return out;
}
