/*! Regression tests of issue 10 §1: the user-space ceiling follows the evidence of the
 * capture (uname -m, [stack], [sigpage], [vectors], the highest user region), one test per
 * rule, on real dumps (fixtures/maps, fixtures/captures) where they fit and on maps built
 * from the rule otherwise; and the kernel's VmSize (§3) on the boards' own captures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import type { ParsedCapture } from '../../src/model/capture.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { ceilingPhrase, ceilingReason } from '../../src/render/ceiling.js';
import { fixture } from '../helpers.js';

const meta: SnapshotMeta = { name: 't0', target: 'board', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false };

/** A bare maps dump as `import` stores it: one process, no uname unless given. */
function bare(text: string, machine: string | null = null, opts: { ceiling?: number; stored?: string } = {}) {
  const parsed: ParsedCapture = { processes: [{ pid: 1, name: 'p', vmas: parseMaps(text, { source: 'test' }).vmas, startTime: null, missing: [], denied: [], gone: false }], skipped: [] } as unknown as ParsedCapture;
  return buildReport({ ...meta, ...(opts.stored ? { ceiling: opts.stored } : {}) }, parsed, { machine, ceiling: opts.ceiling }).processes[0]!;
}
const real = (name: string, machine: string | null = null) => bare(fixture(`maps/${name}`), machine);
const board = (file: string) => {
  const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
  return buildReport(meta, parsed, { machine: parsed.uname?.includes(' armv7l ') ? 'armv7l' : 'mips' });
};
/** Lines built from the rule: `start-end perms path`. */
const maps = (...lines: string[]) => lines.map((l) => {
  const [range, perms, path = ''] = l.split(' ');
  return `${range} ${perms} 00000000 00:00 0 ${path}`;
}).join('\n') + '\n';

test('armhf board, no setting: ARM 3G/1G from the stack at 0xbe.., ceiling 0xbf000000 and the largest gap from the raw maps', () => {
  const r = board('qemu-armhf-virt-leaker-steady.capture');
  for (const p of r.processes) {
    assert.equal(p.ceiling, 0xbf000000, p.name);
    assert.deepEqual(p.findings, [], p.name);
  }
  const leaker = r.processes.find((p) => p.name === 'leaker')!;
  assert.equal(ceilingPhrase(leaker.ceiling, leaker.ceilingSource), 'user space up to 0xbf000000 (ARM 3G/1G: stack at 0xbec86000)');
  // raw maps: [heap] ends 020f0000, libc starts b6eb2000: 0xb4dc2000 bytes (~2.8 GiB), the largest hole
  assert.deepEqual(leaker.free.largest, { start: 0x020f0000, end: 0xb6eb2000, size: 0xb4dc2000 });
  // and the top gap runs from [vdso]'s end to the ceiling, not to 0x80000000
  assert.deepEqual(leaker.free.gaps.at(-1), { start: 0xbed0a000, end: 0xbf000000, size: 0x2f6000 });
});

test('mipsel board, no setting: MIPS32 0x80000000; the FPU-emulation page at 0x7fefd000 lies below it', () => {
  const r = board('qemu-mipsel-malta-leaker-steady.capture');
  for (const p of r.processes) {
    assert.equal(p.ceiling, 0x80000000, p.name);
    assert.equal(ceilingReason(p.ceilingSource), `MIPS32 (kuseg): stack at 0x${p.regions.find((x) => x.path === '[stack]')!.start.toString(16)}`);
    assert.deepEqual(p.findings, [], p.name);
    assert.ok(p.regions.some((x) => x.start === 0x7fefd000 && x.end <= p.ceiling));
  }
});

test('reMarkable 2 (real dump, [sigpage], no uname): ARM 2G/2G from the stack at 0x7eacf000 -> 0x7f000000', () => {
  const p = real('armv7-glibc-remarkable2-xochitl-qt.maps');
  assert.equal(p.ceiling, 0x7f000000);
  assert.equal(ceilingReason(p.ceilingSource), 'ARM 2G/2G: stack at 0x7eacf000');
});

test('Tenda AC15 under EMUX (real dump, [vectors] at 0xffff0000, no uname): ARM 3G/1G -> 0xbf000000', () => {
  const p = real('arm-uclibc-tenda-ac15-httpd-emux-qemu-emulated.maps');
  assert.equal(p.ceiling, 0xbf000000);
  assert.equal(ceilingReason(p.ceilingSource), 'ARM 3G/1G: stack at 0xbefdf000');
  assert.deepEqual(p.findings, []);
});

