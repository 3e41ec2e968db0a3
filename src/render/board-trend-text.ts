/*! `trend`'s board lines (issue 12): leaks no process's maps show (Shmem and the tmpfs mount
 * that holds it, slab and the caches that grow, kernel stacks, page tables, vmalloc) and each
 * process's fd leak against Max open files. Chooses what to show; never re-analyses. */
import type { TrendResult } from '../model/trend.js';
import type { Paint } from './paint.js';
import { duration, human } from './format.js';
import { escapeForTerminal as esc } from './escape.js';

const left = (s: number | null, what: string) => (s === null ? '' : `, runs out in ${s > 100 * 365 * 86400 ? '> 100 years' : duration(s)} (${what})`);

/** The board's suspects, notes on growth set aside as reclaimable, and the soonest time one runs out (null: never at these rates). */
export function boardSuspects(r: TrendResult, paint: Paint): { lines: string[]; notes: string[]; soonest: number | null } {
  const lines: string[] = [];
  const notes: string[] = [];
  const ends: number[] = [];
  const leakingProcesses = r.processes.filter((p) => p.verdict === 'leak' && !(p.fds?.verdict === 'leak'));
  for (const s of (r.system ?? []).filter((x) => x.verdict === 'leak' && !x.explained)) {
    if (s.timeLeft !== null) ends.push(s.timeLeft);
    const why: string[] = [];
    if (s.key === 'Shmem') {
      const m = (r.tmpfs ?? []).filter((t) => t.verdict === 'leak');
      why.push(m.length ? `in tmpfs ${m.map((t) => `${esc(t.mountPoint)} (${human(t.last)}, +${human(t.rate ?? 0)}/h)`).join(', ')}` : 'no captured tmpfs mount grew (shared memory, memfd or a mount df did not see)');
    }
    if (s.key === 'Slab' || s.key === 'SUnreclaim') {
      const c = (r.slab ?? []).filter((x) => x.verdict === 'leak').slice(0, 5);
      why.push(c.length ? `slab caches growing: ${c.map((x) => `${esc(x.cache)} +${human(x.rate ?? 0)}/h`).join(', ')}` : (r.slab?.length ? 'no single cache stands out' : 'slabinfo not captured (root only)'));
    }
    if (!leakingProcesses.length) why.push('no process\'s memory explains it');
    out(lines, `  ${paint.bad('board leak')}: ${s.key} ${human(s.last)}, ${s.rate === null ? "rate unknown" : `+${human(s.rate)}/h`} (${s.confidence} confidence)${left(s.timeLeft, 'MemAvailable')}` + (why.length ? `; ${why.join('; ')}` : ''));
  }
  for (const p of r.processes) {
    const f = p.fds;
    if (!f || f.verdict !== 'leak') continue;
    if (f.timeLeft !== null) ends.push(f.timeLeft);
    out(lines, `  ${paint.bad('fd leak')}: pid ${p.pid} ${esc(p.name || '?')}: ${f.first} -> ${f.last} open fds, ${f.rate === null ? "rate unknown" : `+${Math.round(f.rate)}/h`} (${f.confidence} confidence), ` +
      (f.limit !== null ? `limit ${f.limit} (Max open files)${left(f.timeLeft, 'Max open files')}` : 'no limit (unlimited)'));
    // open fds hold their dentry, inode and socket: reclaimable caches grow with them for good
    const c = (r.slab ?? []).filter((x) => x.verdict === 'leak' || x.reclaimable).slice(0, 5);
    if (c.length) out(lines, `    slab caches growing with it: ${c.map((x) => `${esc(x.cache)} +${human(x.rate ?? 0)}/h${x.reclaimable ? ' (reclaimable, but held by the open fds)' : ''}`).join(', ')}`);
  }
  for (const p of r.processes) {
    if (p.maps && p.maps.limit !== null && p.maps.last * 2 > p.maps.limit) out(lines, `  ${paint.warn('maps')}: pid ${p.pid} ${esc(p.name || '?')} has ${p.maps.last} maps of vm.max_map_count ${p.maps.limit}`);
  }
  const aside = (r.system ?? []).filter((x) => x.reclaimable && x.key !== 'Slab'); // Slab is the sum: SReclaimable says it
  if (aside.length) {
    const caches = (r.slab ?? []).filter((x) => x.reclaimable).slice(0, 3);
    out(notes, `note: ${aside.map((x) => `${x.key} ${x.key === 'MemFree' ? '-' : '+'}${human(x.rate ?? 0)}/h`).join(', ')}` +
      (caches.length ? ` (${caches.map((x) => `${esc(x.cache)} +${human(x.rate ?? 0)}/h`).join(', ')})` : '') +
      ': memory the kernel reclaims under pressure (reclaimable slab, the page cache), not a leak by itself');
  }
  return { lines, notes, soonest: ends.length ? ends.reduce((m, x) => Math.min(m, x)) : null };
}

function out(lines: string[], l: string): void {
  lines.push(l);
}
