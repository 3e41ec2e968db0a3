/*! `show --map`: the cells follow the log scale (a 4 KiB page keeps its cells next to a
 * 2 GiB gap), plain letters without color, kleur colors with it, a legend with totals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { barCells, renderMapBar } from '../../src/render/map-bar.js';
import { makePaint } from '../../src/render/paint.js';
import { fixture } from '../helpers.js';
import { reportOf } from './build.js';

// weights: gap 0-0x10000 64 KiB = 9, code 4 KiB = 3, data 4 KiB = 3, gap to 0x80000000 = 31.5; total 46.5
const TINY = '00010000-00011000 r-xp 00000000 b3:01 10 /bin/a\n00011000-00012000 rw-p 00001000 b3:01 10 /bin/a\n';

test('cells: 31 cells of 1.5 weight each: 6 free, 2 code, 2 data, then free', () => {
  const p = reportOf(TINY).processes[0]!;
  const { kinds, lineStarts } = barCells(p, 31, 31);
  assert.equal(kinds.map((k) => (k === 'free' ? '.' : k[0])).join(''), '......ccdd.....................');
  assert.deepEqual(lineStarts, [0]);
});

test('plain text: letters, line start addresses, legend with sizes; no escape codes', () => {
  const out = renderMapBar(reportOf(TINY), { paint: makePaint(false), width: 31, lines: 1 });
  const lines = out.split('\n');
  assert.equal(lines[3], 'pid 412  app  user space up to 0x80000000 (default: no uname and no [stack], [sigpage] or [vectors] to tell the architecture), 2 VMAs, 2 gaps');
  assert.equal(lines[4], '00000000 ......CCdd.....................');
  assert.equal(lines[5], 'legend: C code 4 KiB   d data 4 KiB   . free 2 GiB');
  assert.doesNotMatch(out, /\u001b/);
});

test('colors: each run of a kind colored once by kleur', () => {
  const out = renderMapBar(reportOf(TINY), { paint: makePaint(true), width: 31, lines: 1 });
  assert.ok(out.includes('00000000 \u001b[90m......\u001b[39m\u001b[34mCC\u001b[39m\u001b[32mdd\u001b[39m\u001b[90m.....................\u001b[39m'), JSON.stringify(out));
});

test('Tenda httpd: 4 lines of 64 cells, every line starting at an address of the dump', () => {
  const p = reportOf(fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps')).processes[0]!;
  const { kinds, lineStarts } = barCells(p, 256, 64);
  assert.equal(kinds.length, 256);
  assert.deepEqual(lineStarts.map((a) => a.toString(16)), ['0', '4001d000', '400bb000', '401c4000']);
  assert.equal(kinds[0], 'free');
  assert.equal(kinds[255], 'stack', 'the stack (above the ceiling) ends the bar');
  assert.ok(kinds.includes('heap') && kinds.includes('anon') && kinds.includes('bss'), 'small kinds keep their cells');
});
