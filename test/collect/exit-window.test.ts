/*! The remote script against a process that exits while its maps is being read, held at the
 * worst moment by two real things the test owns: the script's stdout, a pipe the test stops
 * reading (so `cat` blocks in write(2) between two read(2)s of the process's maps, a seq_file
 * that gives at most a page a read), and a FUSE file the process has open (test/servers/
 * fuse-hold.ts), whose FLUSH the test holds, so the killed process stops in do_exit between
 * exit_mm (its address space gone: the rest of its maps reads as end of file) and exit_fs (its
 * cwd, what the shell's liveness check followed, still there). Root only (FUSE mount). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildRemoteScript } from '../../src/collect/remote-script.js';
import { buildConsoleScript } from '../../src/collect/console-script.js';
import { parseCheckedText } from '../../src/parse/capture-checked.js';
import { latin1Digest } from '../../src/collect/sums.js';
import type { RawSection } from '../../src/model/capture.js';
import { LocalSource } from '../../src/collect/local.js';
import { descendantsOf } from '../servers/harness.js';
import { mountFlushHold, type FlushHold } from '../servers/fuse-hold.js';
import { asleepInSyscall } from '../helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-exitwin-'));
const B = 'Xw1e2r3t4y5u6i7o8p9a0';
let hold: FlushHold;
const procs: ChildProcess[] = [];

before(() => { hold = mountFlushHold(path.join(dir, 'mnt')); });
after(async () => {
  await hold?.stop();
  for (const p of procs) p.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

/** VMAS pages of alternating protection (one VMA each: ~1 MiB of maps, more than the pipes, the socket
 * and what Node reads ahead of them), and the held file open; prints `ready`. */
const VICTIM = `
import ctypes, mmap, os, sys
libc = ctypes.CDLL(None)
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
fd = os.open(sys.argv[1], os.O_RDONLY)
n = int(sys.argv[2])
m = mmap.mmap(-1, n * 4096)
a = ctypes.addressof(ctypes.c_char.from_buffer(m))
for i in range(0, n, 2):
    assert libc.mprotect(a + i * 4096, 4096, 1) == 0
print('ready', flush=True)
sys.stdin.read()
`;
const VMAS = 12000;

/** Runs `script` under dash against a victim of VMAS VMAs, stops reading its stdout once the
 * victim's stat has come, waits for `writer` (the program the script reads maps with) to block
 * in write(2), kills the victim, holds it in exit_files, then reads on: the stream, the victim's
 * pid and its whole maps as read before. */
async function cutByExit(script: (pid: number) => string, writer: string): Promise<{ text: string; pid: number; whole: string }> {
  const victim = spawn('python3', ['-c', VICTIM, hold.file, String(VMAS)], { stdio: ['pipe', 'pipe', 'inherit'] });
  procs.push(victim);
  await new Promise<void>((res) => victim.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) res(); }));
  const pid = victim.pid!;
  const whole = fs.readFileSync(`/proc/${pid}/maps`, 'latin1');
  assert.ok(whole.split('\n').length > VMAS, 'the victim has its VMAs');

  // dash's stdout a pipe (to cat), not the socket Node gives a child: the console script's tee reopens it
  const sh = spawn('/bin/sh', ['-c', 'dash -s | cat'], { stdio: ['pipe', 'pipe', 'ignore'] });
  procs.push(sh);
  const out: Buffer[] = [];
  const lead = Buffer.from(`${pid} (python3) `);
  let paused = false;
  sh.stdout!.on('data', (d: Buffer) => {
    out.push(d);
    // the victim's stat has come: stop reading, and the writer blocks a pipe's length later, inside its maps
    if (!paused && Buffer.concat(out.slice(-2)).includes(lead)) { paused = true; sh.stdout!.pause(); }
  });
  const closed = new Promise<void>((res) => sh.on('close', () => res()));
  sh.stdin!.end(script(pid));

  // the writer blocked: asleep in write(2) with its stdout full (write's number on this machine)
  const write = ({ x64: 1, arm64: 64, arm: 4, ia32: 4 } as Record<string, number>)[process.arch];
  assert.ok(write !== undefined, `write(2)'s number on ${process.arch}`);
  let blocked = 0;
  for (let i = 0; i < 3000 && !blocked; i++) {
    blocked = paused ? descendantsOf(sh.pid!).filter((c) => c !== sh.pid).find((c) => {
      try { return fs.readFileSync(`/proc/${c}/comm`, 'utf8') === `${writer}\n` && asleepInSyscall(c) && fs.readFileSync(`/proc/${c}/syscall`, 'utf8').startsWith(`${write} `); } catch { return false; }
    }) ?? 0 : 0;
    if (!blocked) await new Promise((r) => setTimeout(r, 10));
  }
  assert.ok(blocked, `${writer} blocked writing the victim's maps`);

  process.kill(pid, 'SIGKILL');
  await hold.held(); // in exit_files: exit_mm is done
  assert.equal(fs.existsSync(`/proc/${pid}/cwd`), true, 'the cwd the shell could check is still there');
  sh.stdout!.resume();
  await closed;
  hold.release();
  return { text: Buffer.concat(out).toString('latin1'), pid, whole };
}

