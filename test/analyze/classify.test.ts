/*! classify() over the real dumps, the expected kind and owner of each line written out by
 * hand after reading the dump, and the single rules on a few made-up lines. Where a line could
 * be read two ways, the comment next to it says why it is read the way it is. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import { classify } from '../../src/analyze/classify.js';
import { KINDS } from '../../src/model/vma.js';
import type { Region } from '../../src/model/vma.js';
import { fixture } from '../helpers.js';

const MiB = 0x100000;
const ARENA32 = MiB; // glibc's arena size on 32-bit
const ARENA64 = 64 * MiB;

function regions(name: string, arenaSize: number): Region[] {
  return classify(parseMaps(fixture(`maps/${name}`), { source: name }).vmas, { arenaSize });
}

function text(lines: string, arenaSize: number): Region[] {
  return classify(parseMaps(lines, { source: 'test' }).vmas, { arenaSize });
}

/** `LINE kind owner` rows, blank lines and `#` comments dropped. */
function rows(table: string): string[] {
  return table.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter((l) => l !== '');
}

/** The actual `LINE kind owner` of every line that `table` names, in the table's order. A line
 * split in two regions (rule 9b) is named twice in the table, its parts in address order. */
function actual(rs: Region[], table: string): string[] {
  const byLine = new Map<number, Region[]>();
  for (const r of rs) byLine.set(r.line, [...(byLine.get(r.line) ?? []), r]);
  const used = new Map<number, number>();
  return rows(table).map((row) => {
    const line = Number(row.split(' ')[0]);
    const k = used.get(line) ?? 0;
    used.set(line, k + 1);
    const r = byLine.get(line)?.[k];
    return r ? `${r.line} ${r.kind} ${r.owner}` : `${line} (no such line)`;
  });
}

function check(rs: Region[], table: string, whole: boolean): void {
  assert.deepEqual(actual(rs, table), rows(table));
  if (whole) assert.equal(rows(table).length, rs.length, 'the table covers every line');
}

test('or1k musl busybox: two [heap] lines, rwxp bss after libc data', () => {
  check(regions('or1k-musl-openrisc-busybox-init-8k-pages.maps', ARENA32), `
    1 code /bin/busybox
    2 rodata /bin/busybox
    3 data /bin/busybox
    4 heap [heap]        # ---p [heap]: the name wins over the perms, it is part of the brk area
    5 heap [heap]
    6 code /lib/libc.so
    7 rodata /lib/libc.so
    8 data /lib/libc.so
    9 bss /lib/libc.so     # anonymous rwxp starting where libc's rw-p ends
    10 stack [stack]
  `, true);
});

test('x86-32 android static /init: vvar/vdso kernel, /dev/__properties__ shared', () => {
  check(regions('x86-32-android-x86-init-setpropex-fixture.maps', ARENA32), `
    1 code /init
    2 rodata /init
    3 data /init
    4 heap [heap]      # starts where /init's data ends, but [heap] wins over the bss rule
    5 anon anon        # 8 MiB, 1 MiB-aligned, but no ---p reserve above it: bionic's allocator, not a glibc arena
    6 anon anon
    7 shared /dev/__properties__
    8 anon anon        # anonymous r--p: neither a guard nor a file
    9 anon anon
    10 kernel [vvar]
    11 kernel [vdso]
    12 stack [stack]
  `, true);
});

