/*! analyze/diff on hand-made capture pairs, each mimicking one thing the kernel does
 * between two reads of /proc/PID/maps. Expected rows are written out by hand; the
 * invariant (compare-helpers checkInvariant) is checked on every pair. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffProcess, sortDiffs } from '../../src/analyze/diff.js';
import { parseMaps } from '../../src/parse/maps.js';
import { classify } from '../../src/analyze/classify.js';
import type { ProcessDiff } from '../../src/model/diff.js';
import type { Region } from '../../src/model/vma.js';
import { fixture } from '../helpers.js';
import { changed, checkInvariant, r, rows, samePid } from './compare-helpers.js';

function diff(before: Region[], after: Region[], proc = samePid): ProcessDiff {
  const d = diffProcess(proc, before, after);
  checkInvariant(before, after, d);
  return d;
}

/** The executable: code, data, bss. Fresh objects each call (distinct line numbers). */
const exe = (): Region[] => [
  r('00010000-00011000 r-xp 00000000 b3:01 1023       /usr/bin/leaker', 'code', '/usr/bin/leaker'),
  r('00020000-00021000 rw-p 00000000 b3:01 1023       /usr/bin/leaker', 'data', '/usr/bin/leaker'),
  r('00021000-00022000 rw-p 00000000 00:00 0 ', 'bss', '/usr/bin/leaker'),
];
const stack = (): Region => r('bee00000-bee21000 rw-p 00000000 00:00 0          [stack]', 'stack', '[stack]');

