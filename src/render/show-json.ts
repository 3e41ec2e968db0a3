/*! The documented JSON of `show --json` (README, "JSON output"). Later issues extend it
 * and never break it: fields are only added. */
import type { Finding, Gap } from '../model/layout.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import { hex } from './format.js';
import { ceilingReason } from './ceiling.js';
import { toJson } from './escape.js';
import { boardJson } from './board-text.js';

const gap = (g: Gap | null) => (g ? { start: hex(g.start), end: hex(g.end), size: g.size } : null);

/** A finding as JSON: its addresses as hex strings (its other numbers are sizes and counts). */
function findingJson(f: Finding) {
  if (f.code === 'above-ceiling') return { ...f, ceiling: hex(f.ceiling), highest: hex(f.highest) };
  if (f.code === 'ceiling-raised') return { ...f, setting: hex(f.setting), used: hex(f.used), highest: hex(f.highest) };
  return f;
}

export function processJson(p: ProcessReport) {
  return {
    pid: p.pid === 0 ? null : p.pid, // 0: a bare maps file imported without --pid (unknown)
    name: p.name,
    startTime: p.startTime,
    ceiling: '0x' + p.ceiling.toString(16).padStart(8, '0'),
    ceilingSource: ceilingReason(p.ceilingSource),
    wordBits: p.wordBits,
    vmas: p.regions.map((r, i) => ({
      start: '0x' + r.start.toString(16).padStart(8, '0'),
      end: '0x' + r.end.toString(16).padStart(8, '0'),
      size: r.end - r.start,
      perms: r.perms,
      offset: hex(r.offset),
      dev: r.dev,
      inode: r.inode,
      path: r.deleted ? `${r.path} (deleted)` : r.path,
      kind: r.kind,
      owner: r.owner,
      ...(p.regionResident ? { resident: p.regionResident[i] ?? null } : {}),
    })),
    totals: { mapped: p.totals.mapped, vsz: p.totals.vsz, kernel: p.totals.kernel, byKind: p.totals.byKind, byOwner: p.totals.byOwner },
    free: { total: p.free.total, largest: gap(p.free.largest), aboveHeap: gap(p.free.aboveHeap) },
    stack: { size: p.stack.size, limit: p.stack.limit, limitSource: p.stack.limitSource },
    threadStacks: p.threadStacks,
    rss: p.rss,
    pss: p.pss,
    resident: p.resident,
    missing: p.missing,
    denied: p.denied,
    gone: p.gone,
    findings: p.findings.map(findingJson),
  };
}

export function renderShowJson(report: SnapshotReport): string {
  const out = {
    snapshot: report.meta.name,
    target: report.meta.target,
    capturedAt: report.meta.capturedAt,
    ...(report.meta.targetOrigin ? { targetOrigin: report.meta.targetOrigin } : {}),
    ...(report.meta.remoteExit ? { remoteExit: report.meta.remoteExit } : {}),
    ...(report.meta.smaps ? { smaps: report.meta.smaps } : {}),
    uptime: report.uptime,
    machine: report.machine,
    processes: report.processes.map(processJson),
    ...(report.board ? boardJson(report.board) : {}),
    skipped: report.skipped,
  };
  return toJson(out, 2) + '\n';
}
