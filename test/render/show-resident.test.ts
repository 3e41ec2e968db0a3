/*! `show` with smaps captured: pmap -x / showmap's resident columns (RSS, PSS, DIRTY, SWAP in
 * KiB) beside SIZE, resident totals by kind and owner, and the source of the process's
 * measures; without smaps the table is as before. Captures built as raw sections and run
 * through the real parser (test/analyze/trend-helpers.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { renderShowText } from '../../src/render/show-text.js';
import { makePaint } from '../../src/render/paint.js';
import { metaOf, sectionsOf } from '../analyze/trend-helpers.js';

const report = (heapRss?: number) =>
  buildReport(metaOf('t0'), parseCapture({ sections: sectionsOf(100, [{ pid: 9, name: 'pool', start: 1, heap: 0x200000, heapRss }]) }, { source: 't0' }));

test('show with smaps: RSS, PSS, DIRTY, SWAP columns beside SIZE and resident totals by kind and owner', () => {
  const out = renderShowText(report(768 * 1024), { paint: makePaint(false) });
  assert.match(out, /START +END +SIZE +RSS +PSS +DIRTY +SWAP +KIND/);
  assert.match(out, /00030000 +00230000 +2048K +768K +768K +768K +0K +heap/, 'the [heap] line: 2 MiB mapped, 768 KiB resident, all dirty');
  assert.match(out, /resident \(RSS\) by kind: heap 768 KiB/);
  assert.match(out, /resident \(RSS\) by owner: \[heap\] 768/);
  assert.match(out, /USS 768 KiB, swap 0 B \(from smaps_rollup\)/);
});

test('show without smaps keeps its columns: no resident column is invented', () => {
  const out = renderShowText(report(), { paint: makePaint(false) });
  assert.match(out, /START +END +SIZE +KIND/);
  assert.doesNotMatch(out, /RSS/);
});

test('show --sort rss: the most resident region first, the free gaps left out', () => {
  const out = renderShowText(report(768 * 1024), { paint: makePaint(false), sort: 'rss' });
  const rows = out.split('\n').filter((l) => /^[0-9a-f]{8} /.test(l));
  assert.match(rows[0]!, /\[heap\]$/);
  assert.equal(rows.some((l) => l.includes('NOT USED')), false);
  const bySize = renderShowText(report(768 * 1024), { paint: makePaint(false), sort: 'size' }).split('\n').filter((l) => /^[0-9a-f]{8} /.test(l));
  assert.match(bySize[0]!, /\[heap\]$/, '2 MiB, the largest');
  assert.match(bySize[1]!, /\[stack\]$/, '132 KiB next');
});
