/*! The pieces every address-space picture is drawn with: a box for a region or a free
 * gap (with its data attributes), labels that fit, address labels that do not overlap,
 * the stylesheet and the legend. Returns SVG markup; knows no layout or report. */
import { escapeXml as x } from './escape.js';
import { human } from './format.js';
import { KIND_STYLE, STYLE_KINDS, type StyleKind } from './kind-style.js';

/** Width of one address label in px, for 8 or 12+ hex digits. */
export const addrLaneWidth = (bits: 32 | 64): number => (bits === 64 ? 80 : 58);

export const hexDigits = (v: number, bits: 32 | 64): string => v.toString(16).padStart(bits === 64 ? 12 : 8, '0');

/**
 * The stylesheet both the page and a standalone picture use: boxes are colored by their
 * data-kind, and in the page (`widths`) their widths come from here too, to keep a
 * 20k-VMA report small.
 */
export function svgStyle(widths?: { strip: number; diff: number }): string {
  const kinds = STYLE_KINDS.map((k) => `rect[data-kind="${k}"]{fill:${KIND_STYLE[k].fill}}`).join('');
  const w = widths ? `svg.strip rect[data-kind]{width:${widths.strip}px}svg.diff rect[data-kind]{width:${widths.diff}px}` : '';
  return kinds + w +
    'rect[data-kind]{stroke:#fff;stroke-width:.6}rect[data-kind="free"]{stroke:#b9b9b9;stroke-dasharray:2 2;stroke-width:.8}' +
    'text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:9.5px;pointer-events:none}' +
    'text.a{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:9px;fill:#666;text-anchor:end}' +
    'text.h{font-size:11px;font-weight:600;fill:#333}' +
    'rect[data-side="after"][data-status="grown"],rect[data-status="new"]{stroke:#c00;stroke-width:1.6}rect[data-side="after"][data-status="shrunk"]{stroke:#1a7f37;stroke-width:1.6}' +
    'rect[data-status="gone"]{fill-opacity:.35;stroke:#c00;stroke-dasharray:3 2;stroke-width:1.2}rect[data-d]:not([data-status]){fill-opacity:.55}' +
    'text.d{font-size:9px;font-weight:600}text.d.up{fill:#c00}text.d.down{fill:#1a7f37}';
}

export interface BoxSpec {
  /** Position inside its column group; x 0 is left out of the markup. */
  x: number;
  y: number;
  /** Width, or undefined when the stylesheet sets it (the HTML page). */
  w: number | undefined;
  /** Used to fit the label when `w` is left to the stylesheet. */
  labelW: number;
  h: number;
  kind: StyleKind;
  /** data-start, hex without 0x. */
  start: string;
  /** More attributes, already escaped (e.g. ` data-d="3"`). */
  attrs?: string;
  /** Classes. */
  cls?: string;
  /** Words shown inside when the box is tall enough (escaped here). */
  label?: string;
  /** A native tooltip (standalone pictures only; escaped here). */
  title?: string;
}

/** One region or gap, as small as it can be written. Tall boxes get their label inside, cut to the width. */
export function box(b: BoxSpec): string {
  const head = `<rect${b.cls ? ` class="${b.cls}"` : ''}${b.x ? ` x="${b.x}"` : ''} y="${b.y}"${b.w !== undefined ? ` width="${b.w}"` : ''} height="${b.h}" data-kind="${b.kind}" data-start="${b.start}"${b.attrs ?? ''}`;
  const rect = b.title ? `${head}><title>${x(b.title)}</title></rect>` : `${head}/>`;
  if (!b.label || b.h < 10) return rect;
  const fits = Math.floor((b.labelW - 6) / 5.3);
  const text = b.label.length > fits ? b.label.slice(0, Math.max(fits - 1, 1)) + '…' : b.label;
  return rect + `<text x="${b.x + 3}" y="${b.y + b.h / 2 + 3.3}" fill="${KIND_STYLE[b.kind].text}">${x(text)}</text>`;
}

