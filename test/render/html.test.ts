/*! The HTML report: one self-contained page (nothing fetched), every region as a box with
 * its kind and its maps line in the page data, totals by kind as a bar, board text that
 * cannot break out of the markup or the script; and the two-snapshot page. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderHtml } from '../../src/render/html.js';
import { compareReports } from '../../src/analyze/compare.js';
import { fixture } from '../helpers.js';
import { boxes, reportOf } from './build.js';

const TENDA = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
/** A failed match names the pattern, not the whole page. */
const has = (html: string, re: RegExp, msg?: string) => assert.ok(re.test(html), msg ?? `no match for ${re}`);
const dataOf = (html: string) => JSON.parse(/<script type="application\/json" id="mapsdiff-data">(.*?)<\/script>/s.exec(html)![1]!);

test('one snapshot: a self-contained page with every region, its data and the kind bar', () => {
  const html = renderHtml({ view: 'snapshot', report: reportOf(TENDA, 'tenda') });
  assert.ok(html.startsWith('<!doctype html>'));
  assert.deepEqual([...new Set(html.match(/https?:\/\/[^"' )]+/g))], ['http://www.w3.org/2000/svg'], 'no URL but the SVG namespace');
  assert.doesNotMatch(html, /<link|\ssrc=|@import|url\(/);
  assert.equal(boxes(html).length, 66);
  const data = dataOf(html);
  const p = data.sections.s0;
  assert.equal(p.bits, 32);
  assert.equal(p.regions.length, 60);
  // line 1 of the dump: 00008000-000f7000 r-xp 00000000 1f:03 289 /bin/httpd; the start is the box's data-start
  assert.deepEqual(p.regions[0], ['f7000', 'r-xp', '0', '1f:03', 289, data.strings.indexOf('/bin/httpd'), data.strings.indexOf('/bin/httpd')]);
  // code is 2523136 of the 3727360 mapped bytes (the code lines of layout.test.ts): 67.69%
  has(html, /<div class="b-code" style="width:67\.69%" title="code 2.4 MiB \(68%\)">code<\/div>/);
  has(html, /<span data-total="heap"><i class="b-heap"><\/i>heap \(brk\) <b>136 KiB<\/b> 3.7%<\/span>/);
  // no uname, nothing ARM-only: the stack raises the default ceiling, and the page says why
  has(html, /user space up to 0xbf000000 \(raised from the default 0x80000000: stack at 0xbefdf000\)/);
  has(html, /<div id="tip" role="tooltip" hidden><\/div>/);
});

test('a hostile path stays text: escaped in the SVG, and cannot close the data script', () => {
  const maps = '00010000-00011000 r-xp 00000000 b3:01 10 /x/</script><script>alert(1)</script>\n';
  const html = renderHtml({ view: 'snapshot', report: reportOf(maps) });
  assert.equal(html.match(/<script/g)!.length, 2, 'the data and the page script, no third');
  assert.equal(html.match(/<\/script>/g)!.length, 2);
  assert.equal(dataOf(html).strings[0], '/x/</script><script>alert(1)</script>', 'the JSON still holds the exact path');
});

const BEFORE = `00010000-00011000 r-xp 00000000 b3:01 10 /bin/app
00011000-00012000 rw-p 00001000 b3:01 10 /bin/app
00020000-00040000 rw-p 00000000 00:00 0 [heap]
40000000-40010000 rw-p 00000000 00:00 0
7f000000-7f021000 rw-p 00000000 00:00 0 [stack]
`;
const AFTER = `00010000-00011000 r-xp 00000000 b3:01 10 /bin/app
00011000-00012000 rw-p 00001000 b3:01 10 /bin/app
00020000-00060000 rw-p 00000000 00:00 0 [heap]
50001000-50101000 rw-p 00000000 00:00 0
7f000000-7f021000 rw-p 00000000 00:00 0 [stack]
`;

test('two snapshots: before and after boxes with grown/new/gone marked, growers ranked', () => {
  const a = reportOf(BEFORE, 't0');
  const b = reportOf(AFTER, 't1');
  const html = renderHtml({ view: 'compare', before: a, after: b, result: compareReports(a, b) });
  // the heap grew 128 KiB -> 256 KiB, the anon at 0x40000000 went, 1 MiB came at 0x50001000
  has(html, /<rect [^>]*data-kind="heap" data-start="20000" data-d="2" data-side="after" data-status="grown" id="c0-d2"\/>/);
  has(html, /<rect [^>]*data-kind="heap" data-start="20000" data-d="2" data-side="before" data-status="grown"/);
  has(html, /<rect [^>]*data-kind="anon" data-start="40000000" data-d="3" data-side="before" data-status="gone" id="c0-d3"\/>/);
  has(html, /<rect [^>]*data-kind="anon" data-start="50001000" data-d="4" data-side="after" data-status="new" id="c0-d4"\/>/);
  has(html, /<rect [^>]*data-kind="code" data-start="10000" data-d="0" data-side="after"\/>/, 'unchanged: no status');
  const rows = [...html.matchAll(/<tr data-ref="(c0-d\d)"><td>([^<]*)<\/td><td>(\w+)<\/td><td>(\w+)<\/td>.*?<td class="n (?:up|down)">([^<]*)<\/td><\/tr>/g)].map((m) => [m[1], m[2], m[3], m[4], m[5]]);
  assert.deepEqual(rows, [
    ['c0-d4', 'anon', 'anon', 'new', '+1 MiB'],
    ['c0-d2', '[heap]', 'heap', 'grown', '+128 KiB'],
    ['c0-d3', 'anon', 'anon', 'gone', '-64 KiB'],
  ]);
  has(html, /1 grown, 1 new, 1 gone, 0 shrunk, 3 unchanged/);
  const diffs = dataOf(html).sections.c0.diffs;
  assert.deepEqual(diffs[2].slice(3), [['20000', '40000', 'rw-p', 131072, 1], ['20000', '60000', 'rw-p', 262144, 1], '', 131072]);
  assert.deepEqual(diffs[4].slice(3), [null, ['50001000', '50101000', 'rw-p', 1048576, 1], '', 1048576]);
});
