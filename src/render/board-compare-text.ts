/*! `compare`'s board section (issue 12): MemTotal's buckets before and after, one line per
 * bucket that moved beyond the board's noise with what moved with it (a process's USS, a slab
 * cache, a tmpfs mount, threads), then fds and maps per process against their limits. Also
 * its documented JSON (README, "JSON output"). Chooses what to show; never re-analyses. */
import type { BoardCompare, BucketMove, CountMove, Explanation } from '../model/board-compare.js';
import type { Paint } from './paint.js';
import { human, percent, signed } from './format.js';
import { escapeForTerminal as esc } from './escape.js';

/** What a bucket is, said when it moved (mm/ and fs/proc/meminfo.c: what each counter holds). */
const NOTE: Record<string, string> = {
  'free': 'MemFree: what the other buckets took or gave back',
  'page cache': 'file pages (Buffers + Cached - Shmem): the kernel reclaims them under pressure, not a leak by itself',
  'process memory': 'AnonPages: every process\'s anonymous pages, captured or not',
  'shmem/tmpfs': 'tmpfs files, SYSV shm, memfd and shared anonymous mappings',
  'slab': 'the kernel\'s object caches',
  'kernel stacks': 'one per thread',
  'page tables': 'grow with the memory processes map and touch',
  'vmalloc': 'VmallocUsed: modules and drivers, not attributed',
  'unaccounted': 'pages drivers took straight from the page allocator (DMA buffers, rings), in no meminfo counter',
};

export function renderBoardCompareText(b: BoardCompare, paint: Paint): string {
  const out = [paint.bold('board') + `  (a bucket moves beyond ${human(b.noise)}, the board's noise: max(1 MiB, 0.1% of MemTotal))`];
  out.push(`  MemTotal ${human(b.memTotal.after)} = ` + b.buckets.map((x) => `${x.name} ${human(x.before)} -> ${human(x.after)}${x.delta ? ` (${signed(x.delta)})` : ''}`).join(', '));
  if (!b.trusted) out.push('  ' + paint.warn('the accounting cannot be trusted on this kernel (show says why): ') + 'the buckets overlap or one is missing');
  const moved = b.buckets.filter((x) => x.moved).sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta));
  for (const x of moved) out.push(`  ${x.delta > 0 ? paint.bad(x.name + ' ' + signed(x.delta)) : paint.good(x.name + ' ' + signed(x.delta))}: ${why(x, b)}`);
  if (!moved.length) out.push(`  no bucket moved beyond ${human(b.noise)}`);
  // small buckets move by exact amounts (a kernel stack per thread): what moved them is said even within noise
  const small = b.buckets.filter((x) => !x.moved && x.explainedBy.length);
  if (small.length) out.push('  within noise: ' + small.map((x) => `${x.name} ${signed(x.delta)} (${x.explainedBy.map(explanation).join(', ')})`).join('; '));
  if (b.fileNr && b.fileNr.delta) out.push(`  file handles: ${b.fileNr.before} -> ${b.fileNr.after} (${plus(b.fileNr.delta)}) of fs.file-max ${b.fileNr.max}`);
  for (const f of b.fds) out.push(`  fds: ${who(f)} ${f.before} -> ${f.after} (${plus(f.delta)})` + (f.limit !== null ? ` of ${f.limit} Max open files (${percent(f.after, f.limit)})` : ', no limit'));
  for (const m of b.maps) out.push(`  maps: ${who(m)} ${m.before} -> ${m.after} (${plus(m.delta)})` + (m.limit !== null ? ` of vm.max_map_count ${m.limit} (${percent(m.after, m.limit)})` : ''));
  return out.join('\n') + '\n';
}

function why(x: BucketMove, b: BoardCompare): string {
  const parts: string[] = [];
  if (x.explainedBy.length) parts.push(x.explainedBy.map(explanation).join(', '));
  if (x.explained !== null && x.name !== 'slab') parts.push(`${percent(Math.abs(x.explained), Math.abs(x.delta))} of it accounted for`);
  if (x.name === 'slab') {
    if (b.slabSplit) parts.push(`SReclaimable ${signed(b.slabSplit.reclaimable)}, SUnreclaim ${signed(b.slabSplit.unreclaimable)}` +
      (Math.abs(b.slabSplit.unreclaimable) <= b.noise ? ' (reclaimable growth is not a leak by itself)' : ''));
    if (!b.slab.length) parts.push('slabinfo not on both sides (root only)');
  }
  if (x.name === 'shmem/tmpfs' && !x.explainedBy.length) parts.push('no captured tmpfs mount moved (SYSV shm, memfd, or a mount df did not see)');
  if (x.name === 'process memory' && !x.explainedBy.length) parts.push('no captured process\'s memory moved with it (uncaptured processes)');
  parts.push(NOTE[x.name] ?? '');
  return parts.filter(Boolean).join('; ');
}

function explanation(e: Explanation): string {
  switch (e.what) {
    case 'process': return `pid ${e.pid ?? '?'} ${esc(e.name || '?')} ${e.measure.toUpperCase()} ${signed(e.delta)}`;
    case 'threads': return `pid ${e.pid ?? '?'} ${esc(e.name || '?')} ${plus(e.delta)} thread(s)`;
    case 'slab': return `${esc(e.cache)} ${signed(e.delta)}${e.reclaimable ? ' (reclaimable)' : ''}`;
    case 'tmpfs': return `tmpfs ${esc(e.mountPoint)} ${signed(e.delta)}`;
  }
}

const who = (c: CountMove) => `pid ${c.pid ?? '?'} ${esc(c.name || '?')}`;
const plus = (n: number) => (n > 0 ? `+${n}` : String(n));

/** compare --json's `board` (README, "JSON output"): the analysis as it is. */
export const boardCompareJson = (b: BoardCompare | null | undefined) => b ?? null;
