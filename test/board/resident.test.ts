/*! Resident memory end to end on the real 32-bit boards, ARM and MIPS (../shared/board, WORKLOADS=rsspool):
 * `watch --smaps` a series, then `trend`: rsspool (a 32 MiB pool mapped once, 256 KiB more
 * touched a tick) leaks by resident memory while its maps never change, and its pool's own
 * region carries the leak; steady is stable on both measures; no guard entry is a leak; the
 * MemAvailable horizon follows the resident rate; and dontneed (pages touched, then dropped
 * with madvise(MADV_DONTNEED)) is no leak. The smaps read here are the board's own. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, startWorkload, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

interface Entry { measure: string; scope: string; kind: string; start?: string; verdict: string; rate: number; timeLeftBy: { memAvailable: number | null; addressSpace: number | null } }

// each arch its own board, booted once in its describe's before (sequentially: one qemu at a time)
for (const arch of ['armhf', 'mipsel'] as const) describe(arch, () => {
  let board: Board;
  let cwd: string;
  let store: string;
  let dontneed: number;
  const ceiling = arch === 'armhf' ? '0xbf000000' : '0x80000000'; // ARM 3G/1G; MIPS32's 2 GiB user space

  before(async () => {
    board = await bootBoard(arch, { WORKLOADS: 'rsspool', LEAK_INTERVAL: '1' });
    cwd = tempStore();
    store = path.join(cwd, 'store');
    dontneed = await startWorkload(board, 'dontneed', ['1', '6']);
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', `${arch}.json`), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
      processes: ['rsspool', 'steady', 'dontneed'], ceiling,
    }));
  });
  after(async () => {
    await board?.stop();
  });

  test(`${arch} board: trend of a watch --smaps series calls rsspool a resident leak in its pool; steady stable; dontneed and guards no leak`, async () => {
    const w = await mapsdiff(['watch', arch, '--smaps', '--every', '1500ms', '--count', '14'], { store, cwd });
    assert.equal(w.code, 0, w.stderr);
    const t = await mapsdiff(['trend', arch, '--json'], { store, cwd });
    const j = JSON.parse(t.stdout);
    const proc = (name: string) => j.processes.find((p: { name: string }) => p.name === name);
    const entries = (name: string): Entry[] => proc(name).regions;
    const find = (name: string, measure: string, scope: string, kind = 'total') =>
      entries(name).find((e) => e.measure === measure && e.scope === scope && (scope === 'region' || e.kind === kind));

    // rsspool: leaks by resident memory only
    assert.equal(proc('rsspool').verdict, 'leak');
    assert.equal(find('rsspool', 'virtual', 'total')!.verdict, 'stable', 'its maps never change');
    const rss = find('rsspool', 'resident', 'total')!;
    assert.equal(rss.verdict, 'leak');
    assert.ok(rss.rate > 0.5 * 256 * 1024 * 3600 && rss.rate < 2 * 256 * 1024 * 3600, `about 256 KiB a second: ${rss.rate}/h`);
    // the pool's own region (the 32 MiB mapping of the last capture) carries the resident leak
    const last = JSON.parse((await mapsdiff(['show', j.series[j.series.length - 1], '--json'], { store, cwd })).stdout);
    const pool = last.processes.find((p: { name: string }) => p.name === 'rsspool').vmas
      .filter((v: { size: number }) => v.size === 32 * 1024 * 1024);
    assert.equal(pool.length, 1, 'one 32 MiB pool');
    assert.ok(pool[0].resident.rss > 0 && pool[0].resident.rss === pool[0].resident.uss, 'show --json: the pool is resident, all of it private');
    const region = entries('rsspool').find((e) => e.measure === 'resident' && e.scope === 'region' && e.verdict === 'leak')!;
    assert.equal(BigInt(region.start!), BigInt(pool[0].start), 'the leaking region is the pool');
    assert.equal(entries('rsspool').some((e) => e.measure === 'virtual' && e.verdict === 'leak'), false, 'no virtual leak at all');
    // the MemAvailable horizon follows the resident rate
    const memLast = j.segments[0].memAvailable.last;
    assert.ok(Math.abs(rss.timeLeftBy.memAvailable! - (memLast / rss.rate) * 3600) <= 1, 'MemAvailable / resident rate');
    assert.equal(rss.timeLeftBy.addressSpace, null, 'resident growth takes no address space');

    // steady: stable on both measures
    assert.equal(proc('steady').verdict, 'stable', JSON.stringify(entries('steady').slice(0, 3)));
    assert.equal(find('steady', 'resident', 'total')!.verdict, 'stable');
    assert.equal(find('steady', 'virtual', 'total')!.verdict, 'stable');

    // dontneed: resident memory rises and falls: no leak
    assert.equal(proc('dontneed').pid, dontneed);
    assert.notEqual(proc('dontneed').verdict, 'leak', JSON.stringify(entries('dontneed').slice(0, 3)));
    assert.equal(find('dontneed', 'resident', 'total')!.verdict, 'sawtooth');

    // no guard entry is ever a leak
    for (const p of j.processes) for (const e of p.regions as Entry[]) if (e.kind === 'guard') assert.notEqual(e.verdict, 'leak', `${p.name} ${e.measure} ${e.scope}`);

    const text = await mapsdiff(['trend', arch], { store, cwd });
    assert.match(text.stdout, /rsspool +\S+ \(all\) RSS .*leak .*\(MemAvailable\)/, "the text names the resident suspect and its MemAvailable horizon");
  });

  test(`${arch} board: watch --smaps auto reads steady's smaps once, and rsspool's again once its Rss grew beyond --noise`, async () => {
    const autoStore = path.join(cwd, 'auto');
    const w = await mapsdiff(['watch', arch, '--smaps', 'auto', '--smaps-every', '100', '--noise', '1M', '--every', '1500ms', '--count', '6', '--json'], { store: autoStore, cwd });
    assert.equal(w.code, 0, w.stderr);
    const lines = w.stdout.trim().split('\n').slice(0, 6).map((l) => JSON.parse(l) as { snapshot: string; smaps: { mode: string; read: number[] } });
    const pid = async (name: string) => (await board.ssh(`cat /tmp/${name}.pid 2>/dev/null || pidof ${name}`)).trim().split(/\s+/)[0];
    const steady = Number(await pid('steady'));
    const pool = Number(await pid('rsspool'));
    assert.ok(lines.every((l) => l.smaps.mode === 'auto'));
    assert.ok(lines[0]!.smaps.read.includes(steady) && lines[0]!.smaps.read.includes(pool), 'the first capture reads every process in full');
    assert.deepEqual(lines.slice(1).filter((l) => l.smaps.read.includes(steady)).map((l) => l.snapshot), [], 'steady never grows: rollup only after t0');
    // 256 KiB a second, captures 1.5 s apart or more: beyond 1 MiB within five captures
    assert.ok(lines.slice(1).some((l) => l.smaps.read.includes(pool)), `rsspool read again once grown: ${JSON.stringify(lines.map((l) => l.smaps.read))}`);
  });
});
