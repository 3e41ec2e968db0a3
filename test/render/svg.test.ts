/*! The address-space strip: every region and every free gap of a real board dump is one
 * box with its kind and start, in address order; labels and native tooltips in the
 * standalone picture; board text is escaped. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSnapshotSvg, renderStripSvg } from '../../src/render/svg.js';
import { SCALE_NOTE } from '../../src/render/strip-scale.js';
import { fixture } from '../helpers.js';
import { boxes, reportOf } from './build.js';

const TENDA = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');

test('Tenda httpd: 60 VMAs and 6 free gaps, each one box, in address order', () => {
  const p = reportOf(TENDA).processes[0]!;
  const b = boxes(renderStripSvg(p));
  assert.equal(b.length, 66);
  // read off `show`: 0-8000 free, httpd code, a gap, its data, [heap], 1 GiB free, ld-uClibc ...
  assert.deepEqual(b.slice(0, 7), [['0', 'free'], ['8000', 'code'], ['f7000', 'free'], ['ff000', 'data'], ['102000', 'heap'], ['124000', 'free'], ['40000000', 'code']]);
  // ... and the last gap up to the ceiling, then the stack above it (ARM 3G/1G)
  assert.deepEqual(b.slice(-2), [['4025e000', 'free'], ['befdf000', 'stack']]);
  const regions = b.filter(([, k]) => k !== 'free');
  assert.deepEqual(regions, p.regions.map((r) => [r.start.toString(16), r.kind]));
});

test('labels: size first (a cut keeps it) and the base name; free gaps say so', () => {
  const svg = renderStripSvg(reportOf(TENDA).processes[0]!);
  assert.match(svg, />956 KiB httpd</);
  assert.match(svg, />136 KiB \[heap\]</);
  assert.match(svg, />108 KiB libCfm.so</, 'a bss box is named after its library');
  assert.match(svg, />1023 MiB free</);
  assert.doesNotMatch(svg, /<title>/, 'the page shows its own tooltips');
  assert.doesNotMatch(svg, /<rect [^>]*data-kind[^>]*width=/, 'the page stylesheet sets box widths');
});

test('--svg picture: stylesheet, title, legend with totals, the scale, a native tooltip per box', () => {
  const svg = renderSnapshotSvg(reportOf(TENDA, 'tenda'));
  assert.ok(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="420" height="568.5"'), svg.slice(0, 100));
  assert.match(svg, /<style>rect\[data-kind="code"\]\{fill:#4e79a7\}/);
  assert.match(svg, />tenda  bench-board  pid 412 app  \(2026-01-02T03:04:05.000Z\)</);
  assert.ok(svg.includes('<title>00008000-000f7000 r-xp /bin/httpd — code, /bin/httpd, 956 KiB</title>'));
  assert.ok(svg.includes('<title>00000000-00008000 free (not mapped) 32 KiB</title>'));
  assert.match(svg, />code \(r-x\) 2.4 MiB</);
  assert.ok(svg.includes(SCALE_NOTE));
  assert.match(svg, /<rect y="0" width="130" height="7.5" data-kind="free" data-start="0" data-end="8000">/);
});

test('a path from the board cannot inject markup or control characters', () => {
  const maps = '00010000-00011000 r-xp 00000000 b3:01 10 /tmp/<script>alert(1)</script>&"\u001b[31m\n';
  const svg = renderSnapshotSvg(reportOf(maps));
  assert.doesNotMatch(svg, /<script/);
  assert.ok(svg.includes('/tmp/&#60;script&#62;alert(1)&#60;/script&#62;&#38;&#34;\\x1b[31m'));
});

test('runs of small boxes from one directory get one label', () => {
  const lines = Array.from({ length: 6 }, (_, i) =>
    `${(0x10000 + i * 0x1000).toString(16).padStart(8, '0')}-${(0x11000 + i * 0x1000).toString(16).padStart(8, '0')} r--s 00000000 b3:03 ${100 + i} /var/cache/qml/f${i}.qmlc`);
  const svg = renderStripSvg(reportOf(lines.join('\n') + '\n').processes[0]!);
  assert.match(svg, />6× 24 KiB qml\/</);
});
