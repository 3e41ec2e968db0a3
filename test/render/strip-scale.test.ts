/*! The log scale (a 4 KiB page and a 1 GiB gap both visible, in stated proportions) and
 * the column flow that wraps a tall strip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boxHeight, fitFlow, flow, SCALE_NOTE } from '../../src/render/strip-scale.js';

test('box heights: 3 px for a page or less, +1.5 px per doubling, to the half pixel', () => {
  assert.equal(boxHeight(0), 3);
  assert.equal(boxHeight(4096), 3);
  assert.equal(boxHeight(8192), 4.5);
  assert.equal(boxHeight(64 * 1024), 9);
  assert.equal(boxHeight(1024 * 1024), 15);
  assert.equal(boxHeight(2 ** 30), 30);
  assert.equal(boxHeight(2 ** 47), 55.5, '128 TiB, the x86_64 gap below the first mapping');
  assert.match(SCALE_NOTE, /4 KiB = 3 px, 1 MiB = 15 px, 1 GiB = 30 px/);
});

test('flow: columns fill top-down, an item never splits, bands of perBand columns', () => {
  const f = flow([10, 10, 10, 10, 10], 25, 2);
  assert.deepEqual(f.placed, [
    { col: 0, band: 0, y: 0 }, { col: 0, band: 0, y: 10 },
    { col: 1, band: 0, y: 0 }, { col: 1, band: 0, y: 10 },
    { col: 2, band: 1, y: 0 },
  ]);
  assert.equal(f.columns, 3);
  assert.equal(f.bands, 2);
  assert.equal(f.columnHeight, 20);
  assert.deepEqual(f.firstOf, [0, 2, 4]);
});

test('fitFlow: grows the columns until they fit one band, up to the screen height', () => {
  const small = fitFlow(Array(100).fill(10), 4);
  assert.equal(small.columnHeight, 420, 'the minimum column height');
  assert.equal(small.columns, 3);
  const even = fitFlow(Array(200).fill(10), 4);
  assert.equal(even.columnHeight, 500);
  assert.equal(even.columns, 4);
  assert.equal(even.bands, 1);
  const uneven = fitFlow([...Array(199).fill(10), 15], 4);
  assert.equal(uneven.columns, 4, 'taller columns rather than a fifth one');
  assert.ok(uneven.columnHeight > 500 && uneven.columnHeight <= 530, String(uneven.columnHeight));
  const tall = fitFlow(Array(1000).fill(10), 4);
  assert.equal(tall.columnHeight, 1000, 'a screen high');
  assert.equal(tall.columns, 10);
  assert.equal(tall.bands, 3);
});