/** Short words for a region: its size (first, so a cut keeps it) and the file's base name, [heap], anon, ... */
export function regionLabel(owner: string, path: string, size: number): string {
  const of = path || owner;
  return `${human(size)} ${of.startsWith('/') ? of.slice(of.lastIndexOf('/') + 1) : of}`;
}

/** Address labels down the left of a column, skipping any that would overlap the one above. */
export class AddressLane {
  private lastY = -Infinity;
  private readonly parts: string[] = [];
  /** `cls` a: addresses, right-aligned at x; d up / d down: deltas, left-aligned. */
  constructor(private readonly x: number, private readonly cls = 'a') {}
  add(y: number, h: number, text: string, force = false, cls = this.cls): void {
    if (!force && (h < 9 || y < this.lastY + 12)) return;
    const at = Math.max(y, this.lastY + 10); // a forced label moves down rather than overprint
    this.parts.push(`<text class="${cls}" x="${this.x}" y="${at + 7.5}">${text}</text>`);
    this.lastY = at;
  }
  toString(): string {
    return this.parts.join('');
  }
}

/** A row of colored squares with kind names (and sizes when given), `width` px wide, wrapping. */
export function legend(x0: number, y0: number, width: number, sizes: Partial<Record<StyleKind, number>> | null): { svg: string; height: number } {
  const parts: string[] = [];
  let xx = x0;
  let yy = y0;
  for (const k of STYLE_KINDS) {
    if (sizes && sizes[k] === undefined) continue;
    const words = KIND_STYLE[k].label + (sizes ? ' ' + human(sizes[k]!) : '');
    const w = 16 + words.length * 5.6;
    if (xx + w > x0 + width && xx > x0) {
      xx = x0;
      yy += 15;
    }
    parts.push(`<rect x="${xx}" y="${yy}" width="10" height="10" fill="${KIND_STYLE[k].fill}" stroke="#999" stroke-width=".5"/><text x="${xx + 13}" y="${yy + 8.5}">${x(words)}</text>`);
    xx += w + 8;
  }
  return { svg: parts.join(''), height: yy - y0 + 15 };
}

/** What a run of small boxes has in common: kind and directory (or owner); null = never part of a run. */
export function runKey(kind: string, path: string, owner: string): string {
  const dir = path.startsWith('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  return `${kind}|${dir.length > 1 ? dir : path.replace(/^\//, '') || owner}`;
}

/**
 * Runs of 4 or more boxes too small for a label, one after another in one column with the
 * same runKey, get one label over them: "177× 3.1 MiB qmlcache/".
 */
export function runLabels(items: { key: string | null; h: number; size: number; col: number; x: number; y: number; w: number }[]): string {
  const out: string[] = [];
  let i = 0;
  while (i < items.length) {
    const it = items[i]!;
    let j = i + 1;
    if (it.key !== null && it.h < 10) {
      while (j < items.length && items[j]!.key === it.key && items[j]!.col === it.col && items[j]!.h < 10) j++;
    }
    const run = items.slice(i, j);
    const height = run.reduce((a, r) => a + r.h, 0);
    if (run.length >= 4 && height >= 12) {
      const [kind, where] = [it.key!.slice(0, it.key!.indexOf('|')), it.key!.slice(it.key!.indexOf('|') + 1)];
      const dir = where.endsWith('/') ? where.slice(where.lastIndexOf('/', where.length - 2) + 1) : where;
      const text = `${run.length}× ${human(run.reduce((a, r) => a + r.size, 0))} ${dir}${where.endsWith('/') ? '' : ' ' + kind}`;
      const w = Math.min(it.w - 8, text.length * 5.4 + 6);
      const y = it.y + height / 2 - 6.5;
      out.push(`<rect x="${it.x + 4}" y="${y}" width="${w}" height="13" rx="2" fill="#fff" fill-opacity=".85" pointer-events="none"/>` +
        `<text x="${it.x + 7}" y="${y + 9.5}">${x(text.length * 5.4 + 6 > w ? text.slice(0, Math.floor((w - 6) / 5.4) - 1) + '…' : text)}</text>`);
    }
    i = j;
  }
  return out.join('');
}
