/*! parseCaptureText / formatCaptureText: splitting the stream of docs/capture-format.md,
 * glued boundaries, status words, errors with line numbers, and the round trip. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText, formatCaptureText } from '../../src/parse/capture.js';
import { ParseError } from '../../src/errors.js';
import type { RawCapture } from '../../src/model/capture.js';
import { fixture } from '../helpers.js';

const B = 'MAPSDIFF-SECTION';

function parseError(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  assert.fail('expected a ParseError');
}

test('splits the documented example into sections with pids and status words', () => {
  const text = [
    `mapsdiff-capture 1 ${B}`,
    `${B} uname`,
    'Linux board1 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux',
    `${B} uptime`,
    '1234.56 1100.20',
    `${B} pid 412 maps`,
    '00010000-00011000 r-xp 00000000 00:02 1234       /usr/bin/leaker',
    `${B} pid 412 smaps missing`,
    `${B} pid 415 maps gone`,
    `${B} end`,
    '',
  ].join('\n');
  assert.deepEqual(parseCaptureText(text, 'cap.txt'), {
    sections: [
      { name: 'uname', status: 'ok', text: 'Linux board1 6.1.0-armmp #1 SMP Debian 6.1.0 armv7l GNU/Linux\n' },
      { name: 'uptime', status: 'ok', text: '1234.56 1100.20\n' },
      { name: 'maps', pid: 412, status: 'ok', text: '00010000-00011000 r-xp 00000000 00:02 1234       /usr/bin/leaker\n' },
      { name: 'smaps', pid: 412, status: 'missing', text: '' },
      { name: 'maps', pid: 415, status: 'gone', text: '' },
    ],
  });
});

test('a boundary glued after text without a newline keeps the text without one', () => {
  const text = `mapsdiff-capture 1 ${B}\n${B} pid 7 cmdline\n/bin/sh\0-c\0${B} pid 7 stat\n7 (sh) S 1${B} end`;
  const raw = parseCaptureText(text, 'x', { requireEnd: true });
  assert.equal(raw.sections[0]!.text, '/bin/sh\0-c\0');
  assert.equal(raw.sections[1]!.text, '7 (sh) S 1');
});

test('CRLF section lines (a serial console log) are read; section text stays verbatim', () => {
  const text = `mapsdiff-capture 1 ${B}\r\n${B} ulimit-s\r\n8192\r\n${B} end\r\n`;
  assert.deepEqual(parseCaptureText(text, 'x'), { sections: [{ name: 'ulimit-s', status: 'ok', text: '8192\r\n' }] });
});

test('without `end`: accepted by default, the last section runs to the end of the text', () => {
  const text = `mapsdiff-capture 1 ${B}\n${B} meminfo\nMemTotal: 1 kB\nMemFree:`;
  assert.deepEqual(parseCaptureText(text, 'x').sections, [{ name: 'meminfo', status: 'ok', text: 'MemTotal: 1 kB\nMemFree:' }]);
});

test('without `end` and requireEnd: ParseError saying the capture was cut short', () => {
  const text = `mapsdiff-capture 1 ${B}\n${B} meminfo\nMemTotal: 1 kB\nMemFree:`;
  const e = parseError(() => parseCaptureText(text, 'ssh root@127.0.0.1:2222', { requireEnd: true }));
  assert.equal(e.source, 'ssh root@127.0.0.1:2222');
  assert.equal(e.line, 4);
  assert.equal(e.text, 'MemFree:');
  assert.match(e.problem, /cut short/);
  assert.equal(e.example, `${B} end`);
});

test('a file that is not a capture fails on line 1 and shows the header form', () => {
  const e = parseError(() => parseCaptureText(fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'), 'httpd.maps'));
  assert.equal(e.line, 1);
  assert.equal(e.text, '00008000-000f7000 r-xp 00000000 1f:03 289        /bin/httpd');
  assert.equal(e.example, 'mapsdiff-capture 1 MAPSDIFF-SECTION');
  assert.match(parseError(() => parseCaptureText('', 'empty')).problem, /not a mapsdiff capture/);
});

test('a header below a console prompt is named by its line', () => {
  const e = parseError(() => parseCaptureText(`# sh /tmp/cap.sh\nmapsdiff-capture 1 ${B}\n${B} end\n`, 'console.log'));
  assert.equal(e.line, 1);
  assert.match(e.problem, /header is on line 2/);
});

test('bad headers: version 5, short boundary, forbidden boundary characters', () => {
  assert.match(parseError(() => parseCaptureText(`mapsdiff-capture 5 ${B}\n`, 'x')).problem, /version 5 is not supported \(this mapsdiff reads versions 1, 2, 3 and 4\)/);
  assert.match(parseError(() => parseCaptureText('mapsdiff-capture 1 ABC\n', 'x')).problem, /6 to 64/);
  assert.match(parseError(() => parseCaptureText('mapsdiff-capture 1 ABCDEF$(x)\n', 'x')).problem, /6 to 64/);
});

test('bad section lines name their line number', () => {
  const head = `mapsdiff-capture 1 ${B}\n${B} uptime\n1.0 2.0\n`;
  const cases: Array<[string, RegExp]> = [
    [`${B} pid x maps\n`, /decimal pid/],
    [`${B} pid 4 heap\n`, /unknown section/],
    [`${B} maps\n`, /needs a pid/],
    [`${B} pid 4 meminfo\n`, /not per process/],
    [`${B} pid 4 maps missing now\n`, /extra words/],
    [`${B} uptime\n`, /appears twice/],
  ];
  for (const [line, problem] of cases) {
    const e = parseError(() => parseCaptureText(head + line, 'cap'));
    assert.equal(e.line, 4, line);
    assert.equal(e.text, line.slice(0, -1));
    assert.match(e.problem, problem);
  }
});

test('text between the header and the first section is refused', () => {
  const e = parseError(() => parseCaptureText(`mapsdiff-capture 1 ${B}\nhello\n${B} end\n`, 'x'));
  assert.equal(e.line, 2);
  assert.equal(e.text, 'hello');
});

test('after `end`: a prompt is ignored, a second capture is refused', () => {
  assert.deepEqual(parseCaptureText(`mapsdiff-capture 1 ${B}\n${B} end\n# `, 'x'), { sections: [] });
  const e = parseError(() => parseCaptureText(`mapsdiff-capture 1 ${B}\n${B} end\n${B} uptime\n1 1\n`, 'x'));
  assert.equal(e.line, 3);
});

test('the boundary followed by something other than a space is section text', () => {
  const raw = parseCaptureText(`mapsdiff-capture 1 ${B}\n${B} pid 1 cmdline\n${B}X ${B}\n${B} end\n`, 'x');
  assert.equal(raw.sections[0]!.text, `${B}X ${B}\n`);
});

test('round trip: parse(format(x)) deep-equals x, texts with and without trailing newlines', () => {
  const raw: RawCapture = {
    sections: [
      { name: 'uname', status: 'ok', text: 'Linux b 2.6.36 #1 armv7l\n' },
      { name: 'ulimit-s', status: 'ok', text: 'unlimited' },
      { name: 'meminfo', status: 'ok', text: fixture('meminfo/armv7-augentix-hc1703-camera-64mb.meminfo') },
      { name: 'processes', status: 'ok', text: '' },
      { name: 'maps', pid: 1, status: 'ok', text: fixture('maps/x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps') },
      { name: 'smaps', pid: 1, status: 'missing', text: '' },
      { name: 'cmdline', pid: 1, status: 'ok', text: 'fish\0-l\0' },
      { name: 'stat', pid: 2, status: 'gone', text: '2 (kthreadd) S 0' },
      { name: 'status', pid: 2, status: 'ok', text: '\r\n\n' },
    ],
  };
  const text = formatCaptureText(raw, 'Ab0_.@=+-xyz');
  assert.ok(text.startsWith('mapsdiff-capture 1 Ab0_.@=+-xyz\nAb0_.@=+-xyz uname\nLinux b'));
  assert.ok(text.endsWith('\nAb0_.@=+-xyz end\n'));
  assert.deepEqual(parseCaptureText(text, 'x', { requireEnd: true }), raw);
});

test('format refuses a boundary that occurs in a section', () => {
  assert.throws(() => formatCaptureText({ sections: [{ name: 'uname', status: 'ok', text: `x ${B} y` }] }, B), /occurs in section uname/);
  assert.throws(() => formatCaptureText({ sections: [] }, 'no spaces allowed'), /bad capture boundary/);
});
