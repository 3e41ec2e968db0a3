/*! Two captures of one process as one SVG: a row per region (before box left, after box
 * right, each as tall as its own size on the log scale, so growth shows as a taller box),
 * free gaps between, grown/new marked red, shrunk green, gone faded and dashed, and the
 * delta beside. Wrapped into columns like the single strip. Pure. */
import type { ProcessCompare } from '../model/compare.js';
import type { RegionDiff } from '../model/diff.js';
import { human, signed } from './format.js';
import { escapeXml as x } from './escape.js';
import { boxHeight, fitFlow, SCALE_NOTE } from './strip-scale.js';
import { SCREEN_W } from './svg.js';
import { AddressLane, addrLaneWidth, box, hexDigits, regionLabel, svgStyle, type BoxSpec } from './svg-parts.js';

type Row =
  | { gap: { b: number; bEnd: number; a: number; aEnd: number } }
  | { gap?: undefined; d: RegionDiff; i: number };

export const DIFF_BOX_W = 82;
const DELTA_W = 52;
const COL_GAP = 18;
const HEAD = 16;

/** Regions and the gaps on either side between them, in address order. */
export function diffRows(p: ProcessCompare): Row[] {
  const rows: Row[] = [];
  let endB = 0;
  let endA = 0;
  const gapRow = (nb: number, na: number) => {
    const b = nb > endB ? endB : nb;
    const a = na > endA ? endA : na;
    if (nb > endB || na > endA) rows.push({ gap: { b, bEnd: nb > endB ? nb : b, a, aEnd: na > endA ? na : a } });
  };
  p.diff.regions.forEach((d, i) => {
    gapRow(d.before ? d.before.start : endB, d.after ? d.after.start : endA);
    rows.push({ d, i });
    if (d.before && d.before.end > endB) endB = d.before.end;
    if (d.after && d.after.end > endA) endA = d.after.end;
  });
  const top = p.ceiling;
  gapRow(endB < top ? top : endB, endA < top ? top : endA);
  return rows;
}

/** `sec` prefixes the element ids the growers table points at (`ids`: which regions); `standalone` writes box widths (the page's stylesheet sets them). */
export function renderDiffSvg(p: ProcessCompare, sec: string, opts: { maxColumns?: number; standalone?: boolean; ids?: ReadonlySet<number> } = {}): string {
  const { standalone = false, ids } = opts;
  const bits = p.wordBits;
  const rows = diffRows(p);
  const sizes = rows.map((r) => (r.gap ? [r.gap.bEnd - r.gap.b, r.gap.aEnd - r.gap.a] : [r.d.before?.size ?? 0, r.d.after?.size ?? 0]));
  const heights = sizes.map(([b, a]) => boxHeight(Math.max(b!, a!)));
  const lane = addrLaneWidth(bits);
  const colW = lane + 2 * DIFF_BOX_W + 4 + DELTA_W + COL_GAP;
  // the page keeps the growers table (about 450 px) beside the strips
  const f = fitFlow(heights, opts.maxColumns ?? Math.max(1, Math.floor((SCREEN_W - (standalone ? 0 : 450)) / colW)));
  const w = standalone ? DIFF_BOX_W : undefined;
  const xa = DIFF_BOX_W + 4;
  const cols: { parts: string[]; lane: AddressLane; deltas: AddressLane }[] = [];
  rows.forEach((row, k) => {
    const at = f.placed[k]!;
    const col = (cols[at.col] ??= { parts: [], lane: new AddressLane(-4), deltas: new AddressLane(xa + DIFF_BOX_W + 4, 'd') });
    const y = at.y;
    const first = f.firstOf[at.col] === k;
    const [sb, sa] = sizes[k]!;
    const one = (x: number, h: number, kind: BoxSpec['kind'], start: number, attrs: string, label: string) =>
      col.parts.push(box({ x, y, w, labelW: DIFF_BOX_W, h, kind, start: start.toString(16), attrs, label }));
    if (row.gap) {
      const g = row.gap;
      col.lane.add(y, heights[k]!, hexDigits(g.aEnd > g.a ? g.a : g.b, bits), first);
      if (sb! > 0) one(0, boxHeight(sb!), 'free', g.b, ` data-end="${g.bEnd.toString(16)}" data-side="before"`, `${human(sb!)} free`);
      if (sa! > 0) one(xa, boxHeight(sa!), 'free', g.a, ` data-end="${g.aEnd.toString(16)}" data-side="after"`, `${human(sa!)} free`);
      return;
    }
    const { d, i } = row;
    const lead = (d.after ?? d.before)!;
    col.lane.add(y, heights[k]!, hexDigits(lead.start, bits), first);
    // unchanged regions are most of them: no data-status and no id keeps a 20k-VMA page small
    const attrs = (side: string) => ` data-d="${i}" data-side="${side}"${d.status === 'same' ? '' : ` data-status="${d.status}"`}` +
      (ids?.has(i) && side === (d.after ? 'after' : 'before') ? ` id="${sec}-d${i}"` : '');
    if (d.before) one(0, boxHeight(sb!), d.before.kind, d.before.start, attrs('before'), regionLabel(d.owner, d.path, d.before.size));
    if (d.after) one(xa, boxHeight(sa!), d.after.kind, d.after.start, attrs('after'), regionLabel(d.owner, d.path, d.after.size));
    if (d.status !== 'same') {
      const text = d.status === 'new' ? `new ${human(d.delta)}` : d.status === 'gone' ? `gone ${signed(d.delta)}` : signed(d.delta);
      col.deltas.add(y, Math.max(heights[k]!, 9), text, Math.abs(d.delta) >= 1 << 20, d.delta > 0 ? 'd up' : 'd down');
    }
  });
  const body = cols.map((c, k) => {
    const gx = (k % f.perBand) * colW + lane;
    const gy = Math.floor(k / f.perBand) * (f.columnHeight + HEAD + 14) + HEAD;
    return `<g transform="translate(${gx} ${gy})"><text class="h" y="-5">before</text><text class="h" x="${xa}" y="-5">after</text>${c.parts.join('')}${c.lane}${c.deltas}</g>`;
  }).join('');
  const width = f.perBand * colW;
  const height = f.bands * (f.columnHeight + HEAD + 14) + 4;
  return `<svg xmlns="http://www.w3.org/2000/svg" class="strip diff" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
}

/** `report A B --svg`: the process that grew most, before and after, as one picture to paste into a ticket. */
export function renderCompareSvg(p: ProcessCompare, title: string): string {
  const inner = renderDiffSvg(p, 'svg', { standalone: true });
  const [, w, h] = /width="(\d+)" height="([\d.]+)"/.exec(inner)!;
  const width = Math.max(Number(w), 560);
  const height = Number(h) + 64;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><style>${svgStyle()}</style>` +
    `<rect width="100%" height="100%" fill="#fff"/><text class="h" x="0" y="14">${x(title)}</text>` +
    `<text x="0" y="30">${x(`VSZ ${human(p.vsz.before)} -> ${human(p.vsz.after)} (${signed(p.vsz.delta)}); red = grown or new, green = shrunk, faded = gone`)}</text>` +
    `<g transform="translate(0 40)">${inner}</g><text x="0" y="${height - 6}">${x(SCALE_NOTE)}</text></svg>\n`;
}
