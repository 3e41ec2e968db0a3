/*! End to end on the real 32-bit board (../shared/board under qemu, Dropbear, BusyBox):
 * `mapsdiff capture` over SSH twice, then `compare`: the leaker grew, steady did not; then
 * `watch` a series and `trend` it against ground truth: the leaker leaks, steady is stable,
 * and two workloads of ours (test/board/workloads) are a plateau and a sawtooth. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { bootBoard, startWorkload, type Board } from './board.js';
import { mapsdiff, tempStore } from '../cli/run.js';
import { binPath, nodeFlags } from '../helpers.js';

/** `mapsdiff watch ...` as a child: resolves once its first capture's line is printed. */
async function watchUntilFirst(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.MAPSDIFF_STORE;
  const child = spawn(process.execPath, [...nodeFlags, binPath, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code: code ?? 99, stdout, stderr })));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d) => { stdout += d; if (stdout.includes('\n')) resolve(); });
    void done.then((r) => reject(new Error(`watch ended before its first capture: ${r.stderr}`)));
  });
  return { done };
}

/** Resolves once the leaker has ticked: it has no [heap] line before its first malloc, and a first
 * capture taken just after boot, before that tick, saw the heap as new in the second, not grown. */
async function leakerTicked(board: Board): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await board.ssh("grep -q '\\[heap\\]' /proc/$(cat /tmp/leaker.pid)/maps && echo ticked || :")).trim() !== 'ticked') {
    if (Date.now() > deadline) throw new Error('the leaker never ticked: no [heap] line in its maps within 60 s of boot');
  }
}

