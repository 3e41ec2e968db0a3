/*! What analyze/ says about one process's address space. Types only.
 * Addresses are numbers, exact (see model/vma); sizes are byte counts as numbers (< 2^53 on every arch). */
import type { Kind, Region } from './vma.js';

export interface Gap {
  start: number;
  end: number;
  size: number;
}

/** Findings are data; render/ turns them into sentences. */
export type Finding =
  | { code: 'above-ceiling'; ceiling: number; count: number; highest: number }
  /** A setting (--ceiling, the target's "ceiling") below a user region: the ceiling was raised to `used`. */
  | { code: 'ceiling-raised'; setting: number; used: number; highest: number }
  /** status's VmSize differs from the VSZ summed from maps (the two were read a moment apart). */
  | { code: 'vsz-mismatch'; computed: number; vmSize: number }
  | { code: 'no-maps'; pid: number }
  | { code: 'process-gone'; pid: number }
  /** The dump was visibly cut (no `[stack]` line) or filtered (every line has the same perms). */
  | { code: 'partial'; reason: 'no-stack' | 'one-perms'; perms: string | null; lines: number }
  | { code: 'stack-near-limit'; size: number; limit: number };

/** Why the ceiling is what it is (docs/address-space.md). */
export interface CeilingSource {
  /** --ceiling, the target's stored "ceiling", inferred from the capture, or the default with no evidence. */
  from: 'option' | 'target' | 'evidence' | 'default';
  /** What the value is, e.g. `ARM 3G/1G`, `MIPS32 (kuseg)`, `aarch64 39-bit user space`. */
  rule: string;
  /** What proved it: a region (its name and start), or `uname -m` alone. */
  evidence: { region: string; at: number } | { machine: string } | null;
  /** Set when a user region above the ceiling first chosen raised it. */
  raisedFrom?: number;
}

export interface Totals {
  /** User memory: every VMA but the kernel's pages; byKind and byOwner add up to it. */
  mapped: number;
  /** VSZ as the kernel counts it (status VmSize, mm->total_vm): every VMA of the mm, the
   * kernel's [vdso] [vvar] [sigpage] included; only gate areas ([vsyscall], ARM's [vectors]) left out. */
  vsz: number;
  /** The kernel pages inside the mm (vsz - mapped): [vdso], [vvar], [sigpage], ... */
  kernel: number;
  byKind: Partial<Record<Kind, number>>;
  byOwner: Record<string, number>;
}

export interface ProcessLayout {
  pid: number;
  name: string;
  /** Top of user space used for gaps and warnings. */
  ceiling: number;
  ceilingSource: CeilingSource;
  wordBits: 32 | 64;
  regions: Region[];
  totals: Totals;
  /** `aboveHeap`: the gap right above [heap], the only room brk can grow into (null without a heap). */
  free: { total: number; largest: Gap | null; gaps: Gap[]; aboveHeap: Gap | null };
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