// brk(): the kernel moves the end of the [heap] VMA up; its start stays.
test('brk growth: [heap] end moves up -> heap grown', () => {
  const d = diff(
    [...exe(), r('0002a000-0004b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), stack()],
    [...exe(), r('0002a000-0008b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), stack()],
  );
  assert.deepEqual(rows(d), [
    'same code /usr/bin/leaker 00010000-00011000 -> 00010000-00011000 0',
    'same data /usr/bin/leaker 00020000-00021000 -> 00020000-00021000 0',
    'same bss /usr/bin/leaker 00021000-00022000 -> 00021000-00022000 0',
    'grown heap [heap] 0002a000-0004b000 -> 0002a000-0008b000 +0x40000',
    'same stack [stack] bee00000-bee21000 -> bee00000-bee21000 0',
  ]);
  assert.deepEqual(d.byKind.heap, { before: 0x21000, after: 0x61000, delta: 0x40000 });
  assert.deepEqual(d.total, { before: 0x45000, after: 0x85000, delta: 0x40000 }); // exe 0x3000 + heap + stack 0x21000
});

// The first brk() of a process creates the [heap] VMA: it is absent from the earlier maps.
test('heap appearing for the first time -> heap new', () => {
  const d = diff([...exe(), stack()], [...exe(), r('0002a000-0004b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), stack()]);
  assert.deepEqual(changed(d), ['new heap [heap] - -> 0002a000-0004b000 +0x21000']);
});

// The main stack grows down: the kernel lowers the start of [stack]; not a move.
test('[stack] growing down -> stack grown, not moved', () => {
  const d = diff([stack()], [r('bedf0000-bee21000 rw-p 00000000 00:00 0          [stack]', 'stack', '[stack]')]);
  assert.deepEqual(rows(d), ['grown stack [stack] bee00000-bee21000 -> bedf0000-bee21000 +0x10000']);
});

// vma_merge(): two adjacent anonymous VMAs with the same flags that the kernel kept apart
// (different anon_vma) are joined later, e.g. after an mprotect over both.
test('anon merge: two adjacent anon VMAs become one -> one region, same/merged', () => {
  const d = diff(
    [r('b6d00000-b6e00000 rw-p 00000000 00:00 0 ', 'anon', 'anon'), r('b6e00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [r('b6d00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
  );
  assert.deepEqual(rows(d), ['same/merged anon anon b6d00000-b6f00000x2 -> b6d00000-b6f00000 0']);
});

// mmap() of a new block directly below an existing one with the same flags: the kernel
// extends the existing VMA downwards instead of adding a line. The region absorbed its
// neighbour: grown, not new.
test('anon absorbing a new neighbour -> grown, not new', () => {
  const d = diff(
    [r('b6e00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [r('b6d00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
  );
  assert.deepEqual(rows(d), ['grown anon anon b6e00000-b6f00000 -> b6d00000-b6f00000 +0x100000']);
});

// mprotect(PROT_NONE) on one page in the middle of an anon VMA: the kernel splits it in
// three, the middle one ---p. The rw-p parts stay one region (split); the page is new.
test('anon split by mprotect in the middle -> shrunk/split plus a new guard', () => {
  const d = diff(
    [r('b6d00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [
      r('b6d00000-b6d80000 rw-p 00000000 00:00 0 ', 'anon', 'anon'),
      r('b6d80000-b6d81000 ---p 00000000 00:00 0 ', 'guard', 'anon'),
      r('b6d81000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon'),
    ],
  );
  assert.deepEqual(rows(d), [
    'shrunk/split anon anon b6d00000-b6f00000 -> b6d00000-b6f00000x2 -0x1000',
    'new guard anon - -> b6d80000-b6d81000 +0x1000',
  ]);
  assert.deepEqual(d.total, { before: 0x200000, after: 0x200000, delta: 0 });
});

// ARM, glibc: pthread_create() mmaps an 8 MiB stack plus a guard page directly below a
// 1 MiB malloc block mmapped earlier; the stack and the block have equal flags, so the
// kernel shows them as one rw-p line above the new ---p guard. Classified with the 8 MiB
// stack limit, the line is the thread's 8 MiB stack plus the block: a new thread stack of
// 8 MiB, the block unchanged (regression, issue 10: not a 9 MiB thread stack).
test('regression: new thread stack merged with an adjacent mmap -> a new 8 MiB thread stack, the block the same', () => {
  const classified = (lines: string) => classify(parseMaps(lines, { source: 't' }).vmas, { arenaSize: 0x100000, threadStackSize: 8 << 20 });
  const d = diff(
    classified('b5e01000-b5f01000 rw-p 00000000 00:00 0 '),
    classified('b5600000-b5601000 ---p 00000000 00:00 0 \nb5601000-b5f01000 rw-p 00000000 00:00 0 '),
  );
  assert.deepEqual(rows(d), [
    'new guard thread stack 0xb5601000 - -> b5600000-b5601000 +0x1000',
    'new thread-stack thread stack 0xb5601000 - -> b5601000-b5e01000 +0x800000',
    'same anon anon b5e01000-b5f01000 -> b5e01000-b5f01000 0',
  ]);
  assert.deepEqual(d.byKind, {
    anon: { before: 0x100000, after: 0x100000, delta: 0 },
    guard: { before: 0, after: 0x1000, delta: 0x1000 },
    'thread-stack': { before: 0, after: 0x800000, delta: 0x800000 },
  });
  assert.deepEqual(d.threadStacks, { before: 0, after: 1 });
});

// The other order: the thread's stack first, then a 1 MiB block mmapped right above it
// (into a hole a freed block left): the line grows by 1 MiB, and that is anon growth.
test('regression: a block merged into an existing thread stack\'s line -> anon +1 MiB, the stack the same', () => {
  const classified = (lines: string) => classify(parseMaps(lines, { source: 't' }).vmas, { arenaSize: 0x100000, threadStackSize: 8 << 20 });
  const guard = 'b55ff000-b5600000 ---p 00000000 00:00 0 \n';
  const d = diff(classified(guard + 'b5600000-b5e00000 rw-p 00000000 00:00 0 '), classified(guard + 'b5600000-b5f00000 rw-p 00000000 00:00 0 '));
  assert.deepEqual(changed(d), ['new anon anon - -> b5e00000-b5f00000 +0x100000']);
  assert.equal(d.byKind['thread-stack']!.after, 0x800000, 'within the 8 MiB limit');
});

// Kernels 3.x-4.x name thread stacks [stack:TID]; glibc reuses a dead thread's cached
// stack for the next thread, so the same VMA shows another TID.
test('[stack:TID] reused by a new thread at the same address -> same', () => {
  const d = diff(
    [r('b5600000-b5e00000 rw-p 00000000 00:00 0          [stack:812]', 'thread-stack', 'thread stack 812')],
    [r('b5600000-b5e00000 rw-p 00000000 00:00 0          [stack:907]', 'thread-stack', 'thread stack 907')],
  );
  assert.deepEqual(rows(d), ['same thread-stack thread stack 907 b5600000-b5e00000 -> b5600000-b5e00000 0']);
});

// Kernels 3.4-4.4 print [stack:TID] on the VMA holding a thread's stack pointer. The thread
// exits; glibc keeps its stack in its cache (nptl allocatestack.c, up to 40 MiB), so the VMA
// stays and the kernel prints it as a plain anonymous line over the same range.
test('regression: a thread stack glibc cached ([stack:TID], then a plain anonymous line) -> the same region', () => {
  const classified = (lines: string) => classify(parseMaps(lines, { source: 't' }).vmas, { arenaSize: 0x100000 });
  const guard = 'b5600000-b5601000 ---p 00000000 00:00 0 \n';
  const d = diff(
    classified(guard + 'b5601000-b5e01000 rw-p 00000000 00:00 0          [stack:812]'),
    classified(guard + 'b5601000-b5e01000 rw-p 00000000 00:00 0 '),
  );
  assert.deepEqual(d.regions.map((x) => `${x.status} ${x.kind}`), ['same guard', 'same thread-stack']);
  assert.equal(d.total.delta, 0);
  assert.deepEqual(d.byKind['thread-stack'], { before: 0x800000, after: 0x800000, delta: 0 });
});

// mprotect() over a whole anonymous VMA (a JIT sealing its code, PROT_NONE on a freed
// pool): the kernel keeps the VMA and changes only its perms.
test('mprotect over a whole anon VMA -> the same region with other perms, not gone + new', () => {
  const d = diff(
    [r('b6d00000-b6d40000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [r('b6d00000-b6d40000 ---p 00000000 00:00 0 ', 'guard', 'anon')],
  );
  assert.deepEqual(rows(d), ['same guard anon b6d00000-b6d40000 -> b6d00000-b6d40000 0']);
  assert.deepEqual([d.regions[0]!.before!.perms, d.regions[0]!.after!.perms], ['rw-p', '---p']);
});

const libfoo = (inode: number, lines: string[]): Region[] => {
  const kinds = ['code', 'guard', 'rodata', 'data'] as const;
  return lines.map((l, i) => r(`${l} b3:01 ${inode}        /usr/lib/libfoo.so`, kinds[i]!, '/usr/lib/libfoo.so'));
};

// dlclose() + dlopen() after an upgrade wrote a new libfoo.so (new inode): the kernel maps
// the new file; same path, other inode, other segment sizes and offsets.
test('library replaced (same path, new inode) -> one region per segment, note replaced', () => {
  const d = diff(
    libfoo(100, ['b6f00000-b6f20000 r-xp 00000000', 'b6f20000-b6f2f000 ---p 00020000', 'b6f2f000-b6f30000 r--p 0001f000', 'b6f30000-b6f31000 rw-p 00020000']),
    libfoo(200, ['b6f00000-b6f22000 r-xp 00000000', 'b6f22000-b6f31000 ---p 00022000', 'b6f31000-b6f32000 r--p 00021000', 'b6f32000-b6f33000 rw-p 00022000']),
  );
  assert.deepEqual(rows(d), [
    'grown/replaced code /usr/lib/libfoo.so b6f00000-b6f20000 -> b6f00000-b6f22000 +0x2000',
    'same/replaced guard /usr/lib/libfoo.so b6f20000-b6f2f000 -> b6f22000-b6f31000 0',
    'same/replaced rodata /usr/lib/libfoo.so b6f2f000-b6f30000 -> b6f31000-b6f32000 0',
    'same/replaced data /usr/lib/libfoo.so b6f30000-b6f31000 -> b6f32000-b6f33000 0',
  ]);
  assert.equal(d.regions[0]!.before!.regions[0]!.inode, 100);
  assert.equal(d.regions[0]!.after!.regions[0]!.inode, 200);
});

// The file was replaced on disk but the process never re-mapped it: the kernel keeps the
// old inode and appends " (deleted)". Same (dev, inode, path, offset): unchanged.
test('library deleted on disk but still mapped -> same, flagged deleted', () => {
  const d = diff(
    [r('b6f00000-b6f20000 r-xp 00000000 b3:01 100        /usr/lib/libfoo.so', 'code', '/usr/lib/libfoo.so')],
    [r('b6f00000-b6f20000 r-xp 00000000 b3:01 100        /usr/lib/libfoo.so (deleted)', 'code', '/usr/lib/libfoo.so')],
  );
  assert.deepEqual(rows(d), ['same code /usr/lib/libfoo.so b6f00000-b6f20000 -> b6f00000-b6f20000 0']);
  assert.equal(d.regions[0]!.after!.regions[0]!.deleted, true);
});

const cache = (range: string): Region => r(`${range} r--s 00000000 b3:02 300        /data/cache.db`, 'shared', '/data/cache.db');

// mmap() of the same file offset twice gives two VMAs with the same (dev, inode, path,
// offset); re-mapping one with a longer length changes only that one.
test('file mapped twice: kept apart; the one at the same start is the one that grew', () => {
  const d = diff(
    [cache('b6a00000-b6a10000'), cache('b6b00000-b6b10000')],
    [cache('b6a00000-b6a10000'), cache('b6b00000-b6b20000')],
  );
  assert.deepEqual(rows(d), [
    'same shared /data/cache.db b6a00000-b6a10000 -> b6a00000-b6a10000 0',
    'grown shared /data/cache.db b6b00000-b6b10000 -> b6b00000-b6b20000 +0x10000',
  ]);
});

// Both mappings unmapped and mapped again elsewhere: nothing shares a start, so the
// first before pairs with the first after, the second with the second.
test('file mapped twice, both moved: paired in address order', () => {
  const d = diff(
    [cache('b6a00000-b6a10000'), cache('b6b00000-b6b10000')],
    [cache('b6800000-b6810000'), cache('b6900000-b6920000')],
  );
  assert.deepEqual(rows(d), [
    'same/moved shared /data/cache.db b6a00000-b6a10000 -> b6800000-b6810000 0',
    'grown/moved shared /data/cache.db b6b00000-b6b10000 -> b6900000-b6920000 +0x10000',
  ]);
});

// glibc on 32-bit reserves a 1 MiB-aligned arena PROT_NONE and mprotects more of it
// read-write as it grows: the rw-p VMA grows, the ---p reserve above shrinks as much.
test('glibc arena growing into its reserve -> arena grown, reserve shrunk by the same', () => {
  const d = diff(
    [r('b4e00000-b4e21000 rw-p 00000000 00:00 0 ', 'arena', 'arena'), r('b4e21000-b4f00000 ---p 00000000 00:00 0 ', 'guard', 'arena')],
    [r('b4e00000-b4e42000 rw-p 00000000 00:00 0 ', 'arena', 'arena'), r('b4e42000-b4f00000 ---p 00000000 00:00 0 ', 'guard', 'arena')],
  );
  assert.deepEqual(rows(d), [
    'grown arena arena b4e00000-b4e21000 -> b4e00000-b4e42000 +0x21000',
    'shrunk guard arena b4e21000-b4f00000 -> b4e42000-b4f00000 -0x21000',
  ]);
  assert.deepEqual(d.total, { before: 0x100000, after: 0x100000, delta: 0 });
});

// dlclose() of the last user: the kernel unmaps every segment of the library and its bss.
test('library unloaded -> every segment and its bss gone', () => {
  const bar = (): Region[] => [
    r('b6c00000-b6c10000 r-xp 00000000 b3:01 400        /usr/lib/libbar.so', 'code', '/usr/lib/libbar.so'),
    r('b6c10000-b6c1f000 ---p 00010000 b3:01 400        /usr/lib/libbar.so', 'guard', '/usr/lib/libbar.so'),
    r('b6c1f000-b6c20000 r--p 0000f000 b3:01 400        /usr/lib/libbar.so', 'rodata', '/usr/lib/libbar.so'),
    r('b6c20000-b6c21000 rw-p 00010000 b3:01 400        /usr/lib/libbar.so', 'data', '/usr/lib/libbar.so'),
    r('b6c21000-b6c23000 rw-p 00000000 00:00 0 ', 'bss', '/usr/lib/libbar.so'),
  ];
  const d = diff([...exe(), ...bar()], exe());
  assert.deepEqual(changed(d), [
    'gone code /usr/lib/libbar.so b6c00000-b6c10000 -> - -0x10000',
    'gone guard /usr/lib/libbar.so b6c10000-b6c1f000 -> - -0xf000',
    'gone rodata /usr/lib/libbar.so b6c1f000-b6c20000 -> - -0x1000',
    'gone data /usr/lib/libbar.so b6c20000-b6c21000 -> - -0x1000',
    'gone bss /usr/lib/libbar.so b6c21000-b6c23000 -> - -0x2000',
  ]);
  assert.deepEqual(d.byOwner['/usr/lib/libbar.so'], { before: 0x23000, after: 0, delta: -0x23000 });
});

// A restart is a new process: ASLR puts the heap and anonymous blocks elsewhere.
test('process restart: compared, flagged restarted, heap moved, anon gone and new', () => {
  const restart = { before: { pid: 412, name: 'leaker', startTime: 1000 }, after: { pid: 977, name: 'leaker', startTime: 9000 }, restarted: true };
  const d = diff(
    [r('0002a000-0004b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), r('b6d00000-b6e00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [r('01c4e000-01c8f000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), r('b6a00000-b6b00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    restart,
  );
  assert.equal(d.restarted, true);
  assert.deepEqual(d.pid, { before: 412, after: 977 });
  assert.equal(d.name, 'leaker');
  assert.deepEqual(rows(d), [
    'grown/moved heap [heap] 0002a000-0004b000 -> 01c4e000-01c8f000 +0x20000',
    'new anon anon - -> b6a00000-b6b00000 +0x100000',
    'gone anon anon b6d00000-b6e00000 -> - -0x100000',
  ]);
});

// A process that exited (or appeared) between the captures: every region gone (or new).
test('gone process: every region gone', () => {
  const d = diff(exe(), [], { before: samePid.before, after: null, restarted: false });
  assert.deepEqual(d.pid, { before: 412, after: null });
  assert.deepEqual(d.regions.map((x) => x.status), ['gone', 'gone', 'gone']);
  assert.deepEqual(d.total, { before: 0x3000, after: 0, delta: -0x3000 });
});

test('sortDiffs: delta puts the largest growth first, shrinks last; address restores order', () => {
  const d = diff(
    [...exe(), r('0002a000-0004b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), r('b6d00000-b6f00000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
    [r('0002a000-0008b000 rw-p 00000000 00:00 0          [heap]', 'heap', '[heap]'), r('b6d00000-b6f80000 rw-p 00000000 00:00 0 ', 'anon', 'anon')],
  );
  const byDelta = sortDiffs(d.regions, 'delta').map((x) => `${x.kind} ${x.delta}`);
  assert.deepEqual(byDelta, ['anon 524288', 'heap 262144', 'code -4096', 'data -4096', 'bss -4096']);
  assert.deepEqual(sortDiffs(sortDiffs(d.regions, 'delta'), 'address'), d.regions);
});

// The kernel prints the same maps twice when nothing changed: 646 real lines, all same.
test('a real capture against itself: every region same, every line accounted for', () => {
  const regions = (): Region[] =>
    parseMaps(fixture('maps/armv7-glibc-remarkable2-xochitl-qt.maps'), { source: 'fixture' }).vmas.map((v) => ({
      ...v,
      kind: v.path === '' ? (v.perms === '---p' ? 'guard' : 'anon') : v.path === '[heap]' ? 'heap' : v.path === '[stack]' ? 'stack'
        : v.path.startsWith('[') ? 'kernel' : v.perms[3] === 's' ? 'shared' : 'code',
      owner: v.path || 'anon',
    }));
  const before = regions();
  const d = diff(before, regions());
  assert.equal(d.regions.length, 646);
  assert.deepEqual(changed(d), []);
  assert.equal(d.total.delta, 0);
});
