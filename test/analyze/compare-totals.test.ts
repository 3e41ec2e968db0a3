/*! Regression tests of issue 10 §3 on compare: totals by kind equal show's (each VMA under
 * its own kind, a region of several kinds split across them; a randomized merge/split
 * check), maps lines count lines, and the ranking looks at the measure that grew. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import { buildReport } from '../../src/analyze/report.js';
import { compareReports } from '../../src/analyze/compare.js';
import type { SnapshotReport } from '../../src/model/report.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { mulberry32 } from '../helpers.js';

const meta = (name: string): SnapshotMeta => ({ name, target: 'b', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false });
type Proc = { pid: number; name: string; text: string };
function report(name: string, procs: Proc[], machine = 'armv7l'): SnapshotReport {
  return buildReport(meta(name), {
    processes: procs.map((p) => ({ pid: p.pid, name: p.name, startTime: 100, vmas: parseMaps(p.text, { source: name }).vmas, missing: [], denied: [], gone: false })),
    skipped: [],
  } as never, { machine });
}
const line = (s: number, e: number, perms: string, path = '', inode = 0, dev = '00:00') =>
  `${s.toString(16).padStart(8, '0')}-${e.toString(16).padStart(8, '0')} ${perms} 00000000 ${dev} ${inode} ${path}`;
const EXE = [line(0x10000, 0x11000, 'r-xp', '/bin/app', 7, 'b3:01'), line(0x20000, 0x21000, 'rw-p', '/bin/app', 7, 'b3:01')];
const TOP = [line(0xbec00000, 0xbec21000, 'rw-p', '[stack]'), line(0xbed00000, 0xbed01000, 'r-xp', '[sigpage]'),
  line(0xbed01000, 0xbed02000, 'r--p', '[vvar]'), line(0xbed02000, 0xbed03000, 'r-xp', '[vdso]'), line(0xffff0000, 0xffff1000, 'r-xp', '[vectors]')];
const maps = (...mid: string[]) => [...EXE, ...mid, ...TOP].join('\n') + '\n';

/** compare's totals of each side equal show's totals of that capture, kind by kind. */
function assertTotalsAgree(a: SnapshotReport, b: SnapshotReport): void {
  const r = compareReports(a, b);
  for (const p of r.processes) {
    const pa = a.processes.find((x) => x.pid === p.diff.pid.before);
    const pb = b.processes.find((x) => x.pid === p.diff.pid.after);
    const kinds = new Set([...Object.keys(pa?.totals.byKind ?? {}), ...Object.keys(pb?.totals.byKind ?? {}), ...Object.keys(p.diff.byKind)]);
    for (const k of kinds) {
      const d = p.diff.byKind[k as keyof typeof p.diff.byKind];
      assert.equal(d?.before ?? 0, pa?.totals.byKind[k as never] ?? 0, `before ${k}`);
      assert.equal(d?.after ?? 0, pb?.totals.byKind[k as never] ?? 0, `after ${k}`);
    }
    for (const o of new Set([...Object.keys(pa?.totals.byOwner ?? {}), ...Object.keys(pb?.totals.byOwner ?? {})])) {
      assert.equal(p.diff.byOwner[o]?.before ?? 0, pa?.totals.byOwner[o] ?? 0, `before owner ${o}`);
      assert.equal(p.diff.byOwner[o]?.after ?? 0, pb?.totals.byOwner[o] ?? 0, `after owner ${o}`);
    }
    assert.equal(p.diff.total.before, pa?.totals.mapped ?? 0);
    assert.equal(p.diff.total.after, pb?.totals.mapped ?? 0);
    assert.equal(p.vsz.after, pb?.totals.vsz ?? 0);
  }
}

test('mprotect(PROT_NONE) in the middle of an anonymous block: compare splits the region across its kinds, as show does', () => {
  const a = report('t0', [{ pid: 5, name: 'app', text: maps(line(0xb6010000, 0xb6210000, 'rw-p')) }]);
  const b = report('t1', [{ pid: 5, name: 'app', text: maps(line(0xb6010000, 0xb6090000, 'rw-p'), line(0xb6090000, 0xb6110000, '---p'), line(0xb6110000, 0xb6210000, 'rw-p')) }]);
  const p = compareReports(a, b).processes[0]!;
  assert.equal(p.diff.regions.filter((d) => d.after && d.after.regions.some((x) => x.kind === 'guard')).length, 1, 'one region, three VMAs');
  assert.equal(b.processes[0]!.totals.byKind.guard, 0x80000);
  assert.deepEqual(p.diff.byKind.guard, { before: 0, after: 0x80000, delta: 0x80000 });
  assertTotalsAgree(a, b);
});

