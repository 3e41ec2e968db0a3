/*! Findings (data from analyze/) as sentences that tell the user what to do. */
import type { Finding } from '../model/layout.js';
import { hex, human } from './format.js';

export function describeFinding(f: Finding): string {
  switch (f.code) {
    case 'above-ceiling':
      return `${f.count} user region(s) lie above the user-space ceiling 0x${f.ceiling.toString(16)} (reaching 0x${f.highest.toString(16)}): ` +
        `this board has a larger user space (ARM 3G/1G reaches 0xbf000000); leave the ceiling to mapsdiff, or set a larger one`;
    case 'ceiling-raised':
      return `the ceiling set (${hex(f.setting)}) is below a user region ending at ${hex(f.highest)}: ${hex(f.used)} was used instead; ` +
        `remove --ceiling or the target's "ceiling" (mapsdiff infers it), or set it to ${hex(f.used)}`;
    case 'vsz-mismatch':
      return `VSZ summed from maps (${human(f.computed)}) differs from the kernel's VmSize in status (${human(f.vmSize)}) by ${human(f.computed - f.vmSize)}: ` +
        `the process changed between the two reads, or this kernel counts a page differently (please report it)`;
    case 'no-maps':
      return `pid ${f.pid} has no maps section (a kernel thread, or the file was not captured)`;
    case 'process-gone':
      return `pid ${f.pid} exited during the capture; what was read before it exited is kept`;
    case 'partial':
      return f.reason === 'no-stack'
        ? `this dump has no [stack] line (the kernel prints one for every process): it was cut, so its ${f.lines} line(s) are only part of the address space`
        : `every line is ${f.perms} (${f.lines} lines): the dump was filtered (grep?), so totals and gaps cover only those lines`;
    case 'stack-near-limit':
      return f.size > f.limit
        ? `the main stack is ${human(f.size)}, over its ${human(f.limit)} limit (the limit was lowered after it grew): growing further will crash with SIGSEGV`
        : `the main stack is ${human(f.size)}, near its ${human(f.limit)} limit: a deeper call chain will crash with SIGSEGV`;
  }
}
