/*! What a `watch` line leads with: the growth that ranks first in a comparison (analyze/growth). Types only. */
import type { Measure } from './compare.js';

export interface Growth {
  /** The region's growth in `regionMeasure`; 0 when none of the process's regions grew in it. */
  delta: number;
  /** The region's kind; '' when none grew. */
  kind: string;
  /** The region's path, else its owner; '' when none grew. */
  region: string;
  status: string;
  process: string;
  pid: number | null;
  /** What ranks (compare's default: RSS when every process compared has it in both captures, else
   * VSZ; or --by): `vsz` names the region that grew most in size, a resident measure the process
   * that grew most in it. */
  measure: Measure;
  /** The process's growth in `measure` (for vsz: VSZ or usable memory, whichever grew more). */
  processDelta: number;
  /** What the region's `delta` is in: its size (`vsz`), or its resident measure when its smaps
   * was captured on both sides. */
  regionMeasure: Measure;
}
