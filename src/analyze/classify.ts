/*! Gives every VMA exactly one kind and an owner (DESIGN.md, "What a region is"). Pure and
 * linear: one pass that looks only at the line before and the line after, then one pass
 * that names thread stacks and numbers arenas. No I/O and no strings to show; the only size
 * of the board it takes is the thread stack size (rule 9b), from the caller.
 *
 * Rules, first match wins (v = this VMA, prev/next = the lines around it, in address order):
 *  1. kernel      [vdso] [vvar] [vsyscall] [vectors] [sigpage], and [kuserhelpers] (the ARM
 *                 helper page a 64-bit ARM kernel maps at 0xffff0000 for a 32-bit task,
 *                 arch/arm64/kernel/vdso.c)                                 owner: the name
 *     kernel      MIPS's FPU-emulation page: the kernel maps one anonymous page at STACK_TOP
 *                 for branch-delay-slot emulation (arch/mips/kernel/vdso.c, mips_dsemul; since
 *                 4.8, `rwxp` until 4.20, `r-xp` after). Read as an anonymous private page of
 *                 4-64 KiB, `r-xp` or `rwxp`, above `[stack]` and directly below `[vvar]` or
 *                 `[vdso]` (vdso_base() puts those one page above it)      `[fpu emulation]`
 *  2. heap        [heap] (any perms: or1k shows `---p [heap]` then `rwxp [heap]`)   `[heap]`
 *  3. stack       [stack]                                                   `[stack]`
 *     thread-stack [stack:TID], Android's [anon:stack_and_tls:TID]          `thread stack TID`
 *  4. shared      `s` perms (SYSV shm, shared memfd, shared files, /dev/*)  the path, or `[anon shared]`
 *  5. a file (a path that is not `[...]`):
 *     - /memfd:*, /dev/zero, /dev/ashmem/* privately mapped are anonymous memory with a name
 *       (DESIGN counts JIT as anon): guard if `---p`, else anon            owner: the path
 *     - `---p` guard; `rwx` code when it is the file's first line at offset 0 (no-NX boards),
 *       else data; `r-x` code, except a later `r-x` line directly followed by the same file's
 *       `rwx` data at the next offset, which is relro made executable by READ_IMPLIES_EXEC
 *       (Kindle's ld-2.19.so): rodata; `rw-` data; `r--` rodata          owner: the path
 *  6. anonymous `---p` (or `[anon:NAME]`): guard. Owner, in order: the arena directly below
 *     it (its reserve); the thread stack directly above it (rule 9, or a [stack:TID] line); the
 *     file on both sides of it (uClibc maps a library's hole as an anonymous `---p`); NAME; `anon`.
 *  6b. heap       Android's malloc heaps, `[anon:libc_malloc]` (jemalloc, dlmalloc),
 *                 `[anon:scudo:*]` and `[anon:GWP-ASan*]`: the names bionic's own tests take
 *                 for malloc's memory (tests/malloc_iterate_test.cpp)     owner: NAME
 *  7. arena       anonymous rw-p/rwxp starting on an arenaSize boundary, with an anonymous `---p`
 *                 reserve starting at its end and ending at or below the next boundary  `arena N`;
 *                 also a full arena (no reserve left): exactly arenaSize long on a boundary.
 *                 Never a line directly above a thread-stack guard (rule 9): a small thread
 *                 stack on a boundary, below the next thread's guard, looks like an arena with
 *                 a reserve, but glibc maps a stack with its guard below it and an arena heap never
 *  8. bss         anonymous writable line starting exactly where the line before ends, when that
 *                 line is a file's data, or a file's relro: an `r--p` line of a file already
 *                 seen with code (a data segment all relro, made read-only by the loader:
 *                 uClibc's libdl.so.0 in the EMUX dump). Only that first line: what follows is
 *                 anon. `[anon:.bss]` (named so by Android's linker and ART) right after any
 *                 line of a file, or after that file's bss (the linker's own bss in three
 *                 lines, one r--p: the Pixel 3 dump)                        owner: the file
 *  9. thread-stack anonymous writable line starting exactly where an anonymous `---p` guard ends,
 *                 when that guard is not an arena's reserve and is smaller than the line itself
 *                                                   `thread stack 0xSTART` (the line's start)
 *  9b. a thread-stack line above its guard that is larger than the thread stack size is
 *                 split: the kernel merged an anonymous block mmapped next to the stack into
 *                 its line (ARM, equal flags). The stack keeps the bottom (its guard is below
 *                 it), the rest is anon. The size: `threadStackSize` (glibc's default, the
 *                 RLIMIT_STACK soft limit), else the size at least half (and two) of the
 *                 capture's thread stacks have. Both parts keep the line number of their VMA.
 * 10. anon        everything else                                           `anon`, or NAME
 * Thread stacks are named by TID or by start address, never by position: a stack unmapped
 * renames no other. Arenas are numbered from the top of the address space down, from 1.
 */