test('Tenda AC15 httpd (uClibc, real board): all 60 lines', () => {
  check(regions('arm-uclibc-tenda-ac15-httpd-noaslr.maps', ARENA32), `
    1 code /bin/httpd
    2 data /bin/httpd
    3 heap [heap]                  # adjacent to httpd's data; the name wins
    4 code /lib/ld-uClibc.so.0
    5 anon anon                    # rw-p after ld.so's text, not after a data mapping: ld.so's own allocations
    6 anon anon
    7 rodata /lib/ld-uClibc.so.0
    8 data /lib/ld-uClibc.so.0
    9 code /lib/libCfm.so
    10 guard /lib/libCfm.so        # anonymous ---p between the text and data of the same library
    11 data /lib/libCfm.so
    12 bss /lib/libCfm.so
    13 code /lib/libcommon.so
    14 guard /lib/libcommon.so
    15 data /lib/libcommon.so
    16 bss /lib/libcommon.so
    17 code /lib/libChipApi.so
    18 guard /lib/libChipApi.so
    19 data /lib/libChipApi.so     # followed directly by the next library's text: no bss
    20 code /lib/libvos_util.so
    21 guard /lib/libvos_util.so
    22 data /lib/libvos_util.so
    23 code /lib/libz.so
    24 guard /lib/libz.so
    25 data /lib/libz.so
    26 code /lib/libpthread.so.0
    27 guard /lib/libpthread.so.0
    28 rodata /lib/libpthread.so.0
    29 data /lib/libpthread.so.0
    30 bss /lib/libpthread.so.0
    31 code /lib/libnvram.so
    32 guard /lib/libnvram.so
    33 data /lib/libnvram.so       # rw-p at offset 0: still data (only rwx at offset 0 is taken for code)
    34 code /lib/libshared.so
    35 guard /lib/libshared.so
    36 data /lib/libshared.so
    37 code /lib/libtpi.so
    38 guard /lib/libtpi.so
    39 data /lib/libtpi.so
    40 bss /lib/libtpi.so
    41 code /lib/libm.so.0
    42 guard /lib/libm.so.0
    43 rodata /lib/libm.so.0
    44 data /lib/libm.so.0
    45 code /lib/libucapi.so
    46 guard /lib/libucapi.so
    47 data /lib/libucapi.so
    48 bss /lib/libucapi.so
    49 code /lib/libgcc_s.so.1
    50 guard /lib/libgcc_s.so.1
    51 data /lib/libgcc_s.so.1
    52 code /lib/libc.so.0
    53 guard /lib/libc.so.0
    54 rodata /lib/libc.so.0
    55 data /lib/libc.so.0
    56 bss /lib/libc.so.0
    57 code /lib/librt.so.0
    58 guard /lib/librt.so.0
    59 rodata /lib/librt.so.0      # r--p at offset 0 (relro of a one-page library): rodata
    60 stack [stack]
  `, true);
});

test('Kindle PW2 (no NX, everything rwxp): data, bss, relro shown r-x, SYSV shm', () => {
  check(regions('arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps', ARENA32), `
    1 code /usr/bin/mesquite
    2 data /usr/bin/mesquite         # rwxp at offset 0x98000, after the file's text: data
    3 heap [heap]
    4 anon anon                      # rwxp anonymous, no guard, no data below it
    5 code /usr/lib/libcjson.so
    6 guard /usr/lib/libcjson.so     # file-backed ---p
    7 data /usr/lib/libcjson.so
    8 bss /usr/lib/libcjson.so       # anonymous rwxp right after libcjson's rwxp data
    9 code /lib/ld-2.19.so
    10 anon anon                     # ld.so's text is followed by anonymous memory, not by its data
    11 anon anon
    12 shared /SYSV00008fb5
    # ld-2.19.so's second r-x line (offset 0x1e000) is directly followed by its rwxp data at
    # 0x1f000: it is the relro page, made read-only by ld.so and shown r-x because the process
    # runs with READ_IMPLIES_EXEC (every mapping here is executable). Read as rodata, not code.
    13 rodata /lib/ld-2.19.so
    14 data /lib/ld-2.19.so
    15 bss /lib/ld-2.19.so
    16 code /usr/lib/libconnection-utils.so
    17 guard /usr/lib/libconnection-utils.so
    18 data /usr/lib/libconnection-utils.so
  `, true);
});

const REMARKABLE = 'armv7-glibc-remarkable2-xochitl-qt.maps';

test('reMarkable 2 xochitl: the first 30 lines', () => {
  check(regions(REMARKABLE, ARENA32), `
    1 code /usr/bin/xochitl
    2 rodata /usr/bin/xochitl
    3 data /usr/bin/xochitl
    4 bss /usr/bin/xochitl          # 1.4 MiB anonymous right after the executable's data
    5 heap [heap]
    6 code /lib/ld-2.31.so
    7 rodata /lib/ld-2.31.so
    8 data /lib/ld-2.31.so
    9 code /lib/libc-2.31.so
    10 guard /lib/libc-2.31.so      # file-backed ---p between text and relro
    11 rodata /lib/libc-2.31.so
    12 data /lib/libc-2.31.so
    13 bss /lib/libc-2.31.so
    14 code /lib/libpthread-2.31.so
    15 guard /lib/libpthread-2.31.so
    16 rodata /lib/libpthread-2.31.so
    17 data /lib/libpthread-2.31.so
    18 bss /lib/libpthread-2.31.so
    19 code /lib/libm-2.31.so
    20 guard /lib/libm-2.31.so
    21 rodata /lib/libm-2.31.so
    22 data /lib/libm-2.31.so
    23 code /lib/librt-2.31.so
    24 guard /lib/librt-2.31.so
    25 rodata /lib/librt-2.31.so
    26 data /lib/librt-2.31.so
    27 code /lib/libz.so.1.2.11
    28 guard /lib/libz.so.1.2.11
    29 rodata /lib/libz.so.1.2.11
    30 data /lib/libz.so.1.2.11
  `, false);
});

