/*! Metrics as data: a family (name, type, unit, help, labels) and its samples, before any
 * text format. render/metric-defs.ts holds the one table of families; render/openmetrics.ts
 * and render/metrics-table.ts write them. Types only. */

/** `info`: value always 1, the labels are the data (OpenMetrics info; a gauge in Prometheus text). */
export type MetricType = 'gauge' | 'counter' | 'info';

/** The unit as OpenMetrics spells it; the family name ends in `_UNIT` when there is one. */
export type MetricUnit = 'bytes' | 'seconds' | 'bytes_per_second' | '';

export interface MetricFamily {
  /** The sample name: `mapsdiff_process_memory_bytes`, `mapsdiff_process_info`, `mapsdiff_serve_probes_total`. */
  name: string;
  type: MetricType;
  unit: MetricUnit;
  help: string;
  /** Labels besides `target` and `process`, in order. */
  labels: readonly string[];
}

export interface Sample {
  /** Label name -> value, in output order (`target` and `process` first). */
  labels: [string, string][];
  value: number;
  /** Milliseconds since the epoch; absent on a live probe (the scraper stamps it). */
  timestampMs?: number;
}

export interface FamilySamples {
  family: MetricFamily;
  samples: Sample[];
}
