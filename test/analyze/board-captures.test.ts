/*! The qemu boards' own captures (fixtures/captures, taken from ../shared/board with the
 * hand-made capture script of docs/capture-format.md): imported whole, every region's kind
 * written out by hand, the ARM 3G/1G stack above a 2 GiB ceiling and below the right one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { fixture } from '../helpers.js';

const meta: SnapshotMeta = { name: 't0', target: 'board', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false };
const load = (file: string, ceiling?: bigint) => {
  const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
  return buildReport(meta, parsed, { ceiling, machine: parsed.uname?.includes(' armv7l ') ? 'armv7l' : 'mips' });
};
const kinds = (r: ReturnType<typeof load>, name: string) =>
  r.processes.find((p) => p.name === name)!.regions.map((x) => `${x.kind} ${x.owner}`);

test('armhf (ARM 3G/1G): the leaker region by region; its stack is above 0x80000000 and below 0xbf000000', () => {
  const LEAKER = '/usr/local/bin/leaker';
  const LIBC = '/lib/arm-linux-gnueabihf/libc.so.6';
  const LD = '/lib/arm-linux-gnueabihf/ld-linux-armhf.so.3';
  const r = load('qemu-armhf-virt-leaker-steady.capture');
  assert.equal(r.uptime !== null && r.uptime > 0, true);
  assert.deepEqual(kinds(r, 'leaker'), [
    `code ${LEAKER}`, `rodata ${LEAKER}`, `data ${LEAKER}`, 'heap [heap]',
    `code ${LIBC}`, `rodata ${LIBC}`, `data ${LIBC}`, `bss ${LIBC}`,
    `code ${LD}`, `rodata ${LD}`, `data ${LD}`,
    'stack [stack]', 'kernel [sigpage]', 'kernel [vvar]', 'kernel [vdso]', 'kernel [vectors]',
  ]);
  const right = r.processes.find((p) => p.name === 'leaker')!;
  assert.equal(right.ceiling, 0xbf000000n, 'the stack proves ARM 3G/1G: no setting needed');
  assert.deepEqual(right.findings, []);
  const low = load('qemu-armhf-virt-leaker-steady.capture', 0x80000000n).processes.find((p) => p.name === 'leaker')!;
  assert.equal(low.ceiling, 0xbf000000n, 'a 2 GiB --ceiling is wrong for this board: raised, and said so');
  assert.deepEqual(low.findings.map((f) => f.code), ['ceiling-raised']);
  assert.equal(right.stack.size, 0x21000);
  assert.equal(right.stack.limit, 8192 * 1024);
  assert.equal(right.stack.limitSource, 'limits');
  assert.ok(right.rss !== null && right.pss !== null, 'RSS and PSS from smaps_rollup');
});

test('mipsel (MIPS32, 2 GiB user space): the leaker region by region, the FPU-emulation page included', () => {
  const LEAKER = '/usr/local/bin/leaker';
  const LIBC = '/lib/mipsel-linux-gnu/libc.so.6';
  const LD = '/lib/mipsel-linux-gnu/ld.so.1';
  const r = load('qemu-mipsel-malta-leaker-steady.capture');
  assert.deepEqual(kinds(r, 'leaker'), [
    `code ${LEAKER}`, `data ${LEAKER}`,
    `code ${LIBC}`, `guard ${LIBC}`, `rodata ${LIBC}`, `data ${LIBC}`, `bss ${LIBC}`,
    `code ${LD}`,
    'anon anon', // ld.so's early allocations, between its code and its relro page
    `rodata ${LD}`, `data ${LD}`,
    'stack [stack]', // rwxp on MIPS
    'anon anon', // the kernel's FPU-emulation trampoline page: anonymous r-xp
    'kernel [vvar]', 'kernel [vdso]',
  ]);
  const leaker = r.processes.find((p) => p.name === 'leaker')!;
  assert.equal(leaker.ceiling, 0x80000000n);
  assert.deepEqual(leaker.findings, []);
  assert.equal(leaker.free.largest!.start, 0n, 'the largest gap runs from 0 up to the executable');
  assert.equal(leaker.free.largest!.end, 0x555a0000n);
});