test('Tenda AC15 bare dump (no uname, nothing ARM-only): default 0x80000000 raised to the stack top, no region left out', () => {
  const p = real('arm-uclibc-tenda-ac15-httpd-noaslr.maps');
  assert.equal(p.ceiling, 0xbf000000);
  assert.equal(p.ceilingSource.from, 'default');
  assert.equal(ceilingReason(p.ceilingSource), 'raised from the default 0x80000000: stack at 0xbefdf000');
  assert.deepEqual(p.findings, []);
  for (const r of p.regions) assert.ok(r.end <= p.ceiling, `${r.path} at ${r.start.toString(16)} is inside`);
});

test('Kindle partial dump with no evidence of the architecture: 0x80000000 stays the default', () => {
  const p = real('arm-glibc-kindle-paperwhite2-mesquite-PARTIAL.maps');
  assert.equal(p.ceiling, 0x80000000);
  assert.equal(p.ceilingSource.from, 'default');
});

test('x86-32 Android /init: on i686 the stack at 0xbfa7e000 proves 3G/1G (0xc0000000); as a 32-bit task on x86_64, 0xffffe000', () => {
  const text = fixture('maps/x86-32-android-x86-init-setpropex-fixture.maps');
  assert.equal(bare(text, 'i686').ceiling, 0xc0000000);
  assert.equal(ceilingReason(bare(text, 'i686').ceilingSource), 'x86-32 3G/1G: stack at 0xbfa7e000');
  const compat = maps('08048000-08049000 r-xp /init', 'f7f00000-f7f02000 r-xp [vdso]', 'ffd00000-ffd21000 rw-p [stack]');
  assert.equal(bare(compat, 'x86_64').ceiling, 0xffffe000);
});

test('aarch64 board with its stack at 0x7fc11a9000: a 39-bit user space (0x8000000000), not 48', () => {
  const p = bare(maps('5580000000-5580001000 r-xp /bin/x', '7fc11a9000-7fc11ca000 rw-p [stack]'), 'aarch64');
  assert.equal(p.ceiling, 0x8000000000);
  assert.equal(ceilingReason(p.ceilingSource), 'aarch64 39-bit user space: stack at 0x7fc11a9000');
  const p48 = bare(maps('aaaad0000000-aaaad0001000 r-xp /bin/x', 'ffffe0000000-ffffe0021000 rw-p [stack]'), 'aarch64');
  assert.equal(p48.ceiling, 0x1000000000000);
});

test('x86-64 fish (real dump): TASK_SIZE_MAX 0x7ffffffff000, [vsyscall] is no user region', () => {
  const p = real('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps', 'x86_64');
  assert.equal(p.ceiling, 0x7ffffffff000);
  assert.deepEqual(p.findings, []);
});

test('ARM 1G/3G: a stack near 0x3e...... gives 0x3f000000', () => {
  const p = bare(maps('00010000-00011000 r-xp /bin/x', '3e800000-3e821000 rw-p [stack]', '3e9ff000-3ea00000 r-xp [sigpage]'), 'armv7l');
  assert.equal(p.ceiling, 0x3f000000);
  assert.equal(p.ceilingSource.rule, 'ARM 1G/3G');
});

test('armv7 task on an aarch64 kernel: TASK_SIZE_32 0xfffff000, its [vectors] a VMA of the mm', () => {
  const p = bare(maps('00010000-00011000 r-xp /bin/x', 'ff800000-ff821000 rw-p [stack]', 'ffff0000-ffff1000 r-xp [vectors]'), 'aarch64');
  assert.equal(p.ceiling, 0xfffff000);
  assert.equal(p.totals.vsz, 0x1000 + 0x21000 + 0x1000, '[vectors] counts on arm64 (aarch32_kuser_helpers_setup)');
});

test('PA-RISC, C-SKY and RISC-V 32 take their TASK_SIZE from uname -m', () => {
  const x = maps('00010000-00011000 r-xp /bin/x');
  assert.equal(bare(x, 'parisc').ceiling, 0xfff00000);
  assert.equal(bare(x, 'csky').ceiling, 0x7fff8000);
  assert.equal(bare(x, 'riscv32').ceiling, 0x9d800000);
  assert.equal(bare(x, 'mips64').ceiling, 0x7fff8000, 'o32/n32 on a 64-bit MIPS kernel: TASK_SIZE32');
});

