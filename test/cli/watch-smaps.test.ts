/*! `watch --smaps auto` through the built CLI against a real process this test owns (the
 * python3 workload, on this machine): full smaps is read on the first capture, then only
 * when the process's smaps_rollup Rss grew beyond --noise since its last full read, and on
 * every --smaps-every Nth capture; each snapshot records the mode and whose smaps it holds. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { binPath, nodeFlags } from '../helpers.js';
import { mapsdiff, tempStore } from './run.js';
import { startWorkload } from './workload.js';

/** The CLI as a child; `line(n)` resolves once it printed n lines. */
function live(args: string[], store: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.MAPSDIFF_STORE;
  const child = spawn(process.execPath, [...nodeFlags, binPath, '--store', store, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: Array<[number, () => void]> = [];
  readline.createInterface({ input: child.stdout }).on('line', (l) => {
    lines.push(l);
    for (const w of waiting.splice(0)) if (lines.length >= w[0]) w[1](); else waiting.push(w);
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 99)));
  const line = (n: number) => new Promise<void>((resolve, reject) => {
    if (lines.length >= n) return resolve();
    waiting.push([n, resolve]);
    void done.then(() => (lines.length >= n ? resolve() : reject(new Error(`watch ended after ${lines.length} line(s): ${stderr}`))));
  });
  return { lines, line, done, stderr: () => stderr };
}

interface Shown { smaps: { mode: string; read: number[] }; processes: { pid: number; resident: { rss: number; source: string }; vmas: { resident?: unknown }[] }[] }

test('watch --smaps auto reads full smaps on the first capture, then only where smaps_rollup Rss grew beyond --noise, and every Nth', async () => {
  const store = tempStore();
  const w = await startWorkload();
  const noise = 256 * 1024;
  try {
    const run = live(['watch', 'local', '--pid', String(w.pid), '--smaps', 'auto', '--smaps-every', '5', '--noise', '256K',
      '--every', '400ms', '--count', '7', '--json'], store);
    await run.line(2);
    await w.send('heap 32'); // 2 MiB of [heap], filled: Rss grows by far more than the noise after t1
    await run.line(4);
    await w.send('heap 32'); // and again after t3
    assert.equal(await run.done, 0, run.stderr());
    const objs = run.lines.slice(0, 7).map((l) => JSON.parse(l) as { snapshot: string; smaps: { mode: string; read: number[] } });
    const shown: Shown[] = [];
    for (const o of objs) shown.push(JSON.parse((await mapsdiff(['show', o.snapshot, '--json'], { store })).stdout));

    let base = -1; // Rss at the last full read
    const reads: boolean[] = [];
    shown.forEach((s, k) => {
      const p = s.processes.find((x) => x.pid === w.pid)!;
      const read = s.smaps.read.includes(w.pid);
      reads.push(read);
      assert.equal(s.smaps.mode, 'auto', `t${k} says which mode read it`);
      assert.deepEqual(objs[k]!.smaps, s.smaps, `t${k}: the watch line says what the snapshot says`);
      assert.equal(p.resident.source, 'smaps_rollup', 'every capture reads smaps_rollup');
      assert.equal(p.vmas.every((v) => v.resident !== undefined), read, `t${k}: per-region resident memory only where smaps was read, never a zero`);
      const should = k % 5 === 0 || p.resident.rss > base + noise;
      assert.equal(read, should, `t${k}: Rss ${p.resident.rss}, last full read at ${base}`);
      if (read) base = p.resident.rss;
    });
    assert.equal(reads[0], true, 'the first capture reads every process in full');
    assert.equal(reads[1], false, 'no growth between t0 and t1: rollup only');
    assert.ok(reads.slice(1, 5).some((r) => r), `the growth was read in full before the periodic t5: ${reads.join(' ')}`);
    assert.equal(reads[5], true, 'every 5th capture reads in full');
    assert.equal(reads[6], false, 'no growth after t5: rollup only');
  } finally {
    w.stop();
  }
});

test('watch --smaps: a mode it does not know, or --noise without auto, is refused with exit 2', async () => {
  const store = tempStore();
  const bad = await mapsdiff(['watch', '--smaps', 'nosuch', 'local', '--every', '1s', '--count', '1', '--pid', '1'], { store });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--smaps takes full, auto or rollup, and got "nosuch"; .*put --smaps after the targets/);
  const noise = await mapsdiff(['watch', 'local', '--smaps', '--noise', '8K', '--every', '1s', '--count', '1', '--pid', '1'], { store });
  assert.equal(noise.code, 2);
  assert.match(noise.stderr, /--noise says when --smaps auto reads full smaps; add --smaps auto/);
});
