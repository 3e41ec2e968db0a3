/*! Findings (data from analyze/) as sentences that tell the user what to do. */
import type { Finding } from '../model/layout.js';
import { human } from './format.js';

export function describeFinding(f: Finding): string {
  switch (f.code) {
    case 'above-ceiling':
      return `${f.count} user region(s) lie above the user-space ceiling 0x${f.ceiling.toString(16)} (reaching 0x${f.highest.toString(16)}): ` +
        `this board has a larger user space (ARM 3G/1G reaches 0xbf000000); set "ceiling" in its targets/NAME.json or pass --ceiling 0xc0000000`;
    case 'no-maps':
      return `pid ${f.pid} has no maps section (a kernel thread, or the file was not captured)`;
    case 'process-gone':
      return `pid ${f.pid} exited during the capture; what was read before it exited is kept`;
    case 'stack-near-limit':
      return f.size > f.limit
        ? `the main stack is ${human(f.size)}, over its ${human(f.limit)} limit (the limit was lowered after it grew): growing further will crash with SIGSEGV`
        : `the main stack is ${human(f.size)}, near its ${human(f.limit)} limit: a deeper call chain will crash with SIGSEGV`;
  }
}
