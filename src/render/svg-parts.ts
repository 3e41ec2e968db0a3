/*! The pieces every address-space picture is drawn with: a box for a region or a free
 * gap (with its data attributes), labels that fit, address labels that do not overlap,
 * the stylesheet and the legend. Returns SVG markup; knows no layout or report. */
import { escapeXml as x } from './escape.js';
import { human } from './format.js';
import { KIND_STYLE, STYLE_KINDS, type StyleKind } from './kind-style.js';

/** Width of one address label in px, for 8 or 12+ hex digits. */
export const addrLaneWidth = (bits: 32 | 64): number => (bits === 64 ? 80 : 58);

export const hexDigits = (v: bigint, bits: 32 | 64): string => v.toString(16).padStart(bits === 64 ? 12 : 8, '0');

/** The stylesheet both the page and a standalone picture use: one rule per kind. */
export function svgStyle(): string {
  const kinds = STYLE_KINDS.map((k) => `.k-${k}{fill:${KIND_STYLE[k].fill}}`).join('');
  return kinds +
    'rect.r{stroke:#fff;stroke-width:.6}rect.k-free{stroke:#b9b9b9;stroke-dasharray:2 2;stroke-width:.8}' +
    'text{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:9.5px;pointer-events:none}' +
    'text.a{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,monospace;font-size:9px;fill:#666;text-anchor:end}' +
    'text.h{font-size:11px;font-weight:600;fill:#333}' +
    '.st-grown,.st-new{stroke:#c00;stroke-width:1.6}.st-shrunk{stroke:#1a7f37;stroke-width:1.6}' +
    '.st-gone{fill-opacity:.35;stroke:#c00;stroke-dasharray:3 2;stroke-width:1.2}.st-same{fill-opacity:.55}' +
    'text.d{font-size:9px;font-weight:600}text.d.up{fill:#c00}text.d.down{fill:#1a7f37}';
}

export interface BoxSpec {
  x: number;
  y: number;
  w: number;
  h: number;
  kind: StyleKind;
  /** data-start, hex without 0x. */
  start: string;
  /** More attributes, already escaped (e.g. ` data-i="3"`). */
  attrs?: string;
  /** Extra classes. */
  cls?: string;
  /** Words shown inside when the box is tall enough (escaped here). */
  label?: string;
  /** A native tooltip (standalone pictures only; escaped here). */
  title?: string;
}

/** One region or gap. Tall boxes get their label inside, cut to the width. */
export function box(b: BoxSpec): string {
  const cls = `r k-${b.kind}${b.cls ? ' ' + b.cls : ''}`;
  const h = Math.max(b.h - 0.4, 1);
  const head = `<rect class="${cls}" x="${b.x}" y="${b.y}" width="${b.w}" height="${h}" data-kind="${b.kind}" data-start="${b.start}"${b.attrs ?? ''}`;
  const rect = b.title ? `${head}><title>${x(b.title)}</title></rect>` : `${head}/>`;
  if (!b.label || b.h < 10) return rect;
  const fits = Math.floor((b.w - 6) / 5.3);
  const text = b.label.length > fits ? b.label.slice(0, Math.max(fits - 1, 1)) + '…' : b.label;
  return rect + `<text x="${b.x + 3}" y="${b.y + b.h / 2 + 3.3}" fill="${KIND_STYLE[b.kind].text}">${x(text)}</text>`;
}

/** Short words for a region: the file's base name, [heap], anon, ... and its size. */
export function regionLabel(owner: string, path: string, size: number): string {
  const name = path.startsWith('/') ? path.slice(path.lastIndexOf('/') + 1) : path || owner;
  return `${name} ${human(size)}`;
}

/** Address labels down the left of a column, skipping any that would overlap the one above. */
export class AddressLane {
  private lastY = -Infinity;
  private readonly parts: string[] = [];
  constructor(private readonly x: number) {}
  add(y: number, h: number, text: string, force = false): void {
    if (!force && (h < 7 || y < this.lastY + 10)) return;
    this.parts.push(`<text class="a" x="${this.x}" y="${y + 7.5}">${text}</text>`);
    this.lastY = y;
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
    parts.push(`<rect class="r k-${k}" x="${xx}" y="${yy}" width="10" height="10"/><text x="${xx + 13}" y="${yy + 8.5}">${x(words)}</text>`);
    xx += w + 8;
  }
  return { svg: parts.join(''), height: yy - y0 + 15 };
}
