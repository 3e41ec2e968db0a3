/*! `show`'s board section (issue 12): the kernel's memory counters, MemAvailable (marked when
 * estimated), where MemTotal went, tmpfs, the largest slab caches, free blocks per order and
 * each process's fds against Max open files and maps against vm.max_map_count. */
import type { BoardReport } from '../model/board.js';
import type { Paint } from './paint.js';
import { human, percent } from './format.js';
import { escapeForTerminal as esc } from './escape.js';

const KEYS = ['MemTotal', 'MemFree', 'Buffers', 'Cached', 'Shmem', 'AnonPages', 'Slab', 'SReclaimable', 'SUnreclaim',
  'KernelStack', 'PageTables', 'VmallocUsed', 'CmaTotal', 'CmaFree', 'SwapTotal', 'SwapFree'];

export function renderBoardText(b: BoardReport, paint: Paint): string {
  const out: string[] = [paint.bold('board')];
  const mi = b.meminfo;
  if (Object.keys(mi).length) {
    const line: string[] = [];
    for (const k of KEYS) {
      if (mi[k] === undefined) continue;
      line.push(`${k} ${human(mi[k]!)}`);
      if (k === 'MemFree' && b.available) {
        line.push(`MemAvailable ${human(b.available.bytes)}` + (b.available.estimated ? ' (estimated: this kernel, before 3.14, has no MemAvailable)' : ''));
      }
    }
    out.push('  ' + line.join(', '));
    if (mi['Committed_AS'] !== undefined && mi['CommitLimit'] !== undefined) {
      out.push(`  committed ${human(mi['Committed_AS'])} of CommitLimit ${human(mi['CommitLimit'])} (${percent(mi['Committed_AS'], mi['CommitLimit'])}; enforced only with vm.overcommit_memory=2)`);
    }
  } else out.push('  no meminfo in this snapshot');
  const a = b.accounting;
  if (a) {
    out.push(`  MemTotal ${human(a.memTotal)} = ` + a.buckets.map((x) => `${x.name} ${human(x.bytes)}`).join(' + ') +
      ` + not accounted for ${human(a.remainder)} (drivers' own pages, the kernel image, reserved)`);
    const pss = b.processes.map((p) => p.pss).filter((v): v is number => v !== null);
    if (pss.length) out.push(`  captured processes' PSS: ${human(pss.reduce((s, v) => s + v, 0))} over ${pss.length} process(es) (part of process memory, page cache and shmem)`);
    if (!a.trusted) out.push('  ' + paint.warn('the sum cannot be trusted: ') + a.notes.join('; '));
    else for (const n of a.notes) out.push('  note: ' + n);
  }
  for (const m of b.tmpfs) {
    out.push(`  tmpfs ${esc(m.mountPoint)}: ` + (m.used !== undefined ? `${human(m.used)} used of ${human(m.size!)}` : 'usage unknown (no df on this board)') +
      (m.sizeOption !== undefined && m.size === undefined ? `, size= ${human(m.sizeOption)}` : ''));
  }
  if (b.slabTop.length) out.push(`  largest slab caches (of ${b.slabCaches}): ` + b.slabTop.map((c) => `${esc(c.name)} ${human(c.bytes)} (${c.activeObjs}/${c.numObjs} x ${c.objSize} B)`).join(', '));
  if (b.buddy.length) {
    for (const z of b.buddy) out.push(`  free blocks node ${z.node} ${esc(z.zone)} by order 0..${z.free.length - 1}: ${z.free.join(' ')}`);
    out.push(`  largest free block: order ${b.highestFreeOrder ?? 'none'}` + (b.highestFreeOrder !== null ? ` (2^${b.highestFreeOrder} contiguous pages): an allocation of a higher order must wait for compaction or reclaim` : ': every allocation must wait for reclaim'));
  }
  if (b.fileNr) out.push(`  file handles: ${b.fileNr.allocated - b.fileNr.unused} in use of fs.file-max ${b.fileNr.max}`);
  for (const p of b.processes) {
    const fd = p.fds === null ? 'fds not counted' : `${p.fds} fds` + (p.fdLimit !== null ? ` of ${p.fdLimit} (Max open files, ${percent(p.fds, p.fdLimit)})` : ' (no limit)');
    const maps = `${p.maps} maps` + (b.maxMapCount !== null ? ` of vm.max_map_count ${b.maxMapCount}` : '');
    out.push(`  pid ${p.pid === 0 ? '?' : p.pid} ${esc(p.name || '?')}: ${fd}, ${maps}`);
  }
  if (b.denied.length) out.push('  ' + paint.warn('not readable by the capturing user: ') + b.denied.join(', ') + ' (capture as root)');
  if (b.missing.length) out.push(`  not on this board: ${b.missing.join(', ')}`);
  return out.join('\n') + '\n';
}

/** The board section of `show --json` (README, "JSON output"). */
export function boardJson(b: BoardReport) {
  return {
    meminfo: b.meminfo,
    memAvailable: b.available,
    accounting: b.accounting,
    tmpfs: b.tmpfs,
    slab: { caches: b.slabCaches, largest: b.slabTop },
    buddyinfo: b.buddy,
    highestFreeOrder: b.highestFreeOrder,
    fileNr: b.fileNr,
    maxMapCount: b.maxMapCount,
    fds: b.processes.map((p) => ({ pid: p.pid, fds: p.fds, limit: p.fdLimit, maps: p.maps })),
    boardDenied: b.denied,
    boardMissing: b.missing,
  };
}
