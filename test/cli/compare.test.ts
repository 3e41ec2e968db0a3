import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { formatCaptureText } from '../../src/parse/capture.js';
import { execd, fixture, fixturePath, namedSleeper, uniqueName } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload } from './workload.js';

const NAME = uniqueName('md-rst'); // this run's own: a name only its processes have

interface SD { before: number; after: number; delta: number }
const checkSums = (p: { total: SD; byKind: Record<string, SD>; byOwner: Record<string, SD>; regions: { delta: number; before: { size: number } | null; after: { size: number } | null }[] }) => {
  for (const [k, v] of [['total', p.total], ...Object.entries(p.byKind), ...Object.entries(p.byOwner)] as [string, SD][]) {
    assert.equal(v.before + v.delta, v.after, `before + delta = after for ${k}`);
  }
  const sum = (f: (r: (typeof p.regions)[number]) => number) => p.regions.reduce((a, r) => a + f(r), 0);
  assert.equal(sum((r) => r.delta), p.total.delta, 'region deltas add up to the process delta');
  assert.equal(sum((r) => r.before?.size ?? 0), p.total.before);
  assert.equal(sum((r) => r.after?.size ?? 0), p.total.after);
};

test('a real process that allocates between two captures: [heap] and anonymous memory grew, sums add up', async () => {
  const store = tempStore();
  const w = await startWorkload();
  try {
    const c0 = await mapsdiff(['capture', 'local', '--pid', String(w.pid)], { store });
    assert.equal(c0.code, 0, c0.stderr);
    await w.send('heap 48'); // 3 MiB in 64 KiB blocks: brk
    await w.send('mmap 6'); // 6 x 1 MiB: anonymous mmaps
    const c1 = await mapsdiff(['capture', 'local', '--pid', String(w.pid)], { store });
    assert.equal(c1.code, 0, c1.stderr);
    const r = await mapsdiff(['compare', 't0', 't1', '--json', '--all'], { store });
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.equal(j.rebooted, false);
    assert.ok(j.interval >= 0 && j.interval < 60, `interval from uptime: ${j.interval}`);
    const p = j.processes[0];
    assert.equal(p.pid, w.pid);
    assert.equal(p.restarted, false);
    const heapAndAnon = (p.byKind.heap?.delta ?? 0) + (p.byKind.anon?.delta ?? 0) + (p.byKind.arena?.delta ?? 0);
    assert.ok(heapAndAnon >= 9 * 1024 * 1024 - 64 * 1024, `heap+anon grew by ${heapAndAnon}`);
    assert.ok(p.byKind.heap.delta >= 2 * 1024 * 1024, `[heap] grew by ${p.byKind.heap.delta}`);
    assert.equal(p.byKind.code.delta, 0, 'code did not change');
    const heap = p.regions.find((x: { kind: string }) => x.kind === 'heap');
    assert.equal(heap.status, 'grown');
    assert.equal(heap.before.start, heap.after.start, 'brk growth keeps the heap start');
    checkSums(p);
    const text = await mapsdiff(['compare'], { store }); // no names: the two newest of target local
    assert.match(text.stdout, /^compare t0 -> t1\s+target local/m);
    assert.match(text.stdout, /grown\s+heap\s/);
    const fail = await mapsdiff(['compare', 't0', 't1', '--fail-over', '1M'], { store });
    assert.equal(fail.code, 1);
    assert.match(fail.stderr, /grew by [\d.]+ MiB, over --fail-over 1 MiB/);
    assert.equal((await mapsdiff(['compare', 't0', 't1', '--fail-over', '1G'], { store })).code, 0);
    const raw = await mapsdiff(['compare', 't0', 't1', '--raw'], { store });
    assert.match(raw.stdout, /^--- t0\/pid \d+\/maps/m);
    assert.match(raw.stdout, /^[-+][0-9a-f]+-[0-9a-f]+ rw-p .*\[heap\]$/m);
  } finally {
    w.stop();
  }
});

test('a steady process shows no change at all', async () => {
  const store = tempStore();
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    await execd(child.pid!, 'sleep');
    await mapsdiff(['capture', 'local', '--pid', String(child.pid)], { store });
    await mapsdiff(['capture', 'local', '--pid', String(child.pid)], { store });
    const j = JSON.parse((await mapsdiff(['compare', 't0', 't1', '--json'], { store })).stdout);
    assert.equal(j.processes.length, 1);
    assert.deepEqual(j.processes[0].regions, [], 'no region changed');
    assert.equal(j.processes[0].total.delta, 0);
    const text = (await mapsdiff(['compare', 't0', 't1'], { store })).stdout;
    assert.match(text, /no region changed/);
  } finally {
    child.kill();
  }
});

