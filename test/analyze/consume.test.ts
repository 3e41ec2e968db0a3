/*! compare's reports consume their captures (issue 15): parse leaves room on each VMA for its
 * kind and owner, classify fills them in place (no copy per VMA), and a region printed alike in
 * both captures is one object holding its two VMAs. Seeded captures and the fixtures, each made
 * both ways: the same regions field by field, the same compare in text and JSON (every region
 * listed), and each diff keeps the invariant (compare-helpers), summed from the VMAs themselves. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { compareReports } from '../../src/analyze/compare.js';
import { renderCompareText } from '../../src/render/compare-text.js';
import { renderCompareJson, type CompareView } from '../../src/render/compare-json.js';
import { makePaint } from '../../src/render/paint.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { SnapshotReport } from '../../src/model/report.js';
import { generate, grow, render } from '../../bench/gen-maps.js';
import { checkInvariant } from './compare-helpers.js';
import { readdirSync } from 'node:fs';
import { fixture, fixturePath, mulberry32 } from '../helpers.js';

const meta = (name: string): SnapshotMeta => ({ name, target: 'b', capturedAt: '2026-12-01T18:00:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: true });

function report(name: string, text: string, consume: boolean): SnapshotReport {
  const parsed = parseCapture({ sections: [{ name: 'maps', pid: 1, status: 'ok', text }] }, { source: name, lenient: true, room: consume });
  return buildReport(meta(name), parsed, { consume });
}

const kernelLine = (s: string) => /\[(?:vdso|vvar|vsyscall|vectors|sigpage|kuserhelpers)\]|\[fpu/.test(s);

/** Both ways, everything compared; returns the consuming compare. */
function bothWays(a: string, b: string, what: string): void {
  const copied = [report('a', a, false), report('b', b, false)] as const;
  const consumed = [report('a', a, true), report('b', b, true)] as const;
  for (let k = 0; k < 2; k++) {
    assert.deepEqual(consumed[k]!.processes.map((p) => p.regions), copied[k]!.processes.map((p) => p.regions), `${what}: regions of ${'ab'[k]}`);
    assert.deepEqual(consumed[k]!.processes.map((p) => p.totals.byOwner), copied[k]!.processes.map((p) => p.totals.byOwner), `${what}: owner totals of ${'ab'[k]}`);
  }
  const view = (r: SnapshotReport[]): CompareView => {
    const result = compareReports(r[0]!, r[1]!);
    return { result, regions: (i) => result.processes[i]!.diff.regions, detailNewAndGone: true };
  };
  const want = view([...copied]);
  const got = view([...consumed]);
  const paint = makePaint(false);
  assert.equal(renderCompareText(got, paint), renderCompareText(want, paint), `${what}: text`);
  assert.equal(renderCompareJson(got), renderCompareJson(want), `${what}: JSON`);
  for (const p of got.result.processes) {
    const user = (r: SnapshotReport) => r.processes.find((x) => x.pid === 1)?.regions.filter((x) => x.kind !== 'kernel') ?? [];
    for (const x of p.diff.regions) {
      // a region reads as its after side (its before side when gone), the side as its largest VMA
      const side = (x.after ?? x.before)!;
      assert.deepEqual([x.kind, x.owner, x.path], [side.kind, side.owner, side.path], `${what}: labels of the region at line ${side.lines[0]}`);
      if (side.count === 1) assert.deepEqual([side.kind, side.owner, side.path, side.perms], [side.regions[0]!.kind, side.regions[0]!.owner, side.regions[0]!.path, side.regions[0]!.perms]);
    }
    const [ub, ua] = [user(consumed[0]), user(consumed[1])];
    // diff.vmas counts every maps line, the kernel's too (compareReports): the rest is of user VMAs
    checkInvariant(ub, ua, { ...p.diff, vmas: { before: ub.length, after: ua.length } });
  }
}

test('a compare whose reports consume their captures is the compare that copies them: seeded generated captures, with a [vsyscall] above 2^53', () => {
  const vsyscall = 'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n';
  for (let seed = 1; seed <= 12; seed++) {
    const rnd = mulberry32(seed);
    const before = generate(500 + Math.floor(rnd() * 3000), seed);
    const a = render(before) + vsyscall;
    const b = render(grow(before, seed + 100)) + vsyscall;
    bothWays(a, b, `seed ${seed}`);
    const top = report('b', b, true).processes[0]!.regions.at(-1)!;
    assert.equal(top.start, 0xffffffffff600000, 'the [vsyscall] start stays exact');
    assert.equal(top.end, 0xffffffffff601000);
  }
});

test('a compare whose reports consume their captures is the compare that copies them: every maps fixture against itself less some lines', () => {
  const rnd = mulberry32(15);
  for (const name of readdirSync(fixturePath('maps'))) {
    const text = fixture(`maps/${name}`);
    const lines = text.split('\n');
    const fewer = lines.filter((l, i) => i === 0 || kernelLine(l) || rnd() > 0.1).join('\n');
    bothWays(text, fewer, name);
    bothWays(fewer, text, `${name} reversed`);
  }
});
