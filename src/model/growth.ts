/*! The single region that grew most in a comparison (what each `watch` line leads with). Types only. */

export interface Growth {
  delta: number;
  kind: string;
  /** The region's path, else its owner. */
  region: string;
  status: string;
  process: string;
  pid: number | null;
}
