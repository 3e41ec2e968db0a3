/*! compare's meminfo lines (issue 12): a key present on one side only (the old kernel before
 * an upgrade had no MemAvailable) is shown as such, never dropped. Real dump from fixtures/meminfo. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseMeminfo } from '../../src/parse/meminfo.js';
import { meminfoDeltas } from '../../src/analyze/compare.js';

const CAMERA = fs.readFileSync(new URL('../../../fixtures/meminfo/armv7-augentix-hc1703-camera-64mb.meminfo', import.meta.url), 'utf8');

test('a meminfo key present on one side only is listed as such, after the keys that moved', () => {
  const old = parseMeminfo(CAMERA.replace(/^MemAvailable:.*\n/m, ''), 'before');
  const now = parseMeminfo(CAMERA.replace(/^MemFree:\s+\d+/m, 'MemFree:            9000'), 'after');
  const d = meminfoDeltas(old, now);
  assert.deepEqual(d.map((x) => `${x.key}${x.only ? ':' + x.only : ''}`), ['MemFree', 'MemAvailable:after']);
  assert.equal(d[1]!.after, 18188 * 1024);
  const back = meminfoDeltas(now, old);
  assert.deepEqual(back.find((x) => x.only), { key: 'MemAvailable', before: 18188 * 1024, after: 0, delta: 0, unit: 'bytes', only: 'before' });
});
