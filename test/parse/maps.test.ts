/*! parseMaps over the real fixtures: counts, exact lines, deleted flags, 64-bit addresses,
 * names with spaces, missing trailing space, CRLF, and the seed's glued sample. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import { ParseError } from '../../src/errors.js';
import { fixture } from '../helpers.js';

const maps = (name: string) => parseMaps(fixture(`maps/${name}`), { source: name }).vmas;

test('every real dump parses with one VMA per line', () => {
  const counts: Record<string, number> = {
    'arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps': 18,
    'arm-uclibc-tenda-ac15-httpd-emux-qemu-emulated.maps': 72,
    'arm-uclibc-tenda-ac15-httpd-noaslr.maps': 60,
    'armv7-glibc-remarkable2-xochitl-qt.maps': 646,
    'or1k-musl-openrisc-busybox-init-8k-pages.maps': 10,
    'x86-32-android-x86-init-setpropex-fixture.maps': 12,
    'x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps': 64,
    'arm32-android-pixel3-app-process32-PARTIAL.maps': 131,
    'hppa-debian-clzdi2-zero-padded-32bit.maps': 11,
  };
  for (const [name, n] of Object.entries(counts)) {
    const r = parseMaps(fixture(`maps/${name}`), { source: name });
    assert.equal(r.vmas.length, n, name);
    assert.deepEqual(r.skipped, [], name);
  }
});

test('x86-64 fish: 12-digit addresses, 3-digit major, deleted file, exact [vsyscall]', () => {
  const v = maps('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps');
  assert.deepEqual(v[0], {
    start: 0x563ea224a000, end: 0x563ea2259000, perms: 'r--p', offset: 0,
    dev: '103:05', inode: 5920780, path: '/usr/bin/fish', deleted: false, line: 1,
  });
  assert.deepEqual(v[15], {
    start: 0x7f9e142d4000, end: 0x7f9e14367000, perms: 'r--p', offset: 0, dev: '103:05',
    inode: 2520236, path: '/home/keke/.local/share/fish/fish_history', deleted: true, line: 16,
  });
  const vsyscall = v[63]!;
  assert.equal(vsyscall.start, 0xffffffffff600000);
  assert.equal(vsyscall.end, 0xffffffffff601000);
  assert.equal(vsyscall.perms, '--xp');
  assert.equal(vsyscall.path, '[vsyscall]');
  assert.equal(v.filter((x) => x.deleted).length, 1);
});

test('Tenda AC15 (2.6.36): anonymous lines without a trailing space, 1f:03 mtd device', () => {
  const v = maps('arm-uclibc-tenda-ac15-httpd-noaslr.maps');
  assert.deepEqual(v[4], {
    start: 0x40005000, end: 0x40006000, perms: 'rw-p', offset: 0, dev: '00:00', inode: 0, path: '', deleted: false, line: 5,
  });
  assert.equal(v[0]!.dev, '1f:03');
  assert.equal(v[0]!.inode, 289);
  assert.equal(v[1]!.offset, 0xef000);
  assert.equal(v[59]!.path, '[stack]');
  assert.equal(v[59]!.end, 0xbf000000);
});

test('Kindle: rwxs SYSV segment marked deleted, all rwxp heap', () => {
  const v = maps('arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps');
  assert.equal(v[2]!.path, '[heap]');
  assert.equal(v[2]!.perms, 'rwxp');
  assert.equal(v[11]!.perms, 'rwxs');
  assert.equal(v[11]!.path, '/SYSV00008fb5');
  assert.equal(v[11]!.deleted, true);
  assert.equal(v[11]!.inode, 0);
});

test('reMarkable 2: 124 deleted memfd lines, [sigpage] and [vectors]', () => {
  const v = maps('armv7-glibc-remarkable2-xochitl-qt.maps');
  assert.equal(v.filter((x) => x.deleted).length, 124);
  assert.equal(v[302]!.path, '/memfd:JITCode:QtQml');
  assert.equal(v[302]!.line, 303);
  assert.equal(v[642]!.path, '[sigpage]');
  assert.equal(v[645]!.start, 0xffff0000);
  assert.equal(v[645]!.path, '[vectors]');
});

test('OpenRISC: two [heap] lines, the first a ---p guard', () => {
  const v = maps('or1k-musl-openrisc-busybox-init-8k-pages.maps');
  assert.deepEqual(v.filter((x) => x.path === '[heap]').map((x) => x.perms), ['---p', 'rwxp']);
});

test('names with spaces, CRLF line ends, uppercase hex and a trailing blank line', () => {
  const text = '00400000-00401000 r-xp 00000000 08:01 42         /opt/My App/bin/run me\r\n'
    + '00401000-00402000 rw-s 00000000 00:05 7          /memfd:pool a (deleted)\r\n'
    + 'B6C00000-B6C01000 rw-p 00000000 FD:00 0\r\n\r\n';
  const v = parseMaps(text, { source: 'inline' }).vmas;
  assert.equal(v.length, 3);
  assert.equal(v[0]!.path, '/opt/My App/bin/run me');
  assert.equal(v[1]!.path, '/memfd:pool a');
  assert.equal(v[1]!.deleted, true);
  assert.equal(v[2]!.start, 0xb6c00000);
  assert.equal(v[2]!.dev, 'fd:00');
  assert.equal(v[2]!.path, '');
});

test('the seed sample with glued lines fails on line 1 in strict mode', () => {
  const text = fixture('maps/seed-section3-glued.maps.txt');
  assert.throws(() => parseMaps(text, { source: 'seed' }), (e: unknown) => {
    assert.ok(e instanceof ParseError);
    assert.equal(e.source, 'seed');
    assert.equal(e.line, 1);
    assert.match(e.problem, /glued/);
    assert.ok(e.text.startsWith('00008000-00590000 r-xp 00000000 b3:01 1441836 /root/xxx---'));
    return true;
  });
});

test('lenient mode reads the seed sample and lists the skipped lines 1, 3, 4, 8, 13, 16', () => {
  const r = parseMaps(fixture('maps/seed-section3-glued.maps.txt'), { source: 'seed', lenient: true });
  assert.equal(r.vmas.length, 10);
  assert.deepEqual(r.skipped.map((s) => s.split(':', 2).slice(0, 2).join(':')), ['seed:1', 'seed:3', 'seed:4', 'seed:8', 'seed:13', 'seed:16']);
  assert.equal(r.vmas[0]!.line, 2);
  assert.equal(r.vmas[0]!.start, 0x005b2000);
});

test('bad lines: end below start, overlap, unclosed special name', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['00002000-00001000 r-xp 00000000 00:00 0\n', /end address/, 1],
    ['00001000-00003000 r-xp 00000000 00:00 0\n00002000-00004000 r-xp 00000000 00:00 0\n', /overlaps/, 2],
    ['00001000-00003000 rw-p 00000000 00:00 0 [heap]--- note\n', /closing bracket/, 1],
    ['00001000-00003000 rw-q 00000000 00:00 0\n', /not a maps line/, 1],
  ];
  for (const [text, problem, line] of cases) {
    assert.throws(() => parseMaps(text, { source: 's' }), (e: unknown) => e instanceof ParseError && problem.test(e.problem) && e.line === line, text);
  }
});

// Regression tests for issue 10 section 4, one per case.

test('regression: commentary glued onto a path (the seed sample, line 4: /lib/ld-2.28.9000.so-----下面是…) is refused', () => {
  const line4 = fixture('maps/seed-section3-glued.maps.txt').split('\n')[3]!;
  assert.ok(line4.startsWith('2aaa8000-2aac5000 r-xp 00000000 b3:01 786621 /lib/ld-2.28.9000.so----'));
  assert.throws(() => parseMaps(line4 + '\n', { source: 'seed' }), (e: unknown) =>
    e instanceof ParseError && e.line === 1 && /commentary/.test(e.problem) && e.text === line4);
  // the same file name on its own, and names that merely contain dashes, stay accepted
  const ok = [
    '2aaa8000-2aac5000 r-xp 00000000 b3:01 786621 /lib/ld-2.28.9000.so',
    '2aac5000-2aac6000 r--p 00000000 b3:01 786622 /usr/lib/libfoo-1.0--2.so',
    '2aac6000-2aac7000 rw-p 00000000 00:04 4096       /dev/ashmem/dalvik-main space (region space) (deleted)',
  ];
  assert.equal(parseMaps(ok.join('\n'), { source: 's' }).vmas.length, 3);
});

const CLZDI2 = 'hppa-debian-clzdi2-zero-padded-32bit.maps';

test('regression: zero-padded fields of a 32-bit kernel with the broken __clzdi2 (dev 000000008:000000005) are accepted', () => {
  const v = maps(CLZDI2);
  assert.equal(v.length, 11);
  // the values are what a fixed kernel prints: dev as the kernel's %02x:%02x, offsets and addresses exact
  assert.deepEqual(v.map((x) => x.dev), ['08:05', '08:05', '00:00', '08:05', '08:05', '08:05', '08:05', '08:05', '08:05', '00:00', '00:00']);
  assert.equal(v[0]!.start, 0x10000);
  assert.equal(v[1]!.offset, 0x9000);
  assert.equal(v[4]!.offset, 0x1bc000);
  assert.equal(v[7]!.offset, 0x2f000);
  assert.equal(v[3]!.start, 0xf73d1000);
  assert.equal(v[3]!.path, '/usr/lib/hppa-linux-gnu/libc.so.6');
  assert.equal(v[10]!.path, '[stack]');
});

// Regression tests for issue 15: addresses and offsets are plain numbers, exact because the
// kernel prints them page-aligned; a value a double cannot hold is refused, never rounded.

test('regression: an address above 2^53 that is not page-aligned (a hand-edited [vsyscall] at ffffffffff600001) is a ParseError, not rounded', () => {
  const cases: Array<[string, RegExp]> = [
    ['ffffffffff600001-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]', /start address 0xffffffffff600001/],
    ['ffffffffff600000-ffffffffff600fff --xp 00000000 00:00 0                  [vsyscall]', /end address 0xffffffffff600fff/],
    ['7f0000000000-7f0000001000 r--p 0020000000000001 103:05 77 /usr/lib/x.so', /offset 0x20000000000001/],
    // the zero-padded form (__clzdi2) goes through the full rules: the same refusal
    ['00000000ffffffffff600001-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]', /start address 0xffffffffff600001/],
  ];
  for (const [line, what] of cases) {
    assert.throws(() => parseMaps(line + '\n', { source: 's' }), (e: unknown) =>
      e instanceof ParseError && e.line === 1 && what.test(e.problem) && /page-aligned/.test(e.problem) && e.text === line, line);
  }
});

test('regression: under lenient an inexact address is skipped and reported like any bad line', () => {
  const text = '00008000-00009000 r-xp 00000000 b3:01 7 /bin/app\nffffffffff600001-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n';
  const r = parseMaps(text, { source: 's', lenient: true });
  assert.equal(r.vmas.length, 1);
  assert.deepEqual(r.skipped, ['s:2: ffffffffff600001-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]']);
});

test('regression: page-aligned values up to 2^64 - 4096 stay exact ([vsyscall], the top page, 2^53 + 4096)', () => {
  const text = [
    '0020000000001000-0020000000002000 rw-p 0020000000001000 00:05 9 /x',
    'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]',
    'fffffffffffff000-0000000000000000 r--p 00000000 00:00 0 [top]',
  ].join('\n');
  const r = parseMaps(text, { source: 's', lenient: true });
  assert.equal(r.vmas.length, 2); // the last ends at 0 (below its start): refused as such, not for exactness
  assert.match(r.skipped[0]!, /^s:3: /);
  const v = r.vmas.map((x) => [x.start.toString(16), x.end.toString(16), x.offset.toString(16)]);
  assert.deepEqual(v, [['20000000001000', '20000000002000', '20000000001000'], ['ffffffffff600000', 'ffffffffff601000', '0']]);
});
