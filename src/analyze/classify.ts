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
  const out: Region[] = opts.adopt ? (vmas as Region[]) : new Array(vmas.length);
  const seenFiles = new FileSet();
  const codeFiles = new FileSet();
  const stacks: number[] = [];
  const arenas: number[] = [];
  let stackSeen = false;
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i]!;
    const prev = i > 0 ? out[i - 1] : undefined;
    const next = vmas[i + 1];
    const p = v.path;
    const bracket = p.charCodeAt(0) === 91; // [: only such names can be a stack's or [anon:NAME]
    const tid = bracket ? STACK_TID.exec(p) : null;
    // [anon:NAME] -> NAME; another unknown [name] keeps its brackets
    const name = bracket ? ANON_NAME.exec(p)?.[1] ?? p : undefined;
    // directly above a `---p` guard that is not an arena's reserve: where a thread stack sits
    const onGuard = prev !== undefined && prev.end === v.start && isAnonGuard(prev) &&
      !isReserveOf(prev, i >= 2 ? out[i - 2] : undefined);
    const stackAbove = onGuard && isStackAboveGuard(v, prev!);
    let kind: Kind = 'anon';
    let owner = name ?? 'anon';
    if (isKernelVma(v) || (p === '[kuserhelpers]' && v.inode === 0)) { kind = 'kernel'; owner = p; }
    else if (stackSeen && isFpuEmulationPage(v, next)) { kind = 'kernel'; owner = '[fpu emulation]'; }
    else if (p === '[heap]') { kind = 'heap'; owner = p; }
    else if (p === '[stack]') { kind = 'stack'; owner = p; stackSeen = true; }
    else if (tid) { kind = 'thread-stack'; owner = `thread stack ${tid[1]}`; }
    else if (v.perms[3] === 's') { kind = 'shared'; owner = name ?? (p === '' ? '[anon shared]' : p); }
    else if (isFile(p)) { kind = fileKind(v, next, seenFiles, codeFiles); owner = p; }
    else if (v.perms === '---p') { kind = 'guard'; owner = guardOwner(v, prev, next, name); }
    else if (ANDROID_HEAP.test(p)) { kind = 'heap'; owner = name!; }
    else if (!stackAbove && isArena(v, onGuard, next, opts.arenaSize)) { kind = 'arena'; arenas.push(i); }
    else if (isBss(v, prev, codeFiles)) { kind = 'bss'; owner = prev!.owner; }
    else if (stackAbove) { kind = 'thread-stack'; stacks.push(i); }
    if (opts.adopt) {
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
  for (const at of stacks) out[at]!.owner = out[at - 1]!.owner = `thread stack 0x${out[at]!.start.toString(16).padStart(8, '0')}`;
  arenas.forEach((at, k) => {
    const owner = `arena ${arenas.length - k}`;
    out[at]!.owner = owner;
    if (isReserveOf(out[at + 1], out[at])) out[at + 1]!.owner = owner;
  });
  return splitMergedStacks(out, stacks, opts.threadStackSize ?? null);
}

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

/** A set of files by (dev, inode, path). Adding is a push; the index by path is built only
 * when asked (rare: rwx lines, relro shown executable, bss after relro), so most captures
 * never hash a path (a dev/inode/path key string built and hashed per VMA led classify's profile). */
class FileSet {
  private readonly pending: Vma[] = [];
  private readonly byPath = new Map<string, Vma[]>();
  add(v: Vma): void {
    this.pending.push(v);
  }
  has(v: Vma): boolean {
    for (const p of this.pending) {
      const same = this.byPath.get(p.path);
      if (!same) this.byPath.set(p.path, [p]);
      else if (!same.some((x) => sameFile(x, p))) same.push(p);
    }
    this.pending.length = 0;
    return this.byPath.get(v.path)?.some((x) => sameFile(x, v)) ?? false;
  }
}

/** Rule 5. Records the file as seen (and as having code) for the lines after it. */
function fileKind(v: Vma, next: Vma | undefined, seen: FileSet, code: FileSet): Kind {
  const [r, w, x] = [v.perms[0] === 'r', v.perms[1] === 'w', v.perms[2] === 'x'];
  let kind: Kind;
  if (NAMED_ANON_FILE.test(v.path)) kind = v.perms === '---p' ? 'guard' : 'anon';
  else if (!r && !w && !x) kind = 'guard';
  else if (x && w) kind = v.offset === 0 && !seen.has(v) ? 'code' : 'data';
  else if (x) kind = isRelroShownExec(v, next) && code.has(v) ? 'rodata' : 'code';
  else kind = w ? 'data' : 'rodata';
  seen.add(v);
  if (kind === 'code') code.add(v);
  return kind;
}

/** A no-NX board's relro: `r-x` followed at once by the same file's `rwx` data, offsets contiguous. */
function isRelroShownExec(v: Vma, next: Vma | undefined): boolean {
  return next !== undefined && next.start === v.end && next.perms.startsWith('rwx') &&
    sameFile(next, v) && next.offset === v.offset + (v.end - v.start);
}

/** Rule 6 (the thread-stack and arena owners are filled in after numbering). */
function guardOwner(v: Vma, prev: Region | undefined, next: Vma | undefined, name: string | undefined): string {
  if (isReserveOf(v, prev)) return 'arena';
  const tid = next && next.start === v.end ? STACK_TID.exec(next.path) : null;
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
function isBss(v: Vma, prev: Region | undefined, code: FileSet): boolean {
  if (prev === undefined || prev.end !== v.start) return false;
  if (v.path === '[anon:.bss]') return isFile(prev.path) || prev.kind === 'bss';
  if (v.path !== '' || v.perms[1] !== 'w') return false;
  return prev.kind === 'data' || (prev.kind === 'rodata' && prev.perms === 'r--p' && code.has(prev));
}

/** `v` is the `---p` reserve directly above the arena `below`. */
function isReserveOf(v: Vma | undefined, below: Region | undefined): boolean {
  return v !== undefined && below?.kind === 'arena' && below.end === v.start && isAnonGuard(v);
}
