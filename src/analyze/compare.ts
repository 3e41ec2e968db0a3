/*! Two snapshot reports -> CompareResult: pairs processes (pid and start time), diffs
 * each pair's regions, ranks processes by growth, and reads the interval, a reboot and
 * the meminfo lines that moved (the order, a reboot and the interval: analyze/boot). Pure. */
import type { CompareResult, MeminfoDelta, ProcessCompare } from '../model/compare.js';
import type { Meminfo } from '../model/capture.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { Landmarks, ProcessRef, SizeDelta } from '../model/diff.js';
import type { Region } from '../model/vma.js';
import { diffProcess } from './diff.js';
import { matchProcesses } from './match.js';
import { landmarks } from './match-processes.js';
import { continuity } from './boot.js';
import { selects } from './selection.js';
import { processResidentDelta, regionResidentDelta } from './compare-resident.js';
import { compareBoards } from './board-compare.js';

/** The meminfo lines an engineer reads first, in this order; others that moved follow. */
export const MEMINFO_KEYS = ['MemAvailable', 'MemFree', 'Cached', 'Buffers', 'Slab', 'SReclaimable', 'SUnreclaim', 'Shmem',
  'AnonPages', 'Mapped', 'CmaFree', 'Committed_AS', 'VmallocUsed', 'KernelStack', 'PageTables', 'SwapFree'];

export function compareReports(a: SnapshotReport, b: SnapshotReport): CompareResult {
  const between = continuity(a, b);
  const scans = new Map<ProcessReport, Scan>();
  const scanOf = (p: ProcessReport): Scan => {
    let s = scans.get(p);
    if (!s) scans.set(p, (s = scan(p.regions)));
    return s;
  };
  // landmarks are read only for a pid in both captures without start times (matchProcesses)
  const ref = (p: ProcessReport): ProcessRef => {
    let l: Landmarks | undefined;
    return { pid: p.pid, name: p.name, startTime: p.startTime, get landmarks() { return (l ??= landmarks(p.regions, scanOf(p).inOrder)); } };
  };
  const matches = matchProcesses(a.processes.map(ref), b.processes.map(ref), { rebooted: between.rebooted });
  const byPidA = new Map(a.processes.map((p) => [p.pid, p]));
  const byPidB = new Map(b.processes.map((p) => [p.pid, p]));
  const processes = matches.map((m): ProcessCompare => {
    const pa = m.before ? byPidA.get(m.before.pid)! : null;
    const pb = m.after ? byPidB.get(m.after.pid)! : null;
    // kernel pages ([vdso], [vectors]) are not user memory: left out, as in show's VSZ
    const sa = pa ? scanOf(pa) : IN_ORDER;
    const sb = pb ? scanOf(pb) : IN_ORDER;
    const diff = diffProcess(m, userRegions(pa, sa), userRegions(pb, sb), sa.inOrder && sb.inOrder);
    diff.vmas = { before: pa?.regions.length ?? 0, after: pb?.regions.length ?? 0 }; // maps lines: every line, the kernel's too
    const either = (pb ?? pa)!;
    const regionResident = regionResidentDelta(diff.regions, pa, pb); // sets each region's resident
    const vsz = delta(pa?.totals.vsz ?? 0, pb?.totals.vsz ?? 0);
    const usable = delta(diff.total.before - (diff.byKind.guard?.before ?? 0), diff.total.after - (diff.byKind.guard?.after ?? 0));
    return {
      diff,
      status: pa && pb ? 'matched' : !pa ? (asked(a, pb!) ? 'new' : 'not-captured') : (asked(b, pa) ? 'gone' : 'not-captured'),
      vsz,
      usable,
      growth: usable.delta > vsz.delta ? { measure: 'usable', delta: usable.delta } : { measure: 'vsz', delta: vsz.delta },
      ranking: usable.delta > vsz.delta ? { measure: 'usable', delta: usable.delta } : { measure: 'vsz', delta: vsz.delta },
      regionMeasure: 'vsz',
      rss: pa?.rss != null && pb?.rss != null ? delta(pa.rss, pb.rss) : null,
      pss: pa?.pss != null && pb?.pss != null ? delta(pa.pss, pb.pss) : null,
      resident: processResidentDelta(pa, pb),
      residentSource: { before: pa?.resident?.source ?? null, after: pb?.resident?.source ?? null },
      regionResident,
      smaps: { before: !!pa?.regionResident, after: !!pb?.regionResident },
      largestGap: { before: pa?.free.largest ?? null, after: pb?.free.largest ?? null },
      freeTotal: { before: pa?.free.total ?? null, after: pb?.free.total ?? null },
      stack: { before: pa ? pa.stack.size : null, after: pb ? pb.stack.size : null, limit: either.stack.limit, limitSource: either.stack.limitSource },
      wordBits: either.wordBits,
      ceiling: either.ceiling,
      ceilingSource: either.ceilingSource,
    };
  });
  processes.sort((x, y) => y.growth.delta - x.growth.delta || (x.diff.pid.after ?? x.diff.pid.before ?? 0) - (y.diff.pid.after ?? y.diff.pid.before ?? 0));
  return {
    ...between,
    measure: { measure: 'vsz', from: 'default', lacking: null }, // by growth: analyze/compare-measure rankBy ranks by another
    before: a.meta,
    after: b.meta,
    meminfo: meminfoDeltas(a.meminfo, b.meminfo),
    processes,
    board: between.rebooted ? null : compareBoards(a, b, processes),
  };
}