import type { Kind, Region, Vma } from '../model/vma.js';
import { isKernelVma } from './arch.js';

export interface ClassifyOptions {
  /** glibc's arena size for this word size (see arch.arenaSize). */
  arenaSize: number;
  /** The thread stack size glibc gives new threads (RLIMIT_STACK's soft limit), when known (rule 9b). */
  threadStackSize?: number | null;
  /** The caller hands the VMAs over (it never reads them as VMAs again, nor classifies them
   * again): each becomes its region, its kind and owner written onto it, instead of a copy
   * with them (two 100k-VMA captures made 200k copies of 11 fields for a compare). */
  adopt?: boolean;
}

const STACK_TID = /^\[(?:stack|anon:stack_and_tls):(\d+)\]$/;
const ANON_NAME = /^\[anon:(.*)\]$/;
const NAMED_ANON_FILE = /^(?:\/memfd:|\/dev\/zero$|\/dev\/ashmem)/;
const ANDROID_HEAP = /^\[anon:(?:libc_malloc\]$|scudo:|GWP-ASan)/;
/** MIPS pages are 4, 16 or 64 KiB (and 8, 32 on some cores): the FPU-emulation page is one. */
const MAX_PAGE = 0x10000;
/** The largest guard glibc before 2.27 took out of a thread's stack (rule 9b): a 64 KiB page. */
const MAX_GUARD = 0x10000;
const PAGE = 0x1000;

