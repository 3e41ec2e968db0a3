/*! One snapshot's report: every captured process laid out (classified, totals, gaps,
 * stack headroom) with the word size and ceiling settled once. Pure. */
import type { ParsedCapture, ParsedProcess } from '../model/capture.js';
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import { arenaSize, defaultCeiling, wordBits } from './arch.js';
import { layout, stackLimitFor } from './layout.js';

export interface ReportOptions {
  /** User-space ceiling; default: the snapshot's stored setting, else the architecture's. */
  ceiling?: bigint;
  /** Only these pids (all when empty). */
  pids?: number[];
  /** `uname -a`'s machine field (armv7l, mips, x86_64), when known. */
  machine?: string | null;
  /** `uname -a`'s host name (nodename), when known. */
  hostname?: string | null;
}

export function buildReport(meta: SnapshotMeta, parsed: ParsedCapture, opts: ReportOptions = {}): SnapshotReport {
  const machine = opts.machine ?? null;
  const wanted = opts.pids?.length ? parsed.processes.filter((p) => opts.pids!.includes(p.pid)) : parsed.processes;
  return {
    meta,
    uname: parsed.uname ?? null,
    machine,
    hostname: opts.hostname ?? null,
    uptime: parsed.uptime ?? null,
    bootId: parsed.bootId ?? null,
    meminfo: parsed.meminfo ?? null,
    ulimitStack: parsed.ulimitStack,
    processes: wanted.map((p) => processReport(p, parsed, meta, opts, machine)),
    skipped: parsed.skipped,
  };
}

function processReport(p: ParsedProcess, parsed: ParsedCapture, meta: SnapshotMeta, opts: ReportOptions, machine: string | null): ProcessReport {
  const bits = wordBits(p.vmas, machine ?? undefined);
  const ceiling = opts.ceiling ?? (meta.ceiling ? BigInt(meta.ceiling) : defaultCeiling(bits, machine ?? undefined));
  const lay = layout(
    { pid: p.pid, name: p.name || programName(p), vmas: p.vmas },
    { ceiling, wordBits: bits, arenaSize: arenaSize(bits), ...stackLimitFor(p, parsed.ulimitStack) },
  );
  const rollup = p.smapsRollup ??
    (p.smaps?.length ? p.smaps.reduce((a, e) => ({ rss: a.rss + e.rss, pss: a.pss + e.pss }), { rss: 0, pss: 0 }) : null);
  return {
    ...lay,
    startTime: p.startTime,
    ...(p.argv0 !== undefined ? { argv0: p.argv0 } : {}),
    missing: p.missing,
    denied: p.denied,
    gone: p.gone,
    rss: rollup ? rollup.rss : statusBytes(p.status?.VmRSS),
    pss: rollup ? rollup.pss : null,
  };
}

/** For a bare maps file: the executable is the first code mapping's file. */
function programName(p: ParsedProcess): string {
  const exe = p.vmas.find((v) => v.path.startsWith('/') && v.perms.includes('x'));
  return exe ? exe.path.slice(exe.path.lastIndexOf('/') + 1) : '';
}

function statusBytes(v: string | undefined): number | null {
  const m = v ? /^(\d+)\s*kB/.exec(v.trim()) : null;
  return m ? Number(m[1]) * 1024 : null;
}
