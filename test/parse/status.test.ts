/*! parseStatus: key -> value text, Name kept as printed, bad lines refused. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStatus } from '../../src/parse/status.js';
import { ParseError } from '../../src/errors.js';

// the head of a BusyBox httpd's status on a 2.6 kernel, as the kernel formats it
const STATUS = 'Name:\thttpd\nState:\tS (sleeping)\nTgid:\t412\nPid:\t412\nPPid:\t1\n'
  + 'Groups:\t0 4 \nVmPeak:\t    3120 kB\nVmRSS:\t    1204 kB\nThreads:\t3\nSigQ:\t0/1024\n';

test('values lose leading whitespace; units stay in the text', () => {
  const s = parseStatus(STATUS, 's');
  assert.equal(Object.keys(s).length, 10);
  assert.equal(s['Name'], 'httpd');
  assert.equal(s['State'], 'S (sleeping)');
  assert.equal(s['Pid'], '412');
  assert.equal(s['Groups'], '0 4');
  assert.equal(s['VmRSS'], '1204 kB');
  assert.equal(s['Threads'], '3');
});

test('a name with spaces, an empty value, CRLF', () => {
  const s = parseStatus('Name:\tWeb Content \r\nGroups:\t\r\n', 's');
  assert.deepEqual(s, { Name: 'Web Content ', Groups: '' });
});

test('a line without a key is a ParseError naming it', () => {
  assert.throws(() => parseStatus('Name:\tx\nthis is not status\n', 'st'),
    (e: unknown) => e instanceof ParseError && e.line === 2 && e.text === 'this is not status');
  assert.throws(() => parseStatus('', 'st'), ParseError);
});
