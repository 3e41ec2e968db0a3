/*! parseCapture: a whole capture text -> ParsedCapture, per-pid grouping, names, start
 * times, missing/gone, error sources, lenient skipping. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCapture } from '../../src/parse/index.js';
import { parseCaptureText } from '../../src/parse/capture.js';
import { ParseError } from '../../src/errors.js';
import { fixture } from '../helpers.js';

const B = 'k3Jx9_QpZ2';
const TAIL = 'S 1 412 412 0 -1 4194560 310 0 0 0 12 5 0 0 20 0 3 0 8279 2490368 164 4294967295';
const LIMITS = 'Limit                     Soft Limit           Hard Limit           Units     \n'
  + 'Max stack size            8388608              unlimited            bytes     \n';

function capture(...lines: string[]): string {
  return [`mapsdiff-capture 1 ${B}`, ...lines, `${B} end`, ''].join('\n');
}

test('a capture of two processes and the board sections', () => {
  const text = capture(
    `${B} uname`, 'Linux TendaAC15 2.6.36.4brcmarm #1 SMP PREEMPT armv7l',
    `${B} uptime`, '86400.25 80000.00',
    `${B} ulimit-s`, 'unlimited',
    `${B} meminfo`, fixture('meminfo/armv7-augentix-hc1703-camera-64mb.meminfo').trimEnd(),
    `${B} pid 412 stat`, `412 (httpd) ${TAIL}`,
    `${B} pid 412 limits`, LIMITS.trimEnd(),
    `${B} pid 412 maps`, fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps').trimEnd(),
    `${B} pid 412 smaps missing`,
    `${B} pid 412 cmdline`, '/bin/httpd\0-p\x0080\0',
    `${B} pid 415 status`, 'Name:\tmonitor\nPid:\t415',
    `${B} pid 415 maps gone`,
  );
  const p = parseCapture(parseCaptureText(text, 'cap.txt'), { source: 'cap.txt' });
  assert.equal(p.uname, 'Linux TendaAC15 2.6.36.4brcmarm #1 SMP PREEMPT armv7l');
  assert.equal(p.uptime, 86400.25);
  assert.equal(p.ulimitStack, null);
  assert.deepEqual(p.meminfo!['MemTotal'], { value: 61968, unit: 'kB' });
  assert.deepEqual(p.skipped, []);
  assert.equal(p.processes.length, 2);
  const [httpd, monitor] = p.processes;
  assert.equal(httpd!.pid, 412);
  assert.equal(httpd!.name, 'httpd');
  assert.equal(httpd!.startTime, 8279);
  assert.equal(httpd!.vmas.length, 60);
  assert.equal(httpd!.vmas[0]!.path, '/bin/httpd');
  assert.deepEqual(httpd!.limits, { stackSoft: 8388608, stackHard: null });
  assert.equal(httpd!.cmdline, '/bin/httpd -p 80');
  assert.deepEqual(httpd!.missing, ['smaps']);
  assert.equal(httpd!.gone, false);
  assert.equal(monitor!.name, 'monitor');
  assert.equal(monitor!.startTime, null);
  assert.deepEqual(monitor!.vmas, []);
  assert.equal(monitor!.gone, true);
  assert.deepEqual(monitor!.missing, []);
});

test('the name falls back to the basename of cmdline, then to empty', () => {
  const text = capture(`${B} pid 9 cmdline`, '/usr/sbin/my daemon\0--fg\0', `${B} pid 10 maps`, '');
  const p = parseCapture(parseCaptureText(text, 'c'), { source: 'c' });
  assert.equal(p.processes[0]!.name, 'my daemon');
  assert.equal(p.processes[1]!.name, '');
});

test('a bad maps line names `<source>, pid N maps` and the line in it', () => {
  const text = capture(`${B} pid 412 maps`, fixture('maps/seed-section3-glued.maps.txt'));
  assert.throws(() => parseCapture(parseCaptureText(text, 'cap'), { source: 'snapshot t3' }), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.source, 'snapshot t3, pid 412 maps');
    assert.equal(e.line, 1);
    return true;
  });
});

test('lenient: bad maps lines and an unreadable section are listed in skipped', () => {
  const text = capture(
    `${B} ulimit-s`, 'sh: ulimit: not found',
    `${B} pid 412 maps`, fixture('maps/seed-section3-glued.maps.txt'),
    `${B} pid 412 stat`, '412 (x) S 1',
  );
  const p = parseCapture(parseCaptureText(text, 'cap'), { source: 't3', lenient: true });
  assert.equal(p.ulimitStack, undefined);
  assert.equal(p.processes[0]!.vmas.length, 10);
  assert.equal(p.processes[0]!.stat, undefined);
  assert.equal(p.processes[0]!.name, '');
  assert.deepEqual(p.skipped.map((s) => s.slice(0, s.indexOf(': ') + 1)), [
    't3, ulimit-s:1:',
    't3, pid 412 maps:1:', 't3, pid 412 maps:3:', 't3, pid 412 maps:4:', 't3, pid 412 maps:8:', 't3, pid 412 maps:13:', 't3, pid 412 maps:16:',
    't3, pid 412 stat:1:',
  ]);
});

test('strict: a stat for another pid, and a bad smaps_rollup, are ParseErrors', () => {
  const other = capture(`${B} pid 412 stat`, `413 (x) ${TAIL}`);
  assert.throws(() => parseCapture(parseCaptureText(other, 'c'), { source: 'c' }), /this stat is for pid 413, not 412/);
  const rollup = capture(`${B} pid 412 smaps_rollup`, 'Rss: 4 kB');
  assert.throws(() => parseCapture(parseCaptureText(rollup, 'c'), { source: 'c' }),
    (e: unknown) => e instanceof ParseError && e.source === 'c, pid 412 smaps_rollup');
});

test('smaps_rollup becomes smapsRollup; a missing board file stays undefined', () => {
  const text = capture(
    `${B} meminfo missing`,
    `${B} pid 1 smaps_rollup`, '00010000-7eaf0000 ---p 00000000 00:00 0      [rollup]\nRss:  1780 kB\nPss:  418 kB',
  );
  const p = parseCapture(parseCaptureText(text, 'c'), { source: 'c' });
  assert.equal(p.meminfo, undefined);
  assert.equal(p.processes[0]!.smapsRollup!.rss, 1780 * 1024);
  assert.equal(p.processes[0]!.smapsRollup!.end, 0x7eaf0000);
  assert.equal(p.processes[0]!.smaps, undefined);
});
