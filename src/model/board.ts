/*! What `show` says about the board as a whole (issue 12): meminfo in bytes, MemAvailable
 * (or its estimate), the accounting of MemTotal, tmpfs, slab, buddyinfo, fds. Types only. */
import type { BuddyZone, FileNr, SlabCache, TmpfsMount } from './capture.js';

export interface BoardBucket {
  name: string;
  bytes: number;
}

export interface BoardAccounting {
  memTotal: number;
  buckets: BoardBucket[];
  /** MemTotal minus every bucket: memory drivers took directly (or the sum's error). */
  remainder: number;
  /** False when a bucket was missing or the buckets overlap (remainder below zero). */
  trusted: boolean;
  notes: string[];
}

export interface BoardProcess {
  pid: number;
  name: string;
  fds: number | null;
  /** Max open files, soft; null = unlimited or not captured. */
  fdLimit: number | null;
  maps: number;
  pss: number | null;
}

export interface BoardReport {
  /** Every meminfo key; kB values as bytes, unit-less ones (HugePages_Total) as printed. */
  meminfo: Record<string, number>;
  available: { bytes: number; estimated: boolean } | null;
  accounting: BoardAccounting | null;
  tmpfs: TmpfsMount[];
  /** The largest slab caches by bytes, largest first. */
  slabTop: SlabCache[];
  slabCaches: number;
  /** Every slab cache (trend follows each one). */
  allSlab?: SlabCache[];
  buddy: BuddyZone[];
  /** Highest order with a free block in any zone; null without buddyinfo. */
  highestFreeOrder: number | null;
  fileNr: FileNr | null;
  maxMapCount: number | null;
  processes: BoardProcess[];
  denied: string[];
  missing: string[];
}
