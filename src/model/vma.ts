/*! One line of /proc/PID/maps, and the classified region built from it.
 * Types only: no behaviour lives here. Addresses and offsets are bigint so that
 * 64-bit captures stay exact (no float rounding above 2^53). */

/** The region kinds of DESIGN.md ("What a region is"). */
export const KINDS = [
  'code', 'rodata', 'data', 'bss', 'heap', 'stack', 'thread-stack',
  'arena', 'guard', 'anon', 'shared', 'kernel',
] as const;
export type Kind = (typeof KINDS)[number];

/** A VMA exactly as the kernel printed it. */
export interface Vma {
  start: bigint;
  end: bigint;
  /** Four characters, e.g. `r-xp`. */
  perms: string;
  offset: bigint;
  /** `major:minor` as printed (hex), e.g. `b3:01`, `103:05`. */
  dev: string;
  inode: number;
  /** The pathname column without the ` (deleted)` suffix; '' when anonymous. */
  path: string;
  /** The pathname ended in ` (deleted)`. */
  deleted: boolean;
  /** 1-based line number in the maps text it came from. */
  line: number;
}

/** A VMA with its kind and owner (see analyze/classify). */
export interface Region extends Vma {
  kind: Kind;
  /** The object file for code/rodata/data/bss, `[heap]`, `[stack]`, `thread stack TID` or `thread stack 0xSTART`, `anon`, ... */
  owner: string;
}
