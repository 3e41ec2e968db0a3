/*! parseUlimitStack: KiB to bytes, unlimited, and shell errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUlimitStack } from '../../src/parse/ulimit.js';
import { ParseError } from '../../src/errors.js';

test('8192 KiB is 8 MiB in bytes; unlimited is null; CRLF is fine', () => {
  assert.equal(parseUlimitStack('8192\n', 'u'), 8388608);
  assert.equal(parseUlimitStack('  1024\r\n', 'u'), 1048576);
  assert.equal(parseUlimitStack('unlimited\n', 'u'), null);
});

test('a shell error is a ParseError on its line', () => {
  assert.throws(() => parseUlimitStack('\nsh: ulimit: not found\n', 'board1, ulimit-s'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && e.text === 'sh: ulimit: not found' && e.source === 'board1, ulimit-s');
  assert.throws(() => parseUlimitStack('', 'u'), (e: unknown) => e instanceof ParseError && e.line === 1);
  assert.throws(() => parseUlimitStack('8192 8192', 'u'), ParseError);
  assert.throws(() => parseUlimitStack('-1', 'u'), ParseError);
});