export function classify(vmas: readonly Vma[], opts: ClassifyOptions): Region[] {
  // adopted, each VMA becomes its region in place: the array is theirs too
  const adopt = opts.adopt === true;
  const out: Region[] = adopt ? (vmas as Region[]) : new Array(vmas.length);
  const n = vmas.length;
  const files = new FileSet(out);
  const stacks: number[] = [];
  const arenas: number[] = [];
  let stackSeen = false;
  // One pass, its rules split first by the path's first character: a file's line (most of a
  // big map) never runs the tests of `[...]` names or of anonymous lines. The order of the
  // rules within each branch is the order of the table above (a rule that cannot match a
  // path of that branch is left out of it). No closure, template string or regex per line but
  // for `[...]` names (issue 15: classify led the report's profile).
  for (let i = 0; i < n; i++) {
    const v = vmas[i]!;
    const prev = i > 0 ? out[i - 1] : undefined;
    const next = i + 1 < n ? vmas[i + 1] : undefined; // never read past the end (a deopt in V8)
    const p = v.path;
    let kind: Kind = 'anon';
    let owner = 'anon';
    if (p.length === 0) {
      // directly above a `---p` guard that is not an arena's reserve: where a thread stack sits
      const onGuard = prev !== undefined && prev.end === v.start && isAnonGuard(prev) &&
        !isReserveOf(prev, i >= 2 ? out[i - 2] : undefined);
      const stackAbove = onGuard && isStackAboveGuard(v, prev!);
      if (stackSeen && isFpuEmulationPage(v, next)) { kind = 'kernel'; owner = '[fpu emulation]'; }
      else if (v.perms[3] === 's') { kind = 'shared'; owner = '[anon shared]'; }
      else if (v.perms === '---p') { kind = 'guard'; owner = guardOwner(v, prev, next, undefined); }
      else if (!stackAbove && isArena(v, onGuard, next, opts.arenaSize)) { kind = 'arena'; arenas.push(i); }
      else if (isBss(v, prev, files, i)) { kind = 'bss'; owner = prev!.owner; }
      else if (stackAbove) { kind = 'thread-stack'; stacks.push(i); }
    } else if (p.charCodeAt(0) === 91) {
      // [: only such names can be the kernel's, a stack's or [anon:NAME]
      const tid = STACK_TID.exec(p);
      // [anon:NAME] -> NAME; another unknown [name] keeps its brackets
      const name = ANON_NAME.exec(p)?.[1] ?? p;
      owner = name;
      if (isKernelVma(v) || (p === '[kuserhelpers]' && v.inode === 0)) { kind = 'kernel'; owner = p; }
      else if (p === '[heap]') { kind = 'heap'; owner = p; }
      else if (p === '[stack]') { kind = 'stack'; owner = p; stackSeen = true; }
      else if (tid) { kind = 'thread-stack'; owner = 'thread stack ' + tid[1]!; }
      else if (v.perms[3] === 's') kind = 'shared';
      else if (v.perms === '---p') { kind = 'guard'; owner = guardOwner(v, prev, next, name); }
      else if (ANDROID_HEAP.test(p)) kind = 'heap';
      else if (isBss(v, prev, files, i)) { kind = 'bss'; owner = prev!.owner; }
    } else {
      // a file (isFile): rules 4 and 5 only
      owner = p;
      kind = v.perms[3] === 's' ? 'shared' : fileKind(v, next, files, i);
    }
    if (adopt) {
      const r = v as Region;
      r.kind = kind;
      r.owner = owner;
    } else {
      out[i] = {
        start: v.start, end: v.end, perms: v.perms, offset: v.offset, dev: v.dev,
        inode: v.inode, path: p, deleted: v.deleted, line: v.line, kind, owner,
      };
    }
  }
  // Stacks by their start address; arenas numbered from the top down. The guard below each
  // stack and the reserve above each arena follow.
  for (let k = 0; k < stacks.length; k++) {
    const at = stacks[k]!;
    out[at]!.owner = out[at - 1]!.owner = 'thread stack 0x' + hex8(out[at]!.start);
  }
  for (let k = 0; k < arenas.length; k++) {
    const at = arenas[k]!;
    const owner = 'arena ' + String(arenas.length - k);
    out[at]!.owner = owner;
    if (isReserveOf(at + 1 < out.length ? out[at + 1] : undefined, out[at])) out[at + 1]!.owner = owner;
  }
  return splitMergedStacks(out, stacks, opts.threadStackSize ?? null);
}

/** `n` in hex, at least 8 digits, as `toString(16).padStart(8, '0')`: the low 32 bits by a
 * table, since `toString(16)` of a number past 2^31 (not a small integer: every 64-bit address)
 * takes V8's slow path for doubles, some 1.5 µs (20k thread stacks in a 100k-VMA map). */
function hex8(n: number): string {
  if (!(n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n)) return n.toString(16).padStart(8, '0');
  const hi = Math.floor(n / 0x100000000);
  const lo = n - hi * 0x100000000;
  const low8 = String.fromCharCode(
    HEX[lo >>> 28]!, HEX[(lo >>> 24) & 15]!, HEX[(lo >>> 20) & 15]!, HEX[(lo >>> 16) & 15]!,
    HEX[(lo >>> 12) & 15]!, HEX[(lo >>> 8) & 15]!, HEX[(lo >>> 4) & 15]!, HEX[lo & 15]!);
  return hi === 0 ? low8 : hi.toString(16) + low8;
}

/** The character codes of the hex digits. */
const HEX = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102];

/**
 * Rule 9b. `stacks` are the indexes of the thread stacks found above their guards. The size S
 * a thread got: with the limit L known (glibc's default), L, or the size at least two stacks
 * have just below it (glibc before 2.27 took the guard out of the stack: L - 4 KiB); with no
 * limit, the size at least two and at least half of the stacks have (threads of one default
 * size; stacks of many sizes the program chose are never split). Lines larger than S are
 * split. Returns `out` itself when nothing is split (the common case: no copy).
 */
