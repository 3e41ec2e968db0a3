/*! The qemu boards' own captures (fixtures/captures, taken from ../shared/board with the
 * hand-made capture script of docs/capture-format.md): imported whole, every region's kind
 * written out by hand, the ARM 3G/1G stack above a 2 GiB ceiling and below the right one. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { compareReports } from '../../src/analyze/compare.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { fixture } from '../helpers.js';

const meta: SnapshotMeta = { name: 't0', target: 'board', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false };
const load = (file: string, ceiling?: number) => {
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
  assert.equal(right.ceiling, 0xbf000000, 'the stack proves ARM 3G/1G: no setting needed');
  assert.deepEqual(right.findings, []);
  const low = load('qemu-armhf-virt-leaker-steady.capture', 0x80000000).processes.find((p) => p.name === 'leaker')!;
  assert.equal(low.ceiling, 0xbf000000, 'a 2 GiB --ceiling is wrong for this board: raised, and said so');
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
    'kernel [fpu emulation]', // the kernel's branch-delay-slot emulation page, anonymous r-xp at STACK_TOP
    'kernel [vvar]', 'kernel [vdso]',
  ]);
  const leaker = r.processes.find((p) => p.name === 'leaker')!;
  assert.equal(leaker.ceiling, 0x80000000);
  assert.deepEqual(leaker.findings, []);
  assert.equal(leaker.free.largest!.start, 0, 'the largest gap runs from 0 up to the executable');
  assert.equal(leaker.free.largest!.end, 0x555a0000);
});

test('regression: mipsel before and after a kernel that stopped mapping the FPU-emulation page: no change to the process', () => {
  const file = 'qemu-mipsel-malta-leaker-steady.capture';
  const text = fixture(`captures/${file}`);
  const fpu = '7fefd000-7fefe000 r-xp 00000000 00:00 0 \n';
  assert.ok(text.includes(fpu));
  const report = (t: string, name: string) => {
    const parsed = parseCapture(parseCaptureText(t, file, { requireEnd: true }), { source: file });
    return buildReport({ ...meta, name }, parsed, { machine: 'mips' });
  };
  // a kernel built without CONFIG_MIPS_FP_SUPPORT maps no such page; the rest is the same
  const cmp = compareReports(report(text, 't0'), report(text.split(fpu).join(''), 't1'));
  assert.equal(cmp.processes.length, 2);
  for (const p of cmp.processes) {
    assert.deepEqual(p.diff.regions.filter((x) => x.status !== 'same' || x.note), [], `pid ${p.diff.pid.after}: no region changed`);
    assert.equal(p.diff.total.delta, 0);
    for (const [kind, d] of Object.entries(p.diff.byKind)) assert.equal(d!.delta, 0, kind);
  }
});
