/*! Resident deltas of compare (analyze/compare.ts, analyze/compare-measure.ts) on real smaps
 * captures of the qemu boards (fixtures/captures/qemu-ARCH-rsspool-smaps-0 and -7, the first and
 * last of eight through mapsdiff's own capture script): per region,
 * kind, owner and process; `grown (resident)` and its one-page noise floor; which measure
 * ranks, and what a capture lacks for it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { compareReports } from '../../src/analyze/compare.js';
import { lackingMeasure, rankBy, regionDelta, RESIDENT_NOISE } from '../../src/analyze/compare-measure.js';
import type { ParsedCapture, SmapsEntry } from '../../src/model/capture.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import type { ResidentDelta } from '../../src/model/compare.js';
import { fixture } from '../helpers.js';

const POOL = 32 * 1024 * 1024;
const meta = (name: string): SnapshotMeta => ({ name, target: 'board', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false });
/** t0 and t1: the first and the last of the eight captures (14 s of the pool filling, not 2). */
const parsed = (arch: string, t: number): ParsedCapture => {
  const file = `captures/qemu-${arch}-rsspool-smaps-${t === 0 ? 0 : 7}.capture`;
  return parseCapture(parseCaptureText(fixture(file), file, { requireEnd: true }), { source: file });
};
const compare = (a: ParsedCapture, b: ParsedCapture) => compareReports(buildReport(meta('t0'), a), buildReport(meta('t1'), b));
const named = (r: ReturnType<typeof compare>, name: string) => r.processes.find((p) => p.diff.name === name)!;
const smapsOf = (c: ParsedCapture, name: string) => c.processes.find((p) => p.name === name)!.smaps!;
const poolBlock = (c: ParsedCapture): SmapsEntry => smapsOf(c, 'rsspool').find((e) => Number(e.end - e.start) === POOL)!;
const strip = (c: ParsedCapture, keys: ('smaps' | 'smapsRollup' | 'status')[]): ParsedCapture =>
  ({ ...c, processes: c.processes.map((p) => { const q = { ...p }; for (const k of keys) delete q[k]; return q; }) });

for (const arch of ['armhf', 'mipsel']) {
  const a = parsed(arch, 0);
  const b = parsed(arch, 1);

  test(`a region whose size is unchanged but whose RSS grew is grown (resident), not same: the rsspool pool (${arch})`, () => {
    const pool = named(compare(a, b), 'rsspool').diff.regions.find((d) => d.after?.size === POOL)!;
    assert.equal(pool.status, 'same');
    assert.equal(pool.delta, 0);
    const before = poolBlock(a);
    const after = poolBlock(b);
    assert.ok(after.rss - before.rss >= 2 * 1024 * 1024, 'the captures hold a pool that filled by 2 MiB or more');
    assert.equal(pool.resident!.status, 'grown');
    assert.deepEqual(pool.resident!.rss, { before: before.rss, after: after.rss, delta: after.rss - before.rss });
    assert.equal(pool.resident!.uss!.delta, after.privateDirty + after.privateClean - before.privateDirty - before.privateClean);
    assert.equal(regionDelta(pool, 'rss'), after.rss - before.rss);
    assert.equal(regionDelta(pool, 'vsz'), 0);
  });

  test(`steady shows no resident growth beyond one page: no region is grown or shrunk (resident) (${arch})`, () => {
    const steady = named(compare(a, b), 'steady');
    for (const d of steady.diff.regions) {
      assert.equal(d.status, 'same');
      assert.equal(d.resident!.status, 'same', `${d.path || d.owner}: ${JSON.stringify(d.resident)}`);
      assert.ok(Math.abs(d.resident!.rss.delta) < RESIDENT_NOISE);
    }
    assert.equal(steady.regionResident!.total.rss.delta, 0, 'not one page moved');
  });

  test(`resident deltas by kind, by owner and in total add up to the regions' smaps, and the process's to smaps_rollup (${arch})`, () => {
    const r = compare(a, b);
    for (const p of r.processes) {
      const res = p.regionResident!;
      const check = (what: string, v: ResidentDelta) => {
        for (const m of ['rss', 'pss', 'uss', 'swap'] as const) assert.equal(v[m]!.before + v[m]!.delta, v[m]!.after, `${what} ${m}`);
      };
      check('total', res.total);
      let kinds = 0;
      for (const [k, v] of Object.entries(res.byKind)) { check(k, v!); kinds += v!.rss.after; }
      assert.equal(kinds, res.total.rss.after, 'kinds add up to the total');
      let owners = 0;
      for (const [o, v] of Object.entries(res.byOwner)) { check(o, v); owners += v.rss.delta; }
      assert.equal(owners, res.total.rss.delta, 'owners add up to the total');
      const regions = p.diff.regions.reduce((n, d) => n + d.resident!.rss.delta, 0);
      assert.equal(regions, res.total.rss.delta, 'regions add up to the total');
      const user = (c: ParsedCapture) => { // smaps of the user regions: the kernel's pages ([vectors], [sigpage]) are left out, as in show
        const kernel = new Set(buildReport(meta('x'), c).processes.find((x) => x.name === p.diff.name)!.regions.filter((x) => x.kind === 'kernel').map((x) => x.start));
        return smapsOf(c, p.diff.name).filter((e) => !kernel.has(e.start)).reduce((n, e) => n + e.rss, 0);
      };
      assert.equal(res.total.rss.before, user(a));
      assert.equal(res.total.rss.after, user(b));
      const rollup = (c: ParsedCapture) => c.processes.find((x) => x.name === p.diff.name)!.smapsRollup!;
      assert.deepEqual(p.resident!.rss, { before: rollup(a).rss, after: rollup(b).rss, delta: rollup(b).rss - rollup(a).rss }, 'per process from smaps_rollup');
      assert.deepEqual(p.residentSource, { before: 'smaps_rollup', after: 'smaps_rollup' });
    }
  });
}

