/*! `mapsdiff trend` as a user runs it. Ground truth: a series captured with `capture local`
 * from four real processes steered to leak, plateau, sawtooth and stay stable, each of which
 * must get its verdict. Edges: synthetic series written to the store (a restart, a reboot, a
 * single interval, one page of noise, a host clock that jumps), and the refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { encodeSnapshot } from '../../src/store/file-format.js';
import { runTrend } from '../../src/cli/series.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { TextReuse } from '../../src/store/sections-scan.js';
import type { StoredSnapshot } from '../../src/store/file-format.js';
import { SnapshotStore } from '../../src/store/store.js';
import { parseCapture } from '../../src/parse/index.js';
import type { RawSection } from '../../src/model/capture.js';
import { sectionsOf, type ProcSpec } from '../analyze/trend-helpers.js';
import { boardSections, CAMERA, dump, moved, VEXPRESS, type BoardSpec } from '../analyze/board-helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { headerEdited } from '../helpers.js';
import { startWorkload } from './workload.js';

/** Writes a capture straight into the store, with the host time given (as a clock that jumps would). */
function put(dir: string, name: string, sections: RawSection[], capturedAt: string, target = 'board'): void {
  const parsed = parseCapture({ sections }, { source: name });
  new SnapshotStore(dir).save({ target, capturedAt, tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false }, sections, name);
}
const at = (i: number) => new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
const verdicts = (j: { processes: { pid: number; verdict: string }[] }) => Object.fromEntries(j.processes.map((p) => [p.pid, p.verdict]));

test('ground truth on this machine: leak, plateau, sawtooth and stable processes each get their verdict', async () => {
  const store = tempStore();
  const [leak, plateau, saw, stable] = await Promise.all([startWorkload(), startWorkload(), startWorkload(), startWorkload()]);
  try {
    const pids = [leak, plateau, saw, stable].flatMap((w) => ['--pid', String(w.pid)]);
    for (let i = 0; i < 10; i++) {
      await Promise.all([
        leak.send('heap 4'), // 256 KiB more heap every step
        plateau.send(i < 4 ? 'heap 4' : 'noop'), // grows for four steps, then stops
        saw.send(i % 2 ? 'map 8' : 'unmap'), // 8 MiB mapped, unmapped, mapped...
        stable.send('noop'),
      ]);
      const c = await mapsdiff(['capture', 'local', ...pids], { store });
      assert.equal(c.code, 0, c.stderr);
    }
    const r = await mapsdiff(['trend', '--json'], { store });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.series.length, 10);
    assert.deepEqual(verdicts(j), { [leak.pid]: 'leak', [plateau.pid]: 'plateau', [saw.pid]: 'sawtooth', [stable.pid]: 'stable' });
    const leaking = j.processes.find((p: { pid: number }) => p.pid === leak.pid);
    const heap = leaking.regions.find((x: { scope: string; kind: string }) => x.scope === 'kind' && x.kind === 'heap');
    assert.equal(heap.verdict, 'leak');
    assert.ok(heap.rate > 0 && heap.evidence.grew >= 5, `heap rate ${heap.rate}/h, grew in ${heap.evidence.grew} intervals`);
    assert.ok(heap.timeLeft > 0, 'time left until a limit');
    assert.equal(j.processes[0].pid, leak.pid, 'the suspect first');
    const text = await mapsdiff(['trend', 'local', '--fail-on-leak'], { store });
    assert.equal(text.code, 1, 'a leak with --fail-on-leak exits 1');
    // the heap leaks on both measures: its resident total runs out of MemAvailable, its heap of the gap above it
    assert.match(text.stdout, new RegExp(`^SUSPECTS\\n.*\\n(  .*\\n)*?  ${leak.pid}\\s+python3\\s+heap \\(all\\)\\s+\\+[\\d.]+ [KMG]iB/h\\s+leak`, 'm'));
    assert.match(text.stdout, new RegExp(`  ${leak.pid}\\s+python3\\s+total \\(RSS\\).*leak.*\\(MemAvailable\\)`));
    assert.match(text.stdout, /^CHANGED, NOT LEAKING/m);
    assert.match(text.stdout, /^processes: 1 leak, 1 plateau, 1 sawtooth, 1 stable;/m);
    assert.match(text.stderr, new RegExp(`--fail-on-leak: 1 process\\(es\\) leak: python3 \\(pid ${leak.pid}\\)`));
    const calm = await mapsdiff(['trend', '--pid', String(stable.pid), '--pid', String(saw.pid), '--fail-on-leak'], { store });
    assert.equal(calm.code, 0, 'no leak among these two');
    assert.match(calm.stdout, /^no leak found/m);
  } finally {
    for (const w of [leak, plateau, saw, stable]) w.stop();
  }
});

