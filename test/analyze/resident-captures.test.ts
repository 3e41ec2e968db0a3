/*! The resident rules on real smaps captures of both qemu boards (fixtures/captures,
 * qemu-ARCH-rsspool-smaps-N: eight captures two seconds apart of rsspool and steady, taken
 * with mapsdiff's own remote script and --smaps): rsspool's 32 MiB pool never changes size
 * while its Rss grows, so trend calls it a resident leak in that region and not a virtual
 * one; steady is stable on both measures; a guard (`---p`, PROT_NONE: no page can be faulted
 * in) is never resident and never a leak; the pool is private (Rss = USS). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildReport } from '../../src/analyze/report.js';
import { analyzeTrend, type TrendCapture } from '../../src/analyze/trend.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { fixture } from '../helpers.js';

const POOL = 32 * 1024 * 1024;

function series(arch: string): TrendCapture[] {
  return Array.from({ length: 8 }, (_, i) => {
    const file = `qemu-${arch}-rsspool-smaps-${i}.capture`;
    const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
    const meta: SnapshotMeta = { name: `t${i}`, target: arch, capturedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, 2 * i)).toISOString(), tool: { name: 'mapsdiff', version: 'test' }, via: 'ssh', lenient: false };
    return { report: buildReport(meta, parsed, { machine: arch === 'armhf' ? 'armv7l' : 'mips' }), threads: new Map(parsed.processes.map((p) => [p.pid, p.stat!.numThreads])) };
  });
}

for (const arch of ['armhf', 'mipsel']) {
  test(`${arch} board smaps: rsspool's pool keeps its size while its Rss grows, all of it private; no guard is resident`, () => {
    const caps = series(arch);
    const rss: number[] = [];
    for (const c of caps) {
      const p = c.report.processes.find((x) => x.name === 'rsspool')!;
      const i = p.regions.findIndex((r) => Number(r.end - r.start) === POOL);
      assert.ok(i >= 0, `${c.report.meta.name}: one 32 MiB pool`);
      const res = p.regionResident![i]!;
      assert.equal(res.rss, res.uss, 'the pool is private: Rss = Private_Clean + Private_Dirty');
      rss.push(res.rss);
      for (const q of c.report.processes) {
        q.regions.forEach((r, j) => {
          if (r.kind === 'guard') assert.equal(q.regionResident![j]?.rss ?? 0, 0, `${q.name} guard at ${r.start.toString(16)} holds no page`);
        });
      }
    }
    assert.ok(rss.every((v, i) => i === 0 || v > rss[i - 1]!), `the pool's Rss grows capture by capture: ${rss.join(' ')}`);
  });

  test(`${arch} board smaps: trend calls rsspool a resident leak in its pool, not a virtual one; steady stable; no guard a leak`, () => {
    const caps = series(arch);
    const r = analyzeTrend(caps);
    const pool = r.processes.find((p) => p.name === 'rsspool')!;
    const entry = (p: typeof pool, measure: string, scope: string) => p.entries.find((e) => e.measure === measure && e.scope === scope && e.kind === 'total');
    assert.equal(pool.verdict, 'leak');
    assert.equal(entry(pool, 'resident', 'total')!.verdict, 'leak');
    assert.equal(entry(pool, 'virtual', 'total')!.verdict, 'stable', 'its maps never change');
    const first = caps[0]!.report.processes.find((x) => x.name === 'rsspool')!;
    const start = first.regions.find((x) => Number(x.end - x.start) === POOL)!.start;
    const leaks = pool.entries.filter((e) => e.measure === 'resident' && e.scope === 'region' && e.verdict === 'leak');
    assert.deepEqual(leaks.map((e) => e.start), [start], 'the pool, and only the pool, carries the resident leak');
    assert.equal(pool.entries.some((e) => e.measure === 'virtual' && e.verdict === 'leak'), false, 'no virtual leak');
    const steady = r.processes.find((p) => p.name === 'steady')!;
    assert.equal(entry(steady, 'resident', 'total')!.verdict, 'stable');
    assert.equal(entry(steady, 'virtual', 'total')!.verdict, 'stable');
    for (const p of r.processes) for (const e of p.entries) if (e.kind === 'guard') assert.notEqual(e.verdict, 'leak', `${p.name} ${e.measure} ${e.scope}`);
  });
}
