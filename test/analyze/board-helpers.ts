/*! Hand-built board captures for the board tests: a real meminfo dump (fixtures/meminfo) with
 * some of its keys set by hand, optional slabinfo, tmpfs mounts with df, and the trend helpers'
 * processes with their fd counts, written as the raw sections a collector returns so the real
 * parser and analysis run on them. */
import fs from 'node:fs';
import type { RawSection } from '../../src/model/capture.js';
import type { TrendCapture } from '../../src/analyze/series.js';
import type { SnapshotReport } from '../../src/model/report.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { metaOf, sectionsOf, type ProcSpec } from './trend-helpers.js';

export const dump = (file: string): string => fs.readFileSync(new URL(`../../../fixtures/meminfo/${file}`, import.meta.url), 'utf8');
export const CAMERA = 'armv7-augentix-hc1703-camera-64mb.meminfo';
export const VEXPRESS = 'armv7-qemu-vexpress-buildroot-128mb-cma.meminfo';
export const HOST = 'x86_64-devhost-24gb.meminfo';

/** A meminfo key's value in kB. */
export const kbOf = (text: string, key: string): number => Number(new RegExp(`^${key.replace(/[()]/g, '\\$&')}:\\s+(\\d+) kB`, 'm').exec(text)![1]);

/** The dump with each key moved by the given kB (keys absent from it are an error). */
export function moved(text: string, by: Record<string, number>): string {
  let out = text;
  for (const [k, d] of Object.entries(by)) {
    const re = new RegExp(`^(${k.replace(/[()]/g, '\\$&')}:\\s+)(\\d+)( kB)$`, 'm');
    if (!re.test(out)) throw new Error(`${k} is not in the dump`);
    out = out.replace(re, (_m, a: string, v: string, u: string) => `${a}${Number(v) + d}${u}`);
  }
  return out;
}

export interface BoardSpec {
  meminfo: string;
  /** cache name -> number of objects of objSize bytes (one page per slab). */
  slab?: Record<string, { objs: number; size: number }>;
  /** tmpfs mount point -> used kB (size 32 MiB each). */
  tmpfs?: Record<string, number>;
  procs?: Array<ProcSpec & { fds?: number; nofile?: number; ussKiB?: number }>;
  maxMapCount?: number;
}

export function boardSections(uptime: number, b: BoardSpec): RawSection[] {
  const procs = b.procs ?? [];
  const s = sectionsOf(uptime, procs);
  if (b.meminfo) s.push({ name: 'meminfo', status: 'ok', text: b.meminfo }); // '' = none captured
  if (b.maxMapCount !== undefined) s.push({ name: 'max_map_count', status: 'ok', text: `${b.maxMapCount}\n` });
  if (b.slab) {
    s.push({ name: 'slabinfo', status: 'ok', text: 'slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n' +
      Object.entries(b.slab).map(([n, c]) => { const per = Math.max(1, Math.floor(4096 / c.size)); const slabs = Math.ceil(c.objs / per);
        return `${n} ${c.objs} ${c.objs} ${c.size} ${per} 1 : tunables 0 0 0 : slabdata ${slabs} ${slabs} 0`; }).join('\n') + '\n' });
  }
  if (b.tmpfs) {
    s.push({ name: 'mounts', status: 'ok', text: Object.keys(b.tmpfs).map((m) => `tmpfs ${m} tmpfs rw,nosuid,nodev,size=32768k 0 0`).join('\n') + '\n' });
    s.push({ name: 'df', status: 'ok', text: 'Filesystem     1024-blocks    Used Available Capacity Mounted on\n' +
      Object.entries(b.tmpfs).map(([m, used]) => `tmpfs 32768 ${used} ${32768 - used} ${Math.round((used / 32768) * 100)}% ${m}`).join('\n') + '\n' });
  }
  for (const p of procs) {
    if (p.fds !== undefined) s.push({ name: 'fds', pid: p.pid, status: 'ok', text: `${p.fds}\n` });
    if (p.nofile !== undefined) {
      const limits = s.find((x) => x.name === 'limits' && x.pid === p.pid)!;
      limits.text += `Max open files            ${p.nofile}                 ${p.nofile}                 files\n`;
    }
    if (p.ussKiB !== undefined) {
      s.push({ name: 'smaps_rollup', pid: p.pid, status: 'ok', text: `00010000-7f000000 ---p 00000000 00:00 0 [rollup]\nRss: ${p.ussKiB} kB\nPss: ${p.ussKiB} kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: ${p.ussKiB} kB\nSwap: 0 kB\n` });
    }
  }
  return s;
}

export function boardReport(name: string, uptime: number, b: BoardSpec): SnapshotReport {
  return buildReport(metaOf(name), parseCapture({ sections: boardSections(uptime, b) }, { source: name }));
}

export function boardCapture(name: string, uptime: number, b: BoardSpec): TrendCapture {
  const report = boardReport(name, uptime, b);
  return { report, threads: new Map(report.processes.map((p) => [p.pid, p.threadStacks + 1])) };
}
