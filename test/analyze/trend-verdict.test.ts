/*! analyze/verdict on hand-made curves: one per behaviour the trend must tell apart, and the
 * edges (a single interval, one page of noise, a slow creep, growth only every fifth
 * interval, growth only in warm-up). Expected verdicts and numbers are written out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge, slope, steadyStart } from '../../src/analyze/verdict.js';

const K = 1024;
const M = 1024 * 1024;
const minutes = (n: number) => Array.from({ length: n }, (_, i) => i * 60);
const auto = (t: number[], v: number[], noise = 4096) => judge(t, v, steadyStart(t, { fraction: 0.25 }, null), noise);

test('steady state: a quarter of the span by default; --warmup counts from the process start; two intervals always remain', () => {
  const t = minutes(10); // 0..540 s
  assert.equal(steadyStart(t, { fraction: 0.25 }, null), 3); // 135 s -> the capture at 180 s
  assert.equal(steadyStart(t, { seconds: 300 }, null), 5); // start unknown: from the first capture
  assert.equal(steadyStart(t, { seconds: 300 }, 1000), 0); // the process was 1000 s old already
  assert.equal(steadyStart(t, { seconds: 320 }, 100), 4); // 220 s after the first capture -> 240 s
  assert.equal(steadyStart(t, { seconds: 9999 }, null), 7); // keeps the last two intervals
  assert.equal(steadyStart([0, 60], { fraction: 0.25 }, null), 0);
  assert.equal(steadyStart([0, 60, 120], { fraction: 0.25 }, null), 0);
});

test('leak: 64 KiB a minute, every interval: rate 3.75 MiB/h, high confidence', () => {
  const v = minutes(10).map((_, i) => 100 * K + i * 64 * K);
  const r = auto(minutes(10), v);
  assert.equal(r.verdict, 'leak');
  assert.equal(r.confidence, 'high');
  assert.equal(r.rate, 64 * K * 60); // 3,932,160 bytes/hour
  assert.deepEqual(r.evidence, { intervals: 6, grew: 6, shrank: 0, warmup: 180, first: 100 * K, steadyStart: 100 * K + 3 * 64 * K, last: 100 * K + 9 * 64 * K, steadyRate: 64 * K * 60, flatFor: 0 });
});

test('plateau: grew for four minutes, then flat for five', () => {
  const v = [0, 64, 128, 192, 256, 256, 256, 256, 256, 256].map((x) => x * K);
  const r = auto(minutes(10), v);
  assert.equal(r.verdict, 'plateau');
  assert.equal(r.confidence, 'high');
  assert.equal(r.rate, 0, 'the current rate: the flat tail');
  assert.equal(r.evidence.flatFor, 300);
  assert.equal(r.evidence.grew, 1, 'one steady interval grew (192K -> 256K)');
});

test('plateau: grew in warm-up only', () => {
  const r = auto(minutes(8), [0, 1, 2, 2, 2, 2, 2, 2].map((x) => x * M));
  assert.equal(r.verdict, 'plateau');
  assert.equal(r.evidence.grew, 0);
});

test('sawtooth: 1 MiB taken and given back, again and again', () => {
  const r = auto(minutes(10), [0, 1, 0, 1, 0, 1, 0, 1, 0, 1].map((x) => x * M));
  assert.equal(r.verdict, 'sawtooth');
  assert.equal(r.confidence, 'high');
  assert.equal(r.evidence.grew, 3);
  assert.equal(r.evidence.shrank, 3);
  assert.equal(r.rate, 0, 'the rate of a sawtooth is how fast its lows rise: here not at all');
});

test('a sawtooth whose lows keep rising beyond noise is a leak, at the rate of its lows', () => {
  const rising = auto(minutes(14), [0, 1, 0.25, 1.25, 0.5, 1.5, 0.75, 1.75, 1, 2, 1.25, 2.25, 1.5, 2.5].map((x) => x * M));
  assert.equal(rising.verdict, 'leak');
  assert.equal(rising.rate, 0.25 * M * 30, 'five lows, each 256 KiB above the last, 2 minutes apart');
  const three = auto(minutes(10), [0, 1, 0.25, 1.25, 0.5, 1.5, 0.75, 1.75, 1, 2].map((x) => x * M));
  assert.equal(three.verdict, 'sawtooth', 'three lows are not enough to tell a leak from sampling out of phase');
  const jitter = auto(minutes(10), [0, 1, 0.001, 1, 0, 1, 0.002, 1, 0.001, 1].map((x) => x * M));
  assert.equal(jitter.verdict, 'sawtooth', 'lows within noise of each other: no leak');
});

test('a leak that also frees a little is still a leak, with less confidence', () => {
  const v = [0, 2, 1.5, 3.5, 3, 5, 4.5, 6.5, 6, 8].map((x) => x * M); // +2 M, -0.5 M
  const r = auto(minutes(10), v);
  assert.equal(r.verdict, 'leak');
  assert.equal(r.confidence, 'medium');
});

test('stable, and one page of noise is stable too', () => {
  assert.equal(auto(minutes(10), new Array(10).fill(132 * K)).verdict, 'stable');
  const wobble = auto(minutes(10), minutes(10).map((_, i) => 132 * K + (i % 2) * 4096));
  assert.equal(wobble.verdict, 'stable');
  assert.equal(wobble.confidence, 'high');
  // the same wobble with noise 0 is given back every time: a sawtooth
  assert.equal(auto(minutes(10), minutes(10).map((_, i) => 132 * K + (i % 2) * 4096), 0).verdict, 'sawtooth');
});

test('a creep of one page per interval (each step within noise) adds up to a leak', () => {
  const r = auto(minutes(10), minutes(10).map((_, i) => i * 4096));
  assert.equal(r.verdict, 'leak');
  assert.equal(r.evidence.grew, 0, 'no single step beyond noise');
  assert.equal(r.rate, 4096 * 60);
});

test('growth every fifth interval is a leak, not a plateau, when the last flat stretch is shorter than two periods', () => {
  const v = Array.from({ length: 19 }, (_, i) => Math.floor(i / 5) * M); // grows at 4->5, 9->10, 14->15; flat 15..18
  assert.equal(auto(minutes(19), v).verdict, 'leak');
  const stopped = [...v, ...new Array(12).fill(3 * M)]; // then flat for 15 intervals: it stopped
  assert.equal(auto(minutes(31), stopped).verdict, 'plateau');
});

test('a single interval: growth is a low-confidence leak; no change is stable; one capture is stable', () => {
  const up = auto([0, 60], [0, 64 * K]);
  assert.deepEqual([up.verdict, up.confidence, up.rate], ['leak', 'low', 64 * K * 60]);
  assert.deepEqual([auto([0, 60], [5, 5]).verdict, auto([0, 60], [5, 5]).confidence], ['stable', 'low']);
  assert.equal(auto([0], [5]).verdict, 'stable');
});

test('slope: least squares per second over the points from an index', () => {
  assert.equal(slope([0, 1, 2, 3], [0, 10, 20, 30], 0), 10);
  assert.equal(slope([0, 1, 2, 3], [0, 0, 20, 20], 2), 0);
  assert.equal(slope([0, 2, 4], [0, 0, 12], 0), 3);
  assert.equal(slope([5], [1], 0), 0);
});

test('judging in scratch memory (issue 15): a curve read back into a Float64Scratch, with its trailing zeros, judges exactly as its own array; the scratch hands out one memory again and again', async () => {
  const { Float64Scratch, runsAsFloat64, emptyRuns, pushRun } = await import('../../src/analyze/runs.js');
  const { judgeScratch } = await import('../../src/analyze/verdict.js');
  const s = new Float64Scratch();
  const a = s.take(100);
  const b = s.take(40);
  assert.equal(b.buffer, a.buffer, 'a shorter take reuses the memory of the last');
  assert.equal(b.length, 40);
  assert.notEqual(s.take(200).buffer, a.buffer, 'a longer one grows it');
  // curves of every verdict: a leak every fifth interval, a sawtooth, a plateau, stable, a region gone (zeros at its end)
  const n = 60;
  const t = minutes(n + 1);
  const curves: number[][] = [
    Array.from({ length: n }, (_, i) => 10 * M + Math.floor(i / 5) * 64 * K),
    Array.from({ length: n }, (_, i) => (i % 2 ? 2 * M : M)),
    Array.from({ length: n }, (_, i) => M + Math.min(i, 10) * 8 * K),
    Array.from({ length: n }, () => 3 * M),
  ];
  const scratch = judgeScratch();
  for (const c of curves) {
    const r = emptyRuns<number>();
    for (const x of c) pushRun(r, x);
    for (const zeros of [0, 1]) {
      const own = [...c, ...(zeros ? [0] : [])];
      const tt = t.slice(0, own.length);
      const dirty = scratch.values.take(own.length + 5);
      dirty.fill(123456789); // what the last curve left there must not show
      const v = runsAsFloat64(r, 1, scratch.values, zeros);
      assert.deepEqual(Array.from(v), own);
      const w = steadyStart(tt, { fraction: 0.25 }, null);
      assert.deepEqual(judge(tt, v, w, 4096, scratch), judge(tt, own, w, 4096));
    }
  }
});
