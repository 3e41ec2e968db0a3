/*! One line of /proc/PID/maps, and the classified region built from it.
 * Types only: no behaviour lives here. Addresses and offsets are plain numbers, and exact:
 * the kernel prints VMA bounds and offsets page-aligned (show_map_vma in fs/proc/task_mmu.c
 * prints vm_start, vm_end and vm_pgoff << PAGE_SHIFT), and a multiple of 4096 below 2^64 has
 * at most 52 significant bits, which a double holds exactly (`[vsyscall]` at
 * 0xffffffffff600000 included). parse/maps refuses a value a double cannot hold (only possible
 * above 2^53 and not page-aligned: a hand-edited file). See docs/address-space.md. */

/** The region kinds of DESIGN.md ("What a region is"). */
export const KINDS = [
  'code', 'rodata', 'data', 'bss', 'heap', 'stack', 'thread-stack',
  'arena', 'guard', 'anon', 'shared', 'kernel',
] as const;
export type Kind = (typeof KINDS)[number];

/** A VMA exactly as the kernel printed it. */
export interface Vma {
  start: number;
  end: number;
  /** Four characters, e.g. `r-xp`. */
  perms: string;
  offset: number;
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