test('a process restarted between captures is matched by name and said to span a restart', async () => {
  const store = tempStore();
  const exe = namedSleeper(NAME);
  const first = spawn(exe, ['30'], { stdio: 'ignore' });
  await execd(first.pid!, NAME);
  await mapsdiff(['capture', 'local', '--process', NAME], { store });
  first.kill();
  const second = spawn(exe, ['30'], { stdio: 'ignore' });
  try {
    await execd(second.pid!, NAME);
    await mapsdiff(['capture', 'local', '--process', NAME], { store });
    const j = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
    assert.equal(j.processes.length, 1);
    assert.equal(j.processes[0].restarted, true);
    assert.deepEqual(j.processes[0].pids, { before: first.pid, after: second.pid });
    const text = (await mapsdiff(['compare'], { store })).stdout;
    assert.match(text, /RESTARTED between the captures/);
  } finally {
    second.kill();
  }
});

test('a board that rebooted between captures (uptime went down) is called out; meminfo lines that moved are listed', async () => {
  const store = tempStore();
  const dir = tempStore();
  const maps = fixture('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps');
  const capture = (uptime: string, memFree: number) => formatCaptureText({
    sections: [
      { name: 'uptime', status: 'ok', text: uptime },
      { name: 'meminfo', status: 'ok', text: `MemTotal:          61252 kB\nMemFree:           ${memFree} kB\nMemAvailable:      30000 kB\n` },
      { name: 'stat', pid: 4388, status: 'ok', text: `4388 (httpd) S 1 4388 4388 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 ${uptime.startsWith('9') ? 90000 : 500} 1234 100 4294967295\n` },
      { name: 'maps', pid: 4388, status: 'ok', text: maps },
    ],
  }, 'BOUNDARY-test');
  fs.writeFileSync(path.join(dir, 'a'), capture('9000.00 8000.00\n', 20000));
  fs.writeFileSync(path.join(dir, 'b'), capture('12.50 10.00\n', 18000));
  assert.equal((await mapsdiff(['import', path.join(dir, 'a'), '--target', 'ac15'], { store })).code, 0);
  assert.equal((await mapsdiff(['import', path.join(dir, 'b'), '--target', 'ac15'], { store })).code, 0);
  const j = JSON.parse((await mapsdiff(['compare', '--json'], { store })).stdout);
  assert.equal(j.rebooted, true);
  assert.equal(j.interval, null);
  assert.equal(j.processes[0].restarted, true, 'same pid after a reboot is another process');
  assert.deepEqual(j.meminfo, [{ key: 'MemFree', before: 20000 * 1024, after: 18000 * 1024, delta: -2000 * 1024, unit: 'bytes' }]);
  const text = (await mapsdiff(['compare'], { store })).stdout;
  assert.match(text, /REBOOTED between the captures/);
  assert.match(text, /meminfo: MemFree -2 MiB/);
});

test('compare refuses what it cannot do, with what exists', async () => {
  const store = tempStore();
  assert.match((await mapsdiff(['compare'], { store })).stderr, /no snapshots yet/);
  await mapsdiff(['import', fixturePath('maps/arm-uclibc-tenda-ac15-httpd-noaslr.maps'), '--name', 'one'], { store });
  const r = await mapsdiff(['compare'], { store });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /compare needs two snapshots of target imported, and one is the oldest one/);
  const bad = await mapsdiff(['compare', 'one', 'one', '--pid', '77'], { store });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no process in one or one matches pid 77; they hold: 0 \(httpd\)/);
});

test("demo, the README's first command: a process that allocates, captured twice, compared", async () => {
  const store = tempStore();
  const r = await mapsdiff(['demo', '--wait', '1'], { store });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^demo: captured t0; waiting 1 s$/m);
  assert.match(r.stdout, /^demo: captured t1 /m);
  assert.match(r.stdout, /^compare t0 -> t1\s+target local/m);
  const j = JSON.parse((await mapsdiff(['compare', 't0', 't1', '--json'], { store })).stdout);
  assert.equal(j.processes.length, 1);
  assert.ok(j.processes[0].total.delta >= 2 * 1024 * 1024, `the workload grew: ${j.processes[0].total.delta}`);
});
