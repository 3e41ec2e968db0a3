/*! Regression (issue 9): writers killed with SIGKILL mid-write left their `.tmp-*` files in
 * the store for ever (80 MB after 48 kills). The next writer removes them, and only them:
 * a temporary file of a writer that is still running is left alone. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SnapshotStore } from '../../src/store/store.js';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'big-writer-child.js');
const SIZE = String(8 << 20);

function writer(dir: string, count: number): { child: ChildProcess; exited: Promise<number | null>; out: () => string } {
  const child = spawn(process.execPath, [CHILD, dir, SIZE, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out };
}

const tempsOf = (snapDir: string, pid: number) => {
  try {
    return fs.readdirSync(snapDir).filter((f) => f.startsWith('.tmp-') && f.includes(`-${pid}-`));
  } catch {
    return [];
  }
};

/** Resolves once `pid` has a temporary file in the store (it is mid-write). */
async function midWrite(snapDir: string, pid: number): Promise<void> {
  while (tempsOf(snapDir, pid).length === 0) await new Promise((r) => setTimeout(r, 2));
}

/** The process's state letter in /proc/PID/stat ('' once gone). */
function stateOf(pid: number): string {
  try { const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); return st.charAt(st.lastIndexOf(')') + 2); } catch { return ''; }
}

/** Resolves once `child` is stopped (SIGSTOP) with a temporary file of its own in the store. */
async function stoppedMidWrite(snapDir: string, child: ChildProcess): Promise<void> {
  for (;;) {
    await midWrite(snapDir, child.pid!);
    child.kill('SIGSTOP');
    while (stateOf(child.pid!) !== 'T') await new Promise((r) => setTimeout(r, 2));
    if (tempsOf(snapDir, child.pid!).length > 0) return;
    child.kill('SIGCONT'); // it was between two writes: let it start the next
  }
}

const meta = { target: 'next', capturedAt: new Date().toISOString(), tool: { name: 'mapsdiff' as const, version: 't' }, via: 'import' as const, lenient: false };

test('temp files of writers killed mid-write are removed by the next writer; a running writer\'s are not', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-kill-'));
  const store = new SnapshotStore(dir);
  try {
    // three writers mid-write at once, all killed (one at a time, each new writer would clean up
    // the last); each is stopped while it has a temporary file, so none can finish that write (or
    // be between two writes, encoding the next) when the kill comes
    const ws = [writer(dir, 0), writer(dir, 0), writer(dir, 0)];
    for (const w of ws) await stoppedMidWrite(store.snapDir, w.child);
    for (const w of ws) w.child.kill('SIGKILL');
    await Promise.all(ws.map((w) => w.exited));
    const stale = fs.readdirSync(store.snapDir).filter((f) => f.startsWith('.tmp-'));
    assert.equal(stale.length, 3, `kill -9 mid-write left temp files: ${stale.join(', ')}`);
    const before = store.list().map((m) => m.name);

    const live = writer(dir, 4);
    try {
      await midWrite(store.snapDir, live.child.pid!);
      const mine = store.save(meta, []);
      const left = fs.readdirSync(store.snapDir).filter((f) => f.startsWith('.tmp-'));
      assert.deepEqual(left.filter((f) => stale.includes(f)), [], 'the killed writers\' temp files are gone');
      assert.equal(await live.exited, 0, 'the running writer was not disturbed');
      const liveNames = live.out().trim().split('\n').map((l) => l.replace('saved ', ''));
      assert.equal(liveNames.length, 4);
      assert.deepEqual(store.list().map((m) => m.name).sort(), [...before, mine, ...liveNames].sort());
      for (const n of liveNames) assert.equal(store.load(n).sections[0]!.text.length >= 8 << 20, true, `${n} is whole`);
      assert.deepEqual(fs.readdirSync(store.snapDir).filter((f) => f.startsWith('.')), [], 'nothing temporary left');
    } finally {
      live.child.kill('SIGKILL');
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
