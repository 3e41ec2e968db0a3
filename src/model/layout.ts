/*! What analyze/ says about one process's address space. Types only.
 * Addresses are bigint (exact); sizes are byte counts as numbers (< 2^53 on every arch). */
import type { Kind, Region } from './vma.js';

export interface Gap {
  start: bigint;
  end: bigint;
  size: number;
}

/** Findings are data; render/ turns them into sentences. */
export type Finding =
  | { code: 'above-ceiling'; ceiling: bigint; count: number; highest: bigint }
  | { code: 'no-maps'; pid: number }
  | { code: 'process-gone'; pid: number }
  /** The dump was visibly cut (no `[stack]` line) or filtered (every line has the same perms). */
  | { code: 'partial'; reason: 'no-stack' | 'one-perms'; perms: string | null; lines: number }
  | { code: 'stack-near-limit'; size: number; limit: number };

export interface Totals {
  /** VSZ: every user VMA (kernel pages such as [vectors] excluded). */
  mapped: number;
  byKind: Partial<Record<Kind, number>>;
  byOwner: Record<string, number>;
}

export interface ProcessLayout {
  pid: number;
  name: string;
  /** Top of user space used for gaps and warnings. */
  ceiling: bigint;
  wordBits: 32 | 64;
  regions: Region[];
  totals: Totals;
  free: { total: number; largest: Gap | null; gaps: Gap[] };
  stack: {
    /** Size of the [stack] VMA (0 when there is none). */
    size: number;
    /** RLIMIT_STACK soft limit in bytes; null when unlimited or unknown. */
    limit: number | null;
    limitSource: 'limits' | 'ulimit -s' | null;
  };
  threadStacks: number;
  findings: Finding[];
}
