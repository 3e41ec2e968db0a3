/*! The scale of every address-space picture: a box's height grows with the logarithm of
 * its size, so a 4 KiB page and a 1 GiB gap are both visible; and the flow that wraps a
 * tall strip into side-by-side columns. Pure geometry: no markup, no colors. */

/** Height of a box of the smallest size (one 4 KiB page or less). */
export const BASE_PX = 3;
/** Extra height for each doubling of size above 4 KiB. */
export const PER_DOUBLING_PX = 1.5;
const PAGE = 4096;

/** Height in px of a box for `bytes`: 4 KiB -> 3, 1 MiB -> 15, 1 GiB -> 30, 128 TiB -> 55.5. */
export function boxHeight(bytes: number): number {
  const doublings = bytes > PAGE ? Math.log2(bytes / PAGE) : 0;
  return Math.round((BASE_PX + PER_DOUBLING_PX * doublings) * 2) / 2;
}

/** The scale said in words, for legends. */
export const SCALE_NOTE =
  `log scale: box height = ${BASE_PX} px + ${PER_DOUBLING_PX} px per doubling above 4 KiB ` +
  `(4 KiB = ${boxHeight(4096)} px, 1 MiB = ${boxHeight(1 << 20)} px, 1 GiB = ${boxHeight(2 ** 30)} px); positions are in address order, not to scale`;

export interface Placed {
  /** Column index, left to right across bands. */
  col: number;
  /** Band (row of columns) index, top to bottom. */
  band: number;
  /** Top of the box inside its column, px from the column top. */
  y: number;
}

export interface Flow {
  placed: Placed[];
  /** How many columns in total, and per band at most. */
  columns: number;
  perBand: number;
  /** Height of the tallest column (every band is this tall). */
  columnHeight: number;
  bands: number;
  /** Index of the first item in each column. */
  firstOf: number[];
}

/**
 * Wraps items (in address order) into columns at most `maxColumnPx` tall, `perBand`
 * columns side by side, further bands below. An item is never split across columns.
 */
export function flow(heights: readonly number[], maxColumnPx: number, perBand: number): Flow {
  const placed: Placed[] = [];
  const firstOf: number[] = [];
  let col = -1;
  let y = maxColumnPx + 1;
  let tallest = 0;
  heights.forEach((h, i) => {
    if (y + h > maxColumnPx && y > 0) {
      col++;
      y = 0;
      firstOf.push(i);
    }
    placed.push({ col, band: Math.floor(col / perBand), y });
    y += h;
    if (y > tallest) tallest = y;
  });
  const columns = col + 1;
  return { placed, columns, perBand: Math.min(perBand, Math.max(columns, 1)), columnHeight: tallest, bands: Math.ceil(columns / perBand), firstOf };
}

/**
 * Flows `heights` into at most `perBand` columns when that fits under `maxColumnPx`
 * (a screen), else into columns that tall over several bands. Never less than `minColumnPx`.
 */
export function fitFlow(heights: readonly number[], perBand: number, minColumnPx = 420, maxColumnPx = 1000): Flow {
  const total = heights.reduce((a, b) => a + b, 0);
  let target = Math.max(minColumnPx, Math.ceil(total / perBand));
  if (target >= maxColumnPx) return flow(heights, maxColumnPx, perBand);
  for (;;) {
    const f = flow(heights, target, perBand);
    if (f.columns <= perBand || target >= maxColumnPx) return f;
    target = Math.min(maxColumnPx, Math.ceil(target * 1.04));
  }
}
