/*! Capture format version 2 (parse/capture-framed.ts): every section closed by its own line,
 * boundary lines only at a line's start, stat and cmdline with newlines as 0x01, and every
 * framing that does not add up refused whole (issue 9: the capture can be forged from the board). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { formatFramedText } from '../../src/parse/capture-framed.js';
import { parseCapture } from '../../src/parse/index.js';
import { ParseError } from '../../src/errors.js';
import type { RawCapture } from '../../src/model/capture.js';

const B = '0123456789abcdef0123456789abcdef';
const head = `mapsdiff-capture 2 ${B}\n`;
const refused = (text: string, re: RegExp) =>
  assert.throws(() => parseCaptureText(text, 'ssh b', { requireEnd: true }), (e: unknown) => e instanceof ParseError && re.test(e.problem));

test('the documented example: texts without the collector\'s newline, one-line sections, gone on the closing line', () => {
  const text = head + [
    `${B} uname`, 'Linux b 6.1.0 armv7l GNU/Linux', '', `${B} uname ok`,
    `${B} boot_id`, 'f3b1c0de-1111-4222-8333-944455556666', '', `${B} boot_id ok`,
    `${B} pid 412 stat`, '412 (a\x01b) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096 1 4294967295\x01', `${B} pid 412 stat ok`,
    `${B} pid 412 cmdline`, '/bin/x\0', `${B} pid 412 cmdline ok`,
    `${B} pid 412 maps`, '', `${B} pid 412 maps gone`,
    `${B} pid 412 smaps missing`,
    `${B} end`, '',
  ].join('\n');
  const raw = parseCaptureText(text, 'ssh b', { requireEnd: true });
  assert.deepEqual(raw.sections.map((s) => [s.pid ?? '', s.name, s.status, s.text]), [
    ['', 'uname', 'ok', 'Linux b 6.1.0 armv7l GNU/Linux\n'],
    ['', 'boot_id', 'ok', 'f3b1c0de-1111-4222-8333-944455556666\n'],
    [412, 'stat', 'ok', '412 (a\nb) S 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 100 4096 1 4294967295\n'],
    [412, 'cmdline', 'ok', '/bin/x\0'],
    [412, 'maps', 'gone', ''],
    [412, 'smaps', 'missing', ''],
  ]);
  const parsed = parseCapture(raw, { source: 'b' });
  assert.equal(parsed.bootId, 'f3b1c0de-1111-4222-8333-944455556666');
  assert.equal(parsed.processes[0]!.name, 'a\nb');
  assert.equal(parsed.processes[0]!.gone, true);
});

test('round trip: formatFramedText, then parse, gives the same sections', () => {
  const raw: RawCapture = { sections: [
    { name: 'meminfo', status: 'ok', text: 'MemTotal: 1 kB\nMemFree:' }, // cut short: no final newline, kept so
    { name: 'stat', pid: 7, status: 'ok', text: '7 (x\ny) S 1\n' },
    { name: 'cmdline', pid: 7, status: 'ok', text: `a\0b\n${B} pid 9 maps\n\0` },
    { name: 'maps', pid: 7, status: 'ok', text: '' },
    { name: 'limits', pid: 7, status: 'gone', text: 'Limit  ' },
    { name: 'status', pid: 7, status: 'denied', text: '' },
  ] };
  assert.deepEqual(parseCaptureText(formatFramedText(raw, B), 'rt', { requireEnd: true }), raw);
});

test('a forged section written into a process\'s text is refused whole, whatever it tries', () => {
  const open = `${B} pid 5 status\n`;
  const close = `\n${B} pid 5 status ok\n${B} end\n`;
  // the forger knows the boundary and writes lines into a section the kernel would not escape
  refused(head + open + `x\n${B} pid 999 maps\n10000000-70000000 rw-p 00000000 00:00 0 [heap]` + close, /closed by a line that is not its own/);
  refused(head + open + `x\n${B} pid 5 status ok\n${B} pid 999 maps\nfake\n${B} pid 999 maps ok` + close, /closing line for a section that is not open/);
  refused(head + open + `x\n${B} pid 5 status ok\n${B} pid 5 status\ny` + close, /appears twice/);
  refused(head + open + `x\n${B} end` + close, /not its own/);
  refused(head + open + `${B} pid 999 maps\n` + close, /holds a boundary line/);
  refused(head + `${B} uptime\n1 1\n\n${B} uptime ok\nstray\n${B} end\n`, /text outside any section/);
  refused(head + `${B} uptime\n1 1\n`, /never closed/);
  refused(head + `${B} end\n${B} uptime missing\n`, /after the `end` line/);
  refused(head + `${B} uptime missing\n`, /cut short/);
});

test('a boundary that is not at a line\'s start is text, not a section line', () => {
  const raw = parseCaptureText(head + `${B} pid 5 maps\n00010000-00011000 r-xp 00000000 00:02 1 /x ${B} pid 6 maps\n\n${B} pid 5 maps ok\n${B} end\n`, 'b', { requireEnd: true });
  assert.equal(raw.sections.length, 1);
  assert.match(raw.sections[0]!.text, new RegExp(`/x ${B} pid 6 maps\n$`));
});

test('format 4: the session line comes right after the header, once; without it, or anywhere else, the stream is refused', () => {
  const h4 = `mapsdiff-capture 4 ${B}\n`;
  const rest = `${B} uptime\n1.0 2.0\n\n${B} uptime ok\n${B} end\n`;
  assert.deepEqual(parseCaptureText(h4 + `${B} session 4120 4119\n` + rest, 'ssh b', { requireEnd: true }).session, { shell: 4120, parent: 4119 });
  refused(h4 + rest, /starts with its session line/);
  refused(h4 + `${B} session 4120\n` + rest, /starts with its session line/);
  refused(h4 + `${B} session 4120 4119\n${B} session 4120 4119\n` + rest, /not a section line/);
  refused(h4 + `${B} session 4120 4119\n` + rest.replace(`${B} end`, `${B} session 1 1\n${B} end`), /not a section line/);
  // versions 2 and 3 have none
  refused(head + `${B} session 4120 4119\n` + rest, /not a section line/);
  assert.equal(parseCaptureText(head + rest, 'ssh b', { requireEnd: true }).session, undefined);
});