test('reMarkable 2 xochitl: thread stacks, arenas, memfd JIT, kernel pages', () => {
  const rs = regions(REMARKABLE, ARENA32);
  // Thread stacks are named by their start address; arenas are numbered from the top of the
  // address space down (line 524 is 1, line 125 is 4).
  check(rs, `
    113 guard thread stack 0x67028000
    114 thread-stack thread stack 0x67028000
    115 guard thread stack 0x67829000
    116 thread-stack thread stack 0x67829000
    117 rodata /usr/share/fonts/ttf/ebgaramond/EBGaramond-VariableFont_wght.ttf
    118 rodata /usr/share/fonts/ttf/noto/NotoSerif-Regular.ttf
    119 anon anon                    # 38 MiB anonymous above a font file: neither bss nor a stack
    120 guard thread stack 0x6a776000
    121 thread-stack thread stack 0x6a776000
    122 guard thread stack 0x6af77000
    # 18 MiB above a one-page guard: an 8 MiB stack (the size of the other 13) the kernel
    # merged with the anonymous mapping above it (same perms, adjacent): split in two (rule 9b)
    123 thread-stack thread stack 0x6af77000
    123 anon anon
    124 anon anon                    # ends where arena 4 starts, but nothing marks it
    125 arena arena 4                # 1 MiB-aligned, 768 KiB used, ---p reserve up to 0x6c500000
    126 guard arena 4
    # 6c600000-6c700000: exactly 1 MiB on a 1 MiB boundary with no guard below it: a glibc arena
    # heap grown to its full size (no reserve left). It also starts where the Layouts plugin's
    # one-page data ends, but mmap hands out addresses downwards, so the plugin was placed
    # under an existing mapping; a 1 MiB bss for a QML layouts plugin is not plausible.
    143 arena arena 3
    # 1040 KiB right after libnss_files' data: DESIGN's bss rule takes it as that library's
    # bss. It is more likely a large malloc placed above the library before it was loaded,
    # but nothing in the line says so; the rule is kept simple and predictable.
    302 bss /lib/libnss_files-2.31.so
    303 anon /memfd:JITCode:QtQml     # private memfd: anonymous memory with a name (JIT is anon per DESIGN)
    307 anon /memfd:unknown-usage:QtQml
    453 guard thread stack 0x6cefd000
    454 thread-stack thread stack 0x6cefd000
    459 guard thread stack 0x6e700000
    460 thread-stack thread stack 0x6e700000   # 8 MiB on a 1 MiB boundary, but not a full arena: its guard is below
    461 arena arena 2
    462 guard arena 2
    490 guard thread stack 0x6f0b9000
    491 thread-stack thread stack 0x6f0b9000
    496 bss /usr/lib/libcrypto.so.1.1
    497 anon /memfd:JSGCHeap:QtQml
    498 guard /memfd:JSGCHeap:QtQml   # file-backed ---p: the memfd's own reserve
    # anonymous ---p between two different memfds (QV4's JS stack guard pages): no thread
    # stack above it (the line above is not anonymous), not inside one file: plain guard.
    499 guard anon
    500 anon /memfd:JSVMStack:QtQml
    501 guard anon
    502 anon /memfd:JSVMStack:QtQml
    503 guard thread stack 0x70500000
    504 thread-stack thread stack 0x70500000  # a 1 MiB stack on a 1 MiB boundary: the guard below makes it a stack
    522 guard thread stack 0x70700000
    523 thread-stack thread stack 0x70700000
    524 arena arena 1
    525 guard arena 1
    534 guard thread stack 0x71030000
    535 thread-stack thread stack 0x71030000
    556 guard thread stack 0x71917000
    557 thread-stack thread stack 0x71917000
    558 guard thread stack 0x72118000
    559 thread-stack thread stack 0x72118000
    560 shared /dev/fb0
    561 anon anon
    641 anon anon                    # after a shared qmlcache file: not bss
    642 stack [stack]
    643 kernel [sigpage]
    644 kernel [vvar]
    645 kernel [vdso]
    646 kernel [vectors]
  `, false);
  const count = (k: string) => rs.filter((r) => r.kind === k).length;
  assert.equal(count('thread-stack'), 14);
  assert.equal(count('arena'), 4);
  assert.equal(count('kernel'), 4);
  assert.equal(rs.filter((r) => r.kind === 'shared' && r.path.endsWith('.qmlc')).length, 174);
});

