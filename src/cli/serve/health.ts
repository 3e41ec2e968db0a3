/*! `serve`'s own health for GET /metrics: probes made and failed (by reason), time spent,
 * probes in flight and queued, and this process's memory. Counters only go up while it runs. */
import type { FamilySamples, MetricFamily } from '../../model/metrics.js';

export const HEALTH_METRICS: readonly MetricFamily[] = [
  { name: 'mapsdiff_serve_info', type: 'info', unit: '', labels: ['version'], help: 'the mapsdiff version serving' },
  { name: 'mapsdiff_serve_start_time_seconds', type: 'gauge', unit: 'seconds', labels: [], help: 'when serve started, seconds since the epoch' },
  { name: 'mapsdiff_serve_probes_total', type: 'counter', unit: '', labels: ['result'], help: 'probes answered, by result (success, failure)' },
  { name: 'mapsdiff_serve_probe_failures_total', type: 'counter', unit: '', labels: ['reason'], help: 'failed probes by reason (the codes of mapsdiff_capture_error_info)' },
  { name: 'mapsdiff_serve_probe_seconds_total', type: 'counter', unit: 'seconds', labels: [], help: 'time spent answering probes, queueing included' },
  { name: 'mapsdiff_serve_probes_in_flight', type: 'gauge', unit: '', labels: [], help: 'probes capturing now' },
  { name: 'mapsdiff_serve_probes_waiting', type: 'gauge', unit: '', labels: [], help: 'probes waiting for a slot (--concurrency, --per-target)' },
  { name: 'mapsdiff_serve_resident_memory_bytes', type: 'gauge', unit: 'bytes', labels: [], help: "serve's own resident set size" },
  { name: 'mapsdiff_serve_heap_used_bytes', type: 'gauge', unit: 'bytes', labels: [], help: "serve's JavaScript heap in use" },
];

export class Health {
  readonly startedAt = Date.now();
  private probes = { success: 0, failure: 0 };
  private readonly failures = new Map<string, number>();
  private seconds = 0;
  inFlight = 0;
  waiting = 0;
  constructor(private readonly version: string) {}

  record(ok: boolean, seconds: number, reason?: string): void {
    this.probes[ok ? 'success' : 'failure']++;
    this.seconds = Math.round((this.seconds + seconds) * 1000) / 1000;
    if (!ok) this.failures.set(reason ?? 'error', (this.failures.get(reason ?? 'error') ?? 0) + 1);
  }

  families(): FamilySamples[] {
    const mem = process.memoryUsage();
    const values: Record<string, [[string, string][], number][]> = {
      mapsdiff_serve_info: [[[['version', this.version]], 1]],
      mapsdiff_serve_start_time_seconds: [[[], this.startedAt / 1000]],
      mapsdiff_serve_probes_total: [[[['result', 'success']], this.probes.success], [[['result', 'failure']], this.probes.failure]],
      mapsdiff_serve_probe_failures_total: [...this.failures].map(([r, n]) => [[['reason', r]], n]),
      mapsdiff_serve_probe_seconds_total: [[[], this.seconds]],
      mapsdiff_serve_probes_in_flight: [[[], this.inFlight]],
      mapsdiff_serve_probes_waiting: [[[], this.waiting]],
      mapsdiff_serve_resident_memory_bytes: [[[], mem.rss]],
      mapsdiff_serve_heap_used_bytes: [[[], mem.heapUsed]],
    };
    return HEALTH_METRICS.map((family) => ({ family, samples: (values[family.name] ?? []).map(([labels, value]) => ({ labels, value })) }));
  }
}
