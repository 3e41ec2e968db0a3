/*! parseSmaps / parseSmapsRollup: per-VMA sizes in bytes, headers checked as maps lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSmaps, parseSmapsRollup } from '../../src/parse/smaps.js';
import { ParseError } from '../../src/errors.js';

const SMAPS = `00010000-0046d000 r-xp 00000000 b3:03 1417       /usr/bin/xochitl
Size:               4468 kB
Rss:                2812 kB
Pss:                2812 kB
Shared_Clean:          0 kB
Shared_Dirty:          0 kB
Private_Clean:      2812 kB
Private_Dirty:         0 kB
Referenced:         2812 kB
Anonymous:             0 kB
Swap:                  0 kB
THPeligible:    0
VmFlags: rd ex mr mw me dw
02316000-03ad6000 rw-p 00000000 00:00 0          [heap]
Size:              24320 kB
Rss:               23040 kB
Pss:               23040 kB
Shared_Clean:          0 kB
Shared_Dirty:          4 kB
Private_Clean:         8 kB
Private_Dirty:     23028 kB
Swap:                 12 kB
VmFlags: rd wr mr mw me ac
`;

test('two blocks, sizes in bytes, unused fields ignored', () => {
  assert.deepEqual(parseSmaps(SMAPS, 's'), [
    { start: 0x10000, end: 0x46d000, rss: 2812 * 1024, pss: 2812 * 1024, privateClean: 2812 * 1024, privateDirty: 0, sharedClean: 0, sharedDirty: 0, swap: 0 },
    { start: 0x2316000, end: 0x3ad6000, rss: 23040 * 1024, pss: 23040 * 1024, privateClean: 8192, privateDirty: 23028 * 1024, sharedClean: 0, sharedDirty: 4096, swap: 12288 },
  ]);
});

test('an old kernel without Pss or Swap leaves them 0', () => {
  const e = parseSmaps('40000000-40005000 r-xp 00000000 1f:03 124        /lib/ld-uClibc.so.0\nSize: 20 kB\nRss: 16 kB\n', 's');
  assert.equal(e[0]!.rss, 16384);
  assert.equal(e[0]!.pss, 0);
});

test('smaps_rollup: one totals entry', () => {
  const text = '563b21183000-7ffdd16d5000 ---p 00000000 00:00 0                          [rollup]\nRss:                1780 kB\nPss:                 418 kB\nPss_Anon:            112 kB\nPrivate_Dirty:       112 kB\nSwap:                  0 kB\n';
  assert.deepEqual(parseSmapsRollup(text, 'r'), {
    start: 0x563b21183000, end: 0x7ffdd16d5000, rss: 1780 * 1024, pss: 418 * 1024,
    privateClean: 0, privateDirty: 112 * 1024, sharedClean: 0, sharedDirty: 0, swap: 0,
  });
  assert.throws(() => parseSmapsRollup(SMAPS, 'r'), /one block, found 2/);
});

test('errors name the line: bad header, field before header, bad size, junk', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['Rss: 4 kB\n', 1, /before the first mapping/],
    ['00010000-0000f000 r-xp 00000000 b3:03 1417 /x\n', 1, /end address/],
    [SMAPS.replace('Pss:                2812 kB', 'Pss:                2812 MB'), 4, /size in kB/],
    [SMAPS.replace('VmFlags: rd ex mr mw me dw', '-- cut here --'), 13, /not an smaps line/],
    [SMAPS.replace('02316000-03ad6000', '00316000-03ad6000'), 14, /overlaps/],
  ];
  for (const [text, line, problem] of cases) {
    assert.throws(() => parseSmaps(text, 'sm'), (e: unknown) => e instanceof ParseError && e.line === line && problem.test(e.problem), String(line));
  }
});
