/*! trend on resident memory (issue 11), on hand-built series run through the real parser:
 * a pool whose maps never change but whose Rss grows is a resident leak; the MemAvailable
 * horizon follows resident growth only; guard lines are never a leak; memory touched and
 * dropped again is a sawtooth; a process's verdict is the most serious of both measures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend } from '../../src/analyze/trend.js';
import type { ProcessTrend } from '../../src/model/trend.js';
import { capture, captureMaps } from './trend-helpers.js';

const K = 1024;
const POOL = 32 * 1024 * K;
const entry = (p: ProcessTrend, measure: string, scope: string, kind: string) =>
  p.entries.find((e) => e.measure === measure && e.scope === scope && e.kind === kind);
const series = (rss: (i: number) => number, n = 12) =>
  Array.from({ length: n }, (_, i) => capture(`t${i}`, 600 + i * 60, [{ pid: 9, name: 'pool', start: 100, heap: POOL, heapRss: rss(i) }], { memAvailableKiB: 200 * K - i * 256 }));

test('a pool mapped once and filled over time is a resident leak though its maps never change', () => {
  const r = analyzeTrend(series((i) => 1024 * K + i * 256 * K));
  const p = r.processes[0]!;
  assert.equal(p.verdict, 'leak');
  assert.equal(entry(p, 'virtual', 'kind', 'heap')!.verdict, 'stable', 'its size never changed');
  assert.equal(entry(p, 'virtual', 'total', 'total')!.verdict, 'stable');
  assert.equal(entry(p, 'resident', 'total', 'total')!.verdict, 'leak');
  assert.equal(entry(p, 'resident', 'kind', 'heap')!.verdict, 'leak');
  const region = p.entries.find((e) => e.measure === 'resident' && e.scope === 'region')!;
  assert.equal(region.path, '[heap]', 'the pool\'s own region carries the resident leak');
  assert.equal(region.verdict, 'leak');
  assert.equal(region.rate, 256 * K * 60, '256 KiB a minute');
});

test('the MemAvailable horizon follows the resident rate only; resident growth has no address-space horizon', () => {
  const r = analyzeTrend(series((i) => 1024 * K + i * 256 * K));
  const p = r.processes[0]!;
  const total = entry(p, 'resident', 'total', 'total')!;
  const memLast = (200 * K - 11 * 256) * K;
  assert.equal(total.timeLeftBy.memAvailable, (memLast / (256 * K * 60)) * 3600);
  assert.equal(total.timeLeftBy.addressSpace, null);
  assert.equal(total.timeLeftBy.stack, null);
  assert.equal(total.timeLeft, total.timeLeftBy.memAvailable);
});

test('resident memory touched and dropped again (MADV_DONTNEED) is a sawtooth, not a leak', () => {
  const r = analyzeTrend(series((i) => (i % 3) * 2048 * K));
  const p = r.processes[0]!;
  assert.equal(entry(p, 'resident', 'kind', 'heap')!.verdict, 'sawtooth');
  assert.notEqual(p.verdict, 'leak');
});

test('a resident sawtooth whose lows keep rising is a leak at the rate of its lows', () => {
  const r = analyzeTrend(series((i) => (i % 3) * 2048 * K + Math.floor(i / 3) * 512 * K, 13));
  const p = r.processes[0]!;
  const heap = entry(p, 'resident', 'kind', 'heap')!;
  assert.equal(heap.verdict, 'leak');
  assert.ok(Math.abs(heap.rate! - 512 * K * 20) < 1, `512 KiB per 3 minutes: ${heap.rate}`);
});

test("a process's verdict is the most serious of its virtual and resident entries", () => {
  const r = analyzeTrend(series(() => 1024 * K));
  assert.equal(r.processes[0]!.verdict, 'stable', 'both stable');
  for (const e of r.processes[0]!.entries) assert.equal(e.verdict, 'stable', `${e.measure} ${e.scope} ${e.kind}`);
  assert.ok(r.processes[0]!.entries.some((e) => e.measure === 'resident'), 'resident entries are there when captured');
});

test('guard and reserve kinds are never a memory leak, however their lines grow', () => {
  const line = (s: number, e: number, perms: string, path = '') =>
    `${s.toString(16).padStart(8, '0')}-${e.toString(16).padStart(8, '0')} ${perms} 00000000 00:00 0`.padEnd(49) + path;
  const maps = (i: number) => [
    line(0x10000, 0x11000, 'r-xp', '/usr/bin/g'),
    line(0x40000000, 0x40100000 + i * 0x100000, '---p'),
    line(0x7efdf000, 0x7f000000, 'rw-p', '[stack]'),
  ].join('\n') + '\n';
  const r = analyzeTrend(Array.from({ length: 10 }, (_, i) => captureMaps(`t${i}`, 600 + i * 60, maps(i))));
  const p = r.processes[0]!;
  const guards = p.entries.filter((e) => e.kind === 'guard');
  assert.ok(guards.length > 0);
  for (const e of guards) assert.notEqual(e.verdict, 'leak', `${e.scope} ${e.measure}`);
  assert.equal(guards.find((e) => e.scope === 'kind')!.timeLeft, null, 'and no horizon');
});
