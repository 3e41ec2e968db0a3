/*! Synthetic captures for the trend tests: a 32-bit process whose heap, anonymous mmaps,
 * thread stacks and main stack are set by hand, written as the raw sections a collector
 * returns (so the real parser and classifier run on them), and reports built from those. */
import type { RawSection } from '../../src/model/capture.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { TrendCapture } from '../../src/analyze/series.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';

const PAGE = 4096;
const h8 = (n: number) => n.toString(16).padStart(8, '0');

export interface ProcSpec {
  pid: number;
  name: string;
  /** stat field 22 (ticks after boot). */
  start: number;
  heap: number;
  /** How many 1 MiB anonymous mmaps (each apart from the others). */
  anon?: number;
  /** Thread stacks (guard + 512 KiB); also the thread count minus one. */
  threads?: number;
  /** Size of [stack]; default 132 KiB. */
  stack?: number;
  /** /proc/PID/limits stack soft limit; default 8 MiB. */
  stackLimit?: number;
  /** Resident bytes of [heap]: when set, smaps (every other region 0 kB resident) and smaps_rollup are written too. */
  heapRss?: number;
}

/** smaps of mapsOf(p): [heap] holds heapRss (all Private_Dirty), the rest nothing resident. */
export function smapsOf(p: ProcSpec): string {
  return mapsOf(p).split('\n').filter(Boolean).map((l) => {
    const kb = l.endsWith('[heap]') ? (p.heapRss ?? 0) / 1024 : 0;
    return `${l}\nRss: ${kb} kB\nPss: ${kb} kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: ${kb} kB\nSwap: 0 kB\n`;
  }).join('');
}

/** The maps text: exe at 0x10000, [heap] at 0x30000, anon at 0x40010000 + 2 MiB * i (not on an arena boundary), thread stacks at 0x50000000 + 1 MiB * i, [stack] ends at 0x7f000000. */
export function mapsOf(p: ProcSpec): string {
  const line = (s: number, e: number, perms: string, path = '', inode = 0, dev = '00:00') =>
    `${h8(s)}-${h8(e)} ${perms} 00000000 ${dev} ${inode}`.padEnd(49) + path;
  const out = [
    line(0x10000, 0x11000, 'r-xp', `/usr/bin/${p.name}`, 1023, 'b3:01'),
    line(0x20000, 0x21000, 'rw-p', `/usr/bin/${p.name}`, 1023, 'b3:01'),
  ];
  if (p.heap > 0) out.push(line(0x30000, 0x30000 + p.heap, 'rw-p', '[heap]'));
  for (let i = 0; i < (p.anon ?? 0); i++) out.push(line(0x40010000 + i * 0x200000, 0x40110000 + i * 0x200000, 'rw-p'));
  for (let i = 0; i < (p.threads ?? 0); i++) {
    const base = 0x50000000 + i * 0x100000;
    out.push(line(base, base + PAGE, '---p'), line(base + PAGE, base + PAGE + 0x80000, 'rw-p'));
  }
  out.push(line(0x7f000000 - (p.stack ?? 0x21000), 0x7f000000, 'rw-p', '[stack]'));
  return out.join('\n') + '\n';
}

export function sectionsOf(uptime: number | null, procs: ProcSpec[], memAvailableKiB?: number): RawSection[] {
  const s: RawSection[] = [];
  if (uptime !== null) s.push({ name: 'uptime', status: 'ok', text: `${uptime.toFixed(2)} 1.00\n` });
  if (memAvailableKiB !== undefined) s.push({ name: 'meminfo', status: 'ok', text: `MemTotal:  262144 kB\nMemFree:  ${memAvailableKiB} kB\nMemAvailable:  ${memAvailableKiB} kB\n` });
  for (const p of procs) {
    s.push({ name: 'stat', pid: p.pid, status: 'ok', text: `${p.pid} (${p.name}) S 1 ${p.pid} ${p.pid} 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 ${(p.threads ?? 0) + 1} 0 ${p.start} 1234 100 4294967295\n` });
    s.push({ name: 'limits', pid: p.pid, status: 'ok', text: `Limit                     Soft Limit           Hard Limit           Units\nMax stack size            ${p.stackLimit ?? 8388608}              unlimited            bytes\n` });
    s.push({ name: 'maps', pid: p.pid, status: 'ok', text: mapsOf(p) });
    if (p.heapRss !== undefined) {
      const kb = p.heapRss / 1024;
      s.push({ name: 'smaps', pid: p.pid, status: 'ok', text: smapsOf(p) });
      s.push({ name: 'smaps_rollup', pid: p.pid, status: 'ok', text: `00010000-7f000000 ---p 00000000 00:00 0 [rollup]\nRss: ${kb} kB\nPss: ${kb} kB\nPrivate_Clean: 0 kB\nPrivate_Dirty: ${kb} kB\nSwap: 0 kB\n` });
    }
  }
  return s;
}

export const metaOf = (name: string, capturedAt = '2025-01-01T00:00:00.000Z', target = 'board', via: SnapshotMeta['via'] = 'import'): SnapshotMeta =>
  ({ name, target, capturedAt, tool: { name: 'mapsdiff', version: 'test' }, via, lenient: false });

/** One capture as analyzeTrend takes it. */
export function capture(name: string, uptime: number | null, procs: ProcSpec[], opts: { memAvailableKiB?: number; capturedAt?: string; via?: SnapshotMeta['via'] } = {}): TrendCapture {
  const parsed = parseCapture({ sections: sectionsOf(uptime, procs, opts.memAvailableKiB) }, { source: name });
  const threads = new Map(parsed.processes.map((p) => [p.pid, p.stat!.numThreads]));
  return { report: buildReport(metaOf(name, opts.capturedAt, 'board', opts.via), parsed), threads };
}

/** One capture of one process (pid 5) from a maps text given whole. */
export function captureMaps(name: string, uptime: number, maps: string): TrendCapture {
  const sections: RawSection[] = [{ name: 'uptime', status: 'ok', text: `${uptime}.00 1.00\n` }, { name: 'maps', pid: 5, status: 'ok', text: maps }];
  return { report: buildReport(metaOf(name), parseCapture({ sections }, { source: name })), threads: new Map() };
}
