/*! What analyze/diff says about two captures of one process: which VMAs were matched,
 * each region's status, sides and delta, and totals by kind and owner. Types only.
 * Sizes are byte counts (numbers); addresses are exact numbers as in model/vma. */
import type { Kind, Region } from './vma.js';
import type { RegionResident } from './compare.js';

/** Every region ends up as one of these (DESIGN.md "Matching regions between two captures"). */
export type DiffStatus = 'grown' | 'shrunk' | 'new' | 'gone' | 'same';

/**
 * What else happened to a region, beyond its size:
 * - `merged`: several VMAs before became fewer after (the kernel joined adjacent ones);
 * - `split`: one VMA (or fewer) before became more after (mprotect/munmap in the middle);
 * - `reshaped`: as many VMAs on both sides, but their boundaries moved;
 * - `replaced`: same path, different (dev, inode): the file was replaced and re-mapped;
 * - `moved`: the region is elsewhere (disjoint ranges, or same size at another start).
 */
export type DiffNote = 'merged' | 'split' | 'reshaped' | 'replaced' | 'moved';

/** One side (before or after) of a region: the VMAs of that capture that belong to it. */
export interface RegionSide {
  /** Lowest start and highest end of its VMAs. */
  start: number;
  end: number;
  /** Sum of its VMA sizes (not end - start: another region may sit between split parts). */
  size: number;
  /** How many VMAs (maps lines) it spans: regions.length. */
  count: number;
  /** perms, kind, owner, path, dev, inode and deleted of its largest VMA. */
  perms: string;
  kind: Kind;
  owner: string;
  path: string;
  dev: string;
  inode: number;
  deleted: boolean;
  /** The maps line numbers of its VMAs, in address order (Vma.line). */
  lines: number[];
  /** Its VMAs themselves, in address order (offsets and the rest). */
  regions: Region[];
}

export interface RegionDiff {
  status: DiffStatus;
  note?: DiffNote;
  /** Of the after side, or of the before side when the region is gone. */
  kind: Kind;
  owner: string;
  path: string;
  before: RegionSide | null;
  after: RegionSide | null;
  /** after.size - before.size (a missing side counts 0). */
  delta: number;
  /** From the regions' smaps blocks, when both captures of the process had smaps (compare). */
  resident?: RegionResident;
}

export interface SizeDelta {
  before: number;
  after: number;
  delta: number;
}

/** What matchProcesses needs to know about one process of a capture. */
export interface ProcessRef {
  pid: number;
  /** comm; '' when unknown. */
  name: string;
  /** /proc/PID/stat field 22; null when stat was not captured. */
  startTime: number | null;
  /** Where exec placed the process (analyze/match-processes `landmarks`): the top of `[stack]`
   * and the start of its lowest file mapping (the executable). ASLR draws both anew at every
   * exec, so without a start time a moved one means another process. */
  landmarks?: Landmarks;
}

export interface Landmarks {
  stackTop: number | null;
  exe: { path: string; start: number } | null;
}

/** A process of capture A paired with one of capture B; either side null = gone / new. */
export interface ProcessMatch {
  before: ProcessRef | null;
  after: ProcessRef | null;
  /** The pair spans a restart (other start time or pid, or the board rebooted): two different processes. */
  restarted: boolean;
}

export interface ProcessDiff {
  pid: { before: number | null; after: number | null };
  /** The after name, or the before name when the process is gone. */
  name: string;
  restarted: boolean;
  /** Every region, unchanged ones included, in address order. */
  regions: RegionDiff[];
  /**
   * Indices into `regions`, ascending, of every region but those of one VMA printed alike in
   * both captures (analyze/diff sets it): those others are `same`, note-less, of delta 0, so a
   * reader after changed sizes only (no --all, no smaps) reads these, not 100k regions.
   * Absent: read `regions`.
   */
  changedAt?: number[];
  /**
   * Totals counted from the VMAs of the sides of `regions`: for every key, before + delta =
   * after, each capture's sum over its own VMAs of that kind or owner. A side spanning VMAs of several kinds is split across them, each VMA under
   * its own kind and owner, so these equal show's totals of each capture.
   */
  byKind: Partial<Record<Kind, SizeDelta>>;
  byOwner: Record<string, SizeDelta>;
  total: SizeDelta;
  /** VMAs of kind thread-stack. */
  threadStacks: { before: number; after: number };
  /** Maps lines. */
  vmas: { before: number; after: number };
}
