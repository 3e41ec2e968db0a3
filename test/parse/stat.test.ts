/*! parseStat: fields 3, 4, 20, 22, 23, 24; comm with spaces and parentheses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStat } from '../../src/parse/stat.js';
import { ParseError } from '../../src/errors.js';

// fields after comm: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
// utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss ...
const TAIL = 'S 1 412 412 0 -1 4194560 310 0 0 0 12 5 0 0 20 0 3 0 8279 2490368 164 4294967295 65536 68956';

test('the usual fields', () => {
  assert.deepEqual(parseStat(`412 (leaker) ${TAIL}\n`, 's'), {
    pid: 412, comm: 'leaker', state: 'S', ppid: 1, numThreads: 3, startTime: 8279, vsize: 2490368, rss: 164,
  });
});

test('comm with spaces and parentheses runs to the last )', () => {
  assert.equal(parseStat(`77 (a) b (c) ${TAIL}`, 's').comm, 'a) b (c');
  assert.equal(parseStat(`77 (Web Content) ${TAIL}`, 's').comm, 'Web Content');
  assert.equal(parseStat(`77 ()) ${TAIL}`, 's').comm, ')');
  assert.equal(parseStat(`77 (x\ny) ${TAIL}\r\n`, 's').startTime, 8279);
});

test('a real 64-bit stat with an 18446744073709551615 rsslim', () => {
  const line = '6469 (cat) R 6461 6461 3739 0 -1 4194304 101 0 0 0 0 0 0 0 20 0 1 0 33057 3133440 389 18446744073709551615 94696683491328 94696683511209 140724407076096 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94696683527216 94696683528832 94697158516736 140724407081678 140724407081698 140724407081698 140724407082987 0';
  assert.deepEqual(parseStat(line, 's'), {
    pid: 6469, comm: 'cat', state: 'R', ppid: 6461, numThreads: 1, startTime: 33057, vsize: 3133440, rss: 389,
  });
});

test('bad stat texts are ParseErrors naming line 1', () => {
  const bad = ['', '412 leaker S 1', '412 (leaker) S 1 2 3', 'x (leaker) ' + TAIL, '412 (leaker)' + TAIL,
    `412 (leaker) ${TAIL.replace('8279', '82a9')}`, `412 (leaker) ${TAIL.replace('S', 'SS')}`];
  for (const text of bad) {
    assert.throws(() => parseStat(text, 'p'), (e: unknown) => e instanceof ParseError && e.line === 1 && e.source === 'p', text);
  }
});
