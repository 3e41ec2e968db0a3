/*! Whether a maps dump was visibly cut or filtered before it reached us: a finding, never a
 * refusal (what is there is still read). Pure. The kernel prints every VMA of a process,
 * and names `[stack]` the one holding mm->start_stack (fs/proc/task_mmu.c, since 2.6), so
 * a user process's maps always has a `[stack]` line and many kinds of perms: a dump
 * without it was cut (the Kindle write-up stops after 18 lines), one whose lines all share
 * one perms was filtered (`grep r-xp`). An empty maps (a kernel thread) is not partial. */
import type { Finding } from '../model/layout.js';
import type { Vma } from '../model/vma.js';
import { vmaFacts, type VmaFacts } from './vma-facts.js';

export function partialDump(vmas: readonly Vma[]): Finding[] {
  return partialOf(vmas, vmaFacts(vmas, null));
}

/** partialDump from the facts of one pass over the VMAs (vma-facts.ts), which the report takes once. */
export function partialOf(vmas: readonly Vma[], facts: Pick<VmaFacts, 'onePerms' | 'stackLine'>): Finding[] {
  if (vmas.length === 0) return [];
  const perms = vmas[0]!.perms;
  if (vmas.length >= 3 && facts.onePerms) return [{ code: 'partial', reason: 'one-perms', perms, lines: vmas.length }];
  if (!facts.stackLine) return [{ code: 'partial', reason: 'no-stack', perms: null, lines: vmas.length }];
  return [];
}
