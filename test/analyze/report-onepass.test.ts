/*! The report's one-pass shortcuts (issue 15) against what they stand for: layout's totals and
 * free space (one pass) against sums of its regions and of its own gap list (eachGap, made when
 * read); the gap above [heap] with two [heap] lines and with VMAs out of order; the thread stack
 * names (hex8) at and around 2^32; the ceiling and partial findings from vma-facts against the
 * per-question scans on the fixtures. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { parseMaps } from '../../src/parse/maps.js';
import { layout } from '../../src/analyze/layout.js';
import type { LayoutOptions } from '../../src/analyze/layout.js';
import { classify } from '../../src/analyze/classify.js';
import { chooseCeiling } from '../../src/analyze/ceiling.js';
import { partialDump } from '../../src/analyze/partial.js';
import { vmaFacts } from '../../src/analyze/vma-facts.js';
import { generate, render } from '../../bench/gen-maps.js';
import type { Vma } from '../../src/model/vma.js';
import { fixture, fixturePath } from '../helpers.js';

const opts64: LayoutOptions = { ceiling: 2 ** 47 - 4096, wordBits: 64, arenaSize: 0x4000000, stackLimit: null, stackLimitSource: null };
const opts32: LayoutOptions = { ceiling: 0x80000000, wordBits: 32, arenaSize: 0x100000, stackLimit: 8 * 1024 * 1024, stackLimitSource: 'ulimit -s' };

function vma(start: number, end: number, perms: string, path = '', line = 0): Vma {
  return { start, end, perms, offset: 0, dev: '00:00', inode: 0, path, deleted: false, line };
}

test('layout: totals and free space of one pass equal the sums of the regions and of the gap list, byKind in first-seen order', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const vmas = parseMaps(render(generate(3000, seed)), { source: `gen ${seed}` }).vmas;
    const lay = layout({ pid: 1, name: 'app', vmas }, opts64);
    const user = lay.regions.filter((r) => r.kind !== 'kernel');
    const order: string[] = [];
    const byKind: Record<string, number> = {};
    for (const r of user) {
      if (!(r.kind in byKind)) { order.push(r.kind); byKind[r.kind] = 0; }
      byKind[r.kind]! += r.end - r.start;
    }
    assert.deepEqual(Object.keys(lay.totals.byKind), order, `seed ${seed}: byKind's key order`);
    assert.deepEqual(lay.totals.byKind, byKind);
    assert.equal(lay.totals.mapped, user.reduce((a, r) => a + r.end - r.start, 0));
    assert.equal(lay.threadStacks, user.filter((r) => r.kind === 'thread-stack').length);
    const gaps = lay.free.gaps;
    assert.equal(lay.free.total, gaps.reduce((a, g) => a + g.size, 0));
    let largest = gaps[0] ?? null;
    for (const g of gaps) if (g.size > largest!.size) largest = g;
    assert.deepEqual(lay.free.largest, largest);
    const heapEnd = lay.regions.filter((r) => r.path === '[heap]').at(-1)!.end;
    assert.deepEqual(lay.free.aboveHeap, gaps.find((g) => g.start === heapEnd) ?? { start: heapEnd, end: heapEnd, size: 0 });
  }
});

test('layout: with two [heap] lines (or1k: ---p then rwxp), the gap above [heap] is the one after the last, not the gap between them', () => {
  const vmas = parseMaps([
    '00400000-00410000 r-xp 00000000 1f:01 12 /bin/app',
    '00410000-00420000 ---p 00000000 00:00 0 [heap]',
    '00430000-00440000 rwxp 00000000 00:00 0 [heap]',
    '00450000-00460000 rw-p 00000000 00:00 0',
    '7ff00000-7ff21000 rw-p 00000000 00:00 0 [stack]',
  ].join('\n') + '\n', { source: 'or1k' }).vmas;
  const lay = layout({ pid: 1, name: 'app', vmas }, opts32);
  assert.deepEqual(lay.free.aboveHeap, { start: 0x440000, end: 0x450000, size: 0x10000 });
});

test('layout: VMAs out of address order (never from parse/maps) find the gap above [heap] as the gap list does', () => {
  // the gap list's cursor passes 0x400000 (the end of the first line) before the [heap] line,
  // listed last, says that [heap] ends there: the one-pass search cannot see it, the list does
  const vmas = [
    vma(0x100000, 0x400000, 'rw-p', '', 1),
    vma(0x500000, 0x510000, 'rw-p', '', 2),
    vma(0x380000, 0x400000, 'rw-p', '[heap]', 3),
  ];
  const lay = layout({ pid: 1, name: 'app', vmas }, opts32);
  assert.deepEqual(lay.free.aboveHeap, lay.free.gaps.find((g) => g.start === 0x400000));
  assert.deepEqual(lay.free.aboveHeap, { start: 0x400000, end: 0x500000, size: 0x100000 });
});

test('classify: thread stacks are named by their start in hex, 8 digits at least, below, at and above 2^32', () => {
  for (const start of [0x1000, 0xa00000, 0x7fff0000, 0xfff00000, 0x100000000, 0x7f0123456000, 0xfffffffff000]) {
    const guard = vma(start - 0x1000, start, '---p', '', 1);
    const stack = vma(start, start + 0x80000, 'rw-p', '', 2);
    const [g, s] = classify([guard, stack], { arenaSize: 0x4000000 });
    const name = `thread stack 0x${start.toString(16).padStart(8, '0')}`;
    assert.equal(s!.kind, 'thread-stack');
    assert.equal(s!.owner, name);
    assert.equal(g!.owner, name);
  }
});

test('vma-facts: the ceiling and the partial findings equal those of a scan per question, on every maps fixture and machine', () => {
  const names = readdirSync(fixturePath('maps'));
  assert.ok(names.length >= 10);
  for (const name of names) {
    const vmas = parseMaps(fixture(`maps/${name}`), { source: name, lenient: true }).vmas;
    for (const machine of [null, 'armv7l', 'aarch64', 'armv8l', 'x86_64', 'i686', 'mips']) {
      const bits = vmas.some((v) => v.end - 1 > 0xffffffff) ? 64 : 32;
      const facts = vmaFacts(vmas, machine);
      assert.equal(facts.above32, bits === 64, name);
      // the per-question scans, as ceiling.ts and partial.ts had them
      const gate = (v: Vma): boolean => v.inode === 0 && (v.path === '[vsyscall]' ||
        (v.path === '[vectors]' && !/^(x86_64|amd64|aarch64(_be)?|arm64|mips64(el)?|ppc64(le)?|s390x|riscv64|sparc64|loongarch64|alpha|ia64)$/i.test(machine ?? '') && machine !== 'armv8l'));
      let best: Vma | null = null;
      for (const v of vmas) if (!gate(v) && (best === null || v.end > best.end)) best = v;
      assert.equal(facts.highest, best, `${name} ${machine}`);
      assert.equal(facts.stack, vmas.find((v) => v.path === '[stack]' && v.inode === 0) ?? null);
      assert.equal(facts.armPages, vmas.some((v) => v.inode === 0 && (v.path === '[sigpage]' || (v.path === '[vectors]' && v.start === 0xffff0000))));
      assert.equal(facts.heap, vmas.findIndex((v) => v.path === '[heap]'));
      const c = chooseCeiling(vmas, bits, machine);
      assert.ok(c.ceiling >= (best?.end ?? 0), `${name} ${machine}: the ceiling holds every user region`);
    }
    const p = partialDump(vmas);
    const one = vmas.length >= 3 && vmas.every((v) => v.perms === vmas[0]!.perms);
    const noStack = vmas.length > 0 && !vmas.some((v) => v.path === '[stack]');
    assert.equal(p.length, one || noStack ? 1 : 0, name);
  }
});
