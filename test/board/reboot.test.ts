/*! On the real 32-bit boards (../shared/board under qemu): a reboot followed by a longer
 * uptime is seen as a reboot. Capture, stop the board and boot it again, wait until its
 * uptime exceeds the first capture's, capture, compare: rebooted, every process new, and
 * still one board (same host name, machine and MemTotal: not refused). */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';

for (const arch of ['armhf', 'mipsel'] as const) describe(arch, () => {
  let board: Board | undefined;
  let cwd: string;
  let store: string;
  const target = (b: Board) => fs.writeFileSync(path.join(cwd, 'targets', `${arch}.json`), JSON.stringify({
    host: '127.0.0.1', port: b.port, user: 'root', identityFile: b.key, knownHosts: b.knownHosts, processes: ['leaker'],
  }));

  before(async () => {
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    board = await bootBoard(arch);
    target(board);
  });
  after(async () => {
    await board?.stop();
  });

  test(`${arch} board: a reboot followed by a longer uptime is a reboot`, async () => {
    const a = await mapsdiff(['capture', arch], { store, cwd });
    assert.equal(a.code, 0, a.stderr);
    const first = JSON.parse((await mapsdiff(['show', 't0', '--json'], { store, cwd })).stdout);
    assert.ok(first.uptime > 0);

    await board!.stop(); // the board goes down, and comes up again on a port of its own
    board = undefined;
    board = await bootBoard(arch);
    target(board);
    // readiness: the new boot's uptime has passed the first capture's (the board says so)
    for (;;) {
      const up = Number((await board.ssh('cat /proc/uptime')).split(' ')[0]);
      if (up > first.uptime + 1) break;
      await board.ssh(`sleep ${Math.max(1, Math.ceil(first.uptime + 1 - up))}`);
    }
    const b = await mapsdiff(['capture', arch], { store, cwd });
    assert.equal(b.code, 0, b.stderr);
    const second = JSON.parse((await mapsdiff(['show', 't1', '--json'], { store, cwd })).stdout);
    assert.ok(second.uptime > first.uptime, `the case: the second uptime is higher (${first.uptime} -> ${second.uptime})`);

    const r = await mapsdiff(['compare', 't0', 't1', '--json'], { store, cwd });
    assert.equal(r.code, 0, `one board across its reboot, not refused: ${r.stderr}`);
    const j = JSON.parse(r.stdout);
    assert.equal(j.rebooted, true);
    // the boot id when the capture reads it; without it, the uptime far behind the host clock
    assert.ok(['boot-id', 'uptime-behind-clock'].includes(j.rebootedBy), j.rebootedBy);
    assert.equal(j.interval, null, 'no board interval across a reboot');
    assert.deepEqual(j.otherBoard, []);
    assert.equal(j.reversed, false);
    const leaker = j.processes.find((p: { name: string }) => p.name === 'leaker');
    assert.equal(leaker.restarted, true, 'after a reboot every process is a new one');
    const text = (await mapsdiff(['compare', 't0', 't1'], { store, cwd })).stdout;
    assert.match(text, /the board REBOOTED between the captures \((a new boot id|its uptime advanced far less than the host clock)\); every process is a new one/);
  });
});
