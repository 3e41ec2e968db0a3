/*! The board's verdicts in a trend (issue 12) on hand-built series over real meminfo dumps
 * (fixtures/meminfo): the board's noise scales with MemTotal (max(1 MiB, 0.1 %)), growth into
 * memory the kernel reclaims (the page cache, SReclaimable, dentry) is a note and no leak,
 * SUnreclaim and Shmem growth are board leaks, and a board leak that runs out first is listed
 * first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend } from '../../src/analyze/trend.js';
import { renderTrendText } from '../../src/render/trend-text.js';
import type { TrendResult } from '../../src/model/trend.js';
import { boardCapture, CAMERA, dump, HOST, moved, VEXPRESS, type BoardSpec } from './board-helpers.js';

const plain = { bold: (s: string) => s, dim: (s: string) => s, warn: (s: string) => s, bad: (s: string) => s, good: (s: string) => s, kind: (s: string) => s } as never;
const steady = { pid: 20, name: 'steady', start: 100, heap: 0x21000 };
const N = 10;

/** N captures a minute apart; capture i is `at(i)`. */
function series(at: (i: number) => BoardSpec): TrendResult {
  return analyzeTrend(Array.from({ length: N }, (_, i) => boardCapture(`t${i}`, 1000 + 60 * i, at(i))));
}
const sys = (r: TrendResult, key: string) => r.system!.find((x) => x.key === key)!;

test('regression: normal cache churn on a real camera: MemFree falling into the page cache while MemAvailable holds is no board leak', () => {
  const base = dump(CAMERA);
  const r = series((i) => ({ meminfo: moved(base, { MemFree: -256 * i, Cached: 256 * i, 'Active(file)': 256 * i }), procs: [steady] }));
  assert.notEqual(sys(r, 'MemFree').verdict, 'leak', JSON.stringify(sys(r, 'MemFree')));
  assert.equal(sys(r, 'MemFree').reclaimable, true);
  const text = renderTrendText(r, plain);
  assert.doesNotMatch(text, /board leak/);
  assert.match(text, /^note: MemFree -15 MiB\/h: memory the kernel reclaims under pressure/m);
});

test('regression: reclaimable slab growth (SReclaimable, the dentry cache) is a note, not a leak', () => {
  const base = dump(CAMERA);
  const r = series((i) => ({
    meminfo: moved(base, { Slab: 256 * i, SReclaimable: 256 * i }), procs: [steady],
    slab: { dentry: { objs: 1000 + 2048 * i, size: 128 }, 'kmalloc-512': { objs: 400, size: 512 } },
  }));
  for (const k of ['Slab', 'SReclaimable']) assert.notEqual(sys(r, k).verdict, 'leak', k);
  assert.equal(sys(r, 'SReclaimable').reclaimable, true);
  const dentry = r.slab!.find((c) => c.cache === 'dentry')!;
  assert.deepEqual([dentry.verdict, dentry.reclaimable], ['stable', true]);
  const text = renderTrendText(r, plain);
  assert.doesNotMatch(text, /board leak/);
  assert.match(text, /^note: .*SReclaimable \+15 MiB\/h \(dentry \+15 MiB\/h\): memory the kernel reclaims under pressure .*not a leak by itself$/m);
});

test('SUnreclaim growth on a real camera is a board leak, with the unreclaimable cache that grows', () => {
  const base = dump(CAMERA);
  const r = series((i) => ({
    meminfo: moved(base, { Slab: 256 * i, SUnreclaim: 256 * i, MemAvailable: -256 * i, MemFree: -256 * i }), procs: [steady],
    slab: { dentry: { objs: 1000, size: 128 }, 'kmalloc-512': { objs: 400 + 512 * i, size: 512 } },
  }));
  assert.equal(sys(r, 'SUnreclaim').verdict, 'leak');
  assert.equal(sys(r, 'Slab').verdict, 'leak');
  assert.equal(r.slab!.find((c) => c.cache === 'kmalloc-512')!.verdict, 'leak');
  assert.match(renderTrendText(r, plain), /board leak: SUnreclaim .*slab caches growing: kmalloc-512 \+15 MiB\/h/);
});