test('randomized merges and splits of anonymous VMAs: show and compare totals agree on every pair', () => {
  const rnd = mulberry32(10);
  const PERMS = ['rw-p', '---p', 'r--p', 'rw-p', 'rw-p'];
  const gen = (): string[] => {
    const out: string[] = [];
    let at = 0xb0000000;
    for (let i = 0, n = 3 + Math.floor(rnd() * 12); i < n; i++) {
      if (rnd() < 0.4) at += 0x1000 * (1 + Math.floor(rnd() * 64)); // a hole
      const len = 0x1000 * (1 + Math.floor(rnd() * 300));
      out.push(line(at, at + len, PERMS[Math.floor(rnd() * PERMS.length)]!));
      at += len;
    }
    return out;
  };
  /** The kernel's moves: merge neighbours (one line), split one (mprotect a middle part), grow or shrink the last. */
  const mutate = (ls: string[]): string[] => {
    const vs = ls.map((l) => { const [r, perms] = l.split(' '); const [s, e] = r!.split('-').map((x) => parseInt(x, 16)); return { s: s!, e: e!, perms: perms! }; });
    for (let k = 0, n = 1 + Math.floor(rnd() * 4); k < n; k++) {
      const i = Math.floor(rnd() * vs.length);
      const v = vs[i]!;
      const op = rnd();
      if (op < 0.35 && i + 1 < vs.length && vs[i + 1]!.s === v.e) { v.e = vs[i + 1]!.e; vs.splice(i + 1, 1); }
      else if (op < 0.7 && v.e - v.s >= 0x3000) {
        const cut = v.s + 0x1000 * (1 + Math.floor(rnd() * ((v.e - v.s) / 0x1000 - 2)));
        const end = Math.min(v.e - 0x1000, cut + 0x1000 * (1 + Math.floor(rnd() * 8)));
        vs.splice(i, 1, { s: v.s, e: cut, perms: v.perms }, { s: cut, e: end, perms: v.perms === '---p' ? 'rw-p' : '---p' }, { s: end, e: v.e, perms: v.perms });
      } else if (i + 1 === vs.length) v.e += 0x1000 * (1 + Math.floor(rnd() * 50));
      else if (v.e - v.s > 0x1000) v.e -= 0x1000;
    }
    return vs.map((v) => line(v.s, v.e, v.perms));
  };
  for (let round = 0; round < 200; round++) {
    const before = gen();
    const after = mutate(before);
    const a = report('t0', [{ pid: 5, name: 'app', text: maps(...before) }]);
    const b = report('t1', [{ pid: 5, name: 'app', text: maps(...after) }]);
    assertTotalsAgree(a, b);
  }
});

test('maps lines N counts lines: the kernel pages [sigpage] [vvar] [vdso] [vectors] too', () => {
  const a = report('t0', [{ pid: 5, name: 'app', text: maps(line(0xb6000000, 0xb6100000, 'rw-p')) }]);
  const b = report('t1', [{ pid: 5, name: 'app', text: maps(line(0xb6000000, 0xb6100000, 'rw-p'), line(0xb6200000, 0xb6300000, 'rw-p')) }]);
  assert.deepEqual(compareReports(a, b).processes[0]!.diff.vmas, { before: 8, after: 9 });
});

test('a malloc arena growing into its own reserve: +768 KiB of usable memory (VSZ +0 B), ranked above a +512 KiB heap', () => {
  // glibc's 32-bit arena: 1 MiB-aligned heap, rw-p at its start, ---p reserve up to the next boundary
  const arena = (rw: number) => [line(0xb5e00000, 0xb5e00000 + rw, 'rw-p'), line(0xb5e00000 + rw, 0xb5f00000, '---p')];
  const heap = (n: number) => line(0x30000, 0x30000 + n, 'rw-p', '[heap]');
  const a = report('t0', [{ pid: 5, name: 'arena', text: maps(...arena(0x21000)) }, { pid: 6, name: 'brk', text: maps(heap(0x21000)) }]);
  const b = report('t1', [{ pid: 5, name: 'arena', text: maps(...arena(0xe1000)) }, { pid: 6, name: 'brk', text: maps(heap(0xa1000)) }]);
  const r = compareReports(a, b);
  const [first, second] = r.processes;
  assert.equal(first!.diff.name, 'arena', 'the arena grew more, though its VSZ did not move');
  const vsz = 0x100000 + 0x2000 + 0x21000 + 0x3000; // arena heap, /bin/app, [stack], [sigpage] [vvar] [vdso] ([vectors] is a gate area)
  assert.deepEqual(first!.vsz, { before: vsz, after: vsz, delta: 0 });
  assert.deepEqual(first!.growth, { measure: 'usable', delta: 0xc0000 });
  assert.deepEqual(second!.growth, { measure: 'vsz', delta: 0x80000 });
});

// compare copies the lines below the first kernel page whole and tests only those above it:
// a kernel page between user mappings (ARM's [sigpage]/[vdso] sit near the libraries) is left
// out, and the user mappings above it are matched as the ones below.
test('kernel pages between user mappings are left out of the regions; the mappings above them are compared', () => {
  const vdso = line(0xb6f00000, 0xb6f01000, 'r-xp', '[vdso]');
  const a = report('t0', [{ pid: 5, name: 'app', text: maps(line(0xb6000000, 0xb6100000, 'rw-p'), vdso, line(0xb7000000, 0xb7100000, 'rw-p')) }]);
  const b = report('t1', [{ pid: 5, name: 'app', text: maps(line(0xb6000000, 0xb6100000, 'rw-p'), vdso, line(0xb7000000, 0xb7200000, 'rw-p')) }]);
  const d = compareReports(a, b).processes[0]!.diff;
  assert.deepEqual(d.regions.filter((x) => x.kind === 'kernel'), []);
  assert.deepEqual(d.regions.filter((x) => x.status !== 'same').map((x) => [x.status, x.before!.start, x.delta]), [['grown', 0xb7000000, 0x100000]]);
  assert.equal(d.regions.length, EXE.length + 3, 'the exe, two anonymous mappings and [stack]');
  assert.deepEqual(d.vmas, { before: EXE.length + 3 + TOP.length, after: EXE.length + 3 + TOP.length });
  assertTotalsAgree(a, b);
});
