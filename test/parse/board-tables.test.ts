/*! The board-wide kernel tables: slabinfo, buddyinfo, file-nr, max_map_count, tmpfs mounts
 * with df usage, and Max open files from limits; each read from this machine's real /proc. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parseBuddyinfo, parseCount, parseFileNr, parseSlabinfo } from '../../src/parse/kernel-tables.js';
import { parseDf, parseTmpfsMounts } from '../../src/parse/mounts.js';
import { parseLimits } from '../../src/parse/limits.js';
import { ParseError } from '../../src/errors.js';

test('slabinfo of this machine: every cache, bytes = objects x object size', (t) => {
  let text: string;
  try { text = fs.readFileSync('/proc/slabinfo', 'utf8'); } catch { t.skip('needs root to read /proc/slabinfo'); return; }
  const caches = parseSlabinfo(text, 'slabinfo');
  assert.equal(caches.length, text.trim().split('\n').length - 2);
  for (const c of caches) assert.equal(c.bytes, c.numObjs * c.objSize);
});

test('slabinfo with a garbled row or another version is refused with its line', () => {
  const head = 'slabinfo - version: 2.1\n# name <active_objs>\n';
  assert.throws(() => parseSlabinfo(head + 'kmalloc-64 12 twelve\n', 's'), (e: unknown) => e instanceof ParseError && e.line === 3);
  assert.throws(() => parseSlabinfo('slabinfo - version: 1.1\n', 's'), /version 2/);
});

test('buddyinfo of this machine: one zone a line, free blocks order 0 first', () => {
  const text = fs.readFileSync('/proc/buddyinfo', 'utf8');
  const zones = parseBuddyinfo(text, 'buddyinfo');
  assert.equal(zones.length, text.trim().split('\n').length);
  for (const z of zones) assert.ok(z.free.length >= 1 && z.free.every((n) => Number.isInteger(n)));
  assert.throws(() => parseBuddyinfo('Node 0 zone Normal 1 2\n', 'b'), ParseError);
});

test('file-nr and max_map_count of this machine', () => {
  const f = parseFileNr(fs.readFileSync('/proc/sys/fs/file-nr', 'utf8'), 'file-nr');
  assert.ok(f.allocated > 0 && f.max >= f.allocated);
  assert.ok(parseCount(fs.readFileSync('/proc/sys/vm/max_map_count', 'utf8'), 'm') > 0);
  assert.throws(() => parseCount('65530 12\n', 'm'), ParseError);
  assert.throws(() => parseFileNr('1 2\n', 'f'), ParseError);
});

test('tmpfs mounts: only tmpfs, escapes undone, size= read, an over-mounted point once', () => {
  const text = 'proc /proc proc rw 0 0\ntmpfs /dev/shm tmpfs rw,size=1024k 0 0\ntmpfs /run/my\\040dir tmpfs rw,size=64k,mode=755 0 0\n'
    + 'tmpfs /dev/shm tmpfs rw,size=2048k 0 0\ndevtmpfs /dev devtmpfs rw 0 0\n';
  assert.deepEqual(parseTmpfsMounts(text, 'mounts'), [
    { device: 'tmpfs', mountPoint: '/run/my dir', sizeOption: 65536 },
    { device: 'tmpfs', mountPoint: '/dev/shm', sizeOption: 2097152 },
  ]);
});

test('df -Pk as BusyBox prints it: 1K blocks to bytes, keyed by mount point', () => {
  const df = parseDf('Filesystem           1024-blocks    Used Available Capacity Mounted on\ntmpfs                    61340       128     61212   1% /dev/shm\n', 'df');
  assert.deepEqual(df.get('/dev/shm'), { size: 61340 * 1024, used: 128 * 1024, available: 61212 * 1024 });
  assert.throws(() => parseDf('tmpfs lots\n', 'df'), ParseError);
});

test('limits: Max open files read alongside the stack, from this process', () => {
  const l = parseLimits(fs.readFileSync('/proc/self/limits', 'utf8'), 'limits');
  assert.equal(typeof l.nofileSoft, 'number');
  assert.ok(l.nofileHard === null || l.nofileHard! >= l.nofileSoft!);
});

test('regression: df of a tmpfs whose device name holds a space (mount -t tmpfs "my dev" DIR) is read, not refused as a line that is not df\'s', () => {
  // as BusyBox and coreutils df -Pakt tmpfs printed them (a private mount namespace of this machine):
  // the device column is whatever mount(2) was given; /proc/mounts writes it my\040dev
  const text = 'Filesystem              1024-blocks  Used Available Capacity Mounted on\n' +
    'tmpfs                          1024     0      1024       0% /tmp/review a b\n' +
    'my dev                         2048     4      2044       1% /tmp/review-c\n' +
    'a 5 b                            16     0        16       0% /tmp/digits 1 2 3\n';
  const df = parseDf(text, 'df');
  assert.deepEqual(df.get('/tmp/review-c'), { size: 2048 * 1024, used: 4 * 1024, available: 2044 * 1024 });
  assert.deepEqual(df.get('/tmp/review a b'), { size: 1024 * 1024, used: 0, available: 1024 * 1024 });
  assert.deepEqual(df.get('/tmp/digits 1 2 3'), { size: 16 * 1024, used: 0, available: 16 * 1024 });
  const mounts = parseTmpfsMounts('my\\040dev /tmp/review-c tmpfs rw,relatime,size=2048k 0 0\n', 'mounts');
  assert.deepEqual(mounts, [{ device: 'my dev', mountPoint: '/tmp/review-c', sizeOption: 2048 * 1024 }]);
});

test('regression: df of a tmpfs mounted on a path holding a newline (BusyBox df -Pakt tmpfs prints it as it is) is read as that mount\'s, not refused as a line that is not df\'s', () => {
  // as BusyBox df printed it (a private mount namespace of this machine); /proc/mounts writes the newline \012.
  // Every SSH capture of such a board was refused once df was asked for every tmpfs at once
  const text = 'Filesystem           1024-blocks    Used Available Capacity Mounted on\n' +
    'tmpfs                     1024         4      1020   1% /tmp/review-n\nl\n' +
    'tmpfs                 24683584         0  24683584   0% /dev/shm\n';
  const df = parseDf(text, 'df');
  assert.deepEqual(df.get('/tmp/review-n\nl'), { size: 1024 * 1024, used: 4 * 1024, available: 1020 * 1024 });
  assert.deepEqual(df.get('/dev/shm'), { size: 24683584 * 1024, used: 0, available: 24683584 * 1024 });
  assert.equal(df.size, 2);
  const [m] = parseTmpfsMounts('tmpfs /tmp/review-n\\012l tmpfs rw,relatime,size=1024k 0 0\n', 'mounts');
  assert.equal(m!.mountPoint, '/tmp/review-n\nl', 'the key df is looked up by');
  assert.throws(() => parseDf('Filesystem 1024-blocks Used Available Capacity Mounted on\nl\n', 'df'), ParseError, 'a first line that is not df\'s is still refused');
  // a mount on the path's first line keeps its own usage
  const both = parseDf('tmpfs 8 1 7 13% /tmp/review-n\ntmpfs 1024 4 1020 1% /tmp/review-n\nl\n', 'df');
  assert.deepEqual(both, new Map([['/tmp/review-n', { size: 8192, used: 1024, available: 7168 }], ['/tmp/review-n\nl', { size: 1024 * 1024, used: 4096, available: 1020 * 1024 }]]));
});
