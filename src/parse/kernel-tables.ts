/*! The board-wide kernel tables of a capture: /proc/slabinfo, /proc/buddyinfo,
 * /proc/sys/vm/max_map_count, /proc/sys/fs/file-nr and a process's fd count -> model types.
 * Pure: no I/O. A garbled line is an error naming it, never a guess. */
import { ParseError } from '../errors.js';
import type { BuddyZone, FileNr, SlabCache } from '../model/capture.js';

const lines = (text: string) => text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));

/** One number on one line (max_map_count, the fds count). */
export function parseCount(text: string, source: string, example = '65530'): number {
  const t = text.trim();
  if (!/^[0-9]{1,15}$/.test(t)) throw new ParseError(source, 1, t.slice(0, 120), 'expected one whole number', example);
  return Number(t);
}

/** `allocated  unused  max` (tabs between). */
export function parseFileNr(text: string, source: string): FileNr {
  const t = text.trim();
  const m = /^([0-9]{1,15})\s+([0-9]{1,15})\s+([0-9]{1,20})$/.exec(t);
  if (!m) throw new ParseError(source, 1, t.slice(0, 120), 'expected three numbers: allocated, unused, max', '1184\t0\t48676');
  return { allocated: Number(m[1]), unused: Number(m[2]), max: Number(m[3]) };
}

const SLAB_EXAMPLE = 'kmalloc-64   2816   2816     64   64    1 : tunables    0    0    0 : slabdata     44     44      0';
/** slabinfo version 2.x (mm/slab_common.c: slabinfo_show): name, active_objs, num_objs,
 * objsize, objperslab, pagesperslab, `: tunables` three, `: slabdata` active_slabs num_slabs sharedavail. */
export function parseSlabinfo(text: string, source: string): SlabCache[] {
  const ls = lines(text);
  if (!/^slabinfo - version: 2\.[0-9]+$/.test(ls[0] ?? '')) {
    throw new ParseError(source, 1, ls[0] ?? '', 'not slabinfo version 2 (line 1 should be `slabinfo - version: 2.1`)', 'slabinfo - version: 2.1');
  }
  const out: SlabCache[] = [];
  for (let i = 1; i < ls.length; i++) {
    const l = ls[i]!;
    if (l.trim() === '' || l.startsWith('#')) continue;
    const m = /^(\S+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)\s+([0-9]+)\s+: tunables\s+[0-9]+\s+[0-9]+\s+[0-9]+\s+: slabdata\s+([0-9]+)\s+([0-9]+)\s+[0-9]+\s*$/.exec(l);
    if (!m) throw new ParseError(source, i + 1, l.slice(0, 160), 'not a slabinfo row', SLAB_EXAMPLE);
    const numObjs = Number(m[3]);
    const objSize = Number(m[4]);
    out.push({ name: m[1]!, activeObjs: Number(m[2]), numObjs, objSize, pagesPerSlab: Number(m[6]), numSlabs: Number(m[8]), bytes: numObjs * objSize });
  }
  return out;
}

/** `Node 0, zone   Normal   12  5  3 ...` (mm/vmstat.c: frag_show_print), order 0 first. */
export function parseBuddyinfo(text: string, source: string): BuddyZone[] {
  const out: BuddyZone[] = [];
  const ls = lines(text);
  for (let i = 0; i < ls.length; i++) {
    const l = ls[i]!;
    if (l.trim() === '') continue;
    const m = /^Node ([0-9]+), zone\s+(\S+)((?:\s+[0-9]+)+)\s*$/.exec(l);
    if (!m) throw new ParseError(source, i + 1, l.slice(0, 160), 'not a buddyinfo line', 'Node 0, zone   Normal     12      5      3      1      0');
    out.push({ node: Number(m[1]), zone: m[2]!, free: m[3]!.trim().split(/\s+/).map(Number) });
  }
  return out;
}
