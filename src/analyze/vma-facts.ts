/*! What the report asks of a process's VMAs before it lays them out, in one pass: the word
 * size (arch.wordBits), what the ceiling is decided from (ceiling.ts: the highest user region,
 * `[stack]`, ARM's own pages), whether the dump was cut or filtered (partial.ts), and where
 * `[heap]` is (the program's name). Each question had a pass of its own over a 100k-VMA map,
 * most with a closure (`find`, `some`, `every`) per VMA (issue 15). Pure. */
import type { Vma } from '../model/vma.js';
import { isGateArea } from './arch.js';

const U32_MAX = 0xffffffff;

export interface VmaFacts {
  /** An address above 0xffffffff (arch.wordBits). */
  above32: boolean;
  /** The user VMA that ends highest (first of equals); gate areas left out (ceiling.highestUserEnd). */
  highest: Vma | null;
  /** The first `[stack]` of inode 0 (ceiling.ts). */
  stack: Vma | null;
  /** An ARM kernel's page: `[sigpage]`, or `[vectors]` at 0xffff0000 (ceiling.isArm with no `uname`). */
  armPages: boolean;
  /** Some `[stack]` line, any inode (partial.ts). */
  stackLine: boolean;
  /** Every line has the first line's perms (partial.ts). */
  onePerms: boolean;
  /** The first `[heap]`'s index; -1 with none. */
  heap: number;
  /** In address order: each VMA starts at or above the end of the one before it and is not empty. */
  sorted: boolean;
}

/** `machine` is `uname -m` (whether [vectors] is a gate area). */
export function vmaFacts(vmas: readonly Vma[], machine: string | null | undefined): VmaFacts {
  const vectorsGate = isGateArea({ path: '[vectors]', inode: 0 }, machine);
  const perms = vmas.length > 0 ? vmas[0]!.perms : '';
  let above32 = false;
  let highest: Vma | null = null;
  let stack: Vma | null = null;
  let armPages = false;
  let stackLine = false;
  let onePerms = true;
  let heap = -1;
  let sorted = true;
  let prevEnd = 0;
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i]!;
    const end = v.end;
    if (end - 1 > U32_MAX) above32 = true;
    if (v.start < prevEnd || end <= v.start) sorted = false;
    prevEnd = end;
    if (v.perms !== perms) onePerms = false;
    const p = v.path;
    let gate = false;
    if (p.length !== 0 && p.charCodeAt(0) === 91) {
      // only `[...]` names are tested by name
      const kernelPage = v.inode === 0;
      if (p === '[heap]') { if (heap < 0) heap = i; }
      else if (p === '[stack]') {
        stackLine = true;
        if (kernelPage && stack === null) stack = v;
      } else if (kernelPage) {
        if (p === '[vsyscall]') gate = true;
        else if (p === '[vectors]') { gate = vectorsGate; if (v.start === 0xffff0000) armPages = true; }
        else if (p === '[sigpage]') armPages = true;
      }
    }
    if (!gate && (highest === null || end > highest.end)) highest = v;
  }
  return { above32, highest, stack, armPages, stackLine, onePerms, heap, sorted };
}
