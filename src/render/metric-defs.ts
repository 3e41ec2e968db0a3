/*! The one table of every metric mapsdiff exports (docs/metrics.md documents each row):
 * name, type, unit, help, labels, and how its values are read from a capture, a process or a
 * trend. A new measure (issue 11's resident regions, issue 12's fds, slab, tmpfs) is one more
 * row here. Pure: reads model/ data only; the text formats live in openmetrics.ts. */
import type { ParsedCapture, ParsedProcess, SmapsEntry } from '../model/capture.js';
import type { MetricFamily } from '../model/metrics.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { ProcessTrend, Segment } from '../model/trend.js';
import { KINDS } from '../model/vma.js';

/** Label values in the order of `labels`, and the value. */
export type Row = [string[], number];

export interface MetricDef<S> extends MetricFamily {
  values(s: S): Row[];
}

/** What a probe or a stored capture says about the capture itself. */
export interface ProbeSubject {
  ok: boolean;
  /** Seconds the capture took (a probe's own clock), when measured. */
  seconds: number | null;
  /** Host wall clock of the capture, ms since the epoch. */
  capturedAtMs: number;
  /** A failure's reason code (docs/metrics.md) and its message. */
  reason?: string;
}

export interface BoardSubject {
  report: SnapshotReport;
  parsed: ParsedCapture;
}

export interface ProcessSubject {
  report: ProcessReport;
  parsed: ParsedProcess | undefined;
}

const one = (v: number | null | undefined): Row[] => (v === null || v === undefined || !Number.isFinite(v) ? [] : [[[], v]]);

/** `1234 kB` from /proc/PID/status -> bytes. */
function statusKb(p: ParsedProcess | undefined, key: string): number | null {
  const m = /^(\d+)\s*kB$/.exec(p?.status?.[key]?.trim() ?? '');
  return m ? Number(m[1]) * 1024 : null;
}

/** smaps_rollup, else every smaps block summed: the process's totals (kernel fs/proc/task_mmu.c). */
function rollup(p: ParsedProcess | undefined): Omit<SmapsEntry, 'start' | 'end'> | null {
  if (p?.smapsRollup) return p.smapsRollup;
  if (!p?.smaps?.length) return null;
  const sum = { rss: 0, pss: 0, privateClean: 0, privateDirty: 0, sharedClean: 0, sharedDirty: 0, swap: 0 };
  for (const e of p.smaps) for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += e[k];
  return sum;
}

function threads(p: ParsedProcess | undefined): number | null {
  const n = p?.status?.Threads !== undefined ? Number.parseInt(p.status.Threads, 10) : p?.stat?.numThreads;
  return n !== undefined && Number.isFinite(n) ? n : null;
}

export const PROBE_METRICS: MetricDef<ProbeSubject>[] = [
  { name: 'mapsdiff_capture_success', type: 'gauge', unit: '', labels: [],
    help: '1 when the capture was made and parsed (every other series is then present), 0 when it failed',
    values: (s) => [[[], s.ok ? 1 : 0]] },
  { name: 'mapsdiff_capture_error_info', type: 'info', unit: '', labels: ['reason'],
    help: 'why the capture failed: reason is one of the codes of docs/metrics.md',
    values: (s) => (s.ok ? [] : [[[s.reason ?? 'error'], 1]]) },
  { name: 'mapsdiff_capture_duration_seconds', type: 'gauge', unit: 'seconds', labels: [],
    help: 'how long the capture took: connect, login, remote script, parse and store',
    values: (s) => one(s.seconds) },
];

