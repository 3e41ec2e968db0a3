/*! One snapshot's report: every captured process laid out (classified, totals, gaps,
 * stack headroom) with its word size and ceiling settled, and its VSZ checked against the
 * kernel's VmSize when status was captured. Pure. */
import { buildBoard } from './board.js';
import type { ParsedCapture, ParsedProcess } from '../model/capture.js';
import type { ProcessReport, ProcessResident, SnapshotReport } from '../model/report.js';
import type { CeilingSource, Finding, ProcessLayout } from '../model/layout.js';
import type { SnapshotMeta } from '../model/snapshot.js';
import type { Vma } from '../model/vma.js';
import { arenaSize, wordBitsOf } from './arch.js';
import { chooseCeilingOf, storedCeiling } from './ceiling.js';
import { layout, stackLimitFor } from './layout.js';
import { partialOf } from './partial.js';
import { vmaFacts, type VmaFacts } from './vma-facts.js';
import { processResident, regionResident } from './resident.js';

export interface ReportOptions {
  /** User-space ceiling (--ceiling); default: the snapshot's stored setting, else inferred per process (ceiling.ts). */
  ceiling?: number;
  /** Only these pids (all when empty). */
  pids?: number[];
  /** `uname -a`'s machine field (armv7l, mips, x86_64), when known. */
  machine?: string | null;
  /** `uname -a`'s host name (nodename), when known. */
  hostname?: string | null;
  /** Across the captures of a series: each pid's last layout. VMAs shared with the last
   * capture (parse's reuse), laid out with the same settings, are not laid out again: the
   * layout and its regions are shared (they are never mutated). */
  reuse?: LayoutReuse;
  /** The parsed capture is the report's: the caller never reads it again (nor reports it again),
   * so its VMAs become the regions (layout's `adopt`); never with `reuse`, whose VMAs the next
   * capture may share. */
  consume?: boolean;
}

export type LayoutReuse = Map<number, { vmas: ParsedProcess['vmas']; key: string; ceiling: number; source: CeilingSource; lay: ProcessLayout; partial: Finding[] }>;

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
    board: buildBoard(parsed),
  };
}

function processReport(p: ParsedProcess, parsed: ParsedCapture, meta: SnapshotMeta, opts: ReportOptions, machine: string | null): ProcessReport {
  const setting = opts.ceiling !== undefined ? { value: opts.ceiling, from: 'option' as const }
    : meta.ceiling ? { value: storedCeiling(meta.ceiling), from: 'target' as const } : undefined;
  const limit = stackLimitFor(p, parsed.ulimitStack);
  // the questions asked of every VMA before the layout, in one pass (vma-facts.ts); not asked
  // when the program is named and the layout is the last capture's (a series' shared VMAs)
  let facts: VmaFacts | null = p.name ? null : vmaFacts(p.vmas, machine);
  const name = p.name || programName(p.vmas, facts!);
  const key = `${machine}\0${setting?.value}\0${setting?.from}\0${limit.stackLimit}\0${limit.stackLimitSource}\0${name}`;
  const last = opts.reuse?.get(p.pid);
  let ceiling: number;
  let source: CeilingSource;
  let lay: ProcessLayout;
  let partial: Finding[];
  if (last && last.vmas === p.vmas && last.key === key) {
    ({ ceiling, source, partial, lay } = last);
  } else {
    facts ??= vmaFacts(p.vmas, machine);
    const bits = wordBitsOf(facts.above32, p.vmas.length, machine ?? undefined);
    ({ ceiling, source } = chooseCeilingOf(facts, bits, machine, setting));
    lay = layout({ pid: p.pid, name, vmas: p.vmas }, { ceiling, ceilingSource: source, machine, wordBits: bits, arenaSize: arenaSize(bits), ...limit, adopt: opts.consume === true && !opts.reuse });
    partial = partialOf(p.vmas, facts);
    opts.reuse?.set(p.pid, { vmas: p.vmas, key, ceiling, source, lay, partial }); // lay is never changed below: findings is a copy
  }
  const findings = [...lay.findings];
  if (source.raisedFrom !== undefined && source.from !== 'evidence' && source.from !== 'default' && source.evidence && 'at' in source.evidence) {
    findings.unshift({ code: 'ceiling-raised', setting: source.raisedFrom, used: ceiling, highest: highestEnd(p.vmas, source.evidence.at) });
  }
  const vmSize = statusBytes(p.status?.VmSize);
  if (vmSize !== null && !p.gone && p.vmas.length > 0 && vmSize !== lay.totals.vsz) {
    findings.push({ code: 'vsz-mismatch', computed: lay.totals.vsz, vmSize });
  }
  for (const f of partial) findings.push(f);
  return processReportOf(lay, findings, p, processResident(p));
}

