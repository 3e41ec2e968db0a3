/*! Shared by the match and diff tests: hand-made regions (a maps line plus kind and owner,
 * no classifier), one-line summaries of a diff, and the invariant every diff must keep. */
import assert from 'node:assert/strict';
import { parseMaps } from '../../src/parse/maps.js';
import type { Kind, Region } from '../../src/model/vma.js';
import type { ProcessDiff, ProcessMatch, RegionSide } from '../../src/model/diff.js';

let nextLine = 1;
/** One region from a maps line; kind and owner given by hand. Lines get distinct numbers. */
export function r(line: string, kind: Kind, owner: string): Region {
  const vma = parseMaps(line, { source: 'test' }).vmas[0]!;
  return { ...vma, line: nextLine++, kind, owner };
}

export const samePid: ProcessMatch = {
  before: { pid: 412, name: 'leaker', startTime: 1000 },
  after: { pid: 412, name: 'leaker', startTime: 1000 },
  restarted: false,
};

const hex = (n: number): string => n.toString(16).padStart(8, '0');
const span = (s: RegionSide | null): string =>
  s ? `${hex(s.start)}-${hex(s.end)}${s.count > 1 ? 'x' + s.count : ''}` : '-';
const signed = (n: number): string => (n > 0 ? '+0x' + n.toString(16) : n < 0 ? '-0x' + (-n).toString(16) : '0');

/** `status[/note] kind owner before -> after delta`, one per region in the diff's order. */
export function rows(d: ProcessDiff): string[] {
  return d.regions.map((x) =>
    `${x.status}${x.note ? '/' + x.note : ''} ${x.kind} ${x.owner} ${span(x.before)} -> ${span(x.after)} ${signed(x.delta)}`);
}

/** Rows of the regions that are not `same` without a note (what compare shows without --all). */
export const changed = (d: ProcessDiff): string[] => rows(d).filter((row) => !/^same /.test(row));

const size = (x: Region): number => Number(x.end - x.start);

/**
 * The invariant: every VMA of each capture is in exactly one region; each side's size is
 * the sum of its VMAs; statuses agree with deltas; for every kind, every owner and the
 * total, before + delta = after, before/after equal the capture's own sums, and delta is
 * the sum of the region deltas attributed to it.
 */
export function checkInvariant(before: readonly Region[], after: readonly Region[], d: ProcessDiff): void {
  for (const [side, rs] of [['before', before], ['after', after]] as const) {
    // a line split in two regions (classify rule 9b) is told apart by its start
    const key = (x: Region) => `${x.line}@${x.start}`;
    const byLine = new Map(rs.map((x) => [key(x), x]));
    const seen = new Set<string>();
    for (const x of d.regions) {
      const s = x[side];
      if (!s) continue;
      assert.equal(s.count, s.regions.length);
      assert.deepEqual(s.lines, s.regions.map((x) => x.line));
      let sum = 0;
      for (const part of s.regions) {
        const { line } = part;
        assert.ok(byLine.has(key(part)), `${side}: line ${line} is not a VMA of this capture`);
        assert.ok(!seen.has(key(part)), `${side}: line ${line} is in two regions`);
        seen.add(key(part));
        sum += size(byLine.get(key(part))!);
      }
      assert.equal(s.size, sum, `${side} size of ${s.path || s.kind}`);
    }
    assert.equal(seen.size, rs.length, `${side}: every VMA is in a region`);
  }
  for (const x of d.regions) {
    const delta = (x.after?.size ?? 0) - (x.before?.size ?? 0);
    assert.equal(x.delta, delta);
    const want = !x.before ? 'new' : !x.after ? 'gone' : delta > 0 ? 'grown' : delta < 0 ? 'shrunk' : 'same';
    assert.equal(x.status, want);
  }
  const sums = (pick: (x: Region) => string) => {
    const t = new Map<string, { before: number; after: number; delta: number }>();
    const get = (k: string) => t.get(k) ?? t.set(k, { before: 0, after: 0, delta: 0 }).get(k)!;
    for (const x of before) get(pick(x)).before += size(x);
    for (const x of after) get(pick(x)).after += size(x);
    for (const v of t.values()) v.delta = v.after - v.before;
    return t;
  };
  // each VMA of a side counts under its own kind and owner (a side of several kinds is split)
  const part = (s: RegionSide | null, pick: (x: Region) => string, key: string): number =>
    s ? s.regions.reduce((n, x) => n + (pick(x) === key ? size(x) : 0), 0) : 0;
  const attributed = (pick: (x: Region) => string, key: string): number =>
    d.regions.reduce((n, x) => n + part(x.after, pick, key) - part(x.before, pick, key), 0);
  for (const [k, v] of sums((x) => x.kind)) {
    assert.deepEqual(d.byKind[k as Kind], v, `byKind ${k}`);
    assert.equal(v.before + v.delta, v.after);
    assert.equal(attributed((x) => x.kind, k), v.delta, `region deltas of kind ${k}`);
  }
  assert.equal(Object.keys(d.byKind).length, sums((x) => x.kind).size);
  for (const [k, v] of sums((x) => x.owner)) {
    assert.deepEqual(d.byOwner[k], v, `byOwner ${k}`);
    assert.equal(attributed((x) => x.owner, k), v.delta, `region deltas of owner ${k}`);
  }
  const tb = before.reduce((n, x) => n + size(x), 0);
  const ta = after.reduce((n, x) => n + size(x), 0);
  assert.deepEqual(d.total, { before: tb, after: ta, delta: ta - tb });
  assert.equal(d.regions.reduce((n, x) => n + x.delta, 0), ta - tb);
  assert.deepEqual(d.vmas, { before: before.length, after: after.length });
  const stacks = (rs: readonly Region[]) => rs.filter((x) => x.kind === 'thread-stack').length;
  assert.deepEqual(d.threadStacks, { before: stacks(before), after: stacks(after) });
}
