/*! `mapsdiff watch local` as a user runs it: captures on a schedule with a line each, a
 * process that vanishes and comes back (gaps recorded, watching goes on, the restart named),
 * Ctrl-C keeping every finished capture, and the refusals. Short --every keeps it quick. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { binPath, nodeFlags, execd, namedSleeper, uniqueName } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload } from './workload.js';

const NAME = uniqueName('md-gap'); // this run's own: a name only its processes have

/** The CLI as a child whose stdout lines arrive as they are printed. */
function live(args: string[], store: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.MAPSDIFF_STORE;
  const child: ChildProcess = spawn(process.execPath, [...nodeFlags, binPath, '--store', store, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  readline.createInterface({ input: child.stdout! }).on('line', (l) => {
    lines.push(l);
    waiters.splice(0).forEach((w) => w());
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 99)));
  // generous: under load a capture can take seconds; the bound only turns a hang into a failure
  const until = async (pred: (ls: string[]) => boolean, ms = 120_000): Promise<void> => {
    const deadline = Date.now() + ms;
    while (!pred(lines)) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL'); // a watch without --count never ends by itself: a failed test must not leave it running
        throw new Error(`timed out; lines so far:\n${lines.join('\n')}\nstderr: ${stderr}`);
      }
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, 100); });
    }
  };
  return { child, lines, until, done, stderr: () => stderr };
}

test('watch local --every 200ms --count 4: four captures stored, a line each with the growth since the first and the last', async () => {
  const store = tempStore();
  const w = await startWorkload();
  try {
    const run = live(['watch', 'local', '--every', '200ms', '--count', '4', '--pid', String(w.pid)], store);
    await run.until((ls) => ls.length >= 2);
    await w.send('heap 16'); // 1 MiB of heap while it watches
    assert.equal(await run.done, 0, run.stderr());
    const [l0, , , l3, summary] = run.lines;
    assert.match(l0!, /^\d\d:\d\d:\d\d local t0  1 process\(es\)$/);
    assert.match(l3!, new RegExp(`^\\d\\d:\\d\\d:\\d\\d local t3  1 process\\(es\\)  since t0: \\+[\\d.]+ [KM]iB RSS \\(python3 ${w.pid}\\): heap \\[heap\\] \\+[\\d.]+ [KM]iB in size  since t2: `)); // RSS ranks: smaps_rollup has it on both sides
    assert.equal(summary, 'watch local: 4 capture(s) stored (t0..t3), 0 gap(s); see mapsdiff trend --since t0');
    assert.equal(run.lines.length, 5);
    const list = await mapsdiff(['trend', '--json'], { store });
    assert.deepEqual(JSON.parse(list.stdout).series, ['t0', 't1', 't2', 't3']);
  } finally {
    w.stop();
  }
});

test('a process that vanishes: the failed captures are retried and recorded as gaps, and watching goes on until it is back', async () => {
  const store = tempStore();
  const exe = namedSleeper(NAME);
  let proc = spawn(exe, ['30'], { stdio: 'ignore' });
  const first = proc.pid;
  try {
    await execd(proc.pid!, NAME);
    const run = live(['watch', 'local', '--every', '300ms', '--count', '8', '--retries', '1', '--process', NAME], store);
    await run.until((ls) => ls.some((l) => / t0 /.test(l)));
    proc.kill();
    await run.until((ls) => ls.some((l) => /capture failed/.test(l)));
    proc = spawn(exe, ['30'], { stdio: 'ignore' });
    assert.equal(await run.done, 0, run.stderr());
    const gap = run.lines.find((l) => /capture failed/.test(l))!;
    assert.match(gap, new RegExp(`^\\d\\d:\\d\\d:\\d\\d local capture failed \\(2 attempt\\(s\\)\\): no process on this machine matched "${NAME}".{0,60}…; gap recorded, watching goes on$`));
    const stored = run.lines.filter((l) => / local t\d+ /.test(l));
    const gaps = run.lines.filter((l) => /capture failed/.test(l)).length;
    assert.equal(stored.length + gaps, 8, '--count 8: eight captures, a gap counting as one');
    assert.ok(stored.length >= 2, 'captures resumed after the gap');
    assert.match(run.lines.join('\n'), new RegExp(`RESTARTED: ${NAME}`), 'the new process is named as a restart');
    assert.match(run.lines[run.lines.length - 1]!, new RegExp(`^watch local: ${stored.length} capture\\(s\\) stored \\(t0\\.\\.t${stored.length - 1}\\), ${gaps} gap\\(s\\)`));
    const j = JSON.parse((await mapsdiff(['trend', '--json'], { store })).stdout);
    assert.equal(j.restarts.length, 1);
    assert.equal(j.restarts[0].before.pid, first);
    assert.equal(j.restarts[0].after.pid, proc.pid);
    assert.equal(j.gaps.length, gaps, 'trend knows where the series has holes');
    assert.deepEqual(Object.keys(j.gaps[0]).sort(), ['at', 'attempts', 'reason', 'target']);
    assert.equal(j.gaps[0].target, 'local');
    assert.match(j.gaps[0].reason, new RegExp(`no process on this machine matched "${NAME}"`));
    assert.match((await mapsdiff(['trend'], { store })).stdout, new RegExp(`${gaps} capture\\(s\\) failed during the series`));
  } finally {
    proc.kill();
  }
});