for (const arch of ['armhf', 'mipsel'] as const) describe(arch, () => {
  let board: Board;
  let cwd: string;
  let store: string;
  const ceiling = arch === 'armhf' ? '0xbf000000' : '0x80000000';

  before(async () => {
    board = await bootBoard(arch, { LEAK_INTERVAL: '1' });
    cwd = tempStore();
    store = path.join(cwd, 'store');
    fs.mkdirSync(path.join(cwd, 'targets'));
    fs.writeFileSync(path.join(cwd, 'targets', `${arch}.json`), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
      processes: ['leaker', 'steady'], ceiling,
    }));
  });
  after(async () => {
    await board?.stop();
  });

  test(`${arch} board: capture leaker and steady twice over SSH and compare`, async () => {
    await leakerTicked(board);
    const t0 = Date.now();
    const a = await mapsdiff(['capture', arch], { store, cwd });
    assert.equal(a.code, 0, a.stderr);
    await new Promise((r) => setTimeout(r, 11_000)); // 11 ticks: heap +704 KiB, two 1 MiB blocks, one thread
    const b = await mapsdiff(['capture', arch], { store, cwd });
    assert.equal(b.code, 0, b.stderr);
    const between = (Date.now() - t0) / 1000; // both captures, start to end, by the host clock
    assert.equal(a.stdout + b.stdout, 't0\nt1\n');

    const show = JSON.parse((await mapsdiff(['show', 't1', '--json'], { store, cwd })).stdout);
    assert.equal(show.machine, arch === 'armhf' ? 'armv7l' : 'mips');
    assert.deepEqual(show.processes.map((p: { name: string }) => p.name).sort(), ['leaker', 'steady']);
    for (const p of show.processes) {
      assert.equal(p.ceiling, ceiling, 'the target file sets the ceiling');
      assert.equal(p.ceilingSource, 'set at capture (the target\'s "ceiling" or capture --ceiling)', 'and show says so');
      assert.equal(p.wordBits, 32);
      // the leaker grows every second: when it grew between its status and maps reads, VmSize
      // and the maps differ and vsz-mismatch says so (test/board/address-space.test.ts checks
      // VSZ = VmSize on quiet boards)
      const findings = p.name === 'leaker' ? p.findings.filter((f: { code: string }) => f.code !== 'vsz-mismatch') : p.findings;
      assert.deepEqual(findings, [], 'nothing above the ceiling on the right ceiling');
      assert.equal(p.stack.limit, 8192 * 1024);
      assert.equal(p.stack.limitSource, 'limits');
      assert.ok(p.vmas.some((v: { kind: string; path: string }) => v.kind === 'code' && v.path === `/usr/local/bin/${p.name}`));
      // regression (issue 10): on ARM the leaker's 1 MiB blocks merge into its thread stacks'
      // lines; each is read as an 8 MiB thread stack plus anon, never a stack over the limit
      for (const v of p.vmas) if (v.kind === 'thread-stack') assert.ok(v.size <= p.stack.limit, `${v.start} ${v.size}`);
    }

    const r = await mapsdiff(['compare', '--json'], { store, cwd });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.rebooted, false);
    // at least the wait; at most the host time both captures took (under load an SSH login to
    // the qemu board takes long: no fixed bound holds)
    assert.ok(j.interval >= 11 && j.interval <= between + 1, `interval by the board's uptime: ${j.interval}, host ${between}`);
    const leaker = j.processes.find((p: { name: string }) => p.name === 'leaker');
    const steady = j.processes.find((p: { name: string }) => p.name === 'steady');
    assert.equal(j.processes[0].name, 'leaker', 'ranked first by growth');
    assert.equal(leaker.restarted, false);
    assert.ok(leaker.byKind.heap.delta >= 10 * 64 * 1024, `[heap] grew ${leaker.byKind.heap.delta}`);
    assert.ok(leaker.total.delta >= 2 * 1024 * 1024, `leaker grew ${leaker.total.delta}`);
    assert.ok(leaker.threadStacks.after > leaker.threadStacks.before, 'a new thread stack');
    assert.ok(leaker.regions.some((x: { status: string; kind: string }) => x.kind === 'heap' && x.status === 'grown'));
    assert.equal(steady.total.delta, 0, 'steady, the control, did not change');
    assert.deepEqual(steady.regions, []);
    assert.equal(steady.restarted, false);

    const fail = await mapsdiff(['compare', '--fail-over', '1M'], { store, cwd });
    assert.equal(fail.code, 1, 'a soak test gate trips on the leaker');
    assert.match(fail.stderr, /leaker \(pid \d+\) grew by/);
    assert.doesNotMatch(fail.stderr, /steady/);
  });

  test(`${arch} board: watch a series; trend finds the leaker's leaks, steady stable, a plateau and a sawtooth`, async () => {
    const plateau = await startWorkload(board, 'plateau', ['1', '6']); // once told: grows 6 s, then keeps it
    // +384 KiB a second, all freed every 6 s: sampled every 1.5 s, each cycle shows its rise and its fall
    const sawtooth = await startWorkload(board, 'sawtooth', ['1', '6']);
    fs.writeFileSync(path.join(cwd, 'targets', `${arch}-series.json`), JSON.stringify({
      host: '127.0.0.1', port: board.port, user: 'root', identityFile: board.key, knownHosts: board.knownHosts,
      processes: ['leaker', 'steady', 'plateau', 'sawtooth'], ceiling,
    }));
    // the plateau grows only when told, after the series' first capture: under load its growth
    // can no longer be over before the series starts
    const w = await watchUntilFirst(['--store', store, 'watch', `${arch}-series`, '--every', '1500ms', '--count', '16'], cwd);
    await board.ssh(`while [ ! -e /tmp/plateau.ready ]; do sleep 1; done; kill -USR1 ${plateau}`);
    const done = await w.done;
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /16 capture\(s\) stored .*0 gap\(s\)/);
    const t = await mapsdiff(['trend', `${arch}-series`, '--json', '--fail-on-leak'], { store, cwd });
    assert.equal(t.code, 1, `--fail-on-leak exits 1: the leaker leaks. ${t.stderr}`);
    const j = JSON.parse(t.stdout);
    assert.equal(j.series.length, 16);
    assert.deepEqual(j.reboots, []);
    assert.deepEqual(j.restarts, []);
    const proc = (name: string) => j.processes.find((p: { name: string }) => p.name === name);
    const kindVerdict = (name: string, kind: string) =>
      proc(name).regions.find((r: { scope: string; kind: string }) => r.scope === 'kind' && r.kind === kind)?.verdict;
    assert.equal(proc('plateau').pid, plateau);
    assert.equal(proc('sawtooth').pid, sawtooth);
    assert.equal(proc('leaker').verdict, 'leak');
    assert.equal(kindVerdict('leaker', 'heap'), 'leak', 'the brk heap grows every tick');
    assert.equal(kindVerdict('leaker', 'thread-stack'), 'leak', 'a new thread every 10 ticks');
    assert.equal(proc('leaker').threads.leak, true, 'thread count and thread-stack count rise together');
    // on ARM the 1 MiB blocks merge into the thread stacks' lines (same perms): split off, they are anon there too
    assert.equal(kindVerdict('leaker', 'anon'), 'leak', 'a new 1 MiB block every 5 ticks');
    const leakTotal = proc('leaker').regions.find((r: { scope: string }) => r.scope === 'total');
    assert.ok(leakTotal.rate > 0 && leakTotal.timeLeft > 0, 'a rate and the time left');
    assert.equal(proc('steady').verdict, 'stable', `the control: ${JSON.stringify(proc('steady').regions.slice(0, 3))}`);
    assert.equal(proc('plateau').verdict, 'plateau', JSON.stringify(proc('plateau').regions.slice(0, 3)));
    assert.equal(proc('sawtooth').verdict, 'sawtooth', JSON.stringify(proc('sawtooth').regions.slice(0, 3)));
  });
});
