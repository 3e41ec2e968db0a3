/*! Resident measures (analyze/resident.ts): smaps_rollup first, else the sum of smaps, else
 * status, and which was used; per region from its own smaps block. On the qemu boards' real
 * captures (fixtures/captures) and on processes built from smaps text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { parseSmaps } from '../../src/parse/smaps.js';
import { buildReport } from '../../src/analyze/report.js';
import { processResident, regionResident } from '../../src/analyze/resident.js';
import type { ParsedProcess } from '../../src/model/capture.js';
import type { SnapshotMeta } from '../../src/model/snapshot.js';
import { fixture } from '../helpers.js';

const meta: SnapshotMeta = { name: 't0', target: 'board', capturedAt: '2026-11-25T22:11:00.000Z', tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false };

const SMAPS = `00010000-00011000 r-xp 00000000 fe:00 12 /usr/local/bin/pool
Rss:                   4 kB
Pss:                   2 kB
Shared_Clean:          4 kB
Private_Clean:         0 kB
Private_Dirty:         0 kB
Swap:                  0 kB
SwapPss:               0 kB
b4000000-b6000000 rw-p 00000000 00:00 0
Rss:                1024 kB
Pss:                1024 kB
Private_Clean:         0 kB
Private_Dirty:      1024 kB
Swap:                 64 kB
SwapPss:              64 kB
`;
const proc = (extra: Partial<ParsedProcess>): ParsedProcess => ({ pid: 7, name: 'pool', startTime: 1, vmas: [], missing: [], denied: [], gone: false, ...extra });

for (const file of ['qemu-armhf-virt-leaker-steady.capture', 'qemu-mipsel-malta-leaker-steady.capture']) {
  test(`resident measures of a real board capture come from smaps_rollup and say so (${file})`, () => {
    const parsed = parseCapture(parseCaptureText(fixture(`captures/${file}`), file, { requireEnd: true }), { source: file });
    const r = buildReport(meta, parsed);
    for (const p of r.processes) {
      const raw = parsed.processes.find((x) => x.pid === p.pid)!;
      assert.equal(p.resident?.source, 'smaps_rollup');
      assert.equal(p.resident.rss, raw.smapsRollup!.rss);
      assert.equal(p.resident.uss, raw.smapsRollup!.privateClean + raw.smapsRollup!.privateDirty);
      assert.ok(p.resident.uss! <= p.resident.pss! && p.resident.pss! <= p.resident.rss, 'USS <= PSS <= RSS');
      assert.equal(p.rss, p.resident.rss, 'the old rss field is the same number');
      assert.equal(p.regionResident, null, 'no smaps, no per-region measure');
      assert.equal(p.resident.rssAnon, Number(/(\d+)/.exec(raw.status!.RssAnon!)![1]) * 1024);
    }
  });
}

test('resident measures without smaps_rollup are the sum of smaps (USS = Private_Clean + Private_Dirty, SwapPss kept)', () => {
  const smaps = parseSmaps(SMAPS, 'smaps');
  const r = processResident(proc({ smaps }))!;
  assert.deepEqual({ ...r }, { rss: 1028 * 1024, pss: 1026 * 1024, uss: 1024 * 1024, swap: 64 * 1024, swapPss: 64 * 1024, dirty: 1024 * 1024,
    source: 'smaps', rssAnon: null, rssFile: null, rssShmem: null });
});

test('resident measures without smaps come from status (VmRSS, VmSwap, RssAnon/RssFile/RssShmem), PSS and USS unknown', () => {
  const r = processResident(proc({ status: { VmRSS: '1200 kB', VmSwap: '8 kB', RssAnon: '1000 kB', RssFile: '200 kB', RssShmem: '0 kB' } }))!;
  assert.deepEqual({ ...r }, { rss: 1200 * 1024, pss: null, uss: null, swap: 8192, swapPss: null, dirty: null, source: 'status',
    rssAnon: 1000 * 1024, rssFile: 200 * 1024, rssShmem: 0 });
  assert.equal(processResident(proc({})), null, 'nothing captured: null, never 0');
});

test('a region resident measure is its own smaps block, matched by start address', () => {
  const smaps = parseSmaps(SMAPS, 'smaps');
  const regions = smaps.map((e) => ({ start: e.start, end: e.end })) as never[];
  const rr = regionResident(proc({ smaps }), [regions[1]!, { start: 0x1234000, end: 0x1235000 } as never])!;
  assert.equal(rr[0]!.rss, 1024 * 1024);
  assert.equal(rr[0]!.uss, 1024 * 1024);
  assert.equal(rr[0]!.swapPss, 64 * 1024);
  assert.equal(rr[1], null, 'a region smaps did not list');
});