const svc = (pid: number, start: number, heap: number): ProcSpec => ({ pid, name: 'svc', start, heap });

test('a restart mid-series: two lives, judged apart, and the restart reported', async () => {
  const store = tempStore();
  for (let i = 0; i < 5; i++) put(store, `t${i}`, sectionsOf(1000 + i * 60, [svc(100, 500, 0x21000 + i * 0x40000)]), at(i));
  for (let i = 5; i < 10; i++) put(store, `t${i}`, sectionsOf(1000 + i * 60, [svc(131, 129000, 0x21000)]), at(i));
  const j = JSON.parse((await mapsdiff(['trend', '--json'], { store })).stdout);
  assert.deepEqual(j.processes.map((p: { pid: number; from: string; to: string; verdict: string }) => [p.pid, p.from, p.to, p.verdict]), [[100, 't0', 't4', 'leak'], [131, 't5', 't9', 'stable']]);
  assert.deepEqual(j.restarts, [{ name: 'svc', before: { pid: 100, startTime: 500, snapshot: 't4' }, after: { pid: 131, startTime: 129000, snapshot: 't5' } }]);
  const text = (await mapsdiff(['trend'], { store })).stdout;
  assert.match(text, /^restart: svc pid 100 \(t4\) -> pid 131 \(t5\); judged as two processes$/m);
});

test('a reboot splits the series; the text says where', async () => {
  const store = tempStore();
  [5000, 5060, 5120, 12, 72, 132].forEach((up, i) => put(store, `t${i}`, sectionsOf(up, [svc(100, 500, 0x21000 + (i < 3 ? i : 0) * 0x10000)]), at(i)));
  const j = JSON.parse((await mapsdiff(['trend', 'board', '--json'], { store })).stdout);
  assert.deepEqual(j.reboots, [{ before: { snapshot: 't2', uptime: 5120 }, after: { snapshot: 't3', uptime: 12 }, by: 'uptime-down' }]);
  assert.deepEqual(j.segments.map((s: { from: string; to: string }) => [s.from, s.to]), [['t0', 't2'], ['t3', 't5']]);
  assert.deepEqual(j.processes.map((p: { segment: number; verdict: string }) => [p.segment, p.verdict]), [[0, 'leak'], [1, 'stable']]);
  const text = (await mapsdiff(['trend'], { store })).stdout;
  assert.match(text, /^reboot: between t2 \(uptime 1h 25m\) and t3 \(uptime 12s\) \(uptime went down\); the series is split there$/m);
});

test('one interval: a low-confidence verdict and a warning; one page of noise is stable unless --noise 0', async () => {
  const store = tempStore();
  put(store, 'a', sectionsOf(100, [svc(7, 1, 0x21000)]), at(0));
  put(store, 'b', sectionsOf(160, [svc(7, 1, 0x31000)]), at(1));
  const one = await mapsdiff(['trend', '--json'], { store });
  const j = JSON.parse(one.stdout);
  assert.deepEqual(j.findings, [{ code: 'single-interval' }]);
  assert.deepEqual([j.processes[0].verdict, j.processes[0].confidence], ['leak', 'low']);
  assert.match((await mapsdiff(['trend'], { store })).stdout, /only one interval: a leak cannot be told from warm-up yet/);

  const noisy = tempStore();
  for (let i = 0; i < 8; i++) put(noisy, `t${i}`, sectionsOf(100 + i * 60, [svc(7, 1, 0x21000 + (i % 2) * 0x1000)]), at(i));
  assert.deepEqual(verdicts(JSON.parse((await mapsdiff(['trend', '--json'], { store: noisy })).stdout)), { 7: 'stable' });
  assert.deepEqual(verdicts(JSON.parse((await mapsdiff(['trend', '--json', '--noise', '0'], { store: noisy })).stdout)), { 7: 'sawtooth' });
});