/** Whether `r`'s capture was asked for `p` (unknown selection, as in imports: assume it was). */
const asked = (r: SnapshotReport, p: ProcessReport) => !r.meta.selection || selects(r.meta.selection, p);
/** The regions but the kernel's pages: those sit high ([vdso], [vvar], [vectors]), so the lines below
 * the first are copied as they are, not each tested again. */
function userRegions(p: ProcessReport | null, s: Scan): readonly Region[] {
  if (!p) return [];
  if (s.firstKernel < 0) return p.regions;
  const rs = p.regions;
  const out = rs.slice(0, s.firstKernel);
  for (let i = s.firstKernel + 1; i < rs.length; i++) if (!isKernel(rs[i]!)) out.push(rs[i]!);
  return out;
}

/** What compare needs to know of a process's regions before matching them, read in one pass:
 * whether each starts at or above the end before it (then starts and ends both rise, and neither
 * the match nor landmarks sorts or scans them again) and where the first kernel page is (-1: none). */
interface Scan { inOrder: boolean; firstKernel: number }
const IN_ORDER: Scan = { inOrder: true, firstKernel: -1 };

function scan(rs: readonly Region[]): Scan {
  let inOrder = true;
  let firstKernel = -1;
  let end = -Infinity;
  for (let i = 0; i < rs.length; i++) {
    const r = rs[i]!;
    // each one starting at or above the end before it: starts and ends both rise
    if (r.start < end || r.end < r.start) inOrder = false;
    end = r.end;
    if (firstKernel < 0 && r.kind === 'kernel') firstKernel = i;
  }
  return { inOrder, firstKernel };
}
const isKernel = (r: { kind: string }): boolean => r.kind === 'kernel';
const delta = (before: number, after: number): SizeDelta => ({ before, after, delta: after - before });

/** Lines present in both captures whose value changed (the key ones first, then the rest by
 * size of change), then lines present on one side only, marked so. */
export function meminfoDeltas(a: Meminfo | null, b: Meminfo | null): MeminfoDelta[] {
  if (!a || !b) return [];
  const out: MeminfoDelta[] = [];
  for (const key of Object.keys(b)) {
    const x = a[key];
    const y = b[key]!;
    if (!x) {
      const sc = y.unit === 'kB' ? 1024 : 1;
      out.push({ key, before: 0, after: y.value * sc, delta: 0, unit: y.unit === 'kB' ? 'bytes' : '', only: 'after' });
      continue;
    }
    if (x.unit !== y.unit || x.value === y.value) continue;
    const scale = y.unit === 'kB' ? 1024 : 1;
    out.push({ key, before: x.value * scale, after: y.value * scale, delta: (y.value - x.value) * scale, unit: y.unit === 'kB' ? 'bytes' : '' });
  }
  for (const key of Object.keys(a)) {
    const x = a[key]!;
    if (b[key]) continue;
    const sc = x.unit === 'kB' ? 1024 : 1;
    out.push({ key, before: x.value * sc, after: 0, delta: 0, unit: x.unit === 'kB' ? 'bytes' : '', only: 'before' });
  }
  const rank = (k: string) => {
    const i = MEMINFO_KEYS.indexOf(k);
    return i < 0 ? MEMINFO_KEYS.length : i;
  };
  return out.sort((p, q) => Number(p.only !== undefined) - Number(q.only !== undefined) || rank(p.key) - rank(q.key) || Math.abs(q.delta) - Math.abs(p.delta));
}
