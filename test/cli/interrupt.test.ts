/*! Regression: Ctrl-C waited for long synchronous work (a slow trend) to finish, and an
 * interrupted command exited 0 or 3. A real `mapsdiff trend` over a big generated store is
 * interrupted once it is busy (its CPU time in /proc/PID/stat has passed a second): it must
 * end by SIGINT (the shell's 130) well before it would have finished, having printed nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { generate, grow, render } from '../../bench/gen-maps.js';
import { parseCapture } from '../../src/parse/index.js';
import type { RawSection } from '../../src/model/capture.js';
import { SnapshotStore } from '../../src/store/store.js';
import { binPath, nodeFlags } from '../helpers.js';
import { tempStore } from './run.js';

/** utime + stime of a process we started, in clock ticks (fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

test('Ctrl-C during a long trend ends it at once by SIGINT (exit 130 in a shell), nothing printed', async () => {
  const store = tempStore();
  try {
    const s = new SnapshotStore(store);
    let vmas = generate(15_000, 3);
    for (let i = 0; i < 50; i++) {
      vmas = grow(vmas, 10 + i);
      const sections: RawSection[] = [
        { name: 'uptime', status: 'ok', text: `${100 + i * 60}.00 1.00\n` },
        { name: 'maps', pid: 7, status: 'ok', text: render(vmas) },
      ];
      const at = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      s.save({ target: 'slow', capturedAt: at, tool: { name: 'mapsdiff', version: 'test' }, via: 'import', lenient: false }, sections, `s${i}`);
    }
    const child = spawn(process.execPath, [...nodeFlags, binPath, '--store', store, 'trend', 'slow'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const ended = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (c, sig) => r([c, sig])));
    let exited = false;
    void ended.then(() => (exited = true));
    // busy: a second of CPU is past start-up and well into reading and judging 50 snapshots
    while (!exited && cpuTicks(child.pid!) < 100) await new Promise((r) => setTimeout(r, 20));
    assert.ok(!exited, `trend finished before it was busy: ${err}`);
    child.kill('SIGINT');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000); // a bound, not a speed test
    const [code, sig] = await ended;
    clearTimeout(timer);
    assert.equal(sig, 'SIGINT', `ended by SIGINT, not exit ${code}: ${err}`);
    assert.equal(out, '', 'nothing printed');
  } finally {
    fs.rmSync(store, { recursive: true, force: true });
  }
});
