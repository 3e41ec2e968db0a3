/*! The board-wide sections of the remote script (issue 12), run under BusyBox ash as over SSH:
 * max_map_count, file-nr, slabinfo (denied to a non-root user), buddyinfo, mounts, df where
 * the board has it (missing where it has not), and each process's fd count from a glob. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCaptureText } from '../../src/parse/capture.js';
import { parseCapture } from '../../src/parse/index.js';
import { buildRemoteScript } from '../../src/collect/remote-script.js';
import { LocalSource } from '../../src/collect/local.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapsdiff-bs-'));
const bin = path.join(dir, 'bin');
const binDf = path.join(dir, 'bin-df');
const B = 'Bq1w2e3r4t5y6u7i8o9p0';
let child: ChildProcess;

before(async () => {
  fs.mkdirSync(bin);
  fs.mkdirSync(binDf);
  fs.chmodSync(dir, 0o755);
  for (const c of ['cat', 'tr', 'uname', 'sleep']) { fs.symlinkSync('/bin/busybox', path.join(bin, c)); fs.symlinkSync('/bin/busybox', path.join(binDf, c)); }
  fs.symlinkSync('/bin/busybox', path.join(binDf, 'df'));
  // a process with 3 + 5 open descriptors of its own (stdio and five extra pipes)
  child = spawn('/bin/sleep', ['600'], { stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'] });
  await new Promise((res) => child.once('spawn', res));
});
after(() => {
  child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function capture(pathDir: string, uid?: number) {
  const script = buildRemoteScript({ pids: [child.pid!], names: [], all: false, smaps: false }, B);
  const text = execFileSync('/bin/busybox', ['sh', '-s'], { input: script, encoding: 'latin1', env: { PATH: pathDir }, ...(uid === undefined ? {} : { uid, gid: uid }) });
  const raw = parseCaptureText(text, 'busybox', { requireEnd: true });
  return { raw, parsed: parseCapture(raw, { source: 'busybox' }) };
}

test('fd count from the shell glob equals the entries of /proc/PID/fd', () => {
  const { parsed } = capture(bin);
  const p = parsed.processes.find((q) => q.pid === child.pid)!;
  assert.equal(p.fds, fs.readdirSync(`/proc/${child.pid}/fd`).length);
  assert.equal(typeof p.limits?.nofileSoft, 'number');
});

test('board tables captured in the same round trip: max_map_count, file-nr, buddyinfo, mounts', () => {
  const { parsed } = capture(bin);
  assert.equal(parsed.maxMapCount, Number(fs.readFileSync('/proc/sys/vm/max_map_count', 'utf8')));
  assert.ok(parsed.fileNr && parsed.fileNr.max > 0);
  assert.ok(parsed.buddyinfo && parsed.buddyinfo.length > 0);
  assert.ok(parsed.tmpfs, 'mounts parsed');
});

test('a board without df records df as missing; with df, tmpfs usage in bytes', () => {
  const without = capture(bin);
  assert.equal(without.raw.sections.find((s) => s.name === 'df')?.status, 'missing');
  assert.deepEqual(without.parsed.boardMissing, ['df']);
  const withDf = capture(binDf);
  assert.equal(withDf.raw.sections.find((s) => s.name === 'df')?.status, 'ok');
  const shm = withDf.parsed.tmpfs?.find((m) => m.mountPoint === '/dev/shm');
  if (shm) assert.equal(typeof shm.size, 'number');
});

test('slabinfo as a non-root user is recorded as denied, and another user\'s fds too', (t) => {
  if (process.getuid?.() !== 0) { t.skip('needs root to switch to nobody'); return; }
  const { raw, parsed } = capture(bin, 65534);
  assert.equal(raw.sections.find((s) => s.name === 'slabinfo')?.status, 'denied');
  assert.ok(parsed.boardDenied?.includes('slabinfo'));
  assert.ok(parsed.processes.find((q) => q.pid === child.pid)!.denied.includes('fds'));
});

test('the local collector sends the same board sections and fd count', async () => {
  const parsed = parseCapture(await new LocalSource().collect({ pids: [child.pid!], names: [], all: false, smaps: false }), { source: 'local' });
  assert.equal(parsed.processes[0]!.fds, fs.readdirSync(`/proc/${child.pid}/fd`).length);
  assert.ok(parsed.maxMapCount! > 0 && parsed.buddyinfo!.length > 0);
});

test('the fd count under ash, dash and bash: a process with none open counts 0 (its glob stays the pattern), another user\'s is denied, its argv[0] read either way', async (t) => {
  // every descriptor closed (those the test runner leaves open too), then sleep exec'd
  const none = spawn('python3', ['-c', 'import os; os.closerange(0, 1 << 16); os.execv("/bin/sleep", ["/bin/sleep", "600"])'], { stdio: 'ignore' });
  try {
    // ready when python has exec'd sleep: polled on that, with a deadline a loaded CI machine cannot reach
    const until = Date.now() + 60_000;
    while (!fs.readFileSync(`/proc/${none.pid}/cmdline`, 'latin1').startsWith('/bin/sleep')) {
      assert.ok(Date.now() < until, 'python did not exec sleep within 60 s');
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.deepEqual(fs.readdirSync(`/proc/${none.pid}/fd`), [], 'the process has no descriptor open');
    const users = process.getuid?.() === 0 ? [undefined, 65534] : [undefined];
    if (users.length === 1) t.diagnostic('not root: the denied case is not run');
    for (const [shell, args] of [['/bin/busybox', ['sh']], ['/bin/dash', []], ['/bin/bash', ['--posix']]] as const) {
      for (const uid of users) {
        const script = buildRemoteScript({ pids: [child.pid!, none.pid!], names: [], all: false, smaps: false }, B);
        const text = execFileSync(shell, [...args, '-s'], { input: script, encoding: 'latin1', env: { PATH: shell === '/bin/busybox' ? bin : process.env.PATH }, ...(uid === undefined ? {} : { uid, gid: uid }) });
        const raw = parseCaptureText(text, shell, { requireEnd: true });
        const of = (pid: number, name: string) => raw.sections.find((s) => s.pid === pid && s.name === name);
        const what = `${shell} as ${uid ?? 'this user'}`;
        for (const pid of [child.pid!, none.pid!]) assert.deepEqual([of(pid, 'cmdline')?.status, of(pid, 'cmdline')?.text], ['ok', '/bin/sleep\0'], `${what}: ${pid}'s argv[0]`);
        if (uid === undefined) {
          assert.deepEqual([of(none.pid!, 'fds')?.status, of(none.pid!, 'fds')?.text], ['ok', '0\n'], `${what}: no descriptor`);
          assert.equal(of(child.pid!, 'fds')?.text, `${fs.readdirSync(`/proc/${child.pid}/fd`).length}\n`, what);
        } else {
          for (const pid of [child.pid!, none.pid!]) assert.equal(of(pid, 'fds')?.status, 'denied', `${what}: ${pid}'s fds`);
        }
      }
    }
  } finally {
    none.kill('SIGKILL');
  }
});
