/*! ParsedCapture -> BoardReport: the whole board's memory (issue 12). Pure.
 * MemAvailable on a kernel before 3.14 (no such key) is estimated as si_mem_available
 * (mm/show_mem.c, mm/page_alloc.c before 5.x) computes it, without the watermarks meminfo does
 * not show: MemFree + page cache - half of it + SReclaimable - half of it (the kernel
 * subtracts min(half, low watermark), so this is the lower bound). The accounting splits
 * MemTotal by meminfo's own buckets: Cached holds Shmem (shmem pages sit in the page cache),
 * so page cache is Buffers + Cached - Shmem; process memory is AnonPages (every process's
 * anonymous pages, captured or not). */
import type { ParsedCapture } from '../model/capture.js';
import type { BoardAccounting, BoardReport } from '../model/board.js';

const SLAB_TOP = 10;

export function buildBoard(parsed: ParsedCapture): BoardReport {
  const mi: Record<string, number> = {};
  for (const [k, e] of Object.entries(parsed.meminfo ?? {})) mi[k] = e.unit === 'kB' ? e.value * 1024 : e.value;
  const slab = [...(parsed.slabinfo ?? [])].sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name));
  const buddy = parsed.buddyinfo ?? [];
  let highest: number | null = null;
  for (const z of buddy) z.free.forEach((n, order) => { if (n > 0 && (highest === null || order > highest)) highest = order; });
  return {
    meminfo: mi,
    available: available(mi),
    accounting: accounting(mi),
    tmpfs: parsed.tmpfs ?? [],
    slabTop: slab.slice(0, SLAB_TOP),
    slabCaches: slab.length,
    allSlab: slab,
    buddy,
    highestFreeOrder: buddy.length ? highest : null,
    fileNr: parsed.fileNr ?? null,
    maxMapCount: parsed.maxMapCount ?? null,
    processes: parsed.processes.map((p) => ({
      pid: p.pid, name: p.name, fds: p.fds ?? null, fdLimit: p.limits?.nofileSoft ?? null, maps: p.vmas.length,
      pss: p.smapsRollup?.pss ?? (p.smaps ? p.smaps.reduce((s, e) => s + e.pss, 0) : null),
    })),
    denied: parsed.boardDenied ?? [],
    missing: parsed.boardMissing ?? [],
  };
}

/** MemAvailable as printed, or the si_mem_available estimate on kernels before 3.14. */
export function available(mi: Record<string, number>): { bytes: number; estimated: boolean } | null {
  if (mi['MemAvailable'] !== undefined) return { bytes: mi['MemAvailable'], estimated: false };
  if (mi['MemFree'] === undefined) return null;
  const file = mi['Active(file)'] !== undefined && mi['Inactive(file)'] !== undefined
    ? mi['Active(file)'] + mi['Inactive(file)'] : (mi['Cached'] ?? 0) - (mi['Shmem'] ?? 0);
  const recl = mi['SReclaimable'] ?? 0;
  return { bytes: mi['MemFree'] + file - Math.floor(file / 2) + recl - Math.floor(recl / 2), estimated: true };
}

function accounting(mi: Record<string, number>): BoardAccounting | null {
  const total = mi['MemTotal'];
  if (total === undefined) return null;
  const notes: string[] = [];
  let trusted = true;
  const get = (k: string) => {
    if (mi[k] === undefined) { trusted = false; notes.push(`${k} is not in this kernel's meminfo`); return 0; }
    return mi[k]!;
  };
  const shmem = get('Shmem');
  const buckets = [
    { name: 'free', bytes: get('MemFree') },
    { name: 'page cache', bytes: get('Buffers') + get('Cached') - shmem },
    { name: 'process memory', bytes: get('AnonPages') },
    { name: 'shmem/tmpfs', bytes: shmem },
    { name: 'slab', bytes: get('Slab') },
    { name: 'kernel stacks', bytes: get('KernelStack') },
    { name: 'page tables', bytes: get('PageTables') },
    { name: 'vmalloc', bytes: get('VmallocUsed') },
  ];
  if (mi['VmallocUsed'] === 0) notes.push('VmallocUsed reads 0 (Linux 4.4 to 5.2 stopped counting it): vmalloc memory falls in the remainder');
  const remainder = total - buckets.reduce((s, b) => s + b.bytes, 0);
  if (remainder < 0) {
    trusted = false;
    notes.push('the buckets add up to more than MemTotal: VmallocUsed counts address ranges (ioremap) as well as pages on this kernel, so the sum overlaps');
  }
  return { memTotal: total, buckets, remainder, trusted, notes };
}