function splitMergedStacks(out: Region[], stacks: readonly number[], limit: number | null): Region[] {
  if (stacks.length === 0) return out;
  const sizes = new Map<number, number>();
  for (const at of stacks) {
    const n = out[at]!.end - out[at]!.start;
    sizes.set(n, (sizes.get(n) ?? 0) + 1);
  }
  // glibc rounds the limit up to the page (ALIGN_UP in __pthread_early_init), and the kernel
  // splits VMAs only at pages: a limit of any byte count (setrlimit) still splits at a page, which
  // keeps start + L exact (model/vma); 4 KiB, the smallest page
  const L = limit !== null && limit > 0 ? Math.ceil(limit / PAGE) * PAGE : null;
  let size: number | null = null;
  let most = 1;
  for (const [n, count] of sizes) {
    if (L !== null && (n > L || n < L - MAX_GUARD)) continue;
    if (L === null && count * 2 < stacks.length) continue; // no limit: the size of at least half of them
    if (count > most || (count === most && size !== null && n < size)) [size, most] = [n, count];
  }
  size ??= L;
  if (size === null) return out;
  const split = stacks.filter((at) => out[at]!.end - out[at]!.start > size);
  if (split.length === 0) return out;
  const res: Region[] = [];
  let from = 0;
  for (const at of split) {
    for (let i = from; i < at; i++) res.push(out[i]!);
    const r = out[at]!;
    const top = r.start + size;
    res.push({ ...r, end: top }, { ...r, start: top, kind: 'anon', owner: 'anon' });
    from = at + 1;
  }
  for (let i = from; i < out.length; i++) res.push(out[i]!);
  return res;
}

/** Rule 1, MIPS: the delay-slot emulation page (given that a `[stack]` line came before `v`). */
function isFpuEmulationPage(v: Vma, next: Vma | undefined): boolean {
  return v.path === '' && v.inode === 0 && v.offset === 0 && (v.perms === 'r-xp' || v.perms === 'rwxp') &&
    v.end - v.start <= MAX_PAGE && next !== undefined && (next.path === '[vvar]' || next.path === '[vdso]');
}

/** A path that names a file (or memfd, SYSV segment, device), not `[heap]`-style or empty. */
function isFile(path: string): boolean {
  return path !== '' && !path.startsWith('[');
}

/** One file: the same (dev, inode, path). */
function sameFile(a: Vma, b: Vma): boolean {
  return a.inode === b.inode && a.dev === b.dev && a.path === b.path;
}

/**
 * The files of the lines before line `i`, by (dev, inode, path): those rule 5 saw (a file's line
 * that is not shared) and those of them with code. Read off the regions already classified, and
 * indexed by path only when asked (rare: rwx lines, relro shown executable, bss after relro), so
 * most captures never hash a path (a dev/inode/path key string built and hashed per VMA led
 * classify's profile; a push per file line was the next cost).
 */
class FileSet {
  private indexed = 0;
  private readonly seen = new Map<string, Region[]>();
  private readonly code = new Map<string, Region[]>();
  constructor(private readonly out: readonly Region[]) {}
  /** `v`'s file had a line before line `i`. */
  seenBefore(v: Vma, i: number): boolean {
    this.index(i);
    return has(this.seen, v);
  }
  /** `v`'s file had a code line before line `i`. */
  codeBefore(v: Vma, i: number): boolean {
    this.index(i);
    return has(this.code, v);
  }
  private index(i: number): void {
    for (let j = this.indexed; j < i; j++) {
      const r = this.out[j]!;
      if (!isFile(r.path) || r.perms[3] === 's') continue;
      add(this.seen, r);
      if (r.kind === 'code') add(this.code, r);
    }
    if (i > this.indexed) this.indexed = i;
  }
}

function add(byPath: Map<string, Region[]>, r: Region): void {
  const same = byPath.get(r.path);
  if (!same) byPath.set(r.path, [r]);
  else if (!same.some((x) => sameFile(x, r))) same.push(r);
}

