/*! The top of user space of one process (TASK_SIZE), decided from the capture: `uname -m`
 * and where [stack], [sigpage], [vectors], [vdso] and the highest user region lie. Each
 * value is the kernel's (docs/address-space.md cites the source lines). A setting
 * (--ceiling, a target's "ceiling") wins, and a user region above whatever was chosen
 * raises the ceiling to what the capture proves, so no region is ever left out. Pure. */
import type { CeilingSource } from '../model/layout.js';
import type { Vma } from '../model/vma.js';
import { is64BitMachine } from './arch.js';
import { vmaFacts, type VmaFacts } from './vma-facts.js';

/** ARM: TASK_SIZE = PAGE_OFFSET - 16 MiB (arch/arm/include/asm/memory.h), PAGE_OFFSET per
 * VMSPLIT_* (arch/arm/Kconfig); the kernel's default is VMSPLIT_3G. */
const ARM_SPLITS: Split[] = [
  { top: 0x3f000000, label: 'ARM 1G/3G' },
  { top: 0x7f000000, label: 'ARM 2G/2G' },
  { top: 0xaf000000, label: 'ARM 3G/1G (VMSPLIT_3G_OPT)' },
  { top: 0xbf000000, label: 'ARM 3G/1G' },
];
/** x86-32: TASK_SIZE = PAGE_OFFSET (arch/x86/include/asm/page_32_types.h), per VMSPLIT_* of arch/x86/Kconfig. */
const X86_SPLITS: Split[] = [
  { top: 0x40000000, label: 'x86-32 1G/3G' },
  { top: 0x78000000, label: 'x86-32 2G/2G (VMSPLIT_2G_OPT)' },
  { top: 0x80000000, label: 'x86-32 2G/2G' },
  { top: 0xb0000000, label: 'x86-32 3G/1G (VMSPLIT_3G_OPT)' },
  { top: 0xc0000000, label: 'x86-32 3G/1G' },
];

interface Split { top: number; label: string }

export interface CeilingChoice {
  ceiling: number;
  source: CeilingSource;
}

/**
 * A snapshot's stored ceiling (`meta.ceiling`, hex) as a number. A mapsdiff from before addresses
 * were numbers took any 64-bit `--ceiling` (`0xffffffffffffffff` too) and stored it: such a value,
 * which a double cannot hold, is read as the page boundary above it (exact: model/vma), so what is
 * stored stays readable; gaps up to it come out less than a page larger than that version's.
 */
export function storedCeiling(hex: string): number {
  const n = Number(hex);
  const exact = BigInt(hex);
  if (BigInt(n) === exact) return n;
  return Number(((exact + PAGE - 1n) / PAGE) * PAGE);
}
const PAGE = 4096n;

/**
 * The ceiling for one process. `setting` is --ceiling (`option`) or the target's stored
 * "ceiling" (`target`); without one the capture decides. `machine` is `uname -m`.
 */
export function chooseCeiling(
  vmas: readonly Vma[], bits: 32 | 64, machine: string | null,
  setting?: { value: number; from: 'option' | 'target' },
): CeilingChoice {
  return chooseCeilingOf(vmaFacts(vmas, machine), bits, machine, setting);
}

/** chooseCeiling from the facts of one pass over the VMAs (vma-facts.ts), which the report takes once. */
export function chooseCeilingOf(
  facts: Pick<VmaFacts, 'highest' | 'stack' | 'armPages'>, bits: 32 | 64, machine: string | null,
  setting?: { value: number; from: 'option' | 'target' },
): CeilingChoice {
  const m = machine?.trim().toLowerCase() ?? '';
  const best = facts.highest;
  const top = best ? { region: best.path || 'an anonymous region', at: best.start, end: best.end } : null;
  const stack = facts.stack ?? undefined;
  const arm = facts.armPages;
  const chosen: CeilingChoice = setting
    ? { ceiling: setting.value, source: { from: setting.from, rule: setting.from === 'option' ? '--ceiling' : 'set at capture (the target\'s "ceiling" or capture --ceiling)', evidence: null } }
    : infer(arm, bits, m, stack, top);
  if (top === null || top.end <= chosen.ceiling) return chosen;
  // a user region above the ceiling: rise to what the capture proves (the split that holds it, else its end)
  const next = familySplits(arm, bits, m).find((s) => s.top >= top.end);
  const rule = chosen.source.from === 'default' && next ? next.label : chosen.source.rule;
  return {
    ceiling: next ? next.top : top.end,
    source: { from: chosen.source.from, rule, evidence: { region: top.region, at: top.at }, raisedFrom: chosen.ceiling },
  };
}

