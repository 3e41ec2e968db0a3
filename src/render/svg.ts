/*! One process's address space as an SVG strip: from 0 down to the ceiling, each region a
 * box colored by kind and each free gap a dashed box, heights on strip-scale's log scale,
 * wrapped into columns so a whole process fits a screen; with smaps, each box shaded over
 * its resident share (Rss / size) from the bottom, and the legend says which. `--svg` writes it standalone
 * (title, legend, native tooltips); the HTML page inlines it. Pure. */
import type { ProcessLayout } from '../model/layout.js';
import type { Resident, SnapshotReport } from '../model/report.js';
import { escapeXml as x } from './escape.js';
import { human } from './format.js';
import { rowsWithGaps } from './rows.js';
import { ceilingReason } from './ceiling.js';
import { boxHeight, fitFlow, SCALE_NOTE } from './strip-scale.js';
import { AddressLane, addrLaneWidth, box, hexDigits, legend, regionLabel, runKey, runLabels, svgStyle } from './svg-parts.js';

export interface StripOptions {
  /** Columns side by side before a further band starts below (default: as many as fit 1320 px, a laptop screen). */
  maxColumns?: number;
  /** A picture on its own (--svg): stylesheet, title, legend and a <title> per box. */
  standalone?: boolean;
  /** Heading of a standalone picture. */
  title?: string;
}

export const BOX_W = 130;
export const COL_GAP = 22;
const BAND_GAP = 26;
/** Width the strip should fit without scrolling sideways. */
export const SCREEN_W = 1320;

/** The sentence every strip's legend carries about resident memory: what the shade means, or why there is none. */
export function residentNote(p: { regionResident?: Array<Resident | null> | null }): string {
  return p.regionResident
    ? 'the dark lower part of each box is its resident share (smaps Rss / size)'
    : 'resident memory is not drawn: smaps was not captured (capture with --smaps)';
}

export function renderStripSvg(p: ProcessLayout & { regionResident?: Array<Resident | null> | null }, opts: StripOptions = {}): string {
  const bits = p.wordBits;
  const resident = p.regionResident ? new Map(p.regions.map((r, j) => [r, p.regionResident![j]?.rss ?? 0])) : null;
  const rows = [...rowsWithGaps(p)];
  const heights = rows.map((r) => boxHeight(r.gap ? r.gap.size : r.region.end - r.region.start));
  const lane = addrLaneWidth(bits);
  const colW = lane + BOX_W + COL_GAP;
  const f = fitFlow(heights, opts.maxColumns ?? Math.floor(SCREEN_W / colW));
  const head = opts.standalone ? 44 : 0;
  const w = opts.standalone ? BOX_W : undefined;
  const cols: { parts: string[]; lane: AddressLane; runs: Parameters<typeof runLabels>[0] }[] = [];
  rows.forEach((row, i) => {
    const at = f.placed[i]!;
    const col = (cols[at.col] ??= { parts: [], lane: new AddressLane(-4), runs: [] });
    const y = at.y;
    const h = heights[i]!;
    const first = f.firstOf[at.col] === i;
    if (row.gap) {
      const g = row.gap;
      col.lane.add(y, h, hexDigits(g.start, bits), first);
      col.runs.push({ key: null, h, size: 0, col: at.col, x: 0, y, w: BOX_W });
      col.parts.push(box({
        x: 0, y, w, labelW: BOX_W, h, kind: 'free', start: g.start.toString(16), attrs: ` data-end="${g.end.toString(16)}"`, label: `${human(g.size)} free`,
        title: opts.standalone ? `${hexDigits(g.start, bits)}-${hexDigits(g.end, bits)} free (not mapped) ${human(g.size)}` : undefined,
      }));
      return;
    }
    const r = row.region;
    const size = r.end - r.start;
    col.lane.add(y, h, hexDigits(r.start, bits), first);
    col.runs.push({ key: runKey(r.kind, r.path, r.owner), h, size, col: at.col, x: 0, y, w: BOX_W });
    const rss = resident?.get(r);
    col.parts.push(box({
      x: 0, y, w, labelW: BOX_W, h, kind: r.kind, start: r.start.toString(16), label: regionLabel(r.owner, r.path, size),
      ...(rss !== undefined ? { attrs: ` data-rss="${rss}"` } : {}),
      title: opts.standalone ? `${hexDigits(r.start, bits)}-${hexDigits(r.end, bits)} ${r.perms} ${r.path}${r.deleted ? ' (deleted)' : ''} — ${r.kind}, ${r.owner}, ${human(size)}` +
        (rss !== undefined ? `, resident ${human(rss)}` : '') : undefined,
    }));
    if (rss) col.parts.push(residentShade(y, h, Math.min(1, rss / Math.max(size, 1))));
  });
  const body = cols.map((c, k) => {
    const gx = (k % f.perBand) * colW + lane;
    const gy = head + Math.floor(k / f.perBand) * (f.columnHeight + BAND_GAP) + 10;
    return `<g transform="translate(${gx} ${gy})">${c.parts.join('')}${c.lane}${runLabels(c.runs)}</g>`;
  }).join('');
  const width = f.perBand * colW;
  const height = head + f.bands * (f.columnHeight + BAND_GAP) + 10;
  if (!opts.standalone) {
    return `<svg xmlns="http://www.w3.org/2000/svg" class="strip" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${body}</svg>`;
  }
  const lg = legend(0, height + 4, Math.max(width, 480), p.totals.byKind);
  const fullH = height + lg.height + 24;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${fullH}" viewBox="0 0 ${width} ${fullH}">` +
    `<style>${svgStyle()}</style><rect width="100%" height="100%" fill="#fff"/>` +
    `<text class="h" x="0" y="14">${x(opts.title ?? `pid ${p.pid} ${p.name}`)}</text>` +
    `<text x="0" y="30">${x(`0x0 to 0x${p.ceiling.toString(16)} (${ceilingReason(p.ceilingSource)}), top to bottom, column by column; mapped ${human(p.totals.mapped)}, free ${human(p.free.total)}`)}</text>` +
    `<text x="0" y="42" data-legend="resident">${x(residentNote(p))}</text>` +
    body + lg.svg + `<text x="0" y="${height + lg.height + 16}">${x(SCALE_NOTE)}</text></svg>\n`;
}

/** A box's resident share as a shade over its lower part, `share` of its height (the box keeps the pointer). */
function residentShade(y: number, h: number, share: number): string {
  const rh = Math.max(0.5, Math.round(h * share * 10) / 10);
  return `<rect class="res" y="${Math.round((y + h - rh) * 10) / 10}" width="${BOX_W}" height="${rh}" fill="#000" fill-opacity=".28" pointer-events="none"/>`;
}

/** `--svg`: the first process of a snapshot (or the one asked for) as one picture. */
export function renderSnapshotSvg(report: SnapshotReport, pid?: number): string {
  const p = pid === undefined ? report.processes[0] : report.processes.find((q) => q.pid === pid);
  if (!p) return '';
  return renderStripSvg(p, { standalone: true, title: `${report.meta.name}  ${report.meta.target}  pid ${p.pid} ${p.name}  (${report.meta.capturedAt})` });
}