test('x86-64 fish: 64 MiB arenas, thread stacks, deleted file, [vsyscall]', () => {
  const rs = regions('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps', ARENA64);
  check(rs, `
    1 rodata /usr/bin/fish      # r--p at offset 0 (ELF headers) before the text
    2 code /usr/bin/fish        # r-xp at offset 0xf000: the first r-x of the file is code
    5 data /usr/bin/fish
    6 bss /usr/bin/fish
    7 heap [heap]
    8 arena arena 2             # 0x7f9e08000000 is on a 64 MiB boundary; reserve up to 0x7f9e0c000000
    9 guard arena 2
    10 guard thread stack 0x7f9e0efff000
    11 thread-stack thread stack 0x7f9e0efff000
    12 guard thread stack 0x7f9e0f800000
    13 thread-stack thread stack 0x7f9e0f800000   # directly below arena 1, not aligned, no reserve: a stack
    14 arena arena 1
    15 guard arena 1
    16 rodata /home/keke/.local/share/fish/fish_history
    17 guard thread stack 0x7f9e14368000
    18 thread-stack thread stack 0x7f9e14368000
    19 rodata /usr/lib/locale/locale-archive
    20 anon anon
    46 guard /usr/lib/libpcre2-32.so.0.11.0
    59 rodata /usr/lib/ld-linux-x86-64.so.2
    60 data /usr/lib/ld-linux-x86-64.so.2
    61 stack [stack]
    62 kernel [vvar]
    63 kernel [vdso]
    64 kernel [vsyscall]
  `, false);
  const hist = rs.find((r) => r.line === 16)!;
  assert.equal(hist.deleted, true);
  assert.equal(hist.start, 0x7f9e142d4000);
});

test('every line of every dump gets one of the kinds and a non-empty owner', () => {
  const names = [
    'arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps', 'arm-uclibc-tenda-ac15-httpd-emux-qemu-emulated.maps',
    'arm-uclibc-tenda-ac15-httpd-noaslr.maps', REMARKABLE, 'or1k-musl-openrisc-busybox-init-8k-pages.maps',
    'x86-32-android-x86-init-setpropex-fixture.maps', 'arm32-android-pixel3-app-process32-PARTIAL.maps',
    'hppa-debian-clzdi2-zero-padded-32bit.maps',
  ];
  for (const name of names) {
    const vmas = parseMaps(fixture(`maps/${name}`), { source: name }).vmas;
    const rs = classify(vmas, { arenaSize: ARENA32 });
    assert.deepEqual([...new Set(rs.map((r) => r.line))], vmas.map((v) => v.line), `${name}: every line, in order`);
    for (const r of rs) {
      assert.ok((KINDS as readonly string[]).includes(r.kind), `${name}:${r.line} ${r.kind}`);
      assert.notEqual(r.owner, '', `${name}:${r.line}`);
    }
  }
});

// Made-up lines, one rule each (not board captures: each shows the smallest case of a rule).

test('[stack:TID] and [anon:stack_and_tls:TID] are thread stacks named by TID; their guard follows', () => {
  const rs = text([
    'b5000000-b5001000 ---p 00000000 00:00 0',
    'b5001000-b5100000 rw-p 00000000 00:00 0          [stack:1234]',
    'b6000000-b6001000 ---p 00000000 00:00 0          [anon:thread stack guard]',
    'b6001000-b6100000 rw-p 00000000 00:00 0          [anon:stack_and_tls:77]',
  ].join('\n'), ARENA32);
  assert.deepEqual(rs.map((r) => `${r.kind} ${r.owner}`), [
    'guard thread stack 1234',
    'thread-stack thread stack 1234',
    'guard thread stack 77',
    'thread-stack thread stack 77',
  ]);
});

test('[anon:NAME], anonymous shared memory, /dev/zero and ashmem, unknown [names]', () => {
  const rs = text([
    '10000000-10100000 rw-p 00000000 00:00 0          [anon:libc_malloc]',
    '10100000-10200000 rw-s 00000000 00:01 1024       /dev/zero (deleted)',
    '10200000-10300000 rw-s 00000000 00:00 0',
    '10300000-10400000 rw-p 00000000 00:01 2048       /dev/zero (deleted)',
    '10400000-10500000 rw-p 00000000 00:04 4096       /dev/ashmem/dalvik-heap (deleted)',
    '10500000-10501000 r-xp 00000000 00:00 0          [uprobes]',
  ].join('\n'), ARENA32);
  assert.deepEqual(rs.map((r) => `${r.kind} ${r.owner}`), [
    'heap libc_malloc', // bionic's malloc heap (rule 6b)
    'shared /dev/zero',
    'shared [anon shared]',
    'anon /dev/zero',
    'anon /dev/ashmem/dalvik-heap',
    'anon [uprobes]',
  ]);
});

