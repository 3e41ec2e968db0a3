/*! Issue 12 end to end on the real armhf board with WORKLOADS=fdleak,shmlog: `watch` a series
 * and `trend` it. shmlog appends to /dev/shm (tmpfs): the board's Shmem is a leak named by its
 * mount, and no process is blamed for it; fdleak is an fd leak with its limit and a time left,
 * with the slab caches it grows listed; leaker and steady keep their verdicts. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

const arch = 'armhf';
let board: Board;
let cwd: string;
let store: string;

before(async () => {
  board = await bootBoard(arch, { WORKLOADS: 'fdleak,shmlog', LEAK_INTERVAL: '1' });
  cwd = tempStore();
  store = path.join(cwd, 'store');
  fs.mkdirSync(path.join(cwd, 'targets'));
  fs.writeFileSync(path.join(cwd, 'targets', 'wide.json'), JSON.stringify({
    host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
    processes: ['leaker', 'steady', 'fdleak', 'shmlog'], ceiling: '0xbf000000',
  }));
});
after(async () => {
  await board?.stop();
});

test('armhf board with fdleak and shmlog: Shmem leaks in /dev/shm with no process blamed; fdleak is an fd leak with its limit', async () => {
  const w = await mapsdiff(['watch', 'wide', '--every', '1500ms', '--count', '14'], { store, cwd });
  assert.equal(w.code, 0, w.stderr);
  const show = JSON.parse((await mapsdiff(['show', '--json'], { store, cwd })).stdout);
  assert.ok(show.meminfo.MemTotal > 0 && show.memAvailable.estimated === false);
  assert.ok(show.tmpfs.some((m: { mountPoint: string; used?: number }) => m.mountPoint === '/dev/shm' && (m.used ?? 0) > 0), JSON.stringify(show.tmpfs));
  assert.ok(show.slab.caches > 0, 'captured as root: slabinfo is readable');
  const t = await mapsdiff(['trend', 'wide', '--json'], { store, cwd });
  const j = JSON.parse(t.stdout);
  const sys = (k: string) => j.system.find((s: { key: string }) => s.key === k);
  assert.equal(sys('Shmem')?.verdict, 'leak', JSON.stringify(j.system));
  assert.equal(j.tmpfs.find((m: { mountPoint: string }) => m.mountPoint === '/dev/shm')?.verdict, 'leak', JSON.stringify(j.tmpfs));
  const proc = (name: string) => j.processes.find((p: { name: string }) => p.name === name);
  assert.notEqual(proc('shmlog').verdict, 'leak', 'no process is blamed for the tmpfs');
  const fd = proc('fdleak').fds;
  assert.equal(fd.verdict, 'leak', JSON.stringify(fd));
  assert.ok(fd.limit > fd.last && fd.timeLeft > 0, JSON.stringify(fd));
  assert.ok(j.slab.some((c: { verdict: string }) => c.verdict === 'leak'), 'the slab caches fdleak grows are listed');
  assert.equal(proc('leaker').verdict, 'leak');
  assert.equal(proc('steady').verdict, 'stable');
  const text = (await mapsdiff(['trend', 'wide'], { store, cwd })).stdout;
  assert.match(text, /board leak: Shmem .* in tmpfs \/dev\/shm/);
  assert.match(text, /fd leak: pid \d+ fdleak: \d+ -> \d+ open fds, .* limit \d+ \(Max open files\), runs out in /);
});
