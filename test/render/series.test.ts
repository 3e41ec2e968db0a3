/*! The series page: charts drawn from trend's curves (stacked kinds, the largest free gap,
 * one per leak suspect with its rate), and the chart geometry itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chart } from '../../src/render/svg-chart.js';
import { renderHtml } from '../../src/render/html.js';
import { analyzeTrend, type TrendCapture } from '../../src/analyze/trend.js';
import { walkSeries } from '../../src/analyze/series.js';
import { soakMaps } from '../browser/series.js';
import { reportOf } from './build.js';

test('chart: x by time, y from 0 to the maximum; a line through three points', () => {
  // plot area: x 56..156 (164 - 56 left - 8 right), y 20..40 (58 - 20 top - 18 bottom)
  const svg = chart([0, 60, 120], [{ key: 'heap', label: 'heap', color: '#e15759', values: [0, 50, 100] }], { width: 164, height: 58, title: 'heap', chart: 'test' });
  assert.match(svg, /<path d="M56 40L106 30L156 20" fill="none" stroke="#e15759" stroke-width="1.8" data-kind="heap"><title>heap: 0 B -&#62; 100 B<\/title><\/path>/);
  assert.match(svg, />2m 0s</, 'the span on the x axis');
});

test('stacked: each area sits on the one below; a null breaks a line', () => {
  const svg = chart([0, 10], [
    { key: 'code', label: 'code', color: '#000', values: [10, 10] },
    { key: 'heap', label: 'heap', color: '#111', values: [0, 10] },
  ], { width: 164, height: 58, title: 't', chart: 'kinds', stacked: true });
  // max 20: code from y 40 up to 30 flat; heap on top of it from 30 to 20 at the end
  assert.match(svg, /d="M56 30L156 30L156 40L56 40Z"[^>]*data-kind="code"/);
  assert.match(svg, /d="M56 30L156 20L156 30L56 30Z"[^>]*data-kind="heap"/);
  const gap = chart([0, 10, 20], [{ key: 'g', label: 'g', color: '#000', values: [5, null, 5] }], { width: 164, height: 58, title: 't', chart: 'x' });
  assert.match(gap, /d="M56 20M156 20"/);
});

test('series page: 12 captures a minute apart, the heap leaking 16 KiB a minute', () => {
  const caps: TrendCapture[] = Array.from({ length: 12 }, (_, i) => ({
    report: { ...reportOf(soakMaps(i), `s${i}`, 412, 'leaker'), uptime: 1000 + i * 60 },
    threads: new Map(),
  }));
  const html = renderHtml({ view: 'series', trend: analyzeTrend(caps), curves: walkSeries(caps, { regions: true }) });
  assert.match(html, /<h1>mapsdiff: bench-board, 12 captures<\/h1>/);
  assert.match(html, /<h2>pid 412 leaker — <span class="warn">LEAK<\/span>/);
  assert.match(html, /<svg [^>]*data-chart="kinds"[^>]*>.*<path [^>]*data-kind="heap"><title>heap: 132 KiB -&#62; 308 KiB<\/title>/s, '0x21000 + 11 * 16 KiB');
  assert.match(html, /data-chart="free"/);
  assert.match(html, /<svg [^>]*data-chart="suspect" data-scope="kind"[^>]*><text class="h" x="4" y="13">all heap<\/text><text x="4" y="26">\+960 KiB\/h, /);
});
