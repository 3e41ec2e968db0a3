/*! `show` for people: the seed's table done right (every VMA with its kind and owner,
 * and the NOT USED gaps), then totals by kind and owner, free space and stack headroom. */
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { Paint } from './paint.js';
import { addr, duration, human, kib, percent } from './format.js';
import { escapeForTerminal as esc } from './escape.js';
import { table } from './table.js';
import { describeFinding } from './findings.js';
import { rowsWithGaps } from './rows.js';
import { ceilingPhrase } from './ceiling.js';
import { renderBoardText } from './board-text.js';
import { describeOrigin } from './target-origin.js';

export interface ShowTextOptions {
  paint: Paint;
  /** Show at most this many owners in the by-owner totals. */
  topOwners?: number;
  /** `address` (default): the map in order with its free gaps; else largest first, gaps left out. */
  sort?: ShowSort;
}

export type ShowSort = 'address' | 'size' | 'rss' | 'pss' | 'uss';

export function renderShowText(report: SnapshotReport, opts: ShowTextOptions): string {
  const { meta } = report;
  const head = [
    `snapshot ${meta.name}  target ${esc(meta.target)}  captured ${meta.capturedAt} via ${meta.via}` +
      (report.uptime !== null ? `  board uptime ${duration(report.uptime)}` : ''),
  ];
  if (meta.targetOrigin) {
    const o = meta.targetOrigin;
    head.push(`target ${esc(meta.target)} from the ${esc(describeOrigin(o))}${o.shadowed ? `; not used, of the same name: ${o.shadowed.map(esc).join(', ')}` : ''}`);
  }
  if (report.uname) head.push(esc(report.uname));
  const exit = meta.remoteExit;
  if (exit && exit.code !== 0) {
    head.push(`warning: the remote shell ended with ${exit.signal ? `signal ${esc(exit.signal)}` : `exit status ${exit.code}`} (the capture itself was complete)`);
  }
  const parts = [head.join('\n') + '\n'];
  if (report.board) parts.push(renderBoardText(report.board, opts.paint));
  for (const p of report.processes) parts.push(processText(p, opts));
  if (report.skipped.length) {
    // without --lenient, only a value an older mapsdiff stored and this one cannot hold exactly is skipped (cli/context)
    const n = report.skipped.length;
    const head = report.meta.lenient ? `--lenient skipped ${n} line(s)` :
      `skipped ${n} line(s) that an older mapsdiff stored with a value above 2^53 and not page-aligned (no kernel prints one; this mapsdiff cannot hold it exactly)`;
    parts.push(`${head}:\n` + report.skipped.map((s) => '  ' + esc(s)).join('\n') + '\n');
  }
  return parts.join('\n');
}