test('the measure by default is RSS when both captures have it, and then rsspool ranks first; by VSZ the tie goes by pid', () => {
  const r = compare(parsed('armhf', 0), parsed('armhf', 1));
  const auto = rankBy(r, 'auto');
  assert.deepEqual(auto.measure, { measure: 'rss', from: 'default', lacking: null });
  assert.deepEqual(auto.processes.map((p) => p.diff.name), ['rsspool', 'steady']);
  assert.equal(auto.processes[0]!.ranking.measure, 'rss');
  assert.equal(auto.processes[0]!.regionMeasure, 'rss');
  const vsz = rankBy(r, 'vsz');
  assert.deepEqual(vsz.measure, { measure: 'vsz', from: 'option', lacking: null });
  assert.deepEqual(vsz.processes.map((p) => p.diff.name), ['steady', 'rsspool'], 'neither grew in VSZ: lower pid first');
  assert.equal(vsz.processes[0]!.regionMeasure, 'vsz');
  assert.deepEqual(rankBy(r, 'pss').processes.map((p) => p.diff.name), ['rsspool', 'steady']);
});

test('a capture without smaps_rollup, smaps or status lacks every resident measure; the default is then VSZ and says which capture', () => {
  const a = strip(parsed('armhf', 0), ['smaps', 'smapsRollup', 'status']);
  const r = compare(a, parsed('armhf', 1));
  const pids = r.processes.map((p) => p.diff.pid.before!).sort((x, y) => x - y);
  for (const m of ['rss', 'pss', 'uss'] as const) assert.deepEqual(lackingMeasure(r, m), { snapshot: 't0', measure: m, pids });
  assert.equal(lackingMeasure(r, 'vsz'), null);
  assert.deepEqual(rankBy(r, 'auto').measure, { measure: 'vsz', from: 'default', lacking: { snapshot: 't0', measure: 'rss', pids } });
  for (const p of r.processes) {
    assert.equal(p.resident, null);
    assert.equal(p.regionResident, null);
    assert.ok(p.diff.regions.every((d) => d.resident === undefined), 'no region resident without smaps on both sides');
  }
});

test('a capture with status only has RSS but no PSS or USS; regions without smaps on one side rank by size', () => {
  const b = strip(parsed('armhf', 1), ['smaps', 'smapsRollup']);
  const r = compare(parsed('armhf', 0), b);
  assert.equal(lackingMeasure(r, 'rss'), null);
  assert.equal(lackingMeasure(r, 'pss')!.snapshot, 't1');
  assert.equal(lackingMeasure(r, 'uss')!.snapshot, 't1');
  const ranked = rankBy(r, 'rss');
  const pool = ranked.processes.find((p) => p.diff.name === 'rsspool')!;
  assert.equal(pool.residentSource.after, 'status');
  assert.equal(pool.regionMeasure, 'vsz');
  assert.equal(ranked.processes[0]!.diff.name, 'rsspool', 'VmRSS still ranks the processes');
});

test('a new process ranks by all of its RSS (its missing side counts 0, as for VSZ) and lacks nothing on the side it is missing from', () => {
  const a = parsed('armhf', 0);
  const b = parsed('armhf', 1);
  const r = compare({ ...a, processes: a.processes.filter((p) => p.name !== 'rsspool') }, b);
  const ranked = rankBy(r, 'auto');
  assert.equal(ranked.measure.measure, 'rss');
  const pool = ranked.processes[0]!;
  assert.equal(pool.diff.name, 'rsspool');
  assert.equal(pool.status, 'new');
  const rollup = b.processes.find((p) => p.name === 'rsspool')!.smapsRollup!;
  assert.deepEqual(pool.ranking, { measure: 'rss', delta: rollup.rss });
  assert.equal(pool.regionResident!.total.rss.before, 0);
  assert.ok(pool.diff.regions.every((d) => d.status === 'new' && d.resident!.rss.before === 0));
});