export const BOARD_METRICS: MetricDef<BoardSubject>[] = [
  { name: 'mapsdiff_capture_timestamp_seconds', type: 'gauge', unit: 'seconds', labels: [],
    help: "the capture's host wall-clock time (snapshot capturedAt), seconds since the epoch",
    values: (s) => one(Date.parse(s.report.meta.capturedAt) / 1000) },
  { name: 'mapsdiff_board_info', type: 'info', unit: '', labels: ['machine'],
    help: "the board's machine (uname -m), when captured",
    values: (s) => (s.report.machine ? [[[s.report.machine], 1]] : []) },
  { name: 'mapsdiff_board_uptime_seconds', type: 'gauge', unit: 'seconds', labels: [],
    help: "the board's /proc/uptime (first field); it goes down when the board rebooted",
    values: (s) => one(s.report.uptime) },
  { name: 'mapsdiff_board_processes', type: 'gauge', unit: '', labels: [],
    help: 'processes captured',
    values: (s) => one(s.report.processes.length) },
  { name: 'mapsdiff_board_stack_ulimit_bytes', type: 'gauge', unit: 'bytes', labels: [],
    help: "`ulimit -s` of the capturing shell, in bytes (absent when unlimited or not captured)",
    values: (s) => one(s.report.ulimitStack) },
  { name: 'mapsdiff_meminfo_bytes', type: 'gauge', unit: 'bytes', labels: ['key'],
    help: 'every /proc/meminfo line printed in kB, in bytes (key: MemTotal, MemAvailable, Slab, Shmem, ...)',
    values: (s) => Object.entries(s.report.meminfo ?? {}).filter(([, e]) => e.unit === 'kB').map(([k, e]): Row => [[k], e.value * 1024]) },
  { name: 'mapsdiff_slab_bytes', type: 'gauge', unit: 'bytes', labels: ['cache'],
    help: 'each /proc/slabinfo cache: its objects times their size (root only; without per-slab slack)',
    values: (s) => (s.parsed.slabinfo ?? []).map((c): Row => [[c.name], c.bytes]) },
  { name: 'mapsdiff_tmpfs_used_bytes', type: 'gauge', unit: 'bytes', labels: ['mount'],
    help: "bytes used in each tmpfs mount (df), RAM that no process's maps show",
    values: (s) => (s.parsed.tmpfs ?? []).filter((m) => m.used !== undefined).map((m): Row => [[m.mountPoint], m.used!]) },
  { name: 'mapsdiff_tmpfs_size_bytes', type: 'gauge', unit: 'bytes', labels: ['mount'],
    help: 'the size of each tmpfs mount (df, else its size= option)',
    values: (s) => (s.parsed.tmpfs ?? []).filter((m) => (m.size ?? m.sizeOption) !== undefined).map((m): Row => [[m.mountPoint], (m.size ?? m.sizeOption)!]) },
  { name: 'mapsdiff_meminfo_pages', type: 'gauge', unit: '', labels: ['key'],
    help: '/proc/meminfo lines printed without a unit (HugePages_Total, HugePages_Free, ...): counts of huge pages',
    values: (s) => Object.entries(s.report.meminfo ?? {}).filter(([, e]) => e.unit === '').map(([k, e]): Row => [[k], e.value]) },
];

export const PROCESS_METRICS: MetricDef<ProcessSubject>[] = [
  { name: 'mapsdiff_process_info', type: 'info', unit: '', labels: ['pid', 'start_time'],
    help: 'pid and start time (/proc/PID/stat field 22, clock ticks after boot) of the process now behind the process label',
    values: (s) => [[[String(s.report.pid), s.report.startTime === null ? '' : String(s.report.startTime)], 1]] },
  { name: 'mapsdiff_process_memory_bytes', type: 'gauge', unit: 'bytes', labels: ['memtype'],
    help: 'virtual: every user VMA (VSZ); resident: Rss; proportional: Pss; unique: Private_Clean + Private_Dirty (USS); swap: Swap (smaps_rollup, smaps, else status)',
    values: (s) => {
      const r = rollup(s.parsed);
      const rows: Row[] = [[['virtual'], s.report.totals.mapped]];
      const add = (t: string, v: number | null) => v !== null && rows.push([[t], v]);
      add('resident', s.report.rss);
      add('proportional', s.report.pss);
      add('unique', r ? r.privateClean + r.privateDirty : null);
      add('swap', r ? r.swap : statusKb(s.parsed, 'VmSwap'));
      return rows;
    } },
  { name: 'mapsdiff_process_resident_bytes', type: 'gauge', unit: 'bytes', labels: ['kind'],
    help: 'Rss by region kind, from each VMA\'s smaps block; only when this capture read the full smaps (--smaps, watch --smaps auto), every kind then present (0 when none)',
    values: (s) => residentByKind(s.report) },
  { name: 'mapsdiff_process_mapped_bytes', type: 'gauge', unit: 'bytes', labels: ['kind'],
    help: 'bytes mapped by region kind (DESIGN.md); every kind is present, 0 when the process has none; they add up to memtype="virtual"',
    values: (s) => KINDS.filter((k) => k !== 'kernel').map((k): Row => [[k], s.report.totals.byKind[k] ?? 0]) },
  { name: 'mapsdiff_process_free_largest_bytes', type: 'gauge', unit: 'bytes', labels: [],
    help: 'the largest free gap of the address space below the ceiling: the biggest mmap that can still succeed',
    values: (s) => one(s.report.free.largest?.size ?? 0) },
  { name: 'mapsdiff_process_free_bytes', type: 'gauge', unit: 'bytes', labels: [],
    help: 'every free gap below the ceiling together',
    values: (s) => one(s.report.free.total) },
  { name: 'mapsdiff_process_stack_bytes', type: 'gauge', unit: 'bytes', labels: [],
    help: 'size of the main [stack] VMA',
    values: (s) => one(s.report.stack.size) },
  { name: 'mapsdiff_process_stack_limit_bytes', type: 'gauge', unit: 'bytes', labels: [],
    help: "the stack's soft limit (/proc/PID/limits, else ulimit -s); absent when unlimited or unknown",
    values: (s) => one(s.report.stack.limit) },
  { name: 'mapsdiff_process_threads', type: 'gauge', unit: '', labels: [],
    help: 'threads (status Threads:, else stat field 20)',
    values: (s) => one(threads(s.parsed)) },
  { name: 'mapsdiff_process_thread_stacks', type: 'gauge', unit: '', labels: [],
    help: 'thread-stack regions in the address space',
    values: (s) => one(s.report.threadStacks) },
  { name: 'mapsdiff_process_open_fds', type: 'gauge', unit: '', labels: [],
    help: 'open file descriptors (entries of /proc/PID/fd)',
    values: (s) => one(s.parsed?.fds) },
  { name: 'mapsdiff_process_open_fds_limit', type: 'gauge', unit: '', labels: [],
    help: "the soft Max open files of /proc/PID/limits: open() fails with EMFILE past it (absent when unlimited or unknown)",
    values: (s) => one(s.parsed?.limits?.nofileSoft) },
  { name: 'mapsdiff_process_maps', type: 'gauge', unit: '', labels: [],
    help: 'lines of /proc/PID/maps (VMAs; the kernel refuses mmap past vm.max_map_count)',
    values: (s) => one(s.parsed?.vmas.length ?? s.report.regions.length) },
];