function processText(p: ProcessReport, { paint, topOwners = 12, sort = 'address' }: ShowTextOptions): string {
  const bits = p.wordBits;
  // pid 0: a bare maps file imported without --pid; the kernel never gives a process pid 0
  const title = paint.bold(`pid ${p.pid === 0 ? '?' : p.pid}  ${esc(p.name || '?')}`) +
    `  (${bits}-bit, ${ceilingPhrase(p.ceiling, p.ceilingSource)})` + (p.gone ? '  [exited during capture]' : '');
  const rows: string[][] = [];
  // with smaps: pmap -x / Android showmap's resident columns beside SIZE, in KiB
  const res = p.regionResident;
  const resOf = new Map(res ? p.regions.map((r, i) => [r, res[i] ?? null] as const) : []);
  const resCols = (r: (typeof p.regions)[number] | null): string[] => {
    if (!res) return [];
    const x = r ? resOf.get(r) ?? null : null;
    if (!x) return ['', '', '', ''];
    return [kib(x.rss), x.pss === null ? '-' : kib(x.pss), x.dirty === null ? '-' : kib(x.dirty), kib(x.swap)];
  };
  const measure = (r: (typeof p.regions)[number]): number => {
    if (sort === 'size') return r.end - r.start;
    const x = resOf.get(r);
    return (sort === 'rss' ? x?.rss : sort === 'pss' ? x?.pss : x?.uss) ?? -1;
  };
  const ordered = sort === 'address' ? rowsWithGaps(p)
    : [...p.regions].sort((a, b) => measure(b) - measure(a) || (a.start < b.start ? -1 : 1)).map((region) => ({ gap: null, region }));
  for (const { gap, region: r } of ordered) {
    if (gap) {
      rows.push([addr(gap.start, bits), addr(gap.end, bits), kib(gap.size), ...resCols(null), paint.dim('free'), '', paint.dim('NOT USED')]);
      continue;
    }
    const label = r.path ? (r.deleted ? `${r.path} (deleted)` : r.path) : r.owner;
    rows.push([addr(r.start, bits), addr(r.end, bits), kib(r.end - r.start), ...resCols(r), paint.kind(r.kind), r.perms, esc(label)]);
  }
  const right = { align: 'right' as const };
  const resHeads = res ? [{ header: 'RSS', ...right }, { header: 'PSS', ...right }, { header: 'DIRTY', ...right }, { header: 'SWAP', ...right }] : [];
  const out = [title, table(
    [{ header: 'START' }, { header: 'END' }, { header: 'SIZE', ...right }, ...resHeads, { header: 'KIND' }, { header: 'PERM' }, { header: 'OWNER / FILE' }],
    rows,
  )];
  const kinds = Object.entries(p.totals.byKind).sort((a, b) => b[1]! - a[1]!);
  out.push(`user memory ${human(p.totals.mapped)}` + (p.totals.kernel ? ` (the kernel's pages, ${human(p.totals.kernel)}, left out)` : '') + ' by kind: ' + kinds.map(([k, v]) => `${paint.kind(k)} ${human(v!)}`).join(', '));
  const owners = Object.entries(p.totals.byOwner).sort((a, b) => b[1] - a[1]);
  out.push(`by owner: ` + owners.slice(0, topOwners).map(([o, v]) => `${esc(o)} ${human(v)}`).join(', ') +
    (owners.length > topOwners ? `, and ${owners.length - topOwners} more` : ''));
  if (res) {
    const byKind = new Map<string, number>();
    const byOwner = new Map<string, number>();
    p.regions.forEach((r, i) => {
      const x = res[i];
      if (!x || r.kind === 'kernel') return;
      byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + x.rss);
      byOwner.set(r.owner, (byOwner.get(r.owner) ?? 0) + x.rss);
    });
    const top = (m: Map<string, number>, n: number) => [...m].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, n);
    out.push('resident (RSS) by kind: ' + top(byKind, 99).map(([k, v]) => `${paint.kind(k)} ${human(v)}`).join(', '));
    out.push('resident (RSS) by owner: ' + top(byOwner, topOwners).map(([o, v]) => `${esc(o)} ${human(v)}`).join(', '));
  }
  const lg = p.free.largest;
  out.push(`VSZ ${human(p.totals.vsz)}` + (p.rss !== null ? `, RSS ${human(p.rss)}` : '') + (p.pss !== null ? `, PSS ${human(p.pss)}` : '') +
    (p.resident ? (p.resident.uss !== null ? `, USS ${human(p.resident.uss)}` : '') + `, swap ${human(p.resident.swap)} (from ${p.resident.source})` : '') +
    `; free ${human(p.free.total)} in ${p.free.gaps.length} gap(s)` +
    (lg ? `, largest ${human(lg.size)} at ${addr(lg.start, bits)}-${addr(lg.end, bits)}` : ''));
  const st = p.stack;
  out.push(`stack ${human(st.size)}` + (st.limit !== null ? ` of ${human(st.limit)} limit (${percent(st.size, st.limit)}, from ${st.limitSource})`
      : st.limitSource !== null ? ` (limit unlimited, from ${st.limitSource})` : ' (limit unknown: no limits or ulimit -s captured)') +
    `; thread stacks: ${p.threadStacks}`);
  if (p.missing.length) out.push(`not on this board: ${p.missing.join(', ')}`);
  if (p.denied.length) out.push(paint.warn('not readable by the capturing user: ') + `${p.denied.join(', ')} (capture as root, or as the process's owner)`);
  for (const f of p.findings) out.push(paint.warn('warning: ') + describeFinding(f));
  return out.join('\n') + '\n';
}
