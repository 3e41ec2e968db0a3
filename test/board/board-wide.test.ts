/*! Issue 12 end to end on the real boards, armhf and mipsel, with WORKLOADS=fdleak,shmlog (one
 * boot per arch): `watch` a series, `trend` and `compare` it. shmlog appends to /dev/shm (tmpfs):
 * the board's Shmem is a leak named by its mount, and no process is blamed for it; fdleak is an
 * fd leak with its limit and a time left, with the slab caches it grows listed; leaker and
 * steady keep their verdicts. compare's board section says shmem/tmpfs moved by /dev/shm,
 * process memory by the leaker's USS, and fdleak's fds against Max open files. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

for (const arch of ['armhf', 'mipsel'] as const) {
  describe(`${arch} board with fdleak and shmlog`, () => {
    let board: Board;
    let cwd: string;
    let store: string;
    before(async () => {
      // a 3 s tick: fdleak (+24 fds a tick) stays short of its 4096 fds for 8 minutes, however slow the captures,
      // and shmlog (+128 KiB a tick) grows /dev/shm by 1.7 MiB or more over the steady part of the series
      // (13 intervals of at least 4 s, the first quarter warm-up): beyond the board's 1 MiB noise however fast
      // the captures are (with --every 1500ms a fast run saw 786 KiB: a plateau)
      board = await bootBoard(arch, { WORKLOADS: 'fdleak,shmlog', LEAK_INTERVAL: '3' });
      cwd = tempStore();
      store = path.join(cwd, 'store');
      fs.mkdirSync(path.join(cwd, 'targets'));
      fs.writeFileSync(path.join(cwd, 'targets', 'wide.json'), JSON.stringify({
        host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
        processes: ['leaker', 'steady', 'fdleak', 'shmlog'], ceiling: arch === 'armhf' ? '0xbf000000' : '0x80000000',
      }));
      const w = await mapsdiff(['watch', 'wide', '--every', '4s', '--count', '14'], { store, cwd });
      assert.equal(w.code, 0, w.stderr);
    });
    after(async () => {
      await board?.stop();
      if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
    });

    test(`${arch}: Shmem leaks in /dev/shm with no process blamed; fdleak is an fd leak with its limit; leaker and steady keep their verdicts`, async () => {
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
      assert.match(text, /fd leak: pid \d+ fdleak: \d+ -> \d+ open fds, .* limit \d+ \(Max open files\), runs out in .*\n {4}slab caches growing with it: /);
    });

    test(`${arch}: compare's board section: shmem/tmpfs moved by /dev/shm, process memory by the leaker's USS, fdleak's fds against their limit`, async () => {
      const c = await mapsdiff(['compare', 't0', 't13', '--json'], { store, cwd });
      assert.equal(c.code, 0, c.stderr);
      const b = JSON.parse(c.stdout).board;
      const bucket = (n: string) => b.buckets.find((x: { name: string }) => x.name === n);
      const shm = bucket('shmem/tmpfs');
      assert.equal(shm.moved, true, JSON.stringify(shm));
      assert.equal(shm.explainedBy[0].mountPoint, '/dev/shm');
      const pm = bucket('process memory');
      assert.equal(pm.moved, true, JSON.stringify(pm));
      assert.deepEqual([pm.explainedBy[0].name, pm.explainedBy[0].measure], ['leaker', 'uss']);
      const fd = b.fds.find((x: { name: string }) => x.name === 'fdleak');
      assert.ok(fd.delta > 0 && fd.limit > fd.after, JSON.stringify(b.fds));
      assert.ok(b.fileNr.delta >= fd.delta * 0.9, JSON.stringify(b.fileNr));
      assert.ok(b.slab.some((x: { cache: string; delta: number }) => x.cache === 'filp' && x.delta > 0), 'every fd is a struct file');
      const text = (await mapsdiff(['compare', 't0', 't13'], { store, cwd })).stdout;
      assert.match(text, /^ {2}shmem\/tmpfs \+[0-9.]+ MiB: tmpfs \/dev\/shm \+/m);
      assert.match(text, /^ {2}process memory \+[0-9.]+ MiB: pid \d+ leaker USS \+/m);
      assert.match(text, /^ {2}fds: pid \d+ fdleak \d+ -> \d+ \(\+\d+\) of \d+ Max open files/m);
    });
  });
}