function assertGone(secs: RawSection[], pid: number, whole: string, want: string[]): void {
  const maps = secs.find((s) => s.name === 'maps')!;
  assert.ok(maps.text.length < whole.length, 'the maps read was cut by the exit (else this test held nothing)');
  assert.deepEqual(secs.map((s) => `${s.name}:${s.status}`), want);
  assert.equal(parseCapture({ sections: secs }, { source: 'dash' }).processes.find((p) => p.pid === pid)!.gone, true);
}

test('regression: a process killed while cat is between two reads of its maps, held in do_exit after exit_mm, is gone, not a process with its maps cut short', { timeout: 120_000 }, async () => {
  const { text, pid, whole } = await cutByExit((p) => buildRemoteScript({ pids: [p], names: [], all: false, smaps: false }, B), 'cat');
  const secs = parseCaptureText(text, 'dash', { requireEnd: true }).sections.filter((s) => s.pid === pid);
  assertGone(secs, pid, whole, ['stat', 'status', 'limits', 'smaps_rollup', 'maps', 'cmdline', 'fds'].map((n) => `${n}:gone`));
});

test('regression: the same over a console (format 2, each file its own summed section, read by tee): maps and what follows it gone, not a maps cut short under a good sum', { timeout: 120_000 }, async () => {
  const { text, pid, whole } = await cutByExit((p) => buildConsoleScript({ pids: [p], names: [], all: false, smaps: false }, B), 'tee');
  const at = text.indexOf(`mapsdiff-capture 2 ${B}\n`);
  const secs = parseCheckedText(text.slice(at), B, 'dash', latin1Digest, { requireEnd: true }).raw.sections.filter((s) => s.pid === pid);
  // each section is closed as its own read ends: those read whole before the kill are ok
  assertGone(secs, pid, whole, ['stat:ok', 'status:ok', 'limits:ok', 'cmdline:ok', 'maps:gone', 'smaps_rollup:gone', 'fds:gone']);
});

test('regression: local, a process held in do_exit after exit_mm (no zombie yet: its maps reads empty, its smaps_rollup fails) is gone, not a process with no mappings', { timeout: 60_000 }, async () => {
  const victim = spawn('python3', ['-c', VICTIM, hold.file, '2'], { stdio: ['pipe', 'pipe', 'inherit'] });
  procs.push(victim);
  await new Promise<void>((res) => victim.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) res(); }));
  const pid = victim.pid!;
  const exited = new Promise<void>((res) => victim.on('exit', () => res()));
  process.kill(pid, 'SIGKILL');
  await hold.held();
  try {
    assert.doesNotMatch(fs.readFileSync(`/proc/${pid}/stat`, 'latin1'), /^\d+ \(python3\) [ZX] /, 'not a zombie yet');
    const raw = await new LocalSource().collect({ pids: [pid], names: [], all: false, smaps: false });
    assert.deepEqual(raw.sections.filter((s) => s.pid === pid).map((s) => `${s.name}:${s.status}`),
      ['stat', 'status', 'limits', 'cmdline', 'maps', 'smaps_rollup', 'fds'].map((n) => `${n}:gone`));
  } finally {
    hold.release();
  }
  await exited;
});