test('rwx file-backed: offset 0 first line is code, the later rwx line is data, its anon tail bss', () => {
  const rs = text([
    '00008000-00010000 rwxp 00000000 1f:02 10         /bin/app',
    '00018000-00019000 rwxp 00008000 1f:02 10         /bin/app',
    '00019000-0001a000 rwxp 00000000 00:00 0',
    '0001a000-0001b000 rwxp 00000000 00:00 0',
  ].join('\n'), ARENA32);
  assert.deepEqual(rs.map((r) => `${r.kind} ${r.owner}`), [
    'code /bin/app', 'data /bin/app', 'bss /bin/app',
    'anon anon', // only the first anonymous line after data is bss
  ]);
});

test('arena needs its boundary and a reserve that stops at the next boundary', () => {
  const rs = text([
    '20000000-20021000 rw-p 00000000 00:00 0', // arena: aligned, reserve to 0x20100000
    '20021000-20100000 ---p 00000000 00:00 0',
    '20100000-20121000 rw-p 00000000 00:00 0', // aligned, but the reserve runs past 0x20200000
    '20121000-20300000 ---p 00000000 00:00 0',
    '20400000-20421000 rw-p 00000000 00:00 0', // not above a ---p, reserve fine: arena again
    '20421000-20500000 ---p 00000000 00:00 0',
    '20500000-20600000 rw-p 00000000 00:00 0', // above arena 1's reserve, full 1 MiB: a full arena, not a stack
  ].join('\n'), ARENA32);
  assert.deepEqual(rs.map((r) => `${r.kind} ${r.owner}`), [
    'arena arena 3', 'guard arena 3',
    'anon anon', 'guard anon',
    'arena arena 2', 'guard arena 2',
    'arena arena 1',
  ]);
});

test('an anonymous rw-p above an arena reserve is not a thread stack', () => {
  const rs = text([
    '30000000-30021000 rw-p 00000000 00:00 0',
    '30021000-30100000 ---p 00000000 00:00 0',
    '30100000-30140000 rw-p 00000000 00:00 0',
    '30200000-30300000 ---p 00000000 00:00 0', // a guard larger than what is above it
    '30300000-30301000 rw-p 00000000 00:00 0',
  ].join('\n'), ARENA32);
  assert.deepEqual(rs.map((r) => `${r.kind} ${r.owner}`), [
    'arena arena 1', 'guard arena 1', 'anon anon', 'guard anon', 'anon anon',
  ]);
});

test('100k VMAs classify: every thread stack, library and data segment owned right (speed is in npm run bench, not here)', () => {
  // 25k groups of guard + 8 KiB stack + library text + data, laid out upwards; every object has
  // the same shape, as parseMaps makes them
  const vma = (start: number, end: number, perms: string, offset: number, dev: string, inode: number, path: string, line: number) =>
    ({ start, end, perms, offset, dev, inode, path, deleted: false, line });
  const vmas = [];
  const page = 0x1000;
  let at = 0x10000000;
  for (let i = 0; i < 25_000; i++) {
    vmas.push(vma(at, at + page, '---p', 0, '00:00', 0, '', vmas.length + 1));
    vmas.push(vma(at + page, at + 3 * page, 'rw-p', 0, '00:00', 0, '', vmas.length + 1));
    vmas.push(vma(at + 3 * page, at + 4 * page, 'r-xp', 0, 'b3:01', 100 + i, `/lib/l${i}.so`, vmas.length + 1));
    vmas.push(vma(at + 4 * page, at + 5 * page, 'rw-p', page, 'b3:01', 100 + i, `/lib/l${i}.so`, vmas.length + 1));
    at += 6 * page;
  }
  const rs = classify(vmas, { arenaSize: ARENA32 });
  assert.equal(rs.length, 100_000);
  assert.equal(rs[0]!.owner, 'thread stack 0x10001000');
  assert.equal(rs[1]!.owner, 'thread stack 0x10001000');
  assert.equal(rs[99_997]!.owner, `thread stack 0x${(0x10000000 + 24_999 * 6 * 0x1000 + 0x1000).toString(16)}`);
  assert.equal(rs[99_999]!.kind, 'data');
});

// Regression tests for issue 10 section 2, one per case. Lines made from the rule unless a
// real dump is named.

const kindsOf = (rs: Region[]) => rs.map((r) => `${r.kind} ${r.owner}`);