test('regression: the board noise scales with MemTotal: SUnreclaim creeping 2 MiB is no leak on a 24 GiB host, and a leak on a 64 MB camera', () => {
  const creep = (file: string) => { const base = dump(file); return series((i) => ({ meminfo: moved(base, { Slab: 256 * i, SUnreclaim: 256 * i }), procs: [steady] })); };
  assert.equal(sys(creep(CAMERA), 'SUnreclaim').verdict, 'leak', 'noise 1 MiB on 64 MB');
  const host = creep(HOST);
  assert.notEqual(sys(host, 'SUnreclaim').verdict, 'leak', 'noise 0.1% of 24 GiB: 24 MiB');
  assert.doesNotMatch(renderTrendText(host, plain), /board leak/);
});

test('regression: a busy host whose counters wander by megabytes gets no board leak', () => {
  const base = dump(HOST);
  const wander = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10].map((x) => x * 1024); // kB: two up, one down: 10 MiB higher at the end
  const r = series((i) => ({ meminfo: moved(base, { AnonPages: wander[i]!, Shmem: wander[i]!, Slab: wander[i]!, SUnreclaim: wander[i]!, KernelStack: wander[i]! / 64 }), procs: [steady] }));
  for (const s of r.system!) assert.notEqual(s.verdict, 'leak', JSON.stringify(s));
});

test('regression: VmallocUsed creeping by two pages a capture (as on the armhf board) is no board leak on a real vexpress dump', () => {
  const base = dump(VEXPRESS);
  const r = series((i) => ({ meminfo: moved(base, { VmallocUsed: 8 * i }), procs: [steady] }));
  assert.notEqual(sys(r, 'VmallocUsed').verdict, 'leak', JSON.stringify(sys(r, 'VmallocUsed')));
});

test('shmlog in miniature on a real vexpress dump: Shmem leaks in tmpfs /dev/shm, no process is blamed', () => {
  const base = dump(VEXPRESS);
  const r = series((i) => ({ meminfo: moved(base, { Shmem: 1024 * i, Cached: 1024 * i, MemAvailable: -1024 * i, MemFree: -1024 * i }), procs: [steady], tmpfs: { '/dev/shm': 1024 * i } }));
  assert.equal(sys(r, 'Shmem').verdict, 'leak');
  assert.equal(r.tmpfs!.find((m) => m.mountPoint === '/dev/shm')!.verdict, 'leak');
  assert.ok(r.processes.every((p) => p.verdict !== 'leak'));
  const text = renderTrendText(r, plain);
  assert.match(text, /board leak: Shmem .* in tmpfs \/dev\/shm \(9 MiB, \+60 MiB\/h\).*no process's memory explains it/);
  assert.match(text, /no leak found in any process/);
});

test('a board leak no process explains is listed first when it runs out first, after the process leaks when they run out first', () => {
  const base = dump(VEXPRESS);
  // the leaker's heap grows 64 KiB a minute in address space (years to go); Shmem takes 1 MiB a minute of MemAvailable
  const leaker = (i: number) => ({ pid: 10, name: 'leaker', start: 100, heap: 0x21000 + 0x10000 * i });
  const first = series((i) => ({ meminfo: moved(base, { Shmem: 1024 * i, MemAvailable: -1024 * i }), procs: [leaker(i), steady] }));
  const t1 = renderTrendText(first, plain);
  assert.ok(t1.indexOf('SUSPECTS (board)') >= 0 && t1.indexOf('SUSPECTS (board)') < t1.indexOf('SUSPECTS\n'), t1);
  // now the leaker's resident heap takes 4 MiB a minute of MemAvailable: it runs out before Shmem does
  const fast = (i: number) => ({ ...leaker(i), heap: 0x21000 + 0x400000 * i, heapRss: 0x400000 * i });
  const later = series((i) => ({ meminfo: moved(base, { Shmem: 256 * i, MemAvailable: -4352 * i }), procs: [fast(i), steady] }));
  const t2 = renderTrendText(later, plain);
  assert.equal(sys(later, 'Shmem').verdict, 'leak');
  assert.ok(t2.indexOf('SUSPECTS\n') >= 0 && t2.indexOf('SUSPECTS\n') < t2.indexOf('SUSPECTS (board)'), t2);
});

test('an old kernel without MemAvailable (a real dump with the key removed): MemFree falling is judged as it is, nothing tells it from the page cache', () => {
  const old = dump(VEXPRESS).replace(/^MemAvailable:.*\n/m, '');
  const r = series((i) => ({ meminfo: moved(old, { MemFree: -256 * i, Cached: 256 * i }), procs: [steady] }));
  assert.equal(sys(r, 'MemFree').verdict, 'leak');
  assert.equal(sys(r, 'MemFree').reclaimable, undefined);
});
