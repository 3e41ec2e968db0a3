/*! parseUname: kernel, release and machine from `uname -a`, GNU and BusyBox forms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUname } from '../../src/parse/uname.js';
import { ParseError } from '../../src/errors.js';

test('GNU coreutils form ends in GNU/Linux', () => {
  assert.deepEqual(parseUname('Linux board1 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux\n', 'u'),
    { kernel: 'Linux', host: 'board1', release: '6.1.0-armmp', machine: 'armv7l' });
});

test('BusyBox without GNU/Linux: the machine is the last word', () => {
  assert.deepEqual(parseUname('Linux TendaAC15 2.6.36.4brcmarm #1 SMP PREEMPT Tue Jul 7 10:07:41 CST 2015 armv7l\n', 'u'),
    { kernel: 'Linux', host: 'TendaAC15', release: '2.6.36.4brcmarm', machine: 'armv7l' });
  assert.deepEqual(parseUname('Linux (none) 4.14.0 #2 mips\r\n', 'u'), { kernel: 'Linux', host: '(none)', release: '4.14.0', machine: 'mips' });
});

test('too few words or two lines is a ParseError', () => {
  assert.throws(() => parseUname('Linux\n', 'u'), ParseError);
  assert.throws(() => parseUname('', 'u'), ParseError);
  assert.throws(() => parseUname('Linux a 1 #1 x86_64\nLinux b 1 #1 x86_64\n', 'u'), ParseError);
});
