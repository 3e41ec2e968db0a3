/*! Regression: the board's sawtooth workload (test/board/workloads/sawtooth.c) once mapped
 * 512 KiB blocks, and two of them make one exactly-1 MiB anonymous line; where that line starts
 * on a 1 MiB boundary it is, by maps alone, a full glibc arena of a 32-bit board (classify's
 * rule 7: a non-main heap is HEAP_MAX_SIZE long and aligned to it, and one wholly in use has no
 * `---p` reserve left). A loaded CI run caught the cycle at two blocks for its last three
 * captures, and trend called that "arena" kind, grown from nothing and flat since, a leak of
 * the sawtooth process. The workload's block is chosen so that no count of blocks it holds in
 * a cycle makes such a line at any page-aligned base; this test reads the block size and the
 * cycle from the C file itself and classifies every case. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseMaps } from '../../src/parse/maps.js';
import { classify } from '../../src/analyze/classify.js';
import { repoRoot } from '../helpers.js';

const ARENA = 2 ** 20; // glibc's HEAP_MAX_SIZE on 32-bit: 2 * DEFAULT_MMAP_THRESHOLD_MAX (512 KiB)
const PAGE = 0x1000;

/** Bases (mod 1 MiB, a page apart) and block counts at which `block`-byte mmaps, laid top-down
 * below a library as the kernel lays them, form a line classify calls an arena. */
function arenaCases(block: number, maxBlocks: number): string[] {
  const found: string[] = [];
  for (let off = 0; off < ARENA; off += PAGE) {
    const top = 0x77f00000 + off; // the library above the blocks starts here
    for (let n = 1; n <= maxBlocks; n++) {
      const start = top - n * block;
      const hex = (x: number) => x.toString(16).padStart(8, '0');
      const text = [
        `00400000-00401000 r-xp 00000000 b3:01 10 /tmp/sawtooth`,
        `${hex(start)}-${hex(top)} rw-p 00000000 00:00 0`,
        `${hex(top)}-${hex(top + 0x100000)} r-xp 00000000 b3:01 12 /lib/libc.so.6`,
        `7fff0000-80000000 rw-p 00000000 00:00 0 [stack]`,
      ].join('\n') + '\n';
      const kinds = classify(parseMaps(text, { source: 'sawtooth' }).vmas, { arenaSize: ARENA }).map((r) => r.kind);
      if (kinds.includes('arena')) found.push(`base ${hex(top)} with ${n} block(s)`);
    }
  }
  return found;
}

test('regression: sawtooth-blocks-read-as-a-full-arena: no count of the workload\'s blocks makes an arena-shaped line', () => {
  const src = fs.readFileSync(path.join(repoRoot, 'test', 'board', 'workloads', 'sawtooth.c'), 'utf8');
  // `#define BLOCK (384 * 1024)`: the product of its factors
  const block = /#define BLOCK \(([\d *]+)\)/.exec(src)![1]!.split('*').reduce((p, f) => p * Number(f.trim()), 1);
  // the cycle the board test runs (sawtooth 1 6): at most 6 blocks mapped at once
  assert.deepEqual(arenaCases(block, 6), []);
  // and the old 512 KiB block did: two of them on a 1 MiB boundary
  const old = arenaCases(512 * 1024, 6);
  assert.ok(old.length > 0 && old.every((c) => / with [246] block\(s\)$/.test(c)), old.slice(0, 4).join('; '));
});