function infer(armPages: boolean, bits: 32 | 64, m: string, stack: Vma | undefined, top: { region: string; at: number; end: number } | null): CeilingChoice {
  const ev: CeilingSource['evidence'] = stack ? { region: '[stack]', at: stack.start }
    : top ? { region: top.region, at: top.at } : { machine: m };
  const byMachine = (rule: string, ceiling: number): CeilingChoice => ({ ceiling, source: { from: 'evidence', rule, evidence: ev } });
  const byStack = (splits: Split[], s: Vma): CeilingChoice => {
    const hit = splits.find((x) => x.top >= s.end) ?? splits[splits.length - 1]!;
    return { ceiling: hit.top, source: { from: 'evidence', rule: hit.label, evidence: { region: '[stack]', at: s.start } } };
  };
  if (bits === 64) {
    const w = vaWidth(m, top?.end ?? 0);
    return byMachine(`${m ? m + ' ' : ''}${w.bits}-bit user space`, w.top);
  }
  const splits = familySplits(armPages, bits, m);
  if (isArm(armPages, m)) {
    if (is64BitMachine(m) || m === 'armv8l') return byMachine('32-bit task on a 64-bit ARM kernel (TASK_SIZE_32)', 0xfffff000);
    // the stack sits just below TASK_SIZE (randomized down by at most 8 MiB): it proves the split
    if (stack) return byStack(splits, stack);
    return byMachine('ARM 3G/1G (the kernel\'s default split; no [stack] in the capture)', 0xbf000000);
  }
  if (/^i[3-7]86$/.test(m)) return stack ? byStack(splits, stack) : byMachine('x86-32 3G/1G', 0xc0000000);
  if (m === 'x86_64' || m === 'amd64') {
    // IA32_PAGE_OFFSET (arch/x86/include/asm/page_64_types.h); 0xc0000000 under ADDR_LIMIT_3GB
    if (stack && stack.end <= 0xc0000000) return byMachine('32-bit task on a 64-bit x86 kernel, ADDR_LIMIT_3GB', 0xc0000000);
    return byMachine('32-bit task on a 64-bit x86 kernel (IA32_PAGE_OFFSET)', 0xffffe000);
  }
  if (is64BitMachine(m) && m.startsWith('mips')) return byMachine('32-bit task on a 64-bit MIPS kernel (TASK_SIZE32)', 0x7fff8000);
  if (m.startsWith('mips')) return byMachine('MIPS32 (kuseg)', 0x80000000);
  if (m.startsWith('parisc')) return byMachine('PA-RISC 32-bit (DEFAULT_TASK_SIZE32)', 0xfff00000);
  if (m === 'csky') return byMachine('C-SKY (PAGE_OFFSET - 8 pages)', 0x7fff8000);
  if (m === 'riscv32') return byMachine('RISC-V 32 (FIXADDR_START)', 0x9d800000);
  if (m.startsWith('or1k') || m.startsWith('openrisc')) return byMachine('OpenRISC', 0x80000000);
  return { ceiling: 0x80000000, source: { from: 'default', rule: 'default', evidence: null } };
}

function familySplits(armPages: boolean, bits: 32 | 64, m: string): Split[] {
  if (bits === 64) return [];
  if (isArm(armPages, m) && !is64BitMachine(m) && m !== 'armv8l') return ARM_SPLITS;
  if (/^i[3-7]86$/.test(m)) return X86_SPLITS;
  return [];
}

/** ARM by its name, or, with no `uname`, by the pages only ARM kernels map: [sigpage], [vectors] at 0xffff0000 (`armPages`, vma-facts.ts). */
function isArm(armPages: boolean, m: string): boolean {
  if (m) return /^(arm|aarch64|arm64)/.test(m);
  return armPages;
}

/** 64-bit: the smallest virtual-address width of this architecture that holds every user region. */
function vaWidth(m: string, end: number): { bits: number; top: number } {
  const page = 0x1000;
  // x86_64: TASK_SIZE_MAX = (1 << 47 or 56) - PAGE_SIZE; riscv64: PGDIR_SIZE * PTRS_PER_PGD / 2
  // (Sv39 38 bits, Sv48 47, Sv57 56); aarch64: 1 << VA_BITS (39, 42, 47, 48, 52); mips64 1 << 40.
  const widths: Array<[number, number]> =
    m === 'x86_64' || m === 'amd64' ? [[47, 2 ** 47 - page], [56, 2 ** 56 - page]]
      : m === 'riscv64' ? [[38, 2 ** 38], [47, 2 ** 47], [56, 2 ** 56]]
        : m.startsWith('aarch64') || m === 'arm64' ? [[39, 2 ** 39], [42, 2 ** 42], [47, 2 ** 47], [48, 2 ** 48], [52, 2 ** 52]]
          : [[39, 2 ** 39], [40, 2 ** 40], [42, 2 ** 42], [47, 2 ** 47], [48, 2 ** 48], [52, 2 ** 52], [56, 2 ** 56]];
  const hit = widths.find(([, top]) => top >= end) ?? widths[widths.length - 1]!;
  return { bits: hit[0], top: hit[1] >= end ? hit[1] : end };
}
