/*! parseLimits: the Max stack size row in bytes, unlimited as null, bad rows refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLimits } from '../../src/parse/limits.js';
import { ParseError } from '../../src/errors.js';

const row = (name: string, soft: string, hard: string, units: string) =>
  `${name.padEnd(25)} ${soft.padEnd(20)} ${hard.padEnd(20)} ${units.padEnd(10)}\n`;
const table = (stackSoft: string, stackHard: string) => row('Limit', 'Soft Limit', 'Hard Limit', 'Units')
  + row('Max cpu time', 'unlimited', 'unlimited', 'seconds')
  + row('Max stack size', stackSoft, stackHard, 'bytes')
  + row('Max processes', '1894', '1894', 'processes')
  + row('Max nice priority', '0', '0', '')
  + row('Max realtime timeout', 'unlimited', 'unlimited', 'us');

test('soft 8 MiB, hard unlimited', () => {
  assert.deepEqual(parseLimits(table('8388608', 'unlimited'), 'l'), { stackSoft: 8388608, stackHard: null });
});

test('both unlimited; both numbers; CRLF', () => {
  assert.deepEqual(parseLimits(table('unlimited', 'unlimited'), 'l'), { stackSoft: null, stackHard: null });
  assert.deepEqual(parseLimits(table('131072', '262144').replace(/\n/g, '\r\n'), 'l'), { stackSoft: 131072, stackHard: 262144 });
});

test('a garbled row, a missing stack row, wrong units: ParseErrors', () => {
  assert.throws(() => parseLimits(table('8388608', 'unlimited').replace('1894 ', 'many '), 'l'),
    (e: unknown) => e instanceof ParseError && e.line === 4);
  assert.throws(() => parseLimits(row('Max cpu time', 'unlimited', 'unlimited', 'seconds'), 'l'), /no `Max stack size` row/);
  assert.throws(() => parseLimits(row('Max stack size', '8192', '8192', 'kB'), 'l'), /in bytes/);
});

// regression: a lazy `Max [A-Za-z ]+?` name backtracked quadratically on a long run of spaces
test('a long garbled row is refused (quickly) rather than backtracking', () => {
  assert.throws(() => parseLimits(`Max ${' '.repeat(30000)}x\n`, 'l'), (e: unknown) => e instanceof ParseError && e.line === 1);
});
