/*! compare's board section (issue 12) on pairs built from real meminfo dumps (fixtures/meminfo,
 * keys moved by hand): the bucket that moved beyond the board's noise and what moved with it (a
 * process's USS, a tmpfs mount, a slab cache, threads), fds per process against Max open
 * files, maps against vm.max_map_count, and the text and JSON that say it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports } from '../../src/analyze/compare.js';
import { renderCompareText } from '../../src/render/compare-text.js';
import { renderCompareJson } from '../../src/render/compare-json.js';
import type { CompareResult } from '../../src/model/compare.js';
import { boardReport, CAMERA, dump, HOST, moved, type BoardSpec } from './board-helpers.js';

const plain = { bold: (s: string) => s, dim: (s: string) => s, warn: (s: string) => s, bad: (s: string) => s, good: (s: string) => s, kind: (s: string) => s } as never;
const K = 1024;
const pair = (a: BoardSpec, b: BoardSpec, uptime = 600): CompareResult => compareReports(boardReport('t0', 1000, a), boardReport('t1', 1000 + uptime, b));
const bucket = (r: CompareResult, n: string) => r.board!.buckets.find((x) => x.name === n)!;
const text = (r: CompareResult) => renderCompareText({ result: r, regions: () => [] }, plain);

// a leaker whose USS grows 3 MiB, a daemon logging 2 MiB into /dev/shm, a driver's kmalloc-512 growing 1.5 MiB
const leaker = (ussKiB: number, fds: number, heap: number) => ({ pid: 10, name: 'leaker', start: 100, heap, ussKiB, fds, nofile: 1024 });
const logger = { pid: 11, name: 'logd', start: 100, heap: 0x21000, ussKiB: 200, fds: 5, nofile: 1024 };
const before: BoardSpec = {
  meminfo: dump(CAMERA), procs: [leaker(1000, 12, 0x21000), logger], maxMapCount: 65530,
  slab: { 'kmalloc-512': { objs: 400, size: 512 }, dentry: { objs: 2000, size: 128 } }, tmpfs: { '/dev/shm': 128, '/run': 40 },
};
const after: BoardSpec = {
  meminfo: moved(dump(CAMERA), { AnonPages: 3 * K, Shmem: 2 * K, Cached: 2 * K, Slab: 1536, SUnreclaim: 1536, MemFree: -6656, MemAvailable: -6656 }),
  procs: [leaker(1000 + 3 * K, 524, 0x21000 + 0x300000), logger], maxMapCount: 65530,
  slab: { 'kmalloc-512': { objs: 400 + 3072, size: 512 }, dentry: { objs: 2000, size: 128 } }, tmpfs: { '/dev/shm': 128 + 2 * K, '/run': 40 },
};

test('compare board: each bucket that moved, with what moved with it: the leaker\'s USS, tmpfs /dev/shm, the kmalloc-512 cache', () => {
  const r = pair(before, after);
  assert.equal(r.board!.noise, 1 << 20, 'a 64 MB camera: the 1 MiB floor');
  const pm = bucket(r, 'process memory');
  assert.deepEqual([pm.delta, pm.moved, pm.explained], [3 * K * K, true, 3 * K * K]);
  assert.deepEqual(pm.explainedBy, [{ what: 'process', pid: 10, name: 'leaker', measure: 'uss', delta: 3 * K * K }]);
  assert.deepEqual(bucket(r, 'shmem/tmpfs').explainedBy, [{ what: 'tmpfs', mountPoint: '/dev/shm', delta: 2 * K * K }]);
  assert.deepEqual(bucket(r, 'slab').explainedBy, [{ what: 'slab', cache: 'kmalloc-512', delta: 3072 * 512, reclaimable: false }]);
  assert.deepEqual(r.board!.slabSplit, { reclaimable: 0, unreclaimable: 1536 * K });
  assert.equal(bucket(r, 'free').delta, -6656 * K);
  assert.equal(bucket(r, 'page cache').moved, false, 'Cached grew by Shmem: page cache is Buffers + Cached - Shmem');
  const t = text(r);
  assert.match(t, /^board {2}\(a bucket moves beyond 1 MiB, the board's noise: max\(1 MiB, 0\.1% of MemTotal\)\)$/m);
  assert.match(t, /^ {2}process memory \+3 MiB: pid 10 leaker USS \+3 MiB; 100% of it accounted for; /m);
  assert.match(t, /^ {2}shmem\/tmpfs \+2 MiB: tmpfs \/dev\/shm \+2 MiB; /m);
  assert.match(t, /^ {2}slab \+1\.5 MiB: kmalloc-512 \+1\.5 MiB; SReclaimable 0 B, SUnreclaim \+1\.5 MiB; /m);
});

test('compare board: fds per process move with their limit; map counts against vm.max_map_count; file handles', () => {
  const r = pair(before, after);
  assert.deepEqual(r.board!.fds, [{ pid: 10, name: 'leaker', before: 12, after: 524, delta: 512, limit: 1024 }]);
  assert.deepEqual(r.board!.maps, [], 'the leaker\'s heap grew in place: one maps line as before');
  const t = text(r);
  assert.match(t, /^ {2}fds: pid 10 leaker 12 -> 524 \(\+512\) of 1024 Max open files \(51%\)$/m);
  const more = pair(before, { ...after, procs: [{ ...leaker(1000, 12, 0x21000), anon: 3 }, logger] });
  assert.deepEqual(more.board!.maps, [{ pid: 10, name: 'leaker', before: 4, after: 7, delta: 3, limit: 65530 }]);
  assert.match(text(more), /^ {2}maps: pid 10 leaker 4 -> 7 \(\+3\) of vm\.max_map_count 65530 \(0\.0%\)$/m);
});

test('compare board: the same moves on a 24 GiB host stay within its noise (0.1% of MemTotal)', () => {
  const host = (s: BoardSpec): BoardSpec => ({ ...s, meminfo: s === before ? dump(HOST) : moved(dump(HOST), { AnonPages: 3 * K, Shmem: 2 * K, Cached: 2 * K, Slab: 1536, SUnreclaim: 1536, MemFree: -6656, MemAvailable: -6656 }) });
  const r = pair(host(before), host(after));
  assert.ok(r.board!.noise > 24 * K * K, String(r.board!.noise));
  assert.ok(r.board!.buckets.every((x) => !x.moved), JSON.stringify(r.board!.buckets));
  assert.match(text(r), /^ {2}no bucket moved beyond 24\.1 MiB$/m);
});

test('compare board: a thread leak moves kernel stacks, said even within noise', () => {
  const t0 = { ...before, procs: [{ ...leaker(1000, 12, 0x21000), threads: 1 }, logger] };
  const t1 = { ...before, meminfo: moved(dump(CAMERA), { KernelStack: 32 }), procs: [{ ...leaker(1000, 12, 0x21000), threads: 5 }, logger] };
  const r = pair(t0, t1);
  assert.deepEqual(bucket(r, 'kernel stacks').explainedBy, [{ what: 'threads', pid: 10, name: 'leaker', delta: 4 }]);
  assert.match(text(r), /^ {2}within noise: kernel stacks \+32 KiB \(pid 10 leaker \+4 thread\(s\)\)$/m);
});

test('compare --json: board holds every bucket, the slab and tmpfs moves, fds and maps (fields only added)', () => {
  const j = JSON.parse(renderCompareJson({ result: pair(before, after), regions: () => [] }));
  assert.deepEqual(Object.keys(j.board), ['noise', 'memTotal', 'buckets', 'trusted', 'slabSplit', 'slab', 'tmpfs', 'fileNr', 'fds', 'maps']);
  assert.deepEqual(j.board.buckets.map((x: { name: string }) => x.name),
    ['free', 'page cache', 'process memory', 'shmem/tmpfs', 'slab', 'kernel stacks', 'page tables', 'vmalloc', 'unaccounted']);
  assert.deepEqual(Object.keys(j.board.buckets[0]), ['name', 'before', 'after', 'delta', 'moved', 'explainedBy', 'explained']);
  assert.deepEqual(j.board.tmpfs, [{ mountPoint: '/dev/shm', before: 128 * K, after: 2176 * K, delta: 2 * K * K }]);
  assert.equal(j.board.fileNr, null, 'no file-nr captured');
});

test('compare board: none without meminfo on a side, none across a reboot', () => {
  const bare = compareReports(boardReport('t0', 1000, { meminfo: '' , procs: [logger] }), boardReport('t1', 1600, after));
  assert.equal(bare.board, null);
  const rebooted = compareReports(boardReport('t0', 1000, before), boardReport('t1', 30, after));
  assert.equal(rebooted.rebooted, true);
  assert.equal(rebooted.board, null);
});
