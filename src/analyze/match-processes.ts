/*! Pairs the processes of two captures: the same process, a restarted one, or gone / new.
 * Pure; knows pids, names and start times only, never regions (analyze/match does those).
 * Rule: DESIGN.md, a process is identified by pid and start time. */
import type { Landmarks, ProcessMatch, ProcessRef } from '../model/diff.js';
import type { Region } from '../model/vma.js';

/**
 * The top of `[stack]` (the kernel sets it at exec, setup_arg_pages(); the stack grows down
 * from it and it never moves) and the start of the lowest file mapping (the executable: the
 * kernel maps it first, mmap_base and the libraries lie above it). With ASLR on
 * (randomize_va_space >= 1) both are drawn anew at every exec.
 */
export function landmarks(regions: readonly Region[], inOrder = false): Landmarks {
  if (inOrder) return landmarksInOrder(regions);
  let stackTop: number | null = null;
  let exe: Landmarks['exe'] = null;
  for (const r of regions) {
    if (r.path === '[stack]' && (stackTop === null || r.end > stackTop)) stackTop = r.end;
    if (r.path.startsWith('/') && r.inode !== 0 && (exe === null || r.start < exe.start)) exe = { path: r.path, start: r.start };
  }
  return { stackTop, exe };
}

/** The same of regions whose starts and ends both rise (as the kernel prints them): the lowest
 * file mapping is the first one, the highest `[stack]` end the last one's; a few lines read, not 100k. */
function landmarksInOrder(regions: readonly Region[]): Landmarks {
  let stackTop: number | null = null;
  let exe: Landmarks['exe'] = null;
  for (let i = regions.length - 1; i >= 0; i--) {
    if (regions[i]!.path === '[stack]') {
      stackTop = regions[i]!.end;
      break;
    }
  }
  for (const r of regions) {
    if (r.path.startsWith('/') && r.inode !== 0) {
      exe = { path: r.path, start: r.start };
      break;
    }
  }
  return { stackTop, exe };
}

/** Two captures of one pid without start times: moved landmarks prove an exec in between. */
function moved(a: Landmarks | undefined, b: Landmarks | undefined): boolean {
  if (!a || !b) return false;
  if (a.stackTop !== null && b.stackTop !== null && a.stackTop !== b.stackTop) return true;
  return a.exe !== null && b.exe !== null && a.exe.path === b.exe.path && a.exe.start !== b.exe.start;
}

/**
 * Pairs the processes of two captures. The same process: same pid and same start time
 * (or, when a start time is unknown, same pid and name and the same landmarks: a moved
 * `[stack]` or executable is another exec, a restart). Restarted (restarted: true): same
 * pid and name with another start time, or another pid with a name that only one process
 * has among the unpaired of each capture. `rebooted`: every pair spans a restart.
 * Order: the before processes as given (paired or gone), then the new ones.
 */
export function matchProcesses(before: readonly ProcessRef[], after: readonly ProcessRef[], opts: { rebooted?: boolean } = {}): ProcessMatch[] {
  const rebooted = opts.rebooted ?? false;
  const afterByPid = new Map(after.map((p, j) => [p.pid, j]));
  const pairOf = new Int32Array(before.length).fill(-1);
  const restarted = new Uint8Array(before.length);
  const taken = new Uint8Array(after.length);
  before.forEach((b, i) => {
    const j = afterByPid.get(b.pid);
    if (j === undefined) return;
    const a = after[j]!;
    const sameStart = b.startTime === null || a.startTime === null ? null : b.startTime === a.startTime;
    if (sameStart !== true && b.name !== a.name) return; // the pid was reused by another program
    pairOf[i] = j;
    taken[j] = 1;
    const exec = sameStart === false || (sameStart === null && moved(b.landmarks, a.landmarks));
    restarted[i] = rebooted || exec ? 1 : 0;
  });
  const byName = new Map<string, { b: number[]; a: number[] }>();
  const add = (name: string, side: 'b' | 'a', x: number): void => {
    if (name === '') return;
    let e = byName.get(name);
    if (!e) byName.set(name, (e = { b: [], a: [] }));
    e[side].push(x);
  };
  before.forEach((b, i) => pairOf[i]! < 0 && add(b.name, 'b', i));
  after.forEach((a, j) => !taken[j] && add(a.name, 'a', j));
  for (const e of byName.values()) {
    if (e.b.length !== 1 || e.a.length !== 1) continue; // ambiguous: several with that name
    pairOf[e.b[0]!] = e.a[0]!;
    taken[e.a[0]!] = 1;
    restarted[e.b[0]!] = 1;
  }
  const out: ProcessMatch[] = before.map((b, i) => {
    const j = pairOf[i]!;
    return j < 0 ? { before: b, after: null, restarted: false } : { before: b, after: after[j]!, restarted: restarted[i] === 1 };
  });
  after.forEach((a, j) => taken[j] || out.push({ before: null, after: a, restarted: false }));
  return out;
}
