/*! The maps parser's fast path (parse/maps-scan.ts: lines scanned in place, numbers kept while
 * exact, perms and devices from tables, one path string per run of a file's lines) gives what
 * the full rules give: exact 64-bit bounds next to short ones, devices as the kernel prints them
 * whatever case or zeros the line carried, and the same errors and line numbers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMapsLine, parseMaps } from '../../src/parse/maps.js';
import { ParseError } from '../../src/errors.js';

test('a line past 13 hex digits right after a short one stays exact (x86-64 [vsyscall] above 2^53)', () => {
  const text = '7ffc12345000-7ffc12366000 rw-p 00000000 00:00 0                          [stack]\n'
    + 'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n';
  const v = parseMaps(text, { source: 'inline' }).vmas;
  assert.equal(v[0]!.end, 0x7ffc12366000);
  assert.equal(v[1]!.start, 0xffffffffff600000);
  assert.equal(v[1]!.end, 0xffffffffff601000);
  assert.equal(v[1]!.line, 2);
  // and a line after the 16-digit one is still checked against it exactly
  assert.throws(() => parseMaps(text + 'ffffffffff600800-ffffffffff602000 r--p 00000000 00:00 0\n', { source: 'inline' }),
    (e: unknown) => e instanceof ParseError && e.line === 3 && /overlaps/.test(e.problem));
});

test('adjacent VMAs and a file\'s consecutive lines: bounds and paths as printed, offsets past 13 digits exact', () => {
  const text = '00400000-00401000 r-xp 00000000 08:01 42         /usr/lib/libexample.so.1\n'
    + '00401000-00402000 r--p 00001000 08:01 42         /usr/lib/libexample.so.1\n'
    + '00402000-00403000 rw-p 00002000 08:01 42         /usr/lib/libexample.so.2\n'
    + '00403000-00404000 rw-p fffffffffffff000 00:00 0\n';
  const v = parseMaps(text, { source: 'inline' }).vmas;
  assert.deepEqual(v.map((x) => [x.start, x.end, x.offset, x.path]), [
    [0x400000, 0x401000, 0, '/usr/lib/libexample.so.1'],
    [0x401000, 0x402000, 0x1000, '/usr/lib/libexample.so.1'],
    [0x402000, 0x403000, 0x2000, '/usr/lib/libexample.so.2'],
    [0x403000, 0x404000, 0xfffffffffffff000, ''],
  ]);
});

test('one device printed in several cases and with extra zeros is stored as the kernel prints it, each time', () => {
  const devs = ['B3:01', 'b3:01', '000000b3:00000001', 'fd:100', 'FD:100', '103:05', '8:5'];
  const text = devs.map((d, i) => `${(0x1000 * (i + 1)).toString(16).padStart(8, '0')}-${(0x1000 * (i + 2)).toString(16).padStart(8, '0')} r--p 00000000 ${d} 1 /f${i}`).join('\n');
  for (let round = 0; round < 2; round++) { // the second round reads them from the table
    assert.deepEqual(parseMaps(text, { source: 'inline' }).vmas.map((x) => x.dev), ['b3:01', 'b3:01', 'b3:01', 'fd:100', 'fd:100', '103:05', '8:5']);
  }
  for (const d of devs) assert.equal((checkMapsLine(`00001000-00002000 r--p 00000000 ${d} 1 /f`, 0) as { dev: string }).dev, parseMaps(`00001000-00002000 r--p 00000000 ${d} 1 /f`, { source: 's' }).vmas[0]!.dev);
});

test('bad perms, a bad device and a line cut short are refused with their line numbers, blank and CRLF lines counted', () => {
  for (const [bad, problem] of [
    ['00001000-00002000 rwzp 00000000 08:01 1 /f', /not a maps line/],
    ['00001000-00002000 r--p 00000000 08:zz 1 /f', /not a maps line/],
    ['00001000-00002000 r--p 00000000 08:01', /not a maps line/],
  ] as const) {
    const text = '\r\n   \r\n00000000-00001000 r--p 00000000 08:01 1 /f\r\n' + bad + '\n';
    assert.throws(() => parseMaps(text, { source: 'inline' }), (e: unknown) => e instanceof ParseError && e.line === 4 && problem.test(e.problem) && e.text === bad, bad);
    assert.deepEqual(parseMaps(text, { source: 'inline', lenient: true }).skipped, [`inline:4: ${bad}`]);
  }
});

test('regression: a 6-digit minor (0:100000) and a zero-padded device (00:000000) on later lines are each stored as printed, not one for the other', () => {
  // the device table's key once packed the minor into 20 bits: these two had the same key
  const text = '00001000-00002000 r--p 00000000 0:100000 1 /a\n00002000-00003000 r--p 00000000 00:000000 1 /b\n'
    + '00003000-00004000 r--p 00000000 0000fff0:fffff 1 /c\n00004000-00005000 r--p 00000000 ff:0ffffff 1 /d\n';
  assert.deepEqual(parseMaps(text, { source: 'inline' }).vmas.map((x) => x.dev), ['0:100000', '00:00', 'fff0:fffff', 'ff:ffffff']);
});
