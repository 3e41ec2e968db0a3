/*! Issue 14's resident metrics on the armhf board's real smaps captures (fixtures/captures,
 * qemu-armhf-rsspool-smaps-N): Rss per region kind where smaps was read (absent where only
 * smaps_rollup was), the board's MemAvailable trend gauges equal to what trend judged, and
 * the trend gauges of virtual and resident measures kept apart by `memtype`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { analyzeTrend, type TrendCapture } from '../../src/analyze/trend.js';
import { collectFamilies } from '../../src/render/metric-samples.js';
import type { BoardSubject } from '../../src/render/metric-defs.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { fixture } from '../helpers.js';

function load(file: string, i: number): BoardSubject {
  const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
  const meta: SnapshotMeta = { name: `t${i}`, target: 'armhf', capturedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, 2 * i)).toISOString(), tool: { name: 'mapsdiff', version: 'test' }, via: 'ssh', lenient: false };
  return { report: buildReport(meta, parsed, { machine: 'armv7l' }), parsed };
}
const series = (n: number) => Array.from({ length: n }, (_, i) => load(`qemu-armhf-rsspool-smaps-${i}.capture`, i));
const trendOf = (caps: BoardSubject[]) => analyzeTrend(caps.map((c): TrendCapture => ({ report: c.report, threads: new Map() })));
const samples = (fams: ReturnType<typeof collectFamilies>, name: string) => fams.find((f) => f.family.name === name)?.samples ?? [];
const label = (s: { labels: [string, string][] }, k: string) => s.labels.find(([l]) => l === k)?.[1];

test('trend gauges of a process leaking by resident memory only: virtual and resident apart by memtype, never two series with the same labels', () => {
  const caps = series(8);
  const fams = collectFamilies({ target: 'armhf', capture: caps[7], trend: trendOf(caps) });
  for (const name of ['mapsdiff_trend_leak', 'mapsdiff_trend_rate_bytes_per_second', 'mapsdiff_trend_time_left_seconds']) {
    const keys = samples(fams, name).map((s) => JSON.stringify(s.labels));
    assert.equal(new Set(keys).size, keys.length, `${name}: every series once`);
  }
  const leak = samples(fams, 'mapsdiff_trend_leak').filter((s) => label(s, 'process') === 'rsspool' && label(s, 'measure') === 'total');
  assert.deepEqual(leak.map((s) => [label(s, 'memtype'), s.value]).sort(), [['resident', 1], ['virtual', 0]]);
});

test('mapsdiff_process_resident_bytes{kind}: each kind the Rss of its regions in smaps; absent where only smaps_rollup was read', () => {
  const c = series(1)[0]!;
  const fams = collectFamilies({ target: 'armhf', capture: c });
  const got = samples(fams, 'mapsdiff_process_resident_bytes').filter((s) => label(s, 'process') === 'rsspool');
  const p = c.report.processes.find((x) => x.name === 'rsspool')!;
  const want = new Map<string, number>();
  p.regions.forEach((r, i) => want.set(r.kind, (want.get(r.kind) ?? 0) + (p.regionResident![i]?.rss ?? 0)));
  for (const [kind, v] of want) assert.equal(got.find((s) => label(s, 'kind') === kind)?.value, v, kind);
  const pool = p.regions.findIndex((r) => Number(r.end - r.start) === 32 << 20);
  assert.ok(got.find((s) => label(s, 'kind') === 'anon')!.value >= p.regionResident![pool]!.rss, 'the pool is anon, and resident');
  assert.equal(got.reduce((s, x) => s + x.value, 0), p.regionResident!.reduce((s, x) => s + (x?.rss ?? 0), 0), 'the kinds add up to every smaps block');

  const rollupOnly = load('qemu-armhf-virt-leaker-steady.capture', 0);
  const none = samples(collectFamilies({ target: 'armhf', capture: rollupOnly }), 'mapsdiff_process_resident_bytes');
  assert.deepEqual(none, [], 'no smaps, no per-kind resident series (unknown, never zero)');
});

test("the board's MemAvailable trend gauges say what trend judged of the window; one capture alone gives none", () => {
  const caps = series(8);
  const trend = trendOf(caps);
  const seg = trend.segments[trend.segments.length - 1]!.memAvailable!;
  const fams = collectFamilies({ target: 'armhf', capture: caps[7], trend });
  assert.deepEqual(samples(fams, 'mapsdiff_trend_memavailable_rate_bytes_per_second').map((s) => s.value), [seg.rate! / 3600]);
  assert.deepEqual(samples(fams, 'mapsdiff_trend_memavailable_leak').map((s) => s.value), [seg.verdict === 'leak' ? 1 : 0]);
  assert.deepEqual(samples(fams, 'mapsdiff_trend_memavailable_time_left_seconds').map((s) => s.value), seg.timeLeft === null ? [] : [seg.timeLeft]);
  assert.ok(seg.rate! > 0, 'rsspool consumes MemAvailable');

  const one = collectFamilies({ target: 'armhf', capture: caps[0], trend: trendOf(caps.slice(0, 1)) });
  for (const name of ['mapsdiff_trend_memavailable_leak', 'mapsdiff_trend_memavailable_rate_bytes_per_second', 'mapsdiff_trend_memavailable_time_left_seconds']) {
    assert.deepEqual(samples(one, name), [], `${name}: nothing to judge in one capture`);
  }
});
