/*! The seed's listing order: every region and every free gap ("NOT USED") by address.
 * Shared by the text table and the CSV so both list exactly the same rows. */
import type { Gap, ProcessLayout } from '../model/layout.js';
import type { Region } from '../model/vma.js';

export type Row = { gap: Gap; region?: undefined } | { region: Region; gap?: undefined };

export function* rowsWithGaps(p: ProcessLayout): Generator<Row> {
  const gaps = p.free.gaps;
  let g = 0;
  for (const region of p.regions) {
    while (g < gaps.length && gaps[g]!.start < region.start) yield { gap: gaps[g++]! };
    yield { region };
  }
  while (g < gaps.length) yield { gap: gaps[g++]! };
}
