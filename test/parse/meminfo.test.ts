/*! parseMeminfo over the real meminfo dumps, unit-less lines, CRLF and bad lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMeminfo } from '../../src/parse/meminfo.js';
import { ParseError } from '../../src/errors.js';
import { fixture } from '../helpers.js';

test('64 MB camera: 34 keys, values in kB as printed', () => {
  const m = parseMeminfo(fixture('meminfo/armv7-augentix-hc1703-camera-64mb.meminfo'), 'cam');
  assert.equal(Object.keys(m).length, 34);
  assert.deepEqual(m['MemTotal'], { value: 61968, unit: 'kB' });
  assert.deepEqual(m['MemAvailable'], { value: 18188, unit: 'kB' });
  assert.deepEqual(m['Active(anon)'], { value: 4852, unit: 'kB' });
  assert.deepEqual(m['Committed_AS'], { value: 22336, unit: 'kB' });
  assert.deepEqual(m['VmallocChunk'], { value: 499700, unit: 'kB' });
});

test('128 MB QEMU vexpress with CMA: 38 keys', () => {
  const m = parseMeminfo(fixture('meminfo/armv7-qemu-vexpress-buildroot-128mb-cma.meminfo'), 'qemu');
  assert.equal(Object.keys(m).length, 38);
  assert.deepEqual(m['VmallocTotal'], { value: 1949696, unit: 'kB' });
  assert.deepEqual(m['CmaFree'], { value: 16128, unit: 'kB' });
});

test('unit-less HugePages lines, CRLF, blank lines', () => {
  const m = parseMeminfo('MemTotal:  100 kB\r\nHugePages_Total:       0\r\n\r\nHugepagesize:       2048 kB\r\n', 'x');
  assert.deepEqual(m, {
    MemTotal: { value: 100, unit: 'kB' },
    HugePages_Total: { value: 0, unit: '' },
    Hugepagesize: { value: 2048, unit: 'kB' },
  });
});

test('a bad line names its number; an empty text is refused', () => {
  assert.throws(() => parseMeminfo('MemTotal: 1 kB\nMemFree: lots\n', 'm'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && e.text === 'MemFree: lots' && e.source === 'm');
  assert.throws(() => parseMeminfo('MemTotal: 1 MB\n', 'm'), ParseError);
  assert.throws(() => parseMeminfo('\n', 'm'), /meminfo is empty/);
});

test('a key named __proto__ stays plain data', () => {
  const m = parseMeminfo('__proto__: 5 kB\n', 'm');
  assert.deepEqual(Object.keys(m), ['__proto__']);
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
});