function has(byPath: Map<string, Region[]>, v: Vma): boolean {
  return byPath.get(v.path)?.some((x) => sameFile(x, v)) ?? false;
}

/** Rule 5, for line `i`. */
function fileKind(v: Vma, next: Vma | undefined, files: FileSet, i: number): Kind {
  const perms = v.perms;
  const r = perms.charCodeAt(0) === 114; // r
  const w = perms.charCodeAt(1) === 119; // w
  const x = perms.charCodeAt(2) === 120; // x
  if (isNamedAnonFile(v.path)) return perms === '---p' ? 'guard' : 'anon';
  if (!r && !w && !x) return 'guard';
  if (x && w) return v.offset === 0 && !files.seenBefore(v, i) ? 'code' : 'data';
  if (x) return isRelroShownExec(v, next) && files.codeBefore(v, i) ? 'rodata' : 'code';
  return w ? 'data' : 'rodata';
}

/** NAMED_ANON_FILE without a regex run per file line: only `/m...` and `/d...` can match. */
function isNamedAnonFile(path: string): boolean {
  const c1 = path.length > 1 ? path.charCodeAt(1) : 0;
  return (c1 === 109 || c1 === 100) && NAMED_ANON_FILE.test(path);
}

/** A no-NX board's relro: `r-x` followed at once by the same file's `rwx` data, offsets contiguous. */
function isRelroShownExec(v: Vma, next: Vma | undefined): boolean {
  return next !== undefined && next.start === v.end && next.perms.startsWith('rwx') &&
    sameFile(next, v) && next.offset === v.offset + (v.end - v.start);
}

/** Rule 6 (the thread-stack and arena owners are filled in after numbering). */
function guardOwner(v: Vma, prev: Region | undefined, next: Vma | undefined, name: string | undefined): string {
  if (isReserveOf(v, prev)) return 'arena';
  const tid = next && next.start === v.end && next.path.length !== 0 && next.path.charCodeAt(0) === 91 ? STACK_TID.exec(next.path) : null;
  if (tid) return `thread stack ${tid[1]}`;
  if (prev && next && isFile(prev.path) && isFile(next.path) && sameFile(prev, next)) return prev.path;
  return name ?? 'anon';
}

function isAnonWritable(v: Vma): boolean {
  return v.path === '' && v.perms[1] === 'w';
}

/** Rule 7. `onGuard`: directly above a thread stack's kind of guard (then a full-size one is a stack). */
function isArena(v: Vma, onGuard: boolean, next: Vma | undefined, size: number): boolean {
  if (!isAnonWritable(v) || v.start % size !== 0) return false;
  if (next !== undefined && isAnonGuard(next) && next.start === v.end) return next.end <= v.start + size;
  return v.end - v.start === size && !onGuard;
}

/** Rule 9, given that `guard` is the `---p` directly below `v` and not an arena's reserve. */
function isStackAboveGuard(v: Vma, guard: Vma): boolean {
  return isAnonWritable(v) && guard.end - guard.start < v.end - v.start;
}

function isAnonGuard(v: Vma): boolean {
  return v.path === '' && v.perms === '---p';
}

/** Rule 8: after a file's data, or after its relro when the file has code (an object the loader
 * mapped). A line the loader named `[anon:.bss]` is bss right after any line of its file, or
 * after that file's bss (Android's linker makes part of its own bss read-only). */
function isBss(v: Vma, prev: Region | undefined, files: FileSet, i: number): boolean {
  if (prev === undefined || prev.end !== v.start) return false;
  if (v.path === '[anon:.bss]') return isFile(prev.path) || prev.kind === 'bss';
  if (v.path !== '' || v.perms[1] !== 'w') return false;
  return prev.kind === 'data' || (prev.kind === 'rodata' && prev.perms === 'r--p' && files.codeBefore(prev, i));
}

/** `v` is the `---p` reserve directly above the arena `below`. */
function isReserveOf(v: Vma | undefined, below: Region | undefined): boolean {
  return v !== undefined && below?.kind === 'arena' && below.end === v.start && isAnonGuard(v);
}
