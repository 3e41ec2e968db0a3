/*! One capture (and the trend of its target) -> samples of every family of metric-defs.ts,
 * with `target` and `process` labels. The `process` label is the process's name, so a
 * restart keeps its series; several processes of one name are told apart by start time
 * (`httpd`, `httpd#2`, ...). A failed capture gives the probe families only, never a half
 * set. Pure. */
import type { FamilySamples, MetricFamily, Sample } from '../model/metrics.js';
import type { TrendResult } from '../model/trend.js';
import {
  BOARD_METRICS, BOARD_TREND_METRICS, PROBE_METRICS, PROCESS_METRICS, TREND_METRICS, type BoardSubject, type MetricDef, type ProbeSubject, type Row,
} from './metric-defs.js';

export interface MetricsInput {
  target: string;
  probe?: ProbeSubject;
  /** The capture, parsed and laid out; absent when it failed. */
  capture?: BoardSubject;
  /** The target's recent series judged, its last capture being `capture`. */
  trend?: TrendResult | null;
  /** Stamp every sample (export); a live probe leaves it to the scraper. */
  timestampMs?: number;
}

/** pid -> `process` label: the name, then `name#2`, `name#3` by start time (then pid) for namesakes. */
export function processLabels(procs: readonly { pid: number; name: string; startTime: number | null }[]): Map<number, string> {
  const byName = new Map<string, typeof procs[number][]>();
  for (const p of procs) {
    const n = p.name || '?';
    byName.set(n, [...(byName.get(n) ?? []), p]);
  }
  const out = new Map<number, string>();
  for (const [name, list] of byName) {
    list.sort((a, b) => (a.startTime ?? 0) - (b.startTime ?? 0) || a.pid - b.pid);
    list.forEach((p, i) => out.set(p.pid, i === 0 ? name : `${name}#${i + 1}`));
  }
  return out;
}

export function collectFamilies(input: MetricsInput): FamilySamples[] {
  const out: FamilySamples[] = [];
  const base: [string, string][] = [['target', input.target]];
  const add = <S>(defs: MetricDef<S>[], subjects: [S, [string, string][]][]) => {
    for (const def of defs) {
      const samples: Sample[] = [];
      for (const [s, labels] of subjects) for (const row of def.values(s)) samples.push(sample(def, labels, row, input.timestampMs));
      out.push({ family: def, samples });
    }
  };
  if (input.probe) add(PROBE_METRICS, [[input.probe, base]]);
  const c = input.capture;
  if (!c || (input.probe && !input.probe.ok)) return out;
  add(BOARD_METRICS, [[c, base]]);
  const labels = processLabels(c.report.processes);
  const parsedByPid = new Map(c.parsed.processes.map((p) => [p.pid, p]));
  add(PROCESS_METRICS, c.report.processes.map((report) => [
    { report, parsed: parsedByPid.get(report.pid) }, [...base, ['process', labels.get(report.pid)!]],
  ]));
  if (input.trend) {
    const last = c.report.meta.name;
    const start = new Map(c.report.processes.map((p) => [p.pid, p.startTime]));
    // lives that reach this capture: a process gone or restarted is judged under its new life
    const alive = input.trend.processes.filter((p) => p.to === last && labels.has(p.pid) && start.get(p.pid) === p.startTime);
    add(TREND_METRICS, alive.map((p) => [p, [...base, ['process', labels.get(p.pid)!]]]));
    // the stretch since the last reboot that ends in this capture: one capture alone judges nothing (absent)
    const seg = input.trend.segments.find((s) => s.to === last && s.captures >= 2);
    add(BOARD_TREND_METRICS, seg ? [[seg, base]] : []);
  }
  return out;
}

function sample(def: MetricFamily, labels: [string, string][], [values, value]: Row, timestampMs?: number): Sample {
  const s: Sample = { labels: [...labels, ...def.labels.map((l, i): [string, string] => [l, values[i] ?? ''])], value };
  if (timestampMs !== undefined) s.timestampMs = timestampMs;
  return s;
}
