/*! `compare` by resident memory end to end on the real 32-bit board (../shared/board,
 * WORKLOADS=rsspool): two `capture --smaps` of rsspool (a 32 MiB pool mapped once, 256 KiB
 * more touched a tick) and steady, then `compare`: the pool's region is `grown (resident)` at
 * an unchanged size, steady shows no resident growth beyond one page. The smaps are the board's own. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

const POOL = 32 * 1024 * 1024;
const arch = 'armhf';
let board: Board;
let cwd: string;
let store: string;

/** rsspool's resident bytes now, from its smaps_rollup on the board. */
const poolRss = async () => Number(/^Rss:\s+(\d+) kB/m.exec(await board.ssh('cat /proc/$(cat /tmp/rsspool.pid)/smaps_rollup'))![1]) * 1024;

before(async () => {
  board = await bootBoard(arch, { WORKLOADS: 'rsspool', LEAK_INTERVAL: '1' });
  cwd = tempStore();
  store = path.join(cwd, 'store');
  fs.mkdirSync(path.join(cwd, 'targets'));
  fs.writeFileSync(path.join(cwd, 'targets', `${arch}.json`), JSON.stringify({
    host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
    processes: ['rsspool', 'steady'], ceiling: '0xbf000000',
  }));
});
after(async () => {
  await board?.stop();
});

test(`${arch} board: compare of two capture --smaps calls rsspool's pool grown (resident) at the same size; steady has no resident growth beyond a page`, async () => {
  const c0 = await mapsdiff(['capture', arch, '--smaps'], { store, cwd });
  assert.equal(c0.code, 0, c0.stderr);
  // readiness, not a sleep: wait until the pool has taken 1 MiB more of RAM (four ticks)
  const start = await poolRss();
  while ((await poolRss()) < start + 1024 * 1024) await new Promise((r) => setTimeout(r, 250));
  const c1 = await mapsdiff(['capture', arch, '--smaps'], { store, cwd });
  assert.equal(c1.code, 0, c1.stderr);

  const r = await mapsdiff(['compare', '--target', arch, '--json'], { store, cwd });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.measure, 'rss');
  assert.equal(j.processes[0].name, 'rsspool', 'ranked by RSS growth');
  const rsspool = j.processes.find((p: { name: string }) => p.name === 'rsspool');
  assert.ok(rsspool.rss.delta >= 1024 * 1024, `rsspool's RSS grew by ${rsspool.rss.delta}`);
  assert.equal(rsspool.vsz.delta, 0, 'its maps never change');
  const pool = rsspool.regions.find((d: { after: { size: number } | null }) => d.after?.size === POOL);
  assert.equal(pool.status, 'same');
  assert.equal(pool.before.size, POOL);
  assert.equal(pool.resident.status, 'grown');
  assert.ok(pool.resident.rss.delta >= 1024 * 1024, `the pool's RSS grew by ${pool.resident.rss.delta}`);

  const steady = j.processes.find((p: { name: string }) => p.name === 'steady');
  assert.deepEqual(steady.regions, [], 'steady: nothing changed, in size or beyond a page of RSS');
  assert.ok(Math.abs(steady.residentTotal.rss.delta) < 4096, `steady's RSS moved by ${steady.residentTotal.rss.delta}`);

  const text = (await mapsdiff(['compare', '--target', arch], { store, cwd })).stdout;
  assert.match(text, /^measure: RSS /m);
  assert.match(text, /^ +grown \(resident\) +anon .* 32768K +32768K +0K .* anon$/m);
  const byVsz = await mapsdiff(['compare', '--target', arch, '--by', 'vsz', '--fail-over', '256K'], { store, cwd });
  assert.equal(byVsz.code, 0, 'by VSZ nothing grew');
  const byRss = await mapsdiff(['compare', '--target', arch, '--fail-over', '256K'], { store, cwd });
  assert.equal(byRss.code, 1);
  assert.match(byRss.stderr, /rsspool .* \(in RSS\)/);
});
