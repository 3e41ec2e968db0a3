/*! `show NAME --map`: each process's address space as a compact bar of letters, one per
 * cell, colored by kind through paint (plain letters without a TTY or with NO_COLOR),
 * with the start address of each line and a legend with totals. Cells follow the same log
 * scale as the SVG strip, so small regions are not lost next to a 1 GiB gap. Pure. */
import type { ProcessReport, SnapshotReport } from '../model/report.js';
import type { Paint } from './paint.js';
import { escapeForTerminal as esc } from './escape.js';
import { human } from './format.js';
import { KIND_STYLE, STYLE_KINDS, type StyleKind } from './kind-style.js';
import { rowsWithGaps } from './rows.js';
import { ceilingPhrase } from './ceiling.js';
import { BASE_PX, boxHeight, PER_DOUBLING_PX } from './strip-scale.js';
import { hexDigits } from './svg-parts.js';

export interface MapBarOptions {
  paint: Paint;
  /** Cells per line (default 64). */
  width?: number;
  /** Lines per process (default 4). */
  lines?: number;
}

export function renderMapBar(report: SnapshotReport, opts: MapBarOptions): string {
  const head = `snapshot ${report.meta.name}  target ${esc(report.meta.target)}  captured ${report.meta.capturedAt}\n` +
    `one letter per cell, address order, left to right and down; log scale: each VMA or gap weighs ${BASE_PX} + ${PER_DOUBLING_PX} per doubling above 4 KiB\n`;
  return [head, ...report.processes.map((p) => processBar(p, opts))].join('\n');
}

/** For each cell the kind that covers most of it, and the address each line starts at. */
export function barCells(p: ProcessReport, cells: number, perLine: number): { kinds: StyleKind[]; lineStarts: number[] } {
  const rows = [...rowsWithGaps(p)];
  const items = rows.map((r) => (r.gap
    ? { kind: 'free' as StyleKind, start: r.gap.start, w: boxHeight(r.gap.size) }
    : { kind: r.region.kind as StyleKind, start: r.region.start, w: boxHeight(r.region.end - r.region.start) }));
  const total = items.reduce((a, it) => a + it.w, 0);
  const per = total / cells;
  const kinds: StyleKind[] = [];
  const lineStarts: number[] = [];
  let k = 0;
  let pos = 0; // weight consumed before items[k]
  for (let c = 0; c < cells && items.length; c++) {
    const lo = c * per;
    const hi = lo + per;
    while (k < items.length - 1 && pos + items[k]!.w <= lo) pos += items[k++]!.w;
    if (c % perLine === 0) lineStarts.push(items[k]!.start);
    const share = new Map<StyleKind, number>();
    let best: StyleKind = items[k]!.kind;
    let bestW = -1;
    for (let j = k, at = pos; j < items.length && at < hi; at += items[j]!.w, j++) {
      const w = Math.min(hi, at + items[j]!.w) - Math.max(lo, at);
      const sum = (share.get(items[j]!.kind) ?? 0) + w;
      share.set(items[j]!.kind, sum);
      if (sum > bestW) [best, bestW] = [items[j]!.kind, sum];
    }
    kinds.push(best);
  }
  return { kinds, lineStarts };
}

function processBar(p: ProcessReport, { paint, width = 64, lines = 4 }: MapBarOptions): string {
  const { kinds, lineStarts } = barCells(p, width * lines, width);
  const out = [paint.bold(`pid ${p.pid}  ${esc(p.name || '?')}`) + `  ${ceilingPhrase(p.ceiling, p.ceilingSource)}, ${p.regions.length} VMAs, ${p.free.gaps.length} gaps`];
  for (let l = 0; l * width < kinds.length; l++) {
    const cells = runs(kinds.slice(l * width, (l + 1) * width)).map(([k, n]) => paint.kindAs(k, KIND_STYLE[k].letter.repeat(n))).join('');
    out.push(`${hexDigits(lineStarts[l]!, p.wordBits)} ${cells}`);
  }
  const sizes: Partial<Record<StyleKind, number>> = { ...p.totals.byKind, free: p.free.total };
  const seen = new Set(kinds);
  const keys = STYLE_KINDS.filter((k) => (sizes[k] ?? 0) > 0 || seen.has(k))
    .map((k) => `${paint.kindAs(k, KIND_STYLE[k].letter)} ${k}` + (sizes[k] ? ` ${human(sizes[k]!)}` : ''));
  for (let i = 0; i < keys.length; i += 5) out.push((i === 0 ? 'legend: ' : '        ') + keys.slice(i, i + 5).join('   '));
  return out.join('\n') + '\n';
}

/** Cells of one kind in a row are colored once. */
function runs(kinds: StyleKind[]): [StyleKind, number][] {
  const out: [StyleKind, number][] = [];
  for (const k of kinds) {
    const last = out[out.length - 1];
    if (last && last[0] === k) last[1]++;
    else out.push([k, 1]);
  }
  return out;
}
