/*! Word size, user-space ceiling and glibc arena size of a capture, from its addresses and
 * `uname -m`. Pure: the caller passes the machine string; nothing here reads a config or
 * the host. Callers may always override the ceiling (--ceiling); these are only defaults. */
import type { Vma } from '../model/vma.js';

/** Pages the kernel shows in maps that user code did not map (ARM's [vectors] sits at 0xffff0000). */
const KERNEL_NAMES = new Set(['[vdso]', '[vvar]', '[vvar_vclock]', '[vsyscall]', '[vectors]', '[sigpage]']);

const U32_MAX = 0xffffffffn;

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
  for (const v of vmas) if (v.end - 1n > U32_MAX) return 64;
  if (vmas.length === 0 && is64BitMachine(machine)) return 64;
  return 32;
}

/**
 * Top of user space when the user gave none.
 * - 32-bit: 0x80000000, the embedded default (MIPS32 kuseg, ARM with a 2G/2G split). ARM's
 *   common 3G/1G split goes above it, which layout() reports as an `above-ceiling` finding.
 *   Exceptions known from the machine: i386..i686 is 3G/1G (0xc0000000), and a 32-bit
 *   process on a 64-bit kernel gets the whole 4 GiB (0x100000000).
 * - 64-bit: x86_64 0x800000000000 (47 bits); aarch64 and the others 0x1000000000000 (48 bits).
 */
export function defaultCeiling(bits: 32 | 64, machine?: string): bigint {
  const m = machine?.trim().toLowerCase() ?? '';
  if (bits === 32) {
    if (is64BitMachine(m)) return 0x100000000n;
    if (/^i[3-6]86$/.test(m)) return 0xc0000000n;
    return 0x80000000n;
  }
  if (m === 'x86_64' || m === 'amd64') return 0x800000000000n;
  return 0x1000000000000n;
}

/** glibc's HEAP_MAX_SIZE (2 * DEFAULT_MMAP_THRESHOLD_MAX): 1 MiB on 32-bit, 64 MiB on 64-bit. */
export function arenaSize(bits: 32 | 64): bigint {
  return bits === 32 ? 0x100000n : 0x4000000n;
}

/** [vdso] [vvar] [vsyscall] [vectors] [sigpage]: kernel pages, not the process's own memory. */
export function isKernelVma(vma: Pick<Vma, 'path' | 'inode'>): boolean {
  return vma.inode === 0 && KERNEL_NAMES.has(vma.path);
}
