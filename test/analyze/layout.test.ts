/*! layout() over real dumps: totals and free gaps worked out by hand from the dump's lines,
 * the above-ceiling and stack findings, a 64-bit capture with its ceiling; arch's defaults;
 * and stackLimitFor's choice of limit. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import { layout, stackLimitFor } from '../../src/analyze/layout.js';
import type { LayoutOptions } from '../../src/analyze/layout.js';
import { arenaSize, isKernelVma, wordBits } from '../../src/analyze/arch.js';
import { chooseCeiling } from '../../src/analyze/ceiling.js';
import type { Vma } from '../../src/model/vma.js';
import { fixture } from '../helpers.js';

const vmasOf = (name: string): Vma[] => parseMaps(fixture(`maps/${name}`), { source: name }).vmas;
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const opts32: LayoutOptions = {
  ceiling: 0x80000000, wordBits: 32, arenaSize: 0x100000, stackLimit: 8 * 1024 * 1024, stackLimitSource: 'ulimit -s',
};
const TENDA = 'arm-uclibc-tenda-ac15-httpd-noaslr.maps';

test('Tenda AC15 httpd, ceiling 0x80000000: totals by kind and owner, worked out by hand', () => {
  const lay = layout({ pid: 4388, name: 'httpd', vmas: vmasOf(TENDA) }, opts32);
  // end - start of each line, read off the dump and grouped by the kinds of classify.test.ts
  const code = [0xef000, 0x5000, 0xf000, 0x20000, 0x8000, 0x2000, 0x14000, 0xb000, 0x1000, 0xd000,
    0x66000, 0xf000, 0x29000, 0xa000, 0x65000, 0x1000]; // lines 1 4 9 13 17 20 23 26 31 34 37 41 45 49 52 57
  const data = [0x3000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0x2000, 0x5000, 0x1000, 0x1000, 0x1000,
    0x1000, 0x1000, 0x1000, 0x1000]; // lines 2 8 11 15 19 22 25 29 33 36 39 44 47 51 55
  const rodata = [0x1000, 0x1000, 0x1000, 0x1000, 0x1000]; // lines 7 28 43 54 59
  const bss = [0x1b000, 0x8000, 0x2000, 0x32000, 0x2000, 0x5000]; // lines 12 16 30 40 48 56
  const guard = [0x8000, 0x7000, 0x7000, 0x8000, 0x7000, 0x7000, 0x7000, 0x8000, 0x7000, 0x8000, 0x8000,
    0x7000, 0x8000, 0x7000]; // lines 10 14 18 21 24 27 32 35 38 42 46 50 53 58
  const anon = [0x1000, 0x1000]; // lines 5 6
  const heap = 0x22000; // line 3
  const stack = 0x21000; // line 60, 132 KiB
  const byKind = {
    code: sum(code), data: sum(data), rodata: sum(rodata), bss: sum(bss), guard: sum(guard), anon: sum(anon), heap, stack,
  };
  assert.equal(code.length + data.length + rodata.length + bss.length + guard.length + anon.length + 2, 60);
  assert.deepEqual(lay.totals.byKind, byKind);
  assert.equal(lay.totals.mapped, sum(Object.values(byKind)));
  assert.equal(lay.totals.mapped, 0x38e000); // 3640 KiB: every line of the dump summed once more, outside mapsdiff
  assert.equal(lay.totals.byOwner['/lib/libc.so.0'], 0x65000 + 0x8000 + 0x1000 + 0x1000 + 0x5000);
  assert.equal(lay.totals.byOwner['/lib/libtpi.so'], 0x66000 + 0x7000 + 0x1000 + 0x32000);
  assert.equal(lay.totals.byOwner['/bin/httpd'], 0xef000 + 0x3000);
  assert.equal(lay.totals.byOwner['anon'], 0x2000);
  assert.equal(lay.totals.byOwner['[heap]'], 0x22000);
  assert.equal(lay.totals.byOwner['[stack]'], 0x21000);
  assert.equal(Object.keys(lay.totals.byOwner).length, 19); // 16 files, anon, [heap], [stack]
  assert.equal(lay.wordBits, 32);
  assert.equal(lay.threadStacks, 0);
  assert.deepEqual(lay.stack, { size: 0x21000, limit: 8388608, limitSource: 'ulimit -s' });
});

test('Tenda AC15 httpd: free gaps from 0 up to the ceiling, the largest, and the 3G/1G stack', () => {
  const lay = layout({ pid: 4388, name: 'httpd', vmas: vmasOf(TENDA) }, opts32);
  const gaps: [number, number][] = [
    [0x0, 0x8000], // below the executable, as the seed's first "NOT USED" row
    [0xf7000, 0xff000], // httpd text .. data
    [0x124000, 0x40000000], // heap .. mmap base
    [0x40006000, 0x40007000], // between ld.so's two anonymous pages
    [0x40008000, 0x4000c000], // .. ld.so's rodata
    [0x4025e000, 0x80000000], // librt .. the ceiling (the stack at 0xbefdf000 is above it)
  ];
  assert.deepEqual(lay.free.gaps, gaps.map(([start, end]) => ({ start, end, size: Number(end - start) })));
  assert.equal(lay.free.total, 0x8000 + 0x8000 + 0x3fedc000 + 0x1000 + 0x4000 + 0x3fda2000);
  // heap..mmap base (0x3fedc000) beats librt..ceiling (0x3fda2000) by 0x13a000
  assert.deepEqual(lay.free.largest, { start: 0x124000, end: 0x40000000, size: 0x3fedc000 });
  // ARM 3G/1G: the stack near 0xbf000000 is a user VMA above a 2 GiB ceiling
  assert.deepEqual(lay.findings, [{ code: 'above-ceiling', ceiling: 0x80000000, count: 1, highest: 0xbf000000 }]);
  // and with the 3G/1G ceiling there is nothing above it
  const high = layout({ pid: 4388, name: 'httpd', vmas: vmasOf(TENDA) }, { ...opts32, ceiling: 0xc0000000 });
  assert.deepEqual(high.findings, []);
  assert.deepEqual(high.free.gaps.at(-1), { start: 0xbf000000, end: 0xc0000000, size: 0x1000000 });
  assert.deepEqual(high.free.gaps.at(-2), { start: 0x4025e000, end: 0xbefdf000, size: 0x7ed81000 });
});

test('stack-near-limit: over 75% of the limit, not at exactly 75%', () => {
  const vmas = vmasOf(TENDA); // [stack] is 0x21000 = 135168 bytes
  const at = (limit: number | null) => layout({ pid: 1, name: 'httpd', vmas }, { ...opts32, stackLimit: limit }).findings
    .filter((f) => f.code === 'stack-near-limit');
  assert.deepEqual(at(160 * 1024), [{ code: 'stack-near-limit', size: 135168, limit: 163840 }]); // 82%
  assert.deepEqual(at(180224), []); // 135168 is exactly 75% of 180224
  assert.deepEqual(at(null), []); // unlimited
});

test('reMarkable 2 (ARM 2G/2G, stack at 0x7eacf000): no above-ceiling, [vectors] left out', () => {
  const vmas = vmasOf('armv7-glibc-remarkable2-xochitl-qt.maps');
  assert.equal(wordBits(vmas, 'armv7l'), 32);
  const lay = layout({ pid: 1, name: 'xochitl', vmas }, opts32);
  // [vectors] at 0xffff0000 is the only line above 0x80000000, and it is the kernel's
  assert.deepEqual(lay.findings.filter((f) => f.code === 'above-ceiling'), []);
  assert.equal(lay.threadStacks, 14);
  assert.equal(lay.totals.byKind.kernel, undefined);
  // sigpage, vvar, vdso, vectors: one page each, the only lines left out of mapped
  const all = sum(vmas.map((v) => Number(v.end - v.start)));
  assert.equal(lay.totals.mapped, all - 4 * 0x1000);
  // gaps: 38 of them; the kernel pages below the ceiling still take their addresses
  assert.equal(lay.free.gaps.length, 38);
  assert.deepEqual(lay.free.gaps.slice(-2), [
    { start: 0x7eaf0000, end: 0x7eded000, size: 0x2fd000 }, // [stack] .. [sigpage]
    { start: 0x7edf0000, end: 0x80000000, size: 0x1210000 }, // [vdso] .. ceiling
  ]);
  assert.deepEqual(lay.free.largest, { start: 0x3ad6000, end: 0x44f70000, size: 0x4149a000 }); // [heap] .. ld.so
  // address space is conserved: mapped + free + the three kernel pages below the ceiling
  assert.equal(lay.totals.mapped + lay.free.total + 3 * 0x1000, 0x80000000);
});

test('x86-32 android with the 2 GiB ceiling: six user lines above it; on i686 its stack proves 3G/1G', () => {
  const vmas = vmasOf('x86-32-android-x86-init-setpropex-fixture.maps');
  const lay = layout({ pid: 1, name: 'init', vmas }, opts32);
  // lines 5 6 7 8 9 12 (vvar/vdso at 0xb7739000 are kernel pages and not counted)
  assert.deepEqual(lay.findings, [{ code: 'above-ceiling', ceiling: 0x80000000, count: 6, highest: 0xbfa9f000 }]);
  assert.equal(chooseCeiling(vmas, wordBits(vmas, 'i686'), 'i686').ceiling, 0xc0000000);
  const native = layout({ pid: 1, name: 'init', vmas }, { ...opts32, ceiling: 0xc0000000 });
  assert.deepEqual(native.findings, []);
});

test('x86-64 fish with the 47-bit ceiling: arenas, thread stacks, gaps, [vsyscall] ignored', () => {
  const vmas = vmasOf('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps');
  const bits = wordBits(vmas, 'x86_64');
  assert.equal(bits, 64);
  const { ceiling } = chooseCeiling(vmas, bits, 'x86_64');
  assert.equal(ceiling, 0x7ffffffff000); // TASK_SIZE_MAX: (1 << 47) - PAGE_SIZE
  const lay = layout({ pid: 1, name: 'fish', vmas },
    { ceiling, wordBits: bits, arenaSize: arenaSize(bits), stackLimit: 8388608, stackLimitSource: 'limits' });
  assert.equal(lay.wordBits, 64);
  assert.deepEqual(lay.findings, []); // [vsyscall] at 0xffffffffff600000 is the kernel's
  assert.equal(lay.threadStacks, 3);
  assert.equal(lay.totals.byKind.arena, 0x31000 + 0x21000);
  assert.equal(lay.totals.byKind['thread-stack'], 3 * 0x800000);
  // an arena and its reserve fill exactly one 64 MiB arena heap
  assert.equal(lay.totals.byOwner['arena 1'], 0x4000000);
  assert.equal(lay.totals.byOwner['arena 2'], 0x4000000);
  assert.equal(lay.totals.byOwner['thread stack 0x7f9e14368000'], 0x1000 + 0x800000);
  assert.equal(lay.totals.byOwner['/home/keke/.local/share/fish/fish_history'], 0x93000);
  assert.equal(lay.stack.size, 0x2a000);
  assert.equal(lay.free.gaps.length, 10);
  assert.deepEqual(lay.free.gaps[0], { start: 0, end: 0x563ea224a000, size: 0x563ea224a000 });
  assert.deepEqual(lay.free.gaps[6], { start: 0x7f9e157ff000, end: 0x7f9e15800000, size: 0x1000 }); // inside ld.so
  assert.deepEqual(lay.free.gaps[9], { start: 0x7ffc6a7f6000, end: 0x7ffffffff000, size: 0x395809000 });
  assert.deepEqual(lay.free.largest, lay.free.gaps[0]);
  // vvar (4 pages) and vdso (2 pages) sit below the ceiling and take their addresses
  assert.equal(lay.totals.mapped + lay.free.total + 0x6000, 0x7ffffffff000);
});

test('arch: word size from the addresses, ceilings, arena sizes, kernel pages', () => {
  const v = (start: number, end: number, path = ''): Vma =>
    ({ start, end, perms: 'r-xp', offset: 0, dev: '00:00', inode: 0, path, deleted: false, line: 1 });
  assert.equal(wordBits([v(0x8000, 0x9000)]), 32);
  assert.equal(wordBits([v(0xfffff000, 0x100000000)]), 32); // ends at 4 GiB: still 32-bit addresses
  assert.equal(wordBits([v(0x100000000, 0x100001000)]), 64);
  // armv7 userland on an aarch64 kernel: the addresses decide, not uname -m
  assert.equal(wordBits([v(0x8000, 0x9000)], 'aarch64'), 32);
  assert.equal(wordBits([], 'aarch64'), 64);
  assert.equal(wordBits([], 'armv7l'), 32);
  assert.equal(chooseCeiling([], 32, 'armv7l').ceiling, 0xbf000000);
  assert.equal(chooseCeiling([], 32, 'mips').ceiling, 0x80000000);
  assert.equal(chooseCeiling([], 32, null).ceiling, 0x80000000);
  assert.equal(chooseCeiling([], 32, 'aarch64').ceiling, 0xfffff000);
  assert.equal(chooseCeiling([], 64, 'aarch64').ceiling, 2 ** 39);
  assert.equal(arenaSize(32), 0x100000);
  assert.equal(arenaSize(64), 0x4000000);
  for (const name of ['[vdso]', '[vvar]', '[vsyscall]', '[vectors]', '[sigpage]']) {
    assert.equal(isKernelVma(v(0xffff0000, 0xffff1000, name)), true, name);
  }
  assert.equal(isKernelVma(v(0x1000, 0x2000, '[heap]')), false);
  assert.equal(isKernelVma(v(0x1000, 0x2000, '')), false);
});

test('stackLimitFor: the process limits first, then ulimit -s, else nothing', () => {
  assert.deepEqual(stackLimitFor({ limits: { stackSoft: 8388608, stackHard: null } }, 1048576),
    { stackLimit: 8388608, stackLimitSource: 'limits' });
  assert.deepEqual(stackLimitFor({ limits: { stackSoft: null, stackHard: null } }, 1048576),
    { stackLimit: null, stackLimitSource: 'limits' }); // unlimited for this process
  assert.deepEqual(stackLimitFor({}, 1048576), { stackLimit: 1048576, stackLimitSource: 'ulimit -s' });
  assert.deepEqual(stackLimitFor({}, null), { stackLimit: null, stackLimitSource: 'ulimit -s' });
  assert.deepEqual(stackLimitFor({}, undefined), { stackLimit: null, stackLimitSource: null });
});

test('layout of 100k VMAs: every region and gap accounted for (speed is in npm run bench, not here)', () => {
  const vma = (start: number, end: number, perms: string, path: string, inode: number, line: number): Vma =>
    ({ start, end, perms, offset: 0, dev: '00:00', inode, path, deleted: false, line });
  const vmas: Vma[] = [];
  for (let i = 0; i < 50_000; i++) {
    const at = 0x10000000 + i * 0x4000;
    vmas.push(vma(at, at + 0x1000, 'r-xp', `/lib/l${i}.so`, i + 1, vmas.length + 1));
    vmas.push(vma(at + 0x2000, at + 0x3000, 'rw-p', '', 0, vmas.length + 1));
  }
  const lay = layout({ pid: 1, name: 'big', vmas }, opts32);
  assert.equal(lay.regions.length, 100_000);
  assert.equal(lay.free.gaps.length, 100_001); // one below, one between each pair, one up to the ceiling
  assert.equal(lay.totals.mapped, 100_000 * 0x1000);
});
