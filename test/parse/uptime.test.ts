/*! parseUptime: the first field of /proc/uptime, in seconds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUptime } from '../../src/parse/uptime.js';
import { ParseError } from '../../src/errors.js';

test('seconds since boot from the first field', () => {
  assert.equal(parseUptime('1234.56 1100.20\n', 'u'), 1234.56);
  assert.equal(parseUptime('17.00 3.10\r\n', 'u'), 17);
  assert.equal(parseUptime('42', 'u'), 42);
});

test('junk is a ParseError on line 1', () => {
  for (const bad of ['', 'cat: /proc/uptime: No such file', '12.5 3.1\n9 9\n', '-1 2', '1e3 2']) {
    assert.throws(() => parseUptime(bad, 'u'), (e: unknown) => e instanceof ParseError && e.line === 1, bad);
  }
});