test('regression: the MIPS FPU-emulation page (anonymous r-xp page between [stack] and [vvar]) is kernel, also rwxp (4.8-4.20) and 16 KiB pages', () => {
  const stack = '7fb97000-7fbb8000 rwxp 00000000 00:00 0          [stack]';
  const vvar = '7ff90000-7ff91000 r--p 00000000 00:00 0          [vvar]';
  const vdso = '7ff91000-7ff92000 r-xp 00000000 00:00 0          [vdso]';
  const mipsel = text([stack, '7fefd000-7fefe000 r-xp 00000000 00:00 0 ', vvar, vdso].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(mipsel), ['stack [stack]', 'kernel [fpu emulation]', 'kernel [vvar]', 'kernel [vdso]']);
  const old = text([stack, '7fefc000-7ff00000 rwxp 00000000 00:00 0 ', vdso].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(old), ['stack [stack]', 'kernel [fpu emulation]', 'kernel [vdso]']);
  // anonymous r-xp pages elsewhere are the process's own (a JIT page below the stack; one above
  // it that is not right under the vdso; one larger than a page)
  const jit = text([
    '77000000-77001000 r-xp 00000000 00:00 0 ', stack,
    '7fe00000-7fe01000 r-xp 00000000 00:00 0 ', '7fe80000-7fe81000 rw-p 00000000 00:00 0 ',
    '7fe90000-7fef0000 r-xp 00000000 00:00 0 ', vvar,
  ].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(jit), ['anon anon', 'stack [stack]', 'anon anon', 'anon anon', 'anon anon', 'kernel [vvar]']);
});

test('regression: Android heaps [anon:libc_malloc], [anon:scudo:*], [anon:GWP-ASan*] are heap owned by NAME; other [anon:NAME] keep NAME', () => {
  const rs = text([
    'e8000000-e8400000 rw-p 00000000 00:00 0          [anon:libc_malloc]',
    'e8400000-e8480000 rw-p 00000000 00:00 0          [anon:scudo:primary]',
    'e8480000-e8500000 ---p 00000000 00:00 0          [anon:scudo:primary]',
    'e8500000-e8540000 rw-p 00000000 00:00 0          [anon:scudo:secondary]',
    'e8540000-e8541000 rw-p 00000000 00:00 0          [anon:GWP-ASan Alive Slot]',
    'e8541000-e8542000 ---p 00000000 00:00 0          [anon:GWP-ASan Guard Page]',
    'e8600000-e8700000 rw-p 00000000 00:00 0          [anon:dalvik-LinearAlloc]',
    'e8700000-e8701000 rw-p 00000000 00:00 0          [anon:atexit handlers]',
    'e8800000-e8801000 rw-p 00000000 00:00 0          [anon:libc_malloc_debug]',
  ].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(rs), [
    'heap libc_malloc', 'heap scudo:primary', 'guard scudo:primary', 'heap scudo:secondary',
    'heap GWP-ASan Alive Slot', 'guard GWP-ASan Guard Page',
    'anon dalvik-LinearAlloc', 'anon atexit handlers', 'anon libc_malloc_debug',
  ]);
});

test('regression: an anonymous rw-p right after a library whose data is all relro (r--p, EMUX libdl.so.0) is that library\'s bss', () => {
  const LIBDL = '/emux/TENDA/squashfs-root/lib/libdl.so.0';
  check(regions('arm-uclibc-tenda-ac15-httpd-emux-qemu-emulated.maps', ARENA32), `
    64 code ${LIBDL}
    65 guard ${LIBDL}            # uClibc's anonymous hole between the segments
    66 rodata ${LIBDL}           # the one-page data segment, all relro, made r--p by the loader
    67 bss ${LIBDL}              # what the loader mapped for .bss right after it
  `, false);
  // Android's linker names a bss [anon:.bss]; a font file (no code) is followed by plain anon
  const rs = text([
    '00400000-00480000 r-xp 00000000 fd:00 10         /system/bin/app',
    '00480000-00481000 r--p 00080000 fd:00 10         /system/bin/app',
    '00481000-00483000 rw-p 00000000 00:00 0          [anon:.bss]',
    '10000000-10100000 r--p 00000000 fd:00 11         /system/fonts/Roboto.ttf',
    '10100000-10180000 rw-p 00000000 00:00 0 ',
  ].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(rs), ['code /system/bin/app', 'rodata /system/bin/app', 'bss /system/bin/app', 'rodata /system/fonts/Roboto.ttf', 'anon anon']);
});

