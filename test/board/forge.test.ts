/*! Issue 9's attack on the capture path, on the real board (../shared/board, Dropbear, BusyBox
 * ash): an unprivileged process (test/board/workloads/forger.c) reads every other process's
 * cmdline and environ for the capture's boundary and rewrites its own argv into forged
 * sections. Nothing it forges may be stored, and every capture must still succeed. Also: the
 * capture's own session is left out of `--all`, and boot_id is captured every time. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { bootBoard, startWorkload, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';
import { SshSource } from '../../src/collect/ssh.js';
import { newBoundary } from '../../src/collect/remote-script.js';
import { parseCapture } from '../../src/parse/index.js';

interface ShownProcess { pid: number; name: string; vmas: { size: number }[] }

describe('armhf board under attack', () => {
  let board: Board;
  let cwd: string;
  let store: string;
  let forger: number;
  const show = async (name: string): Promise<{ processes: ShownProcess[] }> => {
    const r = await mapsdiff(['show', name, '--json'], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout);
  };
  const waitForLog = async (file: string, re: RegExp): Promise<string> => {
    for (let i = 0; i < 300; i++) {
      const log = await board.ssh(`cat ${file} 2>/dev/null || :`);
      if (re.test(log)) return log;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${file} never matched ${re}`);
  };

  before(async () => {
    board = await bootBoard('armhf');
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', 'armhf.json'), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
    }));
    // running for the whole file: every capture below happens under its eyes
    forger = await startWorkload(board, 'forger', ['/tmp/forger.log', '-', 'x'.repeat(1500)]);
  });
  after(async () => {
    await board?.stop();
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  test('the capture cannot be forged from the board: a process reading cmdline and environ for the boundary forges nothing, and every capture succeeds', async () => {
    const pid = forger;
    await waitForLog('/tmp/forger.log', /^ready uid 65534$/m);
    for (let i = 0; i < 4; i++) {
      const r = await mapsdiff(['capture', 'armhf', '--all'], { store, cwd });
      assert.equal(r.code, 0, `capture ${i}: ${r.stderr}`);
      const snap = await show(r.stdout.trim());
      assert.ok(snap.processes.some((p) => p.pid === pid), `capture ${i} read the forger itself`);
      assert.equal(snap.processes.find((p) => p.pid === pid)!.name, 'forg\ner', 'a newline in comm is kept, inside its section');
      assert.deepEqual(snap.processes.filter((p) => p.pid === 999999 || p.name === 'fake' || p.name === 'dup'), [], `capture ${i}: a forged process`);
      const huge = snap.processes.flatMap((p) => p.vmas.filter((v) => v.size >= 1024 ** 3).map((v) => `${p.pid}: ${v.size}`));
      assert.deepEqual(huge, [], `capture ${i}: a forged 1.5 GiB heap`);
    }
    // its first batch of 200 scans began before the first capture; a capture faster than those (the
    // remote script forks less) must not fail this, so wait for the batch instead of reading the log once
    const log = await waitForLog('/tmp/forger.log', /^scans \d+$/m);
    assert.match(log, /^scans \d+$/m, 'the forger kept scanning during the captures');
    assert.doesNotMatch(log, /^forged/m, 'no boundary was readable by another process');
  });

  test('even with the boundary known to the board, its own text cannot end a section: forged lines stay inside the forger\'s cmdline', async () => {
    // a second forger, copied from the first (its file is busy): this one is told the boundary
    const pid = Number((await board.ssh(`cp /tmp/forger /tmp/forger2; cd /tmp; ./forger2 /tmp/forger2.log /tmp/forger2.b ${'x'.repeat(1500)} </dev/null >/dev/null 2>&1 & echo $!`)).trim());
    await waitForLog('/tmp/forger2.log', /^ready/m);
    for (let mode = 0; mode < 3; mode++) {
      const boundary = newBoundary();
      await board.ssh(`echo ${boundary} > /tmp/forger2.b`);
      await waitForLog('/tmp/forger2.log', new RegExp(`^forged ${mode} ${boundary}$`, 'm'));
      const src = new SshSource('armhf', { host: '127.0.0.1', port: board.port, user: 'root', identityFiles: [board.key] },
        { knownHostsFiles: [board.knownHosts], env: { HOME: cwd }, boundary });
      const raw = await src.collect({ pids: [pid], names: [], all: false, smaps: false, cmdline: true });
      const parsed = parseCapture(raw, { source: `mode ${mode}` });
      assert.deepEqual(parsed.processes.map((p) => p.pid), [pid], `mode ${mode}: only the forger, no forged process`);
      const cmdline = raw.sections.find((s) => s.pid === pid && s.name === 'cmdline')!;
      assert.equal(cmdline.status, 'ok');
      assert.ok(cmdline.text.includes(`\n${boundary} `), `mode ${mode}: the forged lines are the forger's cmdline text`);
      assert.equal(raw.sections.filter((s) => s.pid === pid && s.name === 'stat').length, 1);
    }
  });

  test('--all leaves out the capture\'s own session: one dropbear, the listening daemon; boot_id is captured', async () => {
    const r = await mapsdiff(['capture', 'armhf', '--all', '--json'], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    const name = JSON.parse(r.stdout).snapshots[0].name;
    const snap = await show(name);
    const dropbears = snap.processes.filter((p) => p.name === 'dropbear');
    assert.equal(dropbears.length, 1, JSON.stringify(dropbears.map((p) => p.pid)));
    // the daemon is the dropbear whose parent is init; each connection's dropbear is its child
    // (an `if`, so that the loop's status is 0 whichever process the glob lists last: with the
    // `&&` chain as the body, the loop failed unless the last /proc entry was the daemon, which
    // the kernel's pid layout decided: 6.1.0-57 broke what 6.1.0-50 let pass)
    const daemon = await board.ssh(`for d in /proc/[0-9]*; do if read -r n 2>/dev/null <$d/comm && [ "$n" = dropbear ] && grep -q '^PPid:[[:space:]]*1$' $d/status; then echo \${d#/proc/}; fi; done`);
    assert.equal(dropbears[0]!.pid, Number(daemon.trim()), 'the one kept is the listening daemon');
    const file = fs.readFileSync(path.join(store, 'snapshots', `${name}.json`), 'utf8');
    const bootId = (await board.ssh('cat /proc/sys/kernel/random/boot_id')).trim();
    assert.ok(file.includes(bootId), 'the boot_id section is stored');
  });
});
