/*! `compare` by resident memory through the built CLI (issue 11), on real captures of the
 * qemu boards (fixtures/captures/qemu-ARCH-rsspool-smaps-0 and -7, the first and last of eight
 * through mapsdiff's own capture script: full smaps of rsspool, whose
 * 32 MiB pool fills while its maps line stays the same, and of steady, the control):
 * resident deltas per region, kind, owner and process, `--by`, and the measure it says it used. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { formatCaptureText, parseCaptureText } from '../../src/parse/capture.js';
import { fixture, fixturePath } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';

const POOL = 32 * 1024 * 1024;
const pair = (arch: string) => [0, 7].map((i) => fixturePath(`captures/qemu-${arch}-rsspool-smaps-${i}.capture`));

/** A store holding the two real captures of `arch` as t0 and t1 (target `board`). */
async function storeOf(arch: string, files = pair(arch)): Promise<string> {
  const store = tempStore();
  for (const f of files) {
    const r = await mapsdiff(['import', f, '--target', 'board'], { store });
    assert.equal(r.code, 0, r.stderr);
  }
  return store;
}

/** The capture of `file` without the sections named (written to a temp file). */
function without(file: string, names: string[]): string {
  const parsed = parseCaptureText(fs.readFileSync(file, 'utf8'), file, { requireEnd: true });
  const out = path.join(tempStore(), path.basename(file));
  fs.writeFileSync(out, formatCaptureText({ sections: parsed.sections.filter((s) => !names.includes(s.name)) }, 'MAPSDIFF-SECTION'));
  return out;
}

interface SD { before: number; after: number; delta: number }
interface Region { status: string; kind: string; delta: number; after: { size: number } | null; resident: { rss: SD; pss: SD; uss: SD; swap: SD; status: string } | null }
const proc = (j: { processes: { name: string }[] }, name: string) => j.processes.find((p) => p.name === name) as unknown as {
  name: string; ranking: { measure: string; delta: number }; regionMeasure: string; rss: SD; resident: { rss: SD; uss: SD | null } | null;
  residentTotal: { rss: SD } | null; residentByKind: Record<string, { rss: SD }> | null; residentByOwner: Record<string, { rss: SD }> | null; regions: Region[];
};

for (const arch of ['armhf', 'mipsel']) {
  test(`compare of two real smaps captures (${arch}): the pool is grown (resident) at an unchanged size, ranked and measured by RSS`, async () => {
    const store = await storeOf(arch);
    const r = await mapsdiff(['compare', 't0', 't1', '--json'], { store });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.measure, 'rss', 'resident by default when both captures have it');
    assert.equal(j.measureFrom, 'default');
    assert.equal(j.processes[0].name, 'rsspool', 'ranked by RSS growth: rsspool first');
    const pool = proc(j, 'rsspool');
    assert.equal(pool.ranking.measure, 'rss');
    assert.equal(pool.ranking.delta, pool.rss.delta);
    assert.equal(pool.regionMeasure, 'rss');
    const region = pool.regions.find((x) => x.after?.size === POOL)!;
    assert.ok(region, 'the 32 MiB pool is listed without --all');
    assert.equal(region.status, 'same', 'status keeps its meaning: the size did not change');
    assert.equal(region.delta, 0);
    assert.equal(region.resident!.status, 'grown');
    assert.ok(region.resident!.rss.delta >= 2 * 1024 * 1024, `the pool's RSS grew by ${region.resident!.rss.delta}`);
    assert.equal(region.resident!.uss.delta, region.resident!.rss.delta, 'all of it private');
    assert.equal(pool.residentByKind!.anon!.rss.delta, region.resident!.rss.delta, 'by kind: anon carries it');
    assert.equal(pool.residentByOwner!.anon!.rss.delta, region.resident!.rss.delta, 'by owner: anon carries it');
    assert.equal(pool.residentTotal!.rss.delta, region.resident!.rss.delta, 'no other region moved');

    const steady = proc(j, 'steady');
    assert.deepEqual(steady.regions, [], 'steady: no region changed, neither in size nor in resident memory beyond a page');
    assert.equal(steady.residentTotal!.rss.delta, 0);
    assert.equal(steady.rss.delta, 0);

    const text = (await mapsdiff(['compare', 't0', 't1'], { store })).stdout;
    assert.match(text, /^measure: RSS /m, 'the text says which measure ranks');
    assert.match(text, /^ +grown \(resident\) +anon +\S+ +\S+ +3276[08]K +3276[08]K +0K +\d+K +\d+K +\+\d+K +anon$/m);
    assert.match(text, /^RSS by owner: anon \+[\d.]+ MiB/m);
  });
}

