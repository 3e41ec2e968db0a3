/*! The local collector (this machine's /proc), the parts issue 9 and 10 pinned: boot_id is
 * captured every time, and a command line keeps only argv[0] unless --cmdline. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { LocalSource } from '../../src/collect/local.js';
import { parseCapture } from '../../src/parse/index.js';

let proc: ChildProcess;
before(async () => {
  proc = spawn('/bin/sh', ['-c', 'sleep 600; :', 'tool', '--token=s3cret'], { stdio: 'ignore' });
  for (let i = 0; i < 200 && !fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').includes('s3cret'); i++) await new Promise((r) => setTimeout(r, 10));
});
after(() => { proc.kill('SIGKILL'); });

test('local: boot_id is a global section, as the kernel has it', async () => {
  const raw = await new LocalSource().collect({ pids: [proc.pid!], names: [], all: false, smaps: false });
  const s = raw.sections.find((x) => x.name === 'boot_id')!;
  assert.deepEqual([s.pid, s.status, s.text], [undefined, 'ok', fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8')]);
});

test('local: a command line keeps only argv[0] by default, every argument with --cmdline', async () => {
  const sel = { pids: [proc.pid!], names: [], all: false, smaps: false };
  const cmdline = async (full: boolean) => (await new LocalSource().collect({ ...sel, cmdline: full })).sections.find((x) => x.pid === proc.pid && x.name === 'cmdline')!.text;
  assert.equal(await cmdline(false), '/bin/sh\0');
  assert.equal(await cmdline(true), '/bin/sh\0-c\0sleep 600; :\0tool\0--token=s3cret\0');
});

test('regression: local, a zombie asked for by pid is recorded as gone (as over SSH), not as a process with no mappings and no smaps_rollup', async () => {
  // the child of a parent that never waits stays a zombie once killed: its maps reads empty,
  // its smaps_rollup fails (ESRCH), its stat says Z
  const parent = spawn('/bin/sh', ['-c', 'sleep 600 & exec sleep 601'], { stdio: 'ignore' });
  try {
    let child = 0;
    for (let i = 0; i < 500 && !child; i++) {
      child = Number(fs.readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim().split(' ')[0]) || 0;
      if (!child) await new Promise((r) => setTimeout(r, 10));
    }
    process.kill(child, 'SIGKILL');
    for (let i = 0; i < 500 && !/^\d+ \(sleep\) Z/.test(fs.readFileSync(`/proc/${child}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 10));
    const raw = await new LocalSource().collect({ pids: [child, proc.pid!], names: [], all: false, smaps: false });
    const of = (pid: number) => raw.sections.filter((s) => s.pid === pid).map((s) => `${s.name}:${s.status}`);
    assert.deepEqual(of(child), ['stat:gone', 'status:gone', 'limits:gone', 'cmdline:gone', 'maps:gone', 'smaps_rollup:gone', 'fds:gone']);
    assert.deepEqual(of(proc.pid!), ['stat:ok', 'status:ok', 'limits:ok', 'cmdline:ok', 'maps:ok', 'smaps_rollup:ok', 'fds:ok'], 'the rest stored');
    assert.equal(parseCapture(raw, { source: 'local' }).processes.find((p) => p.pid === child)!.gone, true);
  } finally {
    parent.kill('SIGKILL');
  }
});

test('regression: local, a kernel thread asked for by pid (kthreadd) is not recorded as gone: its smaps_rollup fails with ESRCH because it never had an mm, not because it exited', async (t) => {
  // kthreadd lives as long as the kernel; outside the init pid namespace there is none to ask for
  const stat = fs.existsSync('/proc/2/stat') ? fs.readFileSync('/proc/2/stat', 'utf8') : '';
  if (!/^2 \(kthreadd\) /.test(stat)) return t.skip('no kthreadd as pid 2 here (a pid namespace)');
  const raw = await new LocalSource().collect({ pids: [2], names: [], all: false, smaps: false });
  const of = raw.sections.filter((s) => s.pid === 2).map((s) => `${s.name}:${s.status}`);
  assert.deepEqual(of, ['stat:ok', 'status:ok', 'limits:ok', 'cmdline:ok', 'maps:ok', 'smaps_rollup:missing', 'fds:ok'], 'as it was recorded before ESRCH meant gone');
  const p = parseCapture(raw, { source: 'local' }).processes.find((x) => x.pid === 2)!;
  assert.equal(p.gone, false);
  assert.deepEqual(p.vmas, []);
});