/** The layout's fields, then the process's, in one object literal: a spread of the layout and
 * ten more keys made V8 keep every capture's report alive until a full GC (in a series of
 * 10,000: ~4 KB each promoted; issue 15). The keys in the order they always had. */
function processReportOf(lay: ProcessLayout, findings: Finding[], p: ParsedProcess, resident: ProcessResident | null): ProcessReport {
  const { pid, name, ceiling, ceilingSource, wordBits, regions, totals, free, stack, threadStacks } = lay;
  const rss = resident ? resident.rss : null;
  const pss = resident ? resident.pss : null;
  const perRegion = regionResident(p, regions);
  const { startTime, missing, denied, gone } = p;
  return p.argv0 === undefined
    ? { pid, name, ceiling, ceilingSource, wordBits, regions, totals, free, stack, threadStacks, findings, startTime, missing, denied, gone, rss, pss, resident, regionResident: perRegion }
    : { pid, name, ceiling, ceilingSource, wordBits, regions, totals, free, stack, threadStacks, findings, startTime, argv0: p.argv0, missing, denied, gone, rss, pss, resident, regionResident: perRegion };
}

function highestEnd(vmas: ParsedProcess['vmas'], start: number): number {
  return vmas.find((v) => v.start === start)?.end ?? start;
}

/**
 * For a bare maps file (no stat, status or cmdline): the main executable's base name. The
 * kernel maps the executable and the loader (binfmt_elf); the loader maps the libraries, and
 * ART its .oat files, so the program is a file with code that is not one of those: not a
 * shared object by name (`*.so`, `*.so.N`), not the loader (`ld-*`, `ld.so.1`, Android's
 * `linker`), not ART's (`.oat`, `.odex`, `.vdex`, `.art`, `.dex`, `.jar`, `.apk`). Of several,
 * the last one below `[heap]` (the kernel puts the brk area right after the executable),
 * else the lowest. With none, the first file with code, as before.
 */
function programName(vmas: readonly Vma[], facts: VmaFacts): string {
  const heap = facts.heap < 0 ? undefined : vmas[facts.heap]!;
  // once the first program is known, only a line below [heap] can change the answer: with no
  // [heap], none; in address order (facts.sorted), none after [heap]'s line, so the scan
  // stops there (it went on over every library of a big map)
  const stopAt = heap === undefined ? 0 : facts.sorted ? facts.heap + 1 : vmas.length;
  // one pass: a file with code is tested for being a program only while it can still be the
  // answer (below [heap], or before the first program is known), not every library of a big map
  let firstCode: Vma | undefined;
  let firstProgram: Vma | undefined;
  let lastBelow: Vma | undefined;
  for (let i = 0; i < vmas.length; i++) {
    if (firstProgram !== undefined && i >= stopAt) break;
    const v = vmas[i]!;
    if (v.path.length === 0 || v.path.charCodeAt(0) !== 47 || v.perms.charCodeAt(2) !== 120) continue; // a file (/) with code (x)
    firstCode ??= v;
    const below = heap !== undefined && v.end <= heap.start;
    if (!below && firstProgram) continue;
    if (!isProgram(v)) continue;
    firstProgram ??= v;
    if (below) lastBelow = v;
  }
  const exe = lastBelow ?? firstProgram ?? firstCode;
  return exe ? exe.path.slice(exe.path.lastIndexOf('/') + 1) : '';
}

const isProgram = (v: Vma): boolean => !NOT_A_PROGRAM.test(v.path.slice(v.path.lastIndexOf('/') + 1)) && !/^\/(?:memfd:|dev\/)/.test(v.path);

const NOT_A_PROGRAM = /\.so(?:\.[0-9.]+)?$|^ld[-.]|^linker(?:64)?$|\.(?:oat|odex|vdex|art|dex|jar|apk)$/;

function statusBytes(v: string | undefined): number | null {
  const m = v ? /^(\d+)\s*kB/.exec(v.trim()) : null;
  return m ? Number(m[1]) * 1024 : null;
}
