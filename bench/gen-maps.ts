/*! Generates large, realistic maps texts for the benchmark (and a grown copy for compare):
 * an executable, N shared libraries with code/rodata/data/bss, thread stacks with guards,
 * arenas, anonymous mmaps and a heap, addresses laid out upward with no overlap. Seeded. */
import { mulberry32 } from '../test/helpers.js';

export interface GenVma { start: number; end: number; perms: string; offset: number; dev: string; inode: number; path: string }

const PAGE = 4096;
const h8 = (n: number) => n.toString(16).padStart(8, '0');

export function line(v: GenVma): string {
  const head = `${h8(v.start)}-${h8(v.end)} ${v.perms} ${h8(v.offset)} ${v.dev} ${v.inode}`;
  return v.path ? head.padEnd(49) + v.path : head + ' ';
}

/** About `count` VMAs for a 64-bit-wide address space (addresses past 2^32 keep it unique at 100k). */
export function generate(count: number, seed = 1): GenVma[] {
  const rnd = mulberry32(seed);
  const out: GenVma[] = [];
  let addr = 0x8000;
  const pages = (lo: number, hi: number) => (lo + Math.floor(rnd() * (hi - lo + 1))) * PAGE;
  const push = (size: number, perms: string, path = '', inode = 0, offset = 0) => {
    out.push({ start: addr, end: addr + size, perms, offset, dev: path && !path.startsWith('[') ? 'b3:01' : '00:00', inode, path });
    addr += size;
  };
  push(pages(8, 64), 'r-xp', '/usr/bin/app', 100);
  push(pages(1, 4), 'rw-p', '/usr/bin/app', 100, PAGE);
  push(pages(1, 8), 'rw-p');
  addr += pages(1, 16);
  push(pages(16, 512), 'rw-p', '[heap]');
  addr = 0x40000000;
  let lib = 0;
  while (out.length < count - 2) {
    const r = rnd();
    if (r < 0.5) {
      lib++;
      const path = `/usr/lib/libgen${lib}.so.${lib % 7}`;
      const code = pages(4, 64);
      push(code, 'r-xp', path, 1000 + lib);
      push(pages(1, 16), '---p', path, 1000 + lib, code);
      push(PAGE, 'r--p', path, 1000 + lib, code);
      push(PAGE, 'rw-p', path, 1000 + lib, code + PAGE);
      if (rnd() < 0.5) push(pages(1, 8), 'rw-p');
    } else if (r < 0.7) {
      push(PAGE, '---p');
      push(pages(32, 2048), 'rw-p'); // thread stack above its guard
    } else if (r < 0.8) {
      addr = Math.ceil(addr / 0x100000) * 0x100000;
      const used = pages(8, 128);
      push(used, 'rw-p');
      push(0x100000 - used, '---p'); // arena with its reserve
    } else {
      push(pages(1, 256), rnd() < 0.1 ? 'rw-s' : 'rw-p', rnd() < 0.1 ? '/dev/mem_cma' : '', rnd() < 0.1 ? 5243 : 0);
    }
    addr += rnd() < 0.3 ? pages(1, 4) : 0;
  }
  push(pages(33, 64), 'rw-p', '[stack]');
  return out;
}

/** A later capture of the same process: heap and some anon/thread stacks grown, merges, new and gone regions. */
export function grow(before: GenVma[], seed = 2): GenVma[] {
  const rnd = mulberry32(seed);
  const after: GenVma[] = [];
  for (let i = 0; i < before.length; i++) {
    const v = { ...before[i]! };
    const next = before[i + 1];
    const room = next ? next.start - v.end : 0;
    if (v.path === '[heap]' && room > 0) v.end += Math.min(room, 64 * PAGE);
    else if (!v.path && v.perms === 'rw-p' && room >= PAGE && rnd() < 0.2) v.end += PAGE * Math.max(1, Math.floor((room / PAGE) * rnd()));
    else if (!v.path && rnd() < 0.01) continue; // unmapped
    const prev = after[after.length - 1];
    if (prev && !prev.path && !v.path && prev.perms === v.perms && prev.end === v.start) {
      prev.end = v.end; // the kernel merges equal neighbours
      continue;
    }
    after.push(v);
    if (next && !v.path && rnd() < 0.01 && next.start - v.end >= 2 * PAGE) {
      after.push({ start: v.end + PAGE, end: v.end + 2 * PAGE, perms: 'r--p', offset: 0, dev: '00:00', inode: 0, path: '' }); // new
    }
  }
  return after;
}

export const render = (vmas: GenVma[]): string => vmas.map(line).join('\n') + '\n';
