/*! Word size, glibc arena size and the kernel's own pages of a capture, from its addresses
 * and `uname -m`. Pure: the caller passes the machine string; nothing here reads a config or
 * the host. The user-space ceiling is ceiling.ts's question. */
import type { Vma } from '../model/vma.js';

/** Pages the kernel shows in maps that user code did not map (ARM's [vectors] sits at 0xffff0000). */
const KERNEL_NAMES = new Set(['[vdso]', '[vvar]', '[vvar_vclock]', '[vsyscall]', '[vectors]', '[sigpage]']);

const U32_MAX = 0xffffffff;

/** `uname -m` values of 64-bit kernels. (`armv8l` is a 32-bit personality, so it is not here.) */
export function is64BitMachine(machine: string | undefined): boolean {
  return machine !== undefined &&
    /^(x86_64|amd64|aarch64(_be)?|arm64|mips64(el)?|ppc64(le)?|s390x|riscv64|sparc64|loongarch64|alpha|ia64)$/i
      .test(machine.trim());
}

/**
 * 64 when any address is above 0xffffffff. The machine decides only when there are no VMAs:
 * a 32-bit process on a 64-bit kernel (armv7 userland on an aarch64 kernel, MIPS n32) has
 * 32-bit pointers and glibc's 32-bit arena size, whatever `uname -m` says.
 */
export function wordBits(vmas: readonly Vma[], machine?: string): 32 | 64 {
  // maps is sorted by address, so the last line has the highest end; scan all anyway in
  // case a caller passes VMAs out of order (one pass, no allocation).
  for (const v of vmas) if (v.end - 1 > U32_MAX) return 64;
  return wordBitsOf(false, vmas.length, machine);
}

/** wordBits given whether an address is above 0xffffffff (vma-facts.ts's pass found it). */
export function wordBitsOf(above32: boolean, count: number, machine?: string): 32 | 64 {
  if (above32) return 64;
  if (count === 0 && is64BitMachine(machine)) return 64;
  return 32;
}

/** glibc's HEAP_MAX_SIZE (2 * DEFAULT_MMAP_THRESHOLD_MAX): 1 MiB on 32-bit, 64 MiB on 64-bit. */
export function arenaSize(bits: 32 | 64): number {
  return bits === 32 ? 0x100000 : 0x4000000;
}

/** [vdso] [vvar] [vsyscall] [vectors] [sigpage]: kernel pages, not the process's own memory. */
export function isKernelVma(vma: Pick<Vma, 'path' | 'inode'>): boolean {
  return vma.inode === 0 && KERNEL_NAMES.has(vma.path);
}

/**
 * A gate area: a page the kernel shows at the end of maps that is not a VMA of the process's
 * mm (fs/proc/task_mmu.c prints get_gate_vma() after the last VMA), so VmSize leaves it out:
 * x86-64's [vsyscall], and [vectors] of a 32-bit ARM kernel (arch/arm/kernel/process.c).
 * On a 64-bit ARM kernel a 32-bit task's [vectors] is a special mapping of its own mm
 * (arch/arm64/kernel/vdso.c, aarch32_kuser_helpers_setup) and counts like [vdso].
 */
export function isGateArea(vma: Pick<Vma, 'path' | 'inode'>, machine?: string | null): boolean {
  if (vma.inode !== 0) return false;
  if (vma.path === '[vsyscall]') return true;
  return vma.path === '[vectors]' && !is64BitMachine(machine ?? undefined) && machine?.trim().toLowerCase() !== 'armv8l';
}
