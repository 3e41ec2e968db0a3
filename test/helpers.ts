/*! Paths shared by the tests: the repo root, fixtures, and the built CLI. */
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Tests run from dist/test/**, so the repo root is found by walking up to package.json. */
export const repoRoot = (() => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (pkg.name === 'mapsdiff') return dir;
    } catch { /* keep walking */ }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('repo root not found');
    dir = up;
  }
})();

export const fixturePath = (name: string): string => path.join(repoRoot, 'fixtures', name);
export const fixture = (name: string): string => readFileSync(fixturePath(name), 'utf8');
/** The launcher users run. */
export const binPath = path.join(repoRoot, 'bin', 'mapsdiff.js');
/** Node's flags for every mapsdiff the tests start (`node ...nodeFlags binPath ARGS`). Node 20
 * can hang for ever as it exits (nodejs/node#54918, fixed after 20.20): at the end of the event
 * loop the main thread waits in NodePlatform::DrainTasks for the worker tasks to finish, while a
 * TurboFan job compiling on a worker thread needs a GC and waits for the main thread
 * (CollectionBarrier::AwaitCollectionBackground). Seen once in a full run here, `capture serial:`
 * of a copy with no serialport binding: its message printed, then asleep (gdb: main thread in
 * DrainTasks, a worker in JSNativeContextSpecialization -> AwaitCollectionBackground). Without
 * concurrent recompilation TurboFan compiles on the main thread and no such job exists. Only a
 * command-line flag sets it (V8 reads it once, when the isolate starts; NODE_OPTIONS refuses it). */
export const nodeFlags: readonly string[] = ['--no-concurrent-recompilation'];

const made: string[] = [];
// node:test runs each test file in a process of its own: its temp dirs go when it exits
process.on('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** A fresh directory under the system temp dir, removed when this test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** `base` made this test process's own (another run of the same test beside it cannot match
 * it by name): base (at most 9 characters) and the pid, within comm's 15. */
export const uniqueName = (base: string): string => `${base}-${process.pid.toString(36)}`;

/** Sleeping (state S) in a system call: /proc/PID/syscall starts with the call's number (it
 * says `running`, or -1 outside a call, otherwise; root may read it, others rely on the state). */
export function asleepInSyscall(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'S') return false;
  } catch { return false; }
  try { return /^\d+ /.test(readFileSync(`/proc/${pid}/syscall`, 'utf8')); } catch { return true; }
}

/** Resolves once `pid` has exec'd into `comm` (its /proc/PID/comm says so, cut to 15 bytes
 * as the kernel does) and sleeps in a system call: readiness, not a sleep. comm is set at exec,
 * before the dynamic loader maps the libraries: a sleeper's maps are final only once it sleeps. */
export async function execd(pid: number, comm: string): Promise<void> {
  const want = comm.slice(0, 15);
  for (;;) {
    let now = '';
    try { now = readFileSync(`/proc/${pid}/comm`, 'utf8').replace(/\n$/, ''); } catch { /* not there yet */ }
    if (now === want && asleepInSyscall(pid)) return;
    await new Promise((r) => setImmediate(r));
  }
}

/** A copy of /bin/sleep named `name` in a fresh temp dir: run it and its comm is `name`. */
export function namedSleeper(name: string): string {
  const file = path.join(tempDir('mapsdiff-exe-'), name);
  copyFileSync('/bin/sleep', file);
  chmodSync(file, 0o755);
  return file;
}

/** mulberry32: a tiny seeded PRNG, [0, 1). Same seed, same sequence: tests and bench repeat exactly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The text of the stored snapshot `file` with its header line changed by `edit` (a hand-edited or planted file). */
export function headerEdited(file: string, edit: (head: { format: string; meta: Record<string, unknown> }) => void): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const head = JSON.parse(lines[0]!);
  edit(head);
  lines[0] = JSON.stringify(head);
  return lines.join('\n');
}
