/*! analyze/trend on synthetic series (real parser and classifier, hand-set layouts): the
 * board leaker and steady in miniature, a restart and a reboot that split the series, a
 * host clock that jumps (uptime is the truth), time left until each limit, MemAvailable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend } from '../../src/analyze/trend.js';
import type { ProcessTrend } from '../../src/model/trend.js';
import { capture, captureMaps, type ProcSpec } from './trend-helpers.js';

const K = 1024;
const leaker = (i: number): ProcSpec => ({ pid: 412, name: 'leaker', start: 500, heap: 0x21000 + i * 0x10000, anon: Math.floor(i / 2), threads: Math.floor(i / 3) });
const steady = (): ProcSpec => ({ pid: 413, name: 'steady', start: 510, heap: 0x21000, anon: 1, threads: 1 });
const byPid = (ps: ProcessTrend[], pid: number) => ps.filter((p) => p.pid === pid);
const kindOf = (p: ProcessTrend, kind: string) => p.entries.find((e) => e.measure === 'virtual' && e.scope === 'kind' && e.kind === kind)!;

test('leaker: heap, anonymous memory and thread stacks leak, with a thread leak; steady is stable', () => {
  const series = Array.from({ length: 12 }, (_, i) => capture(`t${i}`, 1000 + i * 60, [leaker(i), steady()]));
  const r = analyzeTrend(series);
  assert.deepEqual(r.series.names, series.map((c) => c.report.meta.name));
  assert.equal(r.processes.length, 2);
  const [l] = byPid(r.processes, 412);
  const [s] = byPid(r.processes, 413);
  assert.equal(r.processes[0], l, 'the suspect comes first');
  assert.equal(l!.verdict, 'leak');
  assert.equal(l!.confidence, 'high');
  assert.equal(kindOf(l!, 'heap').verdict, 'leak');
  assert.equal(kindOf(l!, 'heap').rate, 64 * K * 60, '64 KiB a minute by the board uptime');
  assert.equal(kindOf(l!, 'anon').verdict, 'leak');
  assert.equal(kindOf(l!, 'thread-stack').verdict, 'leak');
  assert.equal(kindOf(l!, 'code').verdict, 'stable');
  assert.ok(l!.entries.some((e) => e.scope === 'region' && e.path === '[heap]' && e.verdict === 'leak'), 'the [heap] region itself, matched across the series');
  assert.deepEqual([l!.threads.first, l!.threads.last, l!.threads.leak], [{ threads: 1, threadStacks: 0 }, { threads: 4, threadStacks: 3 }, true]);
  assert.equal(s!.verdict, 'stable');
  assert.ok(s!.entries.every((e) => e.verdict === 'stable'));
  assert.equal(s!.entries.filter((e) => e.scope === 'region').length, 0, 'stable regions are counted, not listed');
  assert.equal(s!.stableRegions, 7); // code, data, heap, anon, guard, thread stack, [stack]
  assert.equal(s!.threads.leak, false);
  assert.deepEqual([r.restarts, r.reboots, r.findings], [[], [], []]);
});

test('time left at the current rate: virtual growth runs out of the largest free gap and the stack limit, never MemAvailable', () => {
  const proc = (i: number): ProcSpec => ({ pid: 7, name: 'p', start: 100, heap: 0x21000 + i * 0x10000, stack: 0x21000 + i * 0x8000 });
  const series = Array.from({ length: 10 }, (_, i) => capture(`t${i}`, 600 + i * 60, [proc(i)], { memAvailableKiB: 100 * K - i * K }));
  const r = analyzeTrend(series);
  const p = r.processes[0]!;
  const heap = kindOf(p, 'heap');
  const heapRate = 64 * K * 60;
    // no anon mmaps here: the largest gap runs from the heap's end up to [stack]
  assert.equal(p.headroom.largestGap, 0x7f000000 - (0x21000 + 9 * 0x8000) - (0x30000 + 0x21000 + 9 * 0x10000));
  const gap = p.headroom.largestGap!;
  const memLast = (100 * K - 9 * K) * 1024;
  assert.equal(heap.timeLeftBy.addressSpace, (gap / heapRate) * 3600);
  assert.equal(heap.measure, 'virtual');
  assert.equal(heap.timeLeftBy.memAvailable, null, 'mapped is not resident: the MemAvailable horizon is resident growth\'s');
  assert.equal(heap.timeLeftBy.stack, null);
  assert.equal(heap.timeLeft, heap.timeLeftBy.addressSpace, 'the soonest');
  const stack = kindOf(p, 'stack');
  const stackRate = 0x8000 * 60;
  assert.equal(stack.verdict, 'leak');
  assert.equal(stack.timeLeftBy.stack, ((8388608 - (0x21000 + 9 * 0x8000)) / stackRate) * 3600);
  assert.equal(stack.timeLeftBy.addressSpace, null);
  assert.equal(p.headroom.stack.verdict, 'leak');
  assert.equal(p.headroom.addressSpace!.verdict, 'leak', 'the largest gap keeps shrinking');
  const mem = r.segments[0]!.memAvailable!;
  assert.equal(mem.verdict, 'leak');
  assert.equal(mem.last, memLast);
  assert.equal(mem.rate, 1024 * K * 60, '1 MiB a minute = 60 MiB an hour');
  assert.equal(mem.timeLeft, (memLast / (1024 * K * 60)) * 3600);
  const steadyPage = kindOf(p, 'code');
  assert.deepEqual([steadyPage.timeLeft, steadyPage.timeLeftBy], [null, { addressSpace: null, stack: null, memAvailable: null }]);
});

test('a restart mid-series splits it: each life judged alone, the restart reported, nothing averaged', () => {
  const series = [
    ...Array.from({ length: 5 }, (_, i) => capture(`t${i}`, 1000 + i * 60, [{ pid: 100, name: 'svc', start: 500, heap: 0x21000 + i * 0x40000 }])),
    ...Array.from({ length: 5 }, (_, i) => capture(`t${i + 5}`, 1300 + i * 60, [{ pid: 131, name: 'svc', start: 129000, heap: 0x21000 }])),
  ];
  const r = analyzeTrend(series);
  assert.deepEqual(r.restarts, [{ name: 'svc', before: { pid: 100, startTime: 500, snapshot: 't4' }, after: { pid: 131, startTime: 129000, snapshot: 't5' } }]);
  assert.deepEqual(r.processes.map((p) => [p.pid, p.from, p.to, p.captures, p.verdict]), [[100, 't0', 't4', 5, 'leak'], [131, 't5', 't9', 5, 'stable']]);
  assert.equal(r.segments.length, 1, 'a restart is not a reboot');
});

test('a reboot (uptime went down) splits the series into segments; the same pid after it is a new life', () => {
  const p = (heap: number): ProcSpec => ({ pid: 100, name: 'svc', start: 500, heap });
  const series = [
    capture('t0', 5000, [p(0x21000)]), capture('t1', 5060, [p(0x31000)]), capture('t2', 5120, [p(0x41000)]),
    capture('t3', 12, [p(0x21000)]), capture('t4', 72, [p(0x21000)]), capture('t5', 132, [p(0x21000)]),
  ];
  const r = analyzeTrend(series);
  assert.deepEqual(r.reboots, [{ before: { snapshot: 't2', uptime: 5120 }, after: { snapshot: 't3', uptime: 12 }, by: 'uptime-down' }]);
  assert.deepEqual(r.segments.map((s) => [s.from, s.to, s.captures, s.duration, s.clock]), [['t0', 't2', 3, 120, 'uptime'], ['t3', 't5', 3, 120, 'uptime']]);
  assert.deepEqual(r.processes.map((x) => [x.segment, x.from, x.verdict]), [[0, 't0', 'leak'], [1, 't3', 'stable']]);
  assert.deepEqual(r.restarts, [], 'after a reboot every process is new; that is the reboot, not a restart');
});

test('the host clock jumps (a year forward, then back a day) while uptime is the truth: rates come from uptime', () => {
  const at = ['2025-01-01T00:00:00Z', '2025-01-01T00:01:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', '2025-12-31T00:02:00Z', '2025-12-31T00:03:00Z'];
  const series = at.map((when, i) => capture(`t${i}`, 1000 + i * 60, [{ pid: 9, name: 'p', start: 1, heap: 0x21000 + i * 0x10000 }], { capturedAt: when }));
  const r = analyzeTrend(series);
  assert.deepEqual([r.segments[0]!.duration, r.segments[0]!.clock], [300, 'uptime']);
  assert.equal(kindOf(r.processes[0]!, 'heap').rate, 64 * K * 60);
});

test('without uptime the host clock is used and said so', () => {
  const at = ['2025-01-01T00:00:00Z', '2025-01-01T00:01:00Z', '2025-01-01T00:02:00Z'];
  const series = at.map((when, i) => capture(`t${i}`, null, [{ pid: 9, name: 'p', start: 1, heap: 0x21000 + i * 0x10000 }], { capturedAt: when, via: 'ssh' }));
  const r = analyzeTrend(series);
  assert.deepEqual(r.findings, [{ code: 'host-clock', segment: 0 }]);
  assert.equal(kindOf(r.processes[0]!, 'heap').rate, 64 * K * 60);
});

test('a single interval: low-confidence verdicts and a finding; one capture: stable and a finding', () => {
  const two = analyzeTrend([capture('a', 10, [leaker(0)]), capture('b', 70, [leaker(1)])]);
  assert.deepEqual(two.findings, [{ code: 'single-interval' }]);
  assert.deepEqual([two.processes[0]!.verdict, two.processes[0]!.confidence], ['leak', 'low']);
  const one = analyzeTrend([capture('a', 10, [leaker(3)])]);
  assert.deepEqual(one.findings, [{ code: 'single-capture' }]);
  assert.equal(one.processes[0]!.verdict, 'stable');
});

test('regions are chained pairwise: an anonymous region that absorbs its neighbour keeps its track', () => {
  const maps = (anon: string) => `00010000-00011000 r-xp 00000000 b3:01 7          /usr/bin/m\n${anon}7e000000-7e021000 rw-p 00000000 00:00 0          [stack]\n`;
  const split = '40010000-40110000 rw-p 00000000 00:00 0 \n40110000-40210000 r--p 00000000 00:00 0 \n';
  const merged = '40010000-40210000 rw-p 00000000 00:00 0 \n'; // mprotect(rw) on the upper half: the kernel merges them
  const r = analyzeTrend([captureMaps('a', 0, maps(split)), captureMaps('b', 60, maps(merged)), captureMaps('c', 120, maps(merged))]);
  const p = r.processes[0]!;
  const anon = p.entries.filter((e) => e.scope === 'region');
  assert.deepEqual(anon.map((e) => [e.kind, e.start, e.evidence.first, e.evidence.last]), [['anon', 0x40010000, 0x100000, 0x200000]]);
  assert.equal(p.stableRegions, 3, 'code, [stack], and the r--p half (its track ended when it was absorbed)');
});

test('a process missing from one capture (gone mid-read) keeps its life when it is back with the same start time', () => {
  const p = (i: number): ProcSpec => ({ pid: 100, name: 'svc', start: 500, heap: 0x21000 + i * 0x10000 });
  const other: ProcSpec = { pid: 200, name: 'other', start: 600, heap: 0x21000 };
  const series = [0, 1, 2, 3, 4, 5].map((i) => capture(`t${i}`, 1000 + i * 60, i === 2 ? [other] : [p(i), other]));
  const r = analyzeTrend(series);
  const svc = r.processes.filter((x) => x.pid === 100);
  assert.deepEqual(svc.map((x) => [x.from, x.to, x.captures, x.verdict]), [['t0', 't5', 5, 'leak']]);
  assert.equal(kindOf(svc[0]!, 'heap').rate, 64 * K * 60, 'the missing capture leaves a longer interval, not a wrong rate');
  assert.deepEqual(r.restarts, []);
});

test('ARM: 1 MiB blocks that the kernel merges into the next thread stack line stay anonymous memory (a leak, not a sawtooth)', () => {
  // mmap hands out addresses top-down; adjacent rw-p anonymous mappings are one line, so a new
  // thread stack (8 MiB rw-p above its ---p guard) swallows the 1 MiB block above it, as on the board
  const allocations = ['blk', 'blk', 'thr', 'blk', 'blk', 'thr', 'blk', 'blk', 'thr', 'blk', 'blk'];
  const mapsAt = (n: number): string => {
    const vmas: { start: number; end: number; perms: string }[] = [];
    let cursor = 0xb6f00000;
    for (const a of allocations.slice(0, n)) {
      if (a === 'blk') vmas.unshift({ start: cursor - 0x100000, end: cursor, perms: 'rw-p' });
      else vmas.unshift({ start: cursor - 0x801000, end: cursor - 0x800000, perms: '---p' }, { start: cursor - 0x800000, end: cursor, perms: 'rw-p' });
      cursor = vmas[0]!.start;
    }
    const merged: typeof vmas = [];
    for (const v of vmas) {
      const last = merged[merged.length - 1];
      if (last && last.end === v.start && last.perms === v.perms) last.end = v.end;
      else merged.push({ ...v });
    }
    const h = (x: number) => x.toString(16).padStart(8, '0');
    return ['00010000-00011000 r-xp 00000000 b3:01 12 /usr/bin/leaker',
      ...merged.map((v) => `${h(v.start)}-${h(v.end)} ${v.perms} 00000000 00:00 0`),
      'bec26000-bec47000 rw-p 00000000 00:00 0          [stack]'].join('\n') + '\n';
  };
  const series = Array.from({ length: allocations.length }, (_, i) => captureMaps(`t${i}`, 100 + 10 * i, mapsAt(i + 1)));
  const [p] = analyzeTrend(series).processes;
  assert.equal(kindOf(p!, 'anon').verdict, 'leak', 'the blocks are never given back');
  assert.equal(kindOf(p!, 'anon').evidence.last, 7 * 0x100000, 'seven 1 MiB blocks, counted as the kind they were born as');
  assert.equal(kindOf(p!, 'thread-stack').verdict, 'leak');
  assert.equal(kindOf(p!, 'thread-stack').evidence.last, 3 * 0x800000, 'three 8 MiB stacks, without the blocks they swallowed');
});

test('a region mapped, grown and unmapped again and again (a new region each cycle) is a sawtooth, not a leak', () => {
  // like the board's sawtooth workload: 512 KiB blocks mmap'd side by side (one line), all munmap'd every 4th capture
  const cycle = [0, 1, 2, 3];
  const sizes = Array.from({ length: 14 }, (_, i) => cycle[i % 4]! * 0x80000);
  const mapsAt = (size: number) => ['00010000-00011000 r-xp 00000000 b3:01 12 /usr/bin/saw',
    ...(size ? [`${(0x40000000 - size).toString(16).padStart(8, '0')}-40000000 rw-p 00000000 00:00 0`] : []),
    '7efdf000-7f000000 rw-p 00000000 00:00 0          [stack]'].join('\n') + '\n';
  const series = sizes.map((s, i) => captureMaps(`t${i}`, 100 + 10 * i, mapsAt(s)));
  const [p] = analyzeTrend(series).processes;
  assert.equal(kindOf(p!, 'anon').verdict, 'sawtooth');
  assert.equal(p!.verdict, 'sawtooth', 'the last cycle, still growing, is listed but decides nothing on two intervals');
  const regions = p!.entries.filter((e) => e.scope === 'region');
  assert.ok(regions.filter((e) => e.verdict === 'leak').every((e) => e.confidence === 'low'));
  assert.ok(regions.some((e) => e.verdict === 'sawtooth'), 'a region that came and went gave its bytes back');
});