test('regression: thread stacks are named by start address: unmapping one renames no other', () => {
  const three = [
    'b5000000-b5001000 ---p 00000000 00:00 0 ', 'b5001000-b5801000 rw-p 00000000 00:00 0 ',
    'b5801000-b5802000 ---p 00000000 00:00 0 ', 'b5802000-b6002000 rw-p 00000000 00:00 0 ',
    'b6002000-b6003000 ---p 00000000 00:00 0 ', 'b6003000-b6803000 rw-p 00000000 00:00 0 ',
  ];
  const owners = (lines: string[]) => text(lines.join('\n'), ARENA32).filter((r) => r.kind === 'thread-stack').map((r) => r.owner);
  assert.deepEqual(owners(three), ['thread stack 0xb5001000', 'thread stack 0xb5802000', 'thread stack 0xb6003000']);
  assert.deepEqual(owners([...three.slice(0, 2), ...three.slice(4)]), ['thread stack 0xb5001000', 'thread stack 0xb6003000']);
  assert.deepEqual(owners(three.slice(2)), ['thread stack 0xb5802000', 'thread stack 0xb6003000']);
});

test('regression: a small thread stack on a 1 MiB boundary below another thread\'s guard is a thread stack, not an arena', () => {
  const rs = text([
    'b5eff000-b5f00000 ---p 00000000 00:00 0 ',
    'b5f00000-b5f20000 rw-p 00000000 00:00 0 ', // 128 KiB stack, starting on a 1 MiB boundary
    'b5f20000-b5f21000 ---p 00000000 00:00 0 ', // the next thread's guard, ending below 0xb6000000
    'b5f21000-b5f41000 rw-p 00000000 00:00 0 ',
  ].join('\n'), ARENA32);
  assert.deepEqual(kindsOf(rs), [
    'guard thread stack 0xb5f00000', 'thread-stack thread stack 0xb5f00000',
    'guard thread stack 0xb5f21000', 'thread-stack thread stack 0xb5f21000',
  ]);
});

test('regression: a block the kernel merged into a thread stack\'s line (ARM) is a thread stack of the known size plus anon', () => {
  const lines = [
    'b5000000-b5001000 ---p 00000000 00:00 0 ',
    'b5001000-b5b01000 rw-p 00000000 00:00 0 ', // 11 MiB: an 8 MiB stack plus a 3 MiB block above it
  ];
  const parts = (rs: Region[]) => rs.map((r) => `${r.line} ${r.kind} ${r.owner} ${r.start.toString(16)}-${r.end.toString(16)}`);
  // split by the stack limit (glibc's default thread stack size) ...
  const byLimit = classify(parseMaps(lines.join('\n'), { source: 't' }).vmas, { arenaSize: ARENA32, threadStackSize: 8 * 1024 * 1024 });
  assert.deepEqual(parts(byLimit), [
    '1 guard thread stack 0xb5001000 b5000000-b5001000',
    '2 thread-stack thread stack 0xb5001000 b5001000-b5801000',
    '2 anon anon b5801000-b5b01000',
  ]);
  // ... or, with no limit known, by the size the process's other thread stacks have (here 2 MiB)
  const siblings = [
    'b4000000-b4001000 ---p 00000000 00:00 0 ', 'b4001000-b4201000 rw-p 00000000 00:00 0 ',
    'b4201000-b4202000 ---p 00000000 00:00 0 ', 'b4202000-b4402000 rw-p 00000000 00:00 0 ',
  ];
  const bySiblings = text([...siblings, ...lines].join('\n'), ARENA32);
  assert.deepEqual(parts(bySiblings).slice(4), [
    '5 guard thread stack 0xb5001000 b5000000-b5001000',
    '6 thread-stack thread stack 0xb5001000 b5001000-b5201000',
    '6 anon anon b5201000-b5b01000',
  ]);
  // with the limit known, a stack of the program's own smaller size is never split by its siblings
  const bigAmongSmall = classify(parseMaps([...siblings, ...lines].join('\n'), { source: 't' }).vmas, { arenaSize: ARENA32, threadStackSize: 16 << 20 });
  assert.equal(bigAmongSmall.length, 6);
  // glibc before 2.27 took the guard out of the stack: two stacks of 8 MiB - 4 KiB give the size
  const old = [
    'b3000000-b3001000 ---p 00000000 00:00 0 ', 'b3001000-b3800000 rw-p 00000000 00:00 0 ',
    'b3800000-b3801000 ---p 00000000 00:00 0 ', 'b3801000-b4000000 rw-p 00000000 00:00 0 ',
    'b4000000-b4001000 ---p 00000000 00:00 0 ', 'b4001000-b4900000 rw-p 00000000 00:00 0 ',
  ];
  const byOld = classify(parseMaps(old.join('\n'), { source: 't' }).vmas, { arenaSize: ARENA32, threadStackSize: 8 << 20 });
  assert.deepEqual(parts(byOld).slice(5), ['6 thread-stack thread stack 0xb4001000 b4001000-b4800000', '6 anon anon b4800000-b4900000']);
  // with no limit and stacks of many sizes (chosen by the program), nothing is split
  const many = [
    'b1000000-b1001000 ---p 00000000 00:00 0 ', 'b1001000-b1041000 rw-p 00000000 00:00 0 ',
    'b1100000-b1101000 ---p 00000000 00:00 0 ', 'b1101000-b1141000 rw-p 00000000 00:00 0 ',
    'b1200000-b1201000 ---p 00000000 00:00 0 ', 'b1201000-b1281000 rw-p 00000000 00:00 0 ',
    'b1300000-b1301000 ---p 00000000 00:00 0 ', 'b1301000-b1401000 rw-p 00000000 00:00 0 ',
    'b1500000-b1501000 ---p 00000000 00:00 0 ', 'b1501000-b1701000 rw-p 00000000 00:00 0 ',
  ];
  assert.equal(text(many.join('\n'), ARENA32).length, many.length);
  // with no size known, the line stays one thread stack (nothing to split it by)
  assert.deepEqual(parts(text(lines.join('\n'), ARENA32)).slice(1), ['2 thread-stack thread stack 0xb5001000 b5001000-b5b01000']);
});