test('compare --by rss when one capture has no resident data is a usage error naming it and --smaps', async () => {
  const [t0, t1] = pair('armhf');
  const store = await storeOf('armhf', [without(t0!, ['smaps', 'smaps_rollup', 'status']), t1!]);
  for (const by of ['rss', 'pss', 'uss']) {
    const r = await mapsdiff(['compare', 't0', 't1', '--by', by], { store });
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, new RegExp(`--by ${by}: t0 has no ${by.toUpperCase()} for pid \\d+ \\(steady\\), \\d+ \\(rsspool\\)`));
    assert.match(r.stderr, /--smaps/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  const d = await mapsdiff(['compare', 't0', 't1', '--json'], { store });
  assert.equal(d.code, 0, d.stderr);
  const j = JSON.parse(d.stdout);
  assert.equal(j.measure, 'vsz', 'the default falls back to virtual size, and says why');
  assert.deepEqual(j.measureLacking, { snapshot: 't0', measure: 'rss', pids: j.processes.map((p: { pid: number }) => p.pid).sort((a: number, b: number) => a - b) });
  const text = (await mapsdiff(['compare', 't0', 't1'], { store })).stdout;
  assert.match(text, /^measure: VSZ .*t0 has no RSS for pid \d+ \(steady\), \d+ \(rsspool\)/m);
});

test('compare --by pss when one capture has only status (RSS, no PSS) is a usage error; --by rss works', async () => {
  const [t0, t1] = pair('armhf');
  const store = await storeOf('armhf', [t0!, without(t1!, ['smaps', 'smaps_rollup'])]);
  const r = await mapsdiff(['compare', 't0', 't1', '--by', 'pss'], { store });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--by pss: t1 has no PSS for pid/);
  assert.match(r.stderr, /status has RSS only/);
  const ok = await mapsdiff(['compare', 't0', 't1', '--by', 'rss', '--json'], { store });
  assert.equal(ok.code, 0, ok.stderr);
  const j = JSON.parse(ok.stdout);
  assert.equal(j.measure, 'rss');
  assert.equal(j.measureFrom, 'option');
  assert.equal(proc(j, 'rsspool').regionMeasure, 'vsz', 'no smaps in t1: its regions rank by size');
  assert.equal(proc(j, 'rsspool').residentTotal, null);
  const text = (await mapsdiff(['compare', 't0', 't1', '--by', 'rss'], { store })).stdout;
  assert.match(text, /regions by size: t1 has no smaps for this process \(capture --smaps\)/);
});

test('compare --fail-over and --min-delta look at the --by measure: the pool trips RSS, not VSZ', async () => {
  const store = await storeOf('armhf');
  const rss = await mapsdiff(['compare', 't0', 't1', '--fail-over', '1M'], { store });
  assert.equal(rss.code, 1, rss.stderr);
  assert.match(rss.stderr, /rsspool \(pid \d+\) grew by [\d.]+ MiB, over --fail-over 1 MiB \(in RSS\)/);
  assert.doesNotMatch(rss.stderr, /steady/);
  const vsz = await mapsdiff(['compare', 't0', 't1', '--by', 'vsz', '--fail-over', '1M'], { store });
  assert.equal(vsz.code, 0, vsz.stderr);

  const listed = async (args: string[]) => proc(JSON.parse((await mapsdiff(['compare', 't0', 't1', '--json', ...args], { store })).stdout), 'rsspool').regions;
  assert.equal((await listed(['--min-delta', '1M'])).length, 1, 'by RSS the pool moved by more than 1 MiB');
  assert.deepEqual(await listed(['--by', 'vsz', '--min-delta', '4K']), [], 'by VSZ nothing moved');
  const byUss = JSON.parse((await mapsdiff(['compare', 't0', 't1', '--json', '--by', 'uss'], { store })).stdout);
  assert.equal(byUss.measure, 'uss');
  assert.equal(proc(byUss, 'rsspool').ranking.measure, 'uss');
});