export const TREND_METRICS: MetricDef<ProcessTrend>[] = [
  { name: 'mapsdiff_trend_leak', type: 'gauge', unit: '', labels: ['measure', 'memtype'],
    help: "1 when trend judges the measure (a kind, or total) of memtype (virtual: mapped; resident: Rss) a leak over the recent captures, else 0",
    values: (p) => measures(p).map((e): Row => [[e.kind, e.measure], e.verdict === 'leak' ? 1 : 0]) },
  { name: 'mapsdiff_trend_rate_bytes_per_second', type: 'gauge', unit: 'bytes_per_second', labels: ['measure', 'memtype'],
    help: "the measure's current rate (trend's steady slope), bytes per second of board uptime (absent when the interval is unknown: imported snapshots)",
    values: (p) => measures(p).filter((e) => e.rate !== null).map((e): Row => [[e.kind, e.measure], e.rate! / 3600]) },
  { name: 'mapsdiff_trend_time_left_seconds', type: 'gauge', unit: 'seconds', labels: ['measure', 'memtype'],
    help: 'for a leak, seconds until the largest free gap, the stack limit (virtual) or MemAvailable (resident) runs out at the current rate (absent otherwise)',
    values: (p) => measures(p).filter((e) => e.timeLeft !== null).map((e): Row => [[e.kind, e.measure], e.timeLeft!]) },
  { name: 'mapsdiff_trend_thread_leak', type: 'gauge', unit: '', labels: [],
    help: 'threads and thread stacks both rising in the steady state: 1, else 0',
    values: (p) => [[[], p.threads.leak ? 1 : 0]] },
];

const measures = (p: ProcessTrend) => p.entries.filter((e) => e.scope !== 'region');

/** The board's MemAvailable over the stretch (since the last reboot) that ends in this capture. */
export const BOARD_TREND_METRICS: MetricDef<Segment>[] = [
  { name: 'mapsdiff_trend_memavailable_leak', type: 'gauge', unit: '', labels: [],
    help: "1 when trend judges the board's MemAvailable consumed (falling one way after warm-up) over the recent captures, else 0",
    values: (s) => (s.memAvailable ? [[[], s.memAvailable.verdict === 'leak' ? 1 : 0]] : []) },
  { name: 'mapsdiff_trend_memavailable_rate_bytes_per_second', type: 'gauge', unit: 'bytes_per_second', labels: [],
    help: 'how fast MemAvailable falls (trend\'s steady slope; negative: it rises), bytes per second of board uptime; absent without two captures on a known clock',
    values: (s) => one(s.memAvailable?.rate === null || s.memAvailable?.rate === undefined ? null : s.memAvailable.rate / 3600) },
  { name: 'mapsdiff_trend_memavailable_time_left_seconds', type: 'gauge', unit: 'seconds', labels: [],
    help: 'for a consumed MemAvailable, seconds until it is gone at that rate (absent otherwise)',
    values: (s) => one(s.memAvailable?.timeLeft) },
];

/** Rss per kind (kernel pages included: smaps lists [vdso] and [vectors] too); none without full smaps. */
function residentByKind(p: ProcessReport): Row[] {
  if (!p.regionResident) return [];
  const by = new Map<string, number>(KINDS.map((k) => [k, 0]));
  p.regions.forEach((r, i) => {
    const x = p.regionResident![i];
    if (x) by.set(r.kind, (by.get(r.kind) ?? 0) + x.rss);
  });
  return [...by].map(([k, v]): Row => [[k], v]);
}

/** Every family, in output order (docs/metrics.md lists the same). */
export const ALL_METRICS: readonly MetricFamily[] = [...PROBE_METRICS, ...BOARD_METRICS, ...PROCESS_METRICS, ...TREND_METRICS, ...BOARD_TREND_METRICS];