test('Ctrl-C ends watching cleanly: every finished capture is kept and readable', async () => {
  const store = tempStore();
  const run = live(['watch', 'local', '--every', '200ms', '--pid', String(process.pid)], store);
  await run.until((ls) => ls.length >= 3);
  run.child.kill('SIGINT');
  assert.equal(await run.done, 130, `interrupted: 128 + SIGINT, as shells expect; ${run.stderr()}`);
  const summary = run.lines[run.lines.length - 1]!;
  const m = /^watch local: (\d+) capture\(s\) stored \(t0\.\.t(\d+)\), 0 gap\(s\), stopped by interrupt/.exec(summary);
  assert.ok(m, summary);
  assert.ok(Number(m[1]) >= 3);
  const names = fs.readdirSync(path.join(store, 'snapshots'));
  assert.equal(names.filter((n) => n.endsWith('.json')).length, Number(m[1]), 'no half-made snapshot, none lost');
  assert.equal(names.filter((n) => n.startsWith('.tmp')).length, 0);
  const j = JSON.parse((await mapsdiff(['trend', '--json'], { store })).stdout);
  assert.equal(j.series.length, Number(m[1]));
});

test('watch refuses what it cannot do', async () => {
  const store = tempStore();
  const short = await mapsdiff(['watch', 'local', '--every', '10ms', '--count', '1', '--pid', '1'], { store });
  assert.equal(short.code, 2);
  assert.match(short.stderr, /--every 10ms is too short; the shortest is 100ms/);
  const both = await mapsdiff(['watch', 'local', '--every', '1s', '--count', '2', '--for', '1m', '--pid', '1'], { store });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /mutually exclusive|count.*for/);
  const which = await mapsdiff(['watch', 'local', '--every', '1s', '--count', '1'], { store });
  assert.equal(which.code, 2);
  assert.match(which.stderr, /say which processes to capture/);
  const bad = await mapsdiff(['watch', 'local', '--every', 'often', '--pid', '1'], { store });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--every "often" is not a duration/);
});

test('watch --json: one JSON object per capture, then a summary line', async () => {
  const store = tempStore();
  const w = await startWorkload();
  try {
    const run = live(['watch', 'local', '--every', '300ms', '--count', '3', '--pid', String(w.pid), '--json'], store);
    await run.until((ls) => ls.length >= 1);
    await w.send('heap 16'); // 1 MiB of [heap] between the first capture and the later ones
    assert.equal(await run.done, 0, run.stderr());
    const objs = run.lines.map((l) => JSON.parse(l));
    assert.equal(objs.length, 4);
    assert.deepEqual(objs.slice(0, 3).map((o) => o.snapshot), ['t0', 't1', 't2']);
    assert.equal(objs[0].sinceFirst, null);
    assert.equal(objs[2].sinceFirst.from, 't0');
    assert.equal(objs[2].sinceFirst.largest.kind, 'heap');
    assert.ok(objs[2].sinceFirst.largest.delta >= 1024 * 1024 - 64 * 1024, JSON.stringify(objs[2]));
    assert.equal(objs[2].sinceFirst.largest.pid, w.pid);
    assert.deepEqual(objs[3], { target: 'local', summary: { stored: ['t0', 't1', 't2'], gaps: 0, interrupted: false } });
  } finally {
    w.stop();
  }
});

test('watch ranks by RSS when every process has it: an untouched 8 MiB mmap (VSZ) does not outrank 2 MiB of written heap (RSS)', async () => {
  const store = tempStore();
  const mapper = await startWorkload(); // grows in address space only
  const writer = await startWorkload(); // grows in RAM
  try {
    const run = live(['watch', 'local', '--every', '300ms', '--count', '2', '--pid', String(mapper.pid), '--pid', String(writer.pid)], store);
    await run.until((ls) => ls.length >= 1);
    await mapper.send('map 8');
    await writer.send('heap 32');
    assert.equal(await run.done, 0, run.stderr());
    const l1 = run.lines[1]!;
    // smaps_rollup gives both their RSS on both sides: RSS ranks (compare's default), and the line says so
    assert.match(l1, new RegExp(`since t0: \\+[\\d.]+ MiB RSS \\(python3 ${writer.pid}\\): heap \\[heap\\] \\+[\\d.]+ MiB in size`), l1);
    const byVsz = live(['watch', 'local', '--every', '300ms', '--count', '2', '--by', 'vsz', '--pid', String(mapper.pid), '--pid', String(writer.pid)], store);
    await byVsz.until((ls) => ls.length >= 1);
    await mapper.send('map 8');
    assert.equal(await byVsz.done, 0, byVsz.stderr());
    assert.match(byVsz.lines[1]!, new RegExp(`since t2: \\+8(?:\\.0)? MiB anon \\S+ \\(python3 ${mapper.pid}\\)`), '--by vsz: the largest region by size, as before');
    const json = live(['watch', 'local', '--every', '300ms', '--count', '2', '--json', '--pid', String(mapper.pid), '--pid', String(writer.pid)], store);
    await json.until((ls) => ls.length >= 1);
    await writer.send('heap 32');
    assert.equal(await json.done, 0, json.stderr());
    const largest = JSON.parse(json.lines[1]!).sinceFirst.largest;
    assert.equal(largest.measure, 'rss');
    assert.equal(largest.pid, writer.pid);
    assert.equal(largest.regionMeasure, 'vsz', 'no full smaps: the region is the one that grew most in size');
    assert.ok(largest.processDelta >= 1024 * 1024, JSON.stringify(largest));
  } finally {
    mapper.stop();
    writer.stop();
  }
});