test('--ceiling and the target setting override the inference; below a user region they rise and say so', () => {
  const text = fixture('maps/armv7-glibc-remarkable2-xochitl-qt.maps');
  const wide = bare(text, null, { ceiling: 0xc0000000 });
  assert.equal(wide.ceiling, 0xc0000000, '--ceiling wins over the 2G/2G the stack proves');
  assert.equal(ceilingReason(wide.ceilingSource), '--ceiling');
  assert.equal(bare(text, null, { stored: '0xbf000000' }).ceiling, 0xbf000000, "the target's setting wins too");
  assert.equal(ceilingReason(bare(text, null, { stored: '0xbf000000' }).ceilingSource), 'set at capture (the target\'s "ceiling" or capture --ceiling)');
  const low = bare(text, null, { ceiling: 0x70000000 });
  assert.equal(low.ceiling, 0x7f000000, 'raised to the ARM split that holds [vdso] at 0x7edef000');
  assert.deepEqual(low.findings[0], { code: 'ceiling-raised', setting: 0x70000000, used: 0x7f000000, highest: 0x7edf0000 });
  assert.equal(ceilingReason(low.ceilingSource), '--ceiling, raised from 0x70000000: [vdso] at 0x7edef000 lies above it');
  for (const r of low.regions) if (r.path !== '[vectors]') assert.ok(r.end <= low.ceiling);
});

test('armhf board: VSZ equals status VmSize for every process ([sigpage] [vvar] [vdso] counted, the [vectors] gate area not)', () => {
  for (const p of board('qemu-armhf-virt-leaker-steady.capture').processes) {
    assert.ok(!p.findings.some((f) => f.code === 'vsz-mismatch'), `${p.name}: ${JSON.stringify(p.findings)}`);
    assert.equal(p.totals.kernel, 3 * 0x1000, `${p.name}: [sigpage] [vvar] [vdso] are in the mm`);
    assert.equal(p.totals.vsz, p.totals.mapped + p.totals.kernel);
  }
  const leaker = board('qemu-armhf-virt-leaker-steady.capture').processes.find((p) => p.name === 'leaker')!;
  assert.equal(leaker.totals.vsz, 1536 * 1024, 'VmSize: 1536 kB in its status');
});

test('mipsel board: VSZ equals status VmSize for every process (the FPU-emulation page, [vvar], [vdso] counted)', () => {
  const r = board('qemu-mipsel-malta-leaker-steady.capture');
  for (const p of r.processes) assert.ok(!p.findings.some((f) => f.code === 'vsz-mismatch'), `${p.name}: ${JSON.stringify(p.findings)}`);
  assert.deepEqual(r.processes.map((p) => p.totals.vsz / 1024), [2252, 3544]);
});

test('x86-64 fish: the [vsyscall] gate area is not in VSZ, [vvar] and [vdso] are', () => {
  const p = real('x86_64-glibc-fish-deleted-vsyscall-nvme-fixture.maps', 'x86_64');
  assert.equal(p.totals.kernel, 0x6000, '[vvar] 4 pages + [vdso] 2 pages');
  assert.equal(p.totals.vsz, p.totals.mapped + 0x6000);
});

test('a status VmSize that differs from the maps is a vsz-mismatch finding', () => {
  const file = 'qemu-armhf-virt-leaker-steady.capture';
  const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
  const leaker = parsed.processes.find((p) => p.name === 'leaker')!;
  leaker.status = { ...leaker.status!, VmSize: '1540 kB' };
  const p = buildReport(meta, parsed, { machine: 'armv7l' }).processes.find((x) => x.name === 'leaker')!;
  assert.deepEqual(p.findings, [{ code: 'vsz-mismatch', computed: 1536 * 1024, vmSize: 1540 * 1024 }]);
});

test('regression: a stored ceiling a double cannot hold (capture --ceiling 0xffffffffffffffff, taken before addresses were numbers) stays readable, as the page boundary above it', () => {
  const text = fixture('maps/armv7-glibc-remarkable2-xochitl-qt.maps');
  const top = bare(text, null, { stored: '0xffffffffffffffff' });
  assert.equal(top.ceiling, 2 ** 64, 'read as 2^64, the page boundary above it');
  assert.equal(bare(text, null, { stored: '0xfffffffffffff001' }).ceiling, 0xfffffffffffff000 + 4096);
  assert.equal(bare(text, null, { stored: '0xfffffffffffff000' }).ceiling, 0xfffffffffffff000, 'an exact one as it is');
  assert.equal(top.free.largest!.end, 2 ** 64, 'the gaps run up to it');
});
