/*! render/trend-text and trend-json on a synthetic series: the suspect lines (rate, verdict,
 * evidence, time left and what runs out), the thread leak line, the warnings, and the
 * documented JSON fields. Expected text is written out by hand. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeTrend } from '../../src/analyze/trend.js';
import { renderTrendText } from '../../src/render/trend-text.js';
import { renderTrendJson } from '../../src/render/trend-json.js';
import { makePaint } from '../../src/render/paint.js';
import { capture, type ProcSpec } from '../analyze/trend-helpers.js';

const leaker = (i: number): ProcSpec => ({ pid: 412, name: 'leaker', start: 500, heap: 0x21000 + i * 0x10000, threads: i });
const steady: ProcSpec = { pid: 413, name: 'steady', start: 510, heap: 0x21000 };
const series = () => Array.from({ length: 10 }, (_, i) => capture(`t${i}`, 3600 + i * 60, [leaker(i), steady], { memAvailableKiB: 200 * 1024 }));

test('text: suspects with rate, evidence and what runs out first; the thread leak; the rest summarised', () => {
  const text = renderTrendText(analyzeTrend(series()), makePaint(false));
  const lines = text.split('\n');
  assert.equal(lines[0], 'trend of board: 10 capture(s) t0..t9, 9m 0s of board uptime; 2 process(es)');
  assert.equal(lines[1], 'SUSPECTS');
  assert.match(lines[2]!, /^  PID  PROCESS  REGION \/ KIND\s+RATE  VERDICT  CONFIDENCE  EVIDENCE  TIME LEFT$/);
  // 64 KiB a minute: 3.75 MiB/h; virtual growth runs out of address space, never of MemAvailable
  // (that horizon is resident growth's, and this series captured no resident memory)
  assert.ok(lines.some((l) => /^  412  leaker   heap \(all\)\s+\+3\.8 MiB\/h  leak     high        grew 6\/6  .* \(the gap above \[heap\]\)$/.test(l)), text);
  assert.equal(lines[3], '  412  leaker   thread-stack (all)   +30 MiB/h  leak     high        grew 6/6  1d 18h 38m (largest free gap)', 'soonest to run out first');
  assert.ok(!lines.some((l) => /guard \(all\).*leak/.test(l)), 'a page of guard a minute is address-space bookkeeping, never a memory leak');
  assert.ok(!/\(MemAvailable\)/.test(text), 'no MemAvailable horizon from virtual growth');
  assert.ok(lines.includes('  thread leak: pid 412 leaker: threads 1 -> 10, thread stacks 0 -> 9 (+60/h, high confidence)'), text);
  // leaker: code, data, [stack], 9 thread stacks and their 9 guards (each stable since it appeared); steady: code, data, heap, [stack]
  assert.ok(lines.includes('processes: 1 leak, 1 stable; 25 region(s) stable across the series'), text);
  assert.ok(lines.includes('MemAvailable 200 MiB, 0 B/h (stable)'), text);
  assert.ok(!/CHANGED, NOT LEAKING/.test(text));
});

test('text: warnings for one interval and for a series without uptime', () => {
  const one = renderTrendText(analyzeTrend(series().slice(0, 2)), makePaint(false));
  assert.match(one, /^only one interval: a leak cannot be told from warm-up yet; every verdict is low-confidence$/m);
  const noUptime = [0, 1, 2].map((i) => capture(`t${i}`, null, [steady], { capturedAt: `2025-01-01T00:0${i}:00Z`, via: 'ssh' }));
  const text = renderTrendText(analyzeTrend(noUptime), makePaint(false));
  assert.match(text, /^segment 1 lacks the board's uptime in some capture: its intervals come from the host clock$/m);
  assert.match(text, /^no leak found$/m);
});

test('JSON: the documented fields, rates in bytes/hour, time left in seconds or null', () => {
  const j = JSON.parse(renderTrendJson(analyzeTrend(series())));
  assert.deepEqual(Object.keys(j), ['target', 'series', 'gaps', 'segments', 'processes', 'system', 'slab', 'tmpfs', 'restarts', 'reboots', 'findings', 'leaks']);
  assert.deepEqual(j.series, ['t0', 't1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9']);
  assert.equal(j.leaks, 1);
  const [l, s] = j.processes;
  assert.deepEqual([l.name, l.pid, l.verdict, s.name, s.verdict], ['leaker', 412, 'leak', 'steady', 'stable']);
  const heap = l.regions.find((r: { scope: string; kind: string }) => r.scope === 'kind' && r.kind === 'heap');
  assert.deepEqual({ measure: heap.measure, kind: heap.kind, owner: heap.owner, verdict: heap.verdict, rate: heap.rate, memAvailable: heap.timeLeftBy.memAvailable },
    { measure: 'virtual', kind: 'heap', owner: '*', verdict: 'leak', rate: 3932160, memAvailable: null }); // virtual growth: no MemAvailable horizon
  assert.equal(heap.timeLeft, heap.timeLeftBy.addressSpace, 'the gap above [heap] runs out');
  const region = l.regions.find((r: { scope: string; path?: string }) => r.scope === 'region' && r.path === '[heap]');
  assert.equal(region.start, '0x30000');
  assert.equal(s.regions.every((r: { timeLeft: number | null }) => r.timeLeft === null), true);
  assert.deepEqual(l.threads.first, { threads: 1, threadStacks: 0 });
  assert.equal(l.threads.leak, true);
});
