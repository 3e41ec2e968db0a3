/*! The documented JSON of `compare --json` (README, "JSON output"). It extends the
 * `show` contract with processes[].regions[] and the interval; fields are only added. */
import type { CompareResult } from '../model/compare.js';
import type { RegionSide } from '../model/diff.js';
import type { Gap } from '../model/layout.js';
import { hex } from './format.js';
import { ceilingReason } from './ceiling.js';
import { toJson } from './escape.js';
import { boardCompareJson } from './board-compare-text.js';

const a8 = (v: number) => '0x' + v.toString(16).padStart(8, '0');
const side = (s: RegionSide | null) =>
  s && { start: a8(s.start), end: a8(s.end), size: s.size, count: s.count, perms: s.perms, dev: s.dev, inode: s.inode, path: s.path, lines: s.lines };
const gap = (g: Gap | null) => g && { start: a8(g.start), end: a8(g.end), size: g.size };

export interface CompareView {
  result: CompareResult;
  /** Which regions to list (already filtered by --min-delta / --all, already sorted). */
  regions: (pIndex: number) => CompareResult['processes'][number]['diff']['regions'];
  /** List every region of a new or gone process in the text too (--all); else one line says it. */
  detailNewAndGone?: boolean;
}

export function renderCompareJson({ result: r, regions }: CompareView): string {
  const out = {
    before: r.before.name,
    after: r.after.name,
    target: r.after.target,
    interval: r.interval,
    hostInterval: r.hostInterval,
    clock: r.clock,
    rebooted: r.rebooted,
    rebootedBy: r.rebootedBy,
    reversed: r.reversed,
    otherBoard: r.otherBoard,
    measure: r.measure.measure,
    measureFrom: r.measure.from,
    measureLacking: r.measure.lacking,
    meminfo: r.meminfo,
    board: boardCompareJson(r.board),
    processes: r.processes.map((p, i) => ({
      pid: p.diff.pid.after ?? p.diff.pid.before,
      pids: p.diff.pid,
      name: p.diff.name,
      restarted: p.diff.restarted,
      status: p.status,
      ceiling: hex(p.ceiling),
      ceilingSource: ceilingReason(p.ceilingSource),
      total: p.diff.total,
      vsz: p.vsz,
      usable: p.usable,
      growth: p.growth,
      rss: p.rss,
      pss: p.pss,
      uss: p.resident?.uss && p.rss ? p.resident.uss : null,
      swap: p.resident && p.rss ? p.resident.swap : null,
      resident: p.resident,
      residentSource: p.residentSource,
      ranking: p.ranking,
      regionMeasure: p.regionMeasure,
      residentTotal: p.regionResident?.total ?? null,
      residentByKind: p.regionResident?.byKind ?? null,
      residentByOwner: p.regionResident?.byOwner ?? null,
      smaps: p.smaps,
      byKind: p.diff.byKind,
      byOwner: p.diff.byOwner,
      threadStacks: p.diff.threadStacks,
      vmas: p.diff.vmas,
      free: { before: p.freeTotal.before, after: p.freeTotal.after, largestBefore: gap(p.largestGap.before), largestAfter: gap(p.largestGap.after) },
      stack: p.stack,
      regions: regions(i).map((d) => ({
        status: d.status, ...(d.note ? { note: d.note } : {}), kind: d.kind, owner: d.owner, path: d.path,
        before: side(d.before), after: side(d.after), delta: d.delta, resident: d.resident ?? null,
      })),
    })),
  };
  return toJson(out, 2) + '\n';
}