test('regression: a stack limit that is not a whole number of pages splits a merged thread stack at the page above it (glibc rounds it up), exactly above 2^53 too', () => {
  // setrlimit takes any byte count; glibc's thread stack size is it rounded up to the page
  // (ALIGN_UP in __pthread_early_init), and the kernel splits VMAs only at pages: the split is there
  const parts = (rs: Region[]) => rs.map((r) => `${r.kind} ${r.start.toString(16)}-${r.end.toString(16)}`);
  const limit = 8 * MiB + 1;
  const low = classify(parseMaps([
    'b5000000-b5001000 ---p 00000000 00:00 0 ',
    'b5001000-b5b01000 rw-p 00000000 00:00 0 ',
  ].join('\n'), { source: 't' }).vmas, { arenaSize: ARENA32, threadStackSize: limit });
  assert.deepEqual(parts(low), ['guard b5000000-b5001000', 'thread-stack b5001000-b5802000', 'anon b5802000-b5b01000']);
  // above 2^53 a start plus a size that is not a whole number of pages is not a double at all
  const high = classify(parseMaps([
    '0030000000000000-0030000000001000 ---p 00000000 00:00 0 ',
    '0030000000001000-0030000000a01000 rw-p 00000000 00:00 0 ',
  ].join('\n'), { source: 't' }).vmas, { arenaSize: ARENA64, threadStackSize: limit });
  assert.deepEqual(parts(high), ['guard 30000000000000-30000000001000', 'thread-stack 30000000001000-30000000802000', 'anon 30000000802000-30000000a01000']);
  assert.equal(high[1]!.end - high[1]!.start + (high[2]!.end - high[2]!.start), 0xa00000);
});

test('regression: Pixel 3 app (32-bit Android): [anon:.bss] after an .oat\'s code or relro, and the linker\'s three bss lines, belong to that file; [kuserhelpers] is kernel', () => {
  const OAT = '/apex/com.android.art/javalib/arm/boot.oat';
  const FW = '/system/framework/arm/boot-framework.oat';
  const LINKER = '/apex/com.android.runtime/bin/linker';
  check(regions('arm32-android-pixel3-app-process32-PARTIAL.maps', ARENA32), `
    1 anon dalvik-main space (region space)   # ART's Java heap: named anon, not malloc's heap
    8 rodata ${OAT}
    9 code ${OAT}
    10 bss ${OAT}                # [anon:.bss] right after the .oat's text
    11 rodata /apex/com.android.art/javalib/arm/boot.vdex
    48 rodata ${FW}
    49 code ${FW}
    50 rodata ${FW}              # relro
    51 bss ${FW}
    81 guard dalvik-non moving space
    83 rodata /system/bin/app_process32
    84 code /system/bin/app_process32
    88 anon linker_alloc
    90 anon bionic_alloc_small_objects
    99 anon stack_and_tls:main     # the main thread's TLS block: its stack is [stack]
    116 anon thread signal stack
    120 kernel [vvar]
    121 kernel [vdso]
    125 data ${LINKER}
    126 bss ${LINKER}
    127 bss ${LINKER}            # r--p: the part of its bss the linker made read-only
    128 bss ${LINKER}
    130 stack [stack]
    131 kernel [kuserhelpers]
  `, false);
});