test('the host clock jumps a year while the board uptime advances a minute a capture: the rate is by uptime', async () => {
  const store = tempStore();
  const clock = ['2025-01-01T00:00:00Z', '2025-01-01T00:01:00Z', '2026-03-01T00:00:00Z', '2026-03-01T00:01:00Z', '2026-03-01T00:02:00Z'];
  clock.forEach((when, i) => put(store, `t${i}`, sectionsOf(300 + i * 60, [svc(7, 1, 0x21000 + i * 0x10000)]), when));
  const j = JSON.parse((await mapsdiff(['trend', '--json'], { store })).stdout);
  assert.equal(j.segments[0].duration, 240);
  const heap = j.processes[0].regions.find((x: { scope: string; kind: string }) => x.scope === 'kind' && x.kind === 'heap');
  assert.equal(heap.rate, 64 * 1024 * 60, '64 KiB a minute = 3840 KiB/hour');
});

test('choosing the series: a target, names, --since; refusals name what exists', async () => {
  const store = tempStore();
  for (let i = 0; i < 4; i++) put(store, `b${i}`, sectionsOf(100 + i * 60, [svc(7, 1, 0x21000)]), at(i), 'board');
  put(store, 'x0', sectionsOf(50, [svc(9, 1, 0x21000)]), at(10), 'other');
  const series = async (...args: string[]) => JSON.parse((await mapsdiff(['trend', '--json', ...args], { store })).stdout).series;
  assert.deepEqual(await series('board'), ['b0', 'b1', 'b2', 'b3']);
  assert.deepEqual(await series(), ['x0'], 'default: the latest capture\'s target');
  assert.deepEqual(await series('b3', 'b1'), ['b1', 'b3'], 'named: in capture order');
  assert.deepEqual(await series('--since', 'b2'), ['b2', 'b3']);
  const mixed = await mapsdiff(['trend', 'b0', 'x0'], { store });
  assert.equal(mixed.code, 2);
  assert.match(mixed.stderr, /a trend follows one target, and these snapshots come from board, other/);
  const none = await mapsdiff(['trend', 'board', '--process', 'nosuch'], { store });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no process in b0\.\.b3 matches nosuch; the series holds: 7 \(svc\)/);
  const empty = await mapsdiff(['trend'], { store: tempStore() });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no snapshots yet/);
  const bad = await mapsdiff(['trend', 'board', '--warmup', 'soon'], { store });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--warmup "soon" is not a duration; write it like 200ms, 30s, 5m, 2h or 1h30m/);
});

test('regression: a series whose first snapshot was edited in place keeps the gaps of the target it was picked for (its row, rewritten as it was read, gave another target\'s)', async () => {
  // a store each run: the first read of the edited file indexes it as it now is (the next run sees b0 as other's)
  const edited = (): string => {
    const store = tempStore();
    for (let i = 0; i < 4; i++) put(store, `b${i}`, sectionsOf(100 + i * 60, [svc(7, 1, 0x21000)]), at(i), 'board');
    put(store, 'x0', sectionsOf(50, [svc(9, 1, 0x21000)]), at(10), 'other');
    const s = new SnapshotStore(store);
    s.addGap({ target: 'board', at: at(2), attempts: 3, reason: 'timeout on board' });
    s.addGap({ target: 'other', at: at(11), attempts: 3, reason: 'timeout on other' });
    s.list(); // indexed as captured
    const file = path.join(store, 'snapshots', 'b0.json');
    fs.writeFileSync(file, headerEdited(file, (head) => { head.meta.target = 'other'; }));
    return store;
  };
  for (const args of [['board'], ['b0', 'b1', 'b2'], ['--since', 'b0', '--target', 'board']]) {
    const r = await mapsdiff(['trend', '--json', ...args], { store: edited() });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /b0\.json changed since the store's index recorded it/);
    const j = JSON.parse(r.stdout) as { target: string; gaps: { reason: string }[] };
    assert.equal(j.target, 'board', args.join(' '));
    assert.deepEqual(j.gaps.map((g) => g.reason), ['timeout on board'], `trend ${args.join(' ')}: the gaps of board, not of the edited header's other`);
  }
});

