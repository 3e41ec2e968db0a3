/*! Regression test of issue 10 §1: time left for [heap] uses the gap right above the heap
 * (brk grows only into it), while anything mmap'd uses the largest gap. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend } from '../../src/analyze/trend.js';
import { renderTrendText } from '../../src/render/trend-text.js';
import { makePaint } from '../../src/render/paint.js';
import { captureMaps } from './trend-helpers.js';

const h8 = (n: number) => n.toString(16).padStart(8, '0');
const line = (s: number, e: number, perms: string, path = '', inode = 0, dev = '00:00') => `${h8(s)}-${h8(e)} ${perms} 00000000 ${dev} ${inode} ${path}`;

test('a leaking [heap] with a library mapped 16 MiB above it: time left by that gap, not by the 1 GiB one; a leaking mmap by the largest', () => {
  const K = 1024;
  const maps = (i: number) => [
    line(0x10000, 0x11000, 'r-xp', '/usr/bin/p', 9, 'b3:01'),
    line(0x20000, 0x21000, 'rw-p', '/usr/bin/p', 9, 'b3:01'),
    line(0x30000, 0x51000 + i * 0x10000, 'rw-p', '[heap]'),
    line(0x01000000, 0x01100000, 'r-xp', '/lib/libbig.so', 10, 'b3:01'), // mapped low: the heap's ceiling
    line(0x40010000, 0x40110000 + i * 0x20000, 'rw-p'), // an mmap'd block that grows too
    line(0x7efdf000, 0x7f000000, 'rw-p', '[stack]'),
  ].join('\n') + '\n';
  const r = analyzeTrend(Array.from({ length: 10 }, (_, i) => captureMaps(`t${i}`, 600 + i * 60, maps(i))));
  const p = r.processes[0]!;
  const heap = p.entries.find((e) => e.scope === 'kind' && e.kind === 'heap')!;
  const anon = p.entries.find((e) => e.scope === 'kind' && e.kind === 'anon')!;
  const aboveHeap = 0x01000000 - (0x51000 + 9 * 0x10000);
  assert.equal(p.headroom.heapGap, aboveHeap);
  assert.equal(heap.verdict, 'leak');
  assert.equal(heap.timeLeftBy.addressSpace, (aboveHeap / (64 * K * 60)) * 3600, 'brk can only grow into the gap above [heap]');
  const largest = Math.max(0x40010000 - 0x01100000, 0x7efdf000 - (0x40110000 + 9 * 0x20000)); // below or above the mmap
  assert.equal(p.headroom.largestGap, largest);
  assert.equal(anon.timeLeftBy.addressSpace, (largest / (128 * K * 60)) * 3600, 'an mmap takes the largest gap');
  const region = p.entries.find((e) => e.scope === 'region' && e.path === '[heap]')!;
  assert.equal(region.timeLeftBy.addressSpace, heap.timeLeftBy.addressSpace);
  const text = renderTrendText(r, makePaint(false));
  assert.match(text, /heap \(all\).*\(the gap above \[heap\]\)/);
  assert.match(text, /pid 5 .*: user space up to 0x80000000 \(default: /, 'the suspects say which ceiling their time left is measured against');
});