test('regression: trend --fail-on-leak exits 1 on a board leak no process explains (Shmem into tmpfs /dev/shm; SUnreclaim with its slab cache), and names it', async () => {
  const steady = { pid: 20, name: 'steady', start: 100, heap: 0x21000 };
  const cases: Array<[string, (i: number) => BoardSpec, RegExp]> = [
    ['shmlog', (i) => ({ meminfo: moved(dump(VEXPRESS), { Shmem: 1024 * i, Cached: 1024 * i, MemAvailable: -1024 * i, MemFree: -1024 * i }), procs: [steady], tmpfs: { '/dev/shm': 1024 * i } }),
      /--fail-on-leak: no process leaks, but the board does: .*Shmem, tmpfs \/dev\/shm/],
    ['slab', (i) => ({ meminfo: moved(dump(CAMERA), { Slab: 256 * i, SUnreclaim: 256 * i, MemAvailable: -256 * i, MemFree: -256 * i }), procs: [steady],
      slab: { dentry: { objs: 1000, size: 128 }, 'kmalloc-512': { objs: 400 + 512 * i, size: 512 } } }),
      /--fail-on-leak: no process leaks, but the board does: .*SUnreclaim.*, slab kmalloc-512/],
  ];
  for (const [what, at_, said] of cases) {
    const store = tempStore();
    for (let i = 0; i < 10; i++) put(store, `t${i}`, boardSections(1000 + 60 * i, at_(i)), at(i));
    const json = JSON.parse((await mapsdiff(['trend', 'board', '--json'], { store })).stdout);
    assert.ok(json.processes.every((p: { verdict: string }) => p.verdict !== 'leak'), `${what}: no process leaks`);
    const gate = await mapsdiff(['trend', 'board', '--fail-on-leak'], { store });
    assert.equal(gate.code, 1, `${what}: a board leak trips --fail-on-leak. ${gate.stderr}`);
    assert.match(gate.stderr, said, what);
    const jsonGate = await mapsdiff(['trend', 'board', '--json', '--fail-on-leak'], { store });
    assert.equal(jsonGate.code, 1, `${what}: with --json too`);
    const narrowed = await mapsdiff(['trend', 'board', '--pid', '20', '--fail-on-leak'], { store });
    assert.equal(narrowed.code, 0, `${what}: --pid narrows the gate to that process, which does not leak. ${narrowed.stderr}`);
  }
  const calm = tempStore();
  for (let i = 0; i < 10; i++) put(calm, `t${i}`, boardSections(1000 + 60 * i, { meminfo: dump(CAMERA), procs: [steady] }), at(i));
  assert.equal((await mapsdiff(['trend', 'board', '--fail-on-leak'], { store: calm })).code, 0, 'a board that holds still: exit 0');
});

test('regression: a long series keeps no header a capture (trend over 20,000 captures held each one\'s, ~170 B, in its result and in the store\'s listing)', async () => {
  const dir = tempStore();
  const snaps = path.join(dir, 'snapshots');
  fs.mkdirSync(snaps, { recursive: true });
  const N = 3000;
  // written as save writes them, without a sync each: the same bytes, and the index built by one listing
  for (let i = 0; i < N; i++) {
    const meta = { name: `t${i}`, target: 'board', capturedAt: at(i), tool: { name: 'mapsdiff' as const, version: 'test' }, via: 'import' as const, lenient: false };
    fs.writeFileSync(path.join(snaps, `t${i}.json`), encodeSnapshot(meta, sectionsOf(100 + i * 60, [svc(7, 1, 0x21000 + i * 0x1000)])));
  }
  new SnapshotStore(dir).list();
  // every header the walk reads a snapshot by, watched without being held
  const seen: WeakRef<SnapshotMeta>[] = [];
  class Watched extends SnapshotStore {
    override loadListed(meta: SnapshotMeta, reuse?: TextReuse): StoredSnapshot {
      seen.push(new WeakRef(meta));
      return super.loadListed(meta, reuse);
    }
  }
  const store = new Watched(dir);
  const r = runTrend(store, { names: [] });
  assert.equal(seen.length, N);
  assert.equal(r.series.names.length, N);
  assert.deepEqual([r.series.first?.name, r.series.last?.name, r.series.names[1234]], ['t0', `t${N - 1}`, 't1234']);
  assert.equal(r.processes[0]?.verdict, 'leak');
  await new Promise((done) => setImmediate(done)); // a WeakRef holds its target until the turn that made it ends
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  gc();
  gc();
  // the store (and its listing) and the result still held: the first and the last header are the
  // result's, and one a 64 KiB block of the index the listing's (the template its lines are read
  // through); two more for the walk's last frames, which an optimising compile may still hold
  const alive = seen.filter((w) => w.deref() !== undefined).length;
  const blocks = Math.ceil(fs.statSync(path.join(dir, 'index.jsonl')).size / 65536);
  assert.ok(alive <= 2 + blocks + 2, `${alive} of ${N} headers outlived their capture: ${seen.flatMap((w, i) => (w.deref() ? [i] : [])).join(" ")}`);
  assert.ok(store.listing().length === N && r.series.first !== null);
});
